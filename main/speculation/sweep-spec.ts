/**
 * The sweep spec: which models, which benchmark slice, which prompt, which decoding, which methods
 * at which thresholds, and where the run folder goes. Validated strictly (unknown keys are errors,
 * and every error names the field and what is allowed). Paths are relative to the directory the
 * spec is resolved against (the current directory for the CLI).
 */
import { isAbsolute, resolve } from "node:path";
import { readFileSync } from "node:fs";
import { z } from "zod";
import YAML from "yaml";
import { WorkbenchError } from "../../shared/errors.ts";
import type { Configuration, Method } from "../../shared/results.ts";
import { configId, METHODS } from "../../shared/results.ts";
import { DatasetFormatSchema, PartialFieldMappingSchema } from "../eval/datasets/types.ts";
import { PromptTemplateSpecSchema } from "../eval/prompts/spec.ts";
import { EXECUTION_PROVIDERS } from "../engine/providers.ts";
import type { ResolvedHttpSettings } from "../backends/http/config.ts";
import { HttpModelRefSchema, outputIdentity, resolveHttpSettings } from "../backends/http/config.ts";

const NOT_THERE = Symbol("not there");

/** The value at a zod issue's path in `input`, or NOT_THERE when the path does not lead anywhere. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object" || !(key in (v as object))) return NOT_THERE;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** A zod issue's message without zod's generic prefix, with what was found at its path in `input`. */
function issueText(i: z.core.$ZodIssue, input: unknown): string {
  // zod's "Invalid option: " / "Invalid input: " / "Too small: " prefixes say less than the rest.
  let message = i.message.replace(/^(Invalid (option|input|value)|Too (small|big)): /, "");
  if (message.includes(", found ")) return message;
  const found = input === undefined || i.code === "unrecognized_keys" ? NOT_THERE : valueAt(input, i.path);
  if (found !== NOT_THERE && found !== undefined) message = `${message.replace(/, received \w+$/, "")}, found ${shown(found)}`;
  return message;
}

const LocalModelRefSchema = z.strictObject({
  path: z.string().min(1),
  variant: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
  executionProvider: z.enum(EXECUTION_PROVIDERS).optional(),
  threads: z.number().int().min(1).optional(),
  /** Prompts get the special tokens the tokenizer puts before a text (BOS)? Default yes, never twice (engine/tokenizer.ts). */
  addSpecialTokens: z.boolean().optional(),
});

