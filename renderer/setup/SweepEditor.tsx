/** Methods, thresholds, slice and decoding; validated as you type, by the form and by the main side. */
import { useMemo, useState } from "react";
import type { FieldIssue } from "../../shared/api/index.ts";
import { errorText, useApp } from "../app/context.tsx";
import { useAsync, useDebounced } from "../app/hooks.ts";
import { navigate } from "../app/route.ts";
import { DECODING_FIELDS, FORM_METHODS, formMessage, formToSpec, issueField, issueLabel, THRESHOLD_FORM_METHODS, type FormMethod, type SweepForm } from "./spec-form.ts";

const METHOD_HELP: Record<FormMethod, string> = {
  draft: "the draft writes every step",
  target: "the target writes every step",
  rsd: "keep the draft step when PRM ≥ δ",
  arbitrage: "escalate when router ≥ τ",
  oracle: "escalate when Δ > τ (both steps computed)",
  generate: "router training data (both steps, both scored)",
};

export interface Validation {
  issues: FieldIssue[];
  configurations: number | null;
  checking: boolean;
}

/** The form's own issues at once; the main side's after the typing stops. */
export function useValidation(form: SweepForm): Validation & { spec: Record<string, unknown>; methodAt: FormMethod[] } {
  const { api } = useApp();
  const local = useMemo(() => formToSpec(form), [form]);
  const settled = useDebounced(local.spec, 350);
  const remote = useAsync(settled, (spec) => api.sweeps.validate({ spec }));
  const issues = [...local.issues];
  let configurations: number | null = null;
  if (remote.state === "ok") {
    for (const i of remote.value.issues) if (!issues.some((j) => j.path === i.path)) issues.push(i);
    configurations = remote.value.valid ? remote.value.configurations.length : null;
  } else if (remote.state === "error") {
    issues.push({ path: "", message: `cannot validate: ${errorText(remote.error)}` });
  }
  const checking = remote.state === "loading" || settled !== local.spec;
  return { spec: local.spec, methodAt: local.methodAt, issues, configurations: issues.length === 0 ? configurations : null, checking };
}

/** (configuration, problem) pairs the sweep will run, when both counts are known. */
export function pairCount(configurations: number | null, problems: number | null, slice: SweepForm["dataset"]): number | null {
  if (configurations === null || problems === null) return null;
  const offset = Number(slice.offset) || 0;
  const limit = slice.limit.trim() === "" ? Infinity : Number(slice.limit);
  return configurations * Math.max(0, Math.min(problems - offset, Number.isFinite(limit) ? limit : Infinity));
}

/**
 * What can be said of the sweep's duration before it starts. Not a number: a pair's cost depends on
 * the models' speed on this machine (measured by the calibration at the sweep's start, whose rounds
 * the Runs screen counts down) and on how many steps the step cache shares (a method's thresholds
 * compute most of their steps once), so a figure here would be invented. Once pairs finish, the
 * Runs screen gives an ETA at the rate seen.
 */
export function estimateNote(pairs: number, form: Pick<SweepForm, "methods">): string {
  const shared = THRESHOLD_FORM_METHODS.some((m) => form.methods[m].on && form.methods[m].thresholds.split(/[\s,]+/).filter(Boolean).length > 1);
  return (
    `${pairs.toLocaleString("en")} pairs; time unknown until the sweep has timed the models (its first phase, with an ETA on the Runs screen)` +
    (shared ? "; a method's thresholds share the steps they compute alike, so they cost less than their pair count suggests" : "")
  );
}

