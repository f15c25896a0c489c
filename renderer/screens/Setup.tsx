/** Setup: the four models (or the demo suite), the benchmark, and the sweep. */
import { useState } from "react";
import { useApp } from "../app/context.tsx";
import { DatasetPanel } from "../setup/DatasetPanel.tsx";
import { useSetupForm } from "../setup/form-store.ts";
import { ModelField } from "../setup/ModelField.tsx";
import { changedFields, formMessage, issueField, specToForm, type SweepForm } from "../setup/spec-form.ts";
import { SweepEditor, useValidation } from "../setup/SweepEditor.tsx";

export function SetupScreen() {
  const { info } = useApp();
  const [form, setStoredForm] = useSetupForm();
  const validation = useValidation(form);
  // Fields the user has changed since the page opened: only they (and fields holding a value) are
  // marked red, so an empty form does not open as a wall of errors.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const setForm = (next: SweepForm) => {
    const changed = changedFields(form, next);
    if (changed.length > 0) setTouched((t) => new Set([...t, ...changed]));
    setStoredForm(next);
  };
  const [problemCount, setProblemCount] = useState<number | null>(null);
  const issueOf = (field: string) => {
    const value = field.startsWith("models.") ? form.models[field.slice(7) as keyof SweepForm["models"]] : field === "dataset.path" ? form.dataset.path : "";
    if (!touched.has(field) && value.trim() === "") return undefined;
    const issue = validation.issues.find((i) => issueField(i, validation.methodAt) === field);
    return issue ? formMessage(issue.message) : undefined;
  };
  const useDemo = () => {
    if (!info) return;
    setForm(specToForm(info.demo.spec, form));
  };
  return (
    <div className="screen">
      <h1>Setup</h1>
      <p className="lead">Choose a draft and a target model, a PRM and a router, a benchmark, and the methods to sweep.</p>
      <section className="panel" data-panel="models">
        <div className="panel-head">
          <h2>Models</h2>
          <div className="row">
            {info && !info.demo.available ? (
              <span className="hint" title={info.demo.missing.join("\n")}>
                demo suite not installed ({info.demo.missing.length} file{info.demo.missing.length === 1 ? "" : "s"} missing)
              </span>
            ) : null}
            <button onClick={useDemo} disabled={!info?.demo.available} data-action="use-demo">
              Use the demo suite
            </button>
          </div>
        </div>
        {(["draft", "target", "prm", "router"] as const).map((role) => (
          <ModelField
            key={role}
            role={role}
            value={form.models[role]}
            onChange={(v) => setForm({ ...form, models: { ...form.models, [role]: v } })}
            optional={role === "prm" ? "RSD, oracle, generate" : role === "router" ? "Arbitrage" : undefined}
            issue={issueOf(`models.${role}`)}
          />
        ))}
      </section>
      <DatasetPanel form={form} setForm={setForm} issue={issueOf("dataset.path")} onCount={setProblemCount} />
      <SweepEditor form={form} setForm={setForm} validation={validation} touched={touched} problemCount={problemCount} />
    </div>
  );
}