const ModelRefSchema = z.union(
  [
    z.string().min(1),
    LocalModelRefSchema,
    // A model served over HTTP (vLLM, SGLang): main/backends/http/config.ts, docs/remote-models.md.
    HttpModelRefSchema,
  ],
  {
    // A union's own message is "Invalid input": name the field of the form the value was meant to take.
    error: (issue) => {
      const input = issue.input;
      if (input === null || typeof input !== "object") return 'expected a model folder path, { "path", … } or { "http", "tokenizer" }';
      const r = ("http" in input ? HttpModelRefSchema : LocalModelRefSchema).safeParse(input);
      return r.success ? undefined : r.error.issues.map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ` : "") + issueText(i, input)).join("; ");
    },
  },
);

const ThresholdsSchema = z.array(z.number().min(-1).max(1)).min(1);

const MethodEntrySchema = z.strictObject({
  method: z.enum(METHODS),
  thresholds: ThresholdsSchema.optional(),
});

export const SweepSpecSchema = z.strictObject({
  name: z.string().optional(),
  models: z.strictObject({
    draft: ModelRefSchema,
    target: ModelRefSchema,
    prm: ModelRefSchema.optional(),
    router: ModelRefSchema.optional(),
  }),
  dataset: z.strictObject({
    path: z.string().min(1),
    format: DatasetFormatSchema.optional(),
    mapping: PartialFieldMappingSchema.optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).optional(),
    ids: z.array(z.string().min(1)).min(1).optional(),
  }),
  /** One template for both models, or one per model. Default: each model's own chat template. */
  prompt: z
    .union([PromptTemplateSpecSchema, z.strictObject({ draft: PromptTemplateSpecSchema, target: PromptTemplateSpecSchema })])
    .optional(),
  methods: z.array(MethodEntrySchema).min(1),
  decoding: z
    .strictObject({
      temperature: z.number().min(0).optional(),
      topP: z.number().gt(0).max(1).optional(),
      topK: z.number().int().min(0).optional(),
      seed: z.number().int().min(0).max(0xffffffff).optional(),
      /** Most tokens one step may have. */
      maxStepTokens: z.number().int().min(1).optional(),
      /** Most steps per problem (the reference implementation's default: 100). */
      maxSteps: z.number().int().min(1).optional(),
      /** Most tokens of a whole completion. */
      maxTotalTokens: z.number().int().min(1).optional(),
      /** Step delimiter(s). */
      stop: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  /** CPU threads per model session (default 1: several models share the machine). */
  threads: z.number().int().min(1).optional(),
  generate: z
    .strictObject({
      /** Keep as many label-0 rows as label-1 rows (class-balanced downsampling), seeded. */
      downsample: z.boolean().optional(),
      seed: z.number().int().min(0).optional(),
    })
    .optional(),
  out: z.string().min(1).optional(),
});
export type SweepSpec = z.infer<typeof SweepSpecSchema>;
type ModelRef = z.infer<typeof ModelRefSchema>;

export interface ResolvedModelRef {
  /** The ONNX model folder, or for a remote model its tokenizer folder. */
  path: string;
  variant?: string;
  file?: string;
  executionProvider?: (typeof EXECUTION_PROVIDERS)[number];
  threads: number;
  /** The spec's choice for a local model (a remote one has it in `http`); absent: the default. */
  addSpecialTokens?: boolean;
  /** Set when the model is served over HTTP. */
  http?: ResolvedHttpSettings;
}

export type PromptSpec = z.infer<typeof PromptTemplateSpecSchema>;

/** Every default applied and every path absolute: what a run stores as "resolved". */
export interface ResolvedSpec {
  name: string;
  models: { draft: ResolvedModelRef; target: ResolvedModelRef; prm: ResolvedModelRef | null; router: ResolvedModelRef | null };
  dataset: {
    path: string;
    format?: z.infer<typeof DatasetFormatSchema>;
    mapping?: z.infer<typeof PartialFieldMappingSchema>;
    slice: { offset?: number; limit?: number } | { ids: string[] };
  };
  prompt: { draft: PromptSpec; target: PromptSpec };
  configurations: Configuration[];
  decoding: {
    /** The spec's, else 0: sweeps are greedy unless the spec says otherwise, whatever a model's file says. */
    temperature: number;
    /** The spec's when given; else each model's generation_config.json, else 1 / 0 (off) / 0 (engine/decoding.ts). */
    topP?: number;
    topK?: number;
    seed?: number;
    maxStepTokens: number;
    maxSteps: number;
    maxTotalTokens: number;
    stop: string[];
  };
  generate: { downsample: boolean; seed: number };
  out: string | null;
}

export const DEFAULT_THRESHOLDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * One line per zod issue, naming the field (`root` for the value itself), what was expected and —
 * given the value that was checked — what was found there:
 * `methods.0.method: expected one of "draft"|"target"|…, found "rsdd"`.
 */
export function describeIssues(error: z.ZodError, root = "spec", input?: unknown): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? i.path.map(String).join(".") : root;
      return `  - ${where}: ${issueText(i, input)}`;
    })
    .join("\n");
}

/** Validates a spec object; throws a bad-spec error listing each field that is wrong. */
export function parseSweepSpec(value: unknown, source = "the sweep spec"): SweepSpec {
  const parsed = SweepSpecSchema.safeParse(value);
  if (!parsed.success) {
    throw new WorkbenchError("bad-spec", `${source} is invalid:\n${describeIssues(parsed.error, "spec", value)}`);
  }
  const spec = parsed.data;
  const problems: string[] = [];
  spec.methods.forEach((m, i) => {
    const needs = m.method === "rsd" || m.method === "arbitrage" || m.method === "oracle";
    if (!needs && m.thresholds) problems.push(`  - methods.${i}.thresholds: method "${m.method}" takes no threshold`);
    if ((m.method === "rsd" || m.method === "arbitrage") && m.thresholds?.some((t) => t < 0)) {
      problems.push(`  - methods.${i}.thresholds: ${m.method} thresholds are scores in [0, 1]`);
    }
    if ((m.method === "rsd" || m.method === "oracle" || m.method === "generate") && !spec.models.prm) {
      problems.push(`  - models.prm: method "${m.method}" needs a PRM`);
    }
    if (m.method === "arbitrage" && !spec.models.router) problems.push(`  - models.router: method "arbitrage" needs a router`);
  });
  if (spec.dataset.ids && (spec.dataset.offset !== undefined || spec.dataset.limit !== undefined)) {
    problems.push("  - dataset: give either ids or offset/limit, not both");
  }
  if (problems.length > 0) throw new WorkbenchError("bad-spec", `${source} is invalid:\n${[...new Set(problems)].join("\n")}`);
  return spec;
}

/** Reads a spec file (JSON, or YAML for .yaml/.yml). */
export function readSweepSpec(path: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new WorkbenchError("missing-file", `cannot read the sweep spec ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(path) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new WorkbenchError("bad-spec", `${path} is not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"}: ${(err as Error).message}`);
  }
  return parseSweepSpec(value, path);
}

function resolveModel(ref: ModelRef, base: string, threads: number, role: string): ResolvedModelRef {
  if (typeof ref === "object" && "http" in ref) {
    const dir = isAbsolute(ref.tokenizer) ? ref.tokenizer : resolve(base, ref.tokenizer);
    return { path: dir, threads, http: resolveHttpSettings(ref.http, `models.${role}.http`) };
  }
  const r = typeof ref === "string" ? { path: ref } : ref;
  const out: ResolvedModelRef = { path: isAbsolute(r.path) ? r.path : resolve(base, r.path), threads: ("threads" in r && r.threads) || threads };
  if ("variant" in r && r.variant) out.variant = r.variant;
  if ("file" in r && r.file) out.file = r.file;
  if ("executionProvider" in r && r.executionProvider) out.executionProvider = r.executionProvider;
  if ("addSpecialTokens" in r && r.addSpecialTokens !== undefined) out.addSpecialTokens = r.addSpecialTokens;
  return out;
}

export function resolveSweepSpec(spec: SweepSpec, base: string): ResolvedSpec {
  const threads = spec.threads ?? 1;
  const configurations: Configuration[] = [];
  const seen = new Set<string>();
  for (const m of spec.methods) {
    const thresholds: (number | null)[] =
      m.method === "rsd" || m.method === "arbitrage" || m.method === "oracle" ? (m.thresholds ?? DEFAULT_THRESHOLDS) : [null];
    for (const t of thresholds) {
      const id = configId(m.method as Method, t);
      if (seen.has(id)) continue;
      seen.add(id);
      configurations.push({ id, method: m.method, threshold: t });
    }
  }
  const defaultPrompt: PromptSpec = { kind: "chat-template" };
  const prompt =
    spec.prompt === undefined
      ? { draft: defaultPrompt, target: defaultPrompt }
      : "draft" in spec.prompt
        ? spec.prompt
        : { draft: spec.prompt, target: spec.prompt };
  const d = spec.decoding ?? {};
  const ds = spec.dataset;
  return {
    name: spec.name ?? "sweep",
    models: {
      draft: resolveModel(spec.models.draft, base, threads, "draft"),
      target: resolveModel(spec.models.target, base, threads, "target"),
      prm: spec.models.prm ? resolveModel(spec.models.prm, base, threads, "prm") : null,
      router: spec.models.router ? resolveModel(spec.models.router, base, threads, "router") : null,
    },
    dataset: {
      path: isAbsolute(ds.path) ? ds.path : resolve(base, ds.path),
      ...(ds.format ? { format: ds.format } : {}),
      ...(ds.mapping ? { mapping: ds.mapping } : {}),
      slice: ds.ids ? { ids: ds.ids } : { ...(ds.offset !== undefined ? { offset: ds.offset } : {}), ...(ds.limit !== undefined ? { limit: ds.limit } : {}) },
    },
    prompt,
    configurations,
    decoding: {
      temperature: d.temperature ?? 0,
      ...(d.topP !== undefined ? { topP: d.topP } : {}),
      ...(d.topK !== undefined ? { topK: d.topK } : {}),
      ...(d.seed !== undefined ? { seed: d.seed } : {}),
      maxStepTokens: d.maxStepTokens ?? 256,
      maxSteps: d.maxSteps ?? 100,
      maxTotalTokens: d.maxTotalTokens ?? 4096,
      stop: d.stop ?? ["\n\n"],
    },
    generate: { downsample: spec.generate?.downsample ?? false, seed: spec.generate?.seed ?? 0 },
    out: spec.out ? (isAbsolute(spec.out) ? spec.out : resolve(base, spec.out)) : null,
  };
}

/**
 * A resolved model reference less where and how patiently it is served (server addresses, limits,
 * timeouts, retries, the key's variable): what must match to resume a run folder, so a sweep can
 * be resumed against more or other servers of the same models.
 */
export function outputRelevantRef(ref: ResolvedModelRef | null): unknown {
  if (!ref?.http) return ref;
  const { http, ...rest } = ref;
  return { ...rest, http: outputIdentity(http) };
}
