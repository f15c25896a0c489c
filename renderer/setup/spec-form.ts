/**
 * The sweep editor's form and the spec it stands for. Every field is text as typed; `formToSpec`
 * turns the form into a sweep spec (the JSON `arbitrage sweep --spec` reads) and lists what cannot
 * be turned into one yet, each issue under the spec path it concerns ("methods.2.thresholds") so
 * the form can put it beside its field. The main side's own validation (sweeps.validate) runs on
 * the spec afterwards and reports with the same paths.
 */
import type { FieldIssue } from "../../shared/api/envelope.ts";

export const FORM_METHODS = ["draft", "target", "rsd", "arbitrage", "oracle", "generate"] as const;
export type FormMethod = (typeof FORM_METHODS)[number];
export const THRESHOLD_FORM_METHODS: readonly FormMethod[] = ["rsd", "arbitrage", "oracle"];
export const MODEL_FIELDS = ["draft", "target", "prm", "router"] as const;
export type ModelField = (typeof MODEL_FIELDS)[number];

export interface SweepForm {
  name: string;
  models: Record<ModelField, string>;
  dataset: { path: string; format: string; offset: string; limit: string };
  methods: Record<FormMethod, { on: boolean; thresholds: string }>;
  decoding: { temperature: string; seed: string; maxSteps: string; maxStepTokens: string; maxTotalTokens: string };
  out: string;
}

export const DECODING_FIELDS = [
  { key: "temperature", label: "temperature", integer: false, min: 0 },
  { key: "seed", label: "seed", integer: true, min: 0 },
  { key: "maxSteps", label: "max steps", integer: true, min: 1 },
  { key: "maxStepTokens", label: "max step tokens", integer: true, min: 1 },
  { key: "maxTotalTokens", label: "max total tokens", integer: true, min: 1 },
] as const;

export function emptyForm(): SweepForm {
  return {
    name: "sweep",
    models: { draft: "", target: "", prm: "", router: "" },
    dataset: { path: "", format: "", offset: "", limit: "" },
    methods: {
      draft: { on: true, thresholds: "" },
      target: { on: true, thresholds: "" },
      rsd: { on: true, thresholds: "0, 0.25, 0.5, 0.75, 1" },
      arbitrage: { on: true, thresholds: "0, 0.25, 0.5, 0.75, 1" },
      oracle: { on: true, thresholds: "-0.1, 0, 0.1" },
      generate: { on: false, thresholds: "" },
    },
    decoding: { temperature: "0", seed: "0", maxSteps: "", maxStepTokens: "", maxTotalTokens: "" },
    out: "",
  };
}

/** Parses "0, 0.5 1" (commas and/or spaces). */
export function parseThresholds(text: string): { values: number[]; bad: string[] } {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== "");
  const values: number[] = [];
  const bad: string[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (Number.isFinite(n)) values.push(n);
    else bad.push(p);
  }
  return { values, bad };
}

function numberField(text: string, path: string, opts: { integer: boolean; min: number }, issues: FieldIssue[]): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || n < opts.min) {
    issues.push({ path, message: `expected ${opts.integer ? "an integer" : "a number"} ≥ ${opts.min}, found "${t}"` });
    return undefined;
  }
  return n;
}

export interface FormSpec {
  spec: Record<string, unknown>;
  /** What the form itself can tell is wrong. */
  issues: FieldIssue[];
  /** Spec method index → form method, to place the main side's "methods.N…" issues. */
  methodAt: FormMethod[];
}

export function formToSpec(form: SweepForm): FormSpec {
  const issues: FieldIssue[] = [];
  const models: Record<string, string> = {};
  for (const role of MODEL_FIELDS) {
    const p = form.models[role].trim();
    if (p !== "") models[role] = p;
    else if (role === "draft" || role === "target") issues.push({ path: `models.${role}`, message: `choose the ${role} model folder` });
  }
  const dataset: Record<string, unknown> = { path: form.dataset.path.trim() };
  if (form.dataset.path.trim() === "") issues.push({ path: "dataset.path", message: "choose a benchmark file" });
  if (form.dataset.format !== "") dataset.format = form.dataset.format;
  const offset = numberField(form.dataset.offset, "dataset.offset", { integer: true, min: 0 }, issues);
  const limit = numberField(form.dataset.limit, "dataset.limit", { integer: true, min: 1 }, issues);
  if (offset !== undefined) dataset.offset = offset;
  if (limit !== undefined) dataset.limit = limit;

  const methods: Record<string, unknown>[] = [];
  const methodAt: FormMethod[] = [];
  for (const m of FORM_METHODS) {
    const entry = form.methods[m];
    if (!entry.on) continue;
    const index = methods.length;
    methodAt.push(m);
    if (THRESHOLD_FORM_METHODS.includes(m)) {
      const { values, bad } = parseThresholds(entry.thresholds);
      if (bad.length > 0) issues.push({ path: `methods.${index}.thresholds`, message: `not numbers: ${bad.join(", ")}` });
      else if (values.length === 0) issues.push({ path: `methods.${index}.thresholds`, message: "give at least one threshold" });
      methods.push({ method: m, thresholds: values });
    } else {
      methods.push({ method: m });
    }
  }
  if (methods.length === 0) issues.push({ path: "methods", message: "choose at least one method" });

  const decoding: Record<string, number> = {};
  for (const f of DECODING_FIELDS) {
    const v = numberField(form.decoding[f.key], `decoding.${f.key}`, f, issues);
    if (v !== undefined) decoding[f.key] = v;
  }
  const spec: Record<string, unknown> = { name: form.name.trim() || "sweep", models, dataset, methods };
  if (Object.keys(decoding).length > 0) spec.decoding = decoding;
  if (form.out.trim() !== "") spec.out = form.out.trim();
  return { spec, issues, methodAt };
}