export function SweepEditor({
  form,
  setForm,
  validation,
  touched = new Set(),
  problemCount = null,
}: {
  form: SweepForm;
  setForm: (f: SweepForm) => void;
  validation: ReturnType<typeof useValidation>;
  touched?: ReadonlySet<string>;
  problemCount?: number | null;
}) {
  const { api, jobs } = useApp();
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const byField = new Map<string, string>();
  for (const i of validation.issues) {
    const f = issueField(i, validation.methodAt);
    if (!byField.has(f)) byField.set(f, formMessage(i.message));
  }
  // Red only once the user has changed the field (or the methods).
  const shown = (field: string) => (touched.has(field) || touched.has(field.split(".")[0] ?? "") ? byField.get(field) : undefined);
  const pairs = pairCount(validation.configurations, problemCount, form.dataset);
  const setMethod = (m: FormMethod, patch: Partial<SweepForm["methods"][FormMethod]>) => setForm({ ...form, methods: { ...form.methods, [m]: { ...form.methods[m], ...patch } } });
  const canStart = validation.issues.length === 0 && validation.configurations !== null && !validation.checking && !starting;

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const started = await api.sweeps.start({ spec: validation.spec });
      jobs.addSweep({ runId: started.runId, out: started.out, name: form.name || "sweep", spec: validation.spec });
      navigate({ screen: "runs" });
    } catch (err) {
      setStartError(errorText(err));
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="panel" data-panel="sweep">
      <div className="panel-head">
        <h2>Sweep</h2>
        <span className="hint" data-validation={validation.checking ? "checking" : validation.issues.length === 0 ? "valid" : "invalid"}>
          {validation.checking
            ? "checking…"
            : validation.issues.length === 0 && validation.configurations !== null
              ? `valid: ${validation.configurations} configurations${pairs !== null ? ` × ${(pairs / validation.configurations || 0).toLocaleString("en")} problems = ${pairs.toLocaleString("en")} (configuration, problem) pairs` : ""}`
              : `${validation.issues.length} to fix`}
        </span>
      </div>
      <div className="field field-wide">
        <label htmlFor="sweep-name">Name</label>
        <input id="sweep-name" type="text" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </div>
      <h3 style={{ margin: "12px 0 8px" }}>Methods and thresholds</h3>
      <div className="methods">
        {FORM_METHODS.map((m) => {
          const issue = shown(`methods.${m}`);
          return [
            <label key={`${m}-on`} title={METHOD_HELP[m]}>
              <input type="checkbox" checked={form.methods[m].on} onChange={(e) => setMethod(m, { on: e.target.checked })} data-method={m} />
              {m}
            </label>,
            <div key={`${m}-t`}>
              {THRESHOLD_FORM_METHODS.includes(m) ? (
                <input
                  type="text"
                  aria-label={`${m} thresholds`}
                  data-thresholds={m}
                  value={form.methods[m].thresholds}
                  disabled={!form.methods[m].on}
                  aria-invalid={issue ? "true" : undefined}
                  onChange={(e) => setMethod(m, { thresholds: e.target.value })}
                />
              ) : (
                <span className="hint">{METHOD_HELP[m]}</span>
              )}
              {issue ? <div className="error hint">{issue}</div> : null}
            </div>,
          ];
        })}
      </div>
      <h3 style={{ margin: "16px 0 8px" }}>Slice and decoding</h3>
      <div className="grid-2">
        <div>
          {(["offset", "limit"] as const).map((k) => (
            <div className="field field-wide" key={k}>
              <label htmlFor={`slice-${k}`}>{k === "offset" ? "first problem" : "problems"}</label>
              <input
                id={`slice-${k}`}
                type="text"
                inputMode="numeric"
                placeholder={k === "offset" ? "0" : "all"}
                value={form.dataset[k]}
                aria-invalid={shown(`dataset.${k}`) ? "true" : undefined}
                onChange={(e) => setForm({ ...form, dataset: { ...form.dataset, [k]: e.target.value } })}
              />
            </div>
          ))}
          <div className="field field-wide">
            <label htmlFor="sweep-out">Run folder</label>
            <input id="sweep-out" type="text" placeholder="default: the runs folder" value={form.out} onChange={(e) => setForm({ ...form, out: e.target.value })} />
          </div>
        </div>
        <div>
          {DECODING_FIELDS.map((f) => (
            <div className="field field-wide" key={f.key}>
              <label htmlFor={`decoding-${f.key}`}>{f.label}</label>
              <input
                id={`decoding-${f.key}`}
                type="text"
                inputMode="decimal"
                placeholder="model default"
                value={form.decoding[f.key]}
                aria-invalid={shown(`decoding.${f.key}`) ? "true" : undefined}
                onChange={(e) => setForm({ ...form, decoding: { ...form.decoding, [f.key]: e.target.value } })}
              />
            </div>
          ))}
        </div>
      </div>
      {validation.issues.length > 0 ? (
        <ul className="issues" data-issues={validation.issues.length}>
          {validation.issues.map((i) => (
            // What the user has not touched yet is a to-do, not an error: said in grey.
            <li key={`${i.path}|${i.message}`} style={shown(issueField(i, validation.methodAt)) ? undefined : { color: "#475569" }}>
              {i.path ? <b>{issueLabel(i, validation.methodAt)}:</b> : null} {formMessage(i.message)}
            </li>
          ))}
        </ul>
      ) : null}
      {startError ? <div className="error-box">{startError}</div> : null}
      <div className="row" style={{ marginTop: 12 }}>
        {pairs !== null && validation.issues.length === 0 ? (
          <span className="hint" data-estimate="true">
            {estimateNote(pairs, form)}
          </span>
        ) : null}
        <span className="spacer" />
        <button className="primary" disabled={!canStart} onClick={() => void start()} data-action="start-sweep">
          {starting ? "Starting…" : "Start sweep"}
        </button>
      </div>
    </section>
  );
}