/** The form field an issue belongs to (for aria-invalid and the message beside it). */
export function issueField(issue: FieldIssue, methodAt: readonly FormMethod[]): string {
  const parts = issue.path.split(".");
  if (parts[0] === "methods" && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    return `methods.${methodAt[Number(parts[1])] ?? parts[1]}`;
  }
  if (parts[0] === "models" || parts[0] === "decoding" || parts[0] === "dataset") return parts.slice(0, 2).join(".");
  return parts[0] ?? "";
}

/** A form filled from a spec (the demo's, or one stored with a run). Unknown fields are left at their defaults. */
export function specToForm(spec: Record<string, unknown>, base: SweepForm = emptyForm()): SweepForm {
  const form: SweepForm = structuredClone(base);
  if (typeof spec.name === "string") form.name = spec.name;
  const models = (spec.models ?? {}) as Record<string, unknown>;
  for (const role of MODEL_FIELDS) {
    const m = models[role];
    const path = typeof m === "string" ? m : typeof m === "object" && m !== null && typeof (m as { path?: unknown }).path === "string" ? (m as { path: string }).path : "";
    form.models[role] = path;
  }
  const ds = (spec.dataset ?? {}) as Record<string, unknown>;
  if (typeof ds.path === "string") form.dataset.path = ds.path;
  form.dataset.format = typeof ds.format === "string" ? ds.format : "";
  form.dataset.offset = typeof ds.offset === "number" ? String(ds.offset) : "";
  form.dataset.limit = typeof ds.limit === "number" ? String(ds.limit) : "";
  if (Array.isArray(spec.methods)) {
    for (const m of FORM_METHODS) form.methods[m].on = false;
    for (const entry of spec.methods as { method?: unknown; thresholds?: unknown }[]) {
      const m = entry.method as FormMethod;
      if (!FORM_METHODS.includes(m)) continue;
      form.methods[m].on = true;
      if (Array.isArray(entry.thresholds)) form.methods[m].thresholds = entry.thresholds.join(", ");
    }
  }
  const dec = (spec.decoding ?? {}) as Record<string, unknown>;
  for (const f of DECODING_FIELDS) if (typeof dec[f.key] === "number") form.decoding[f.key] = String(dec[f.key]);
  form.out = typeof spec.out === "string" ? spec.out : "";
  return form;
}

/** The form's fields whose values differ between two forms (keys as issueField names them). */
export function changedFields(a: SweepForm, b: SweepForm): string[] {
  const out: string[] = [];
  if (a.name !== b.name) out.push("name");
  if (a.out !== b.out) out.push("out");
  for (const role of MODEL_FIELDS) if (a.models[role] !== b.models[role]) out.push(`models.${role}`);
  for (const k of Object.keys(b.dataset) as (keyof SweepForm["dataset"])[]) if (a.dataset[k] !== b.dataset[k]) out.push(`dataset.${k}`);
  for (const m of FORM_METHODS) if (JSON.stringify(a.methods[m]) !== JSON.stringify(b.methods[m])) out.push(`methods.${m}`, "methods");
  for (const f of DECODING_FIELDS) if (a.decoding[f.key] !== b.decoding[f.key]) out.push(`decoding.${f.key}`);
  return out;
}

const DATASET_LABELS: Record<string, string> = { path: "benchmark file", offset: "first problem", limit: "problems", format: "format" };

/**
 * Where an issue is, in the form's words: "rsd threshold 2" for methods.1.thresholds.1 (the second
 * threshold of the form's second method), "draft model", "max steps". Empty for the spec as a whole.
 */
export function issueLabel(issue: FieldIssue, methodAt: readonly FormMethod[]): string {
  const parts = issue.path.split(".");
  const [head, second, third, fourth] = parts;
  if (head === "methods" && second !== undefined && /^\d+$/.test(second)) {
    const method = methodAt[Number(second)] ?? `method ${Number(second) + 1}`;
    if (third === "thresholds" && fourth !== undefined && /^\d+$/.test(fourth)) return `${method} threshold ${Number(fourth) + 1}`;
    return third === undefined ? method : `${method} ${third}`;
  }
  if (head === "methods") return "methods";
  if (head === "models" && second !== undefined) return `${second === "prm" ? "PRM" : second} model`;
  if (head === "dataset" && second !== undefined) return DATASET_LABELS[second] ?? second;
  if (head === "decoding" && second !== undefined) return DECODING_FIELDS.find((f) => f.key === second)?.label ?? second;
  if (head === "name") return "name";
  return issue.path;
}

/** A message written for the command line, said for this form instead. */
export function formMessage(message: string): string {
  return message
    .replace(/;? ?pass a mapping \(--map (\w+)=FIELD\) or another --format/g, ": choose the Format that matches this file, or name the $1 field in a spec file's dataset.mapping (arbitrage sweep --spec)")
    .replace(/--format (\w+)/g, "Format $1");
}
