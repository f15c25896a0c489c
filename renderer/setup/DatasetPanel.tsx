/** The benchmark: a file (or the demo benchmark), its detected format and field mapping, a preview and the unreadable lines. */
import { DATASET_FORMAT_NAMES, type DatasetPreview } from "../../shared/api/index.ts";
import { useEffect } from "react";
import { errorText, useApp } from "../app/context.tsx";
import { useAsync, useDebounced } from "../app/hooks.ts";
import type { SweepForm } from "./spec-form.ts";

function Preview({ p }: { p: DatasetPreview }) {
  const mapping = Object.entries(p.mapping).filter(([, v]) => v !== undefined);
  return (
    <div data-preview="dataset">
      <p className="hint">
        <span className="ok">{p.count} problems</span> · read with the <b>{p.format}</b> field layout ({p.container}) · ground truth: {p.groundTruth}
        {p.errorCount > 0 ? <span className="error"> · {p.errorCount} unreadable</span> : null}
        {p.warningCount > 0 ? <span> · {p.warningCount} warnings</span> : null}
      </p>
      <table className="data mapping">
        <thead>
          <tr>
            <th>field</th>
            <th>read from</th>
          </tr>
        </thead>
        <tbody>
          {mapping.map(([k, v]) => (
            <tr key={k}>
              <td>{k}</td>
              <td className="mono">{v === null ? "(line number)" : String(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 style={{ margin: "12px 0 6px" }}>First problems</h3>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>id</th>
              <th>question</th>
              <th>answer</th>
              <th>level</th>
            </tr>
          </thead>
          <tbody>
            {p.problems.map((q) => (
              <tr key={q.id}>
                <td className="mono">{q.id}</td>
                <td className="clip" title={q.question}>
                  {q.question}
                </td>
                <td className="mono">{q.answer}</td>
                <td>{q.level ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.errors.length > 0 ? (
        <div className="warn-box" data-unreadable={p.errorCount}>
          <b>Unreadable lines ({p.errorCount})</b>
          <ul>
            {p.errors.slice(0, 20).map((e) => (
              <li key={e.line}>
                line {e.line}: {e.reason}
              </li>
            ))}
          </ul>
          {p.errorCount > 20 ? <p className="hint">… and {p.errorCount - 20} more.</p> : null}
        </div>
      ) : null}
      {p.warnings.length > 0 ? (
        <div className="warn-box">
          <b>Warnings ({p.warningCount})</b>
          <ul>
            {p.warnings.slice(0, 10).map((w) => (
              <li key={`${w.line}-${w.reason}`}>
                line {w.line}: {w.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

export function DatasetPanel({ form, setForm, issue, onCount }: { form: SweepForm; setForm: (f: SweepForm) => void; issue?: string; onCount?: (n: number | null) => void }) {
  const { api, info } = useApp();
  const path = useDebounced(form.dataset.path.trim(), 400);
  const format = form.dataset.format;
  const preview = useAsync(path === "" ? null : { path, format }, (k) =>
    api.datasets.preview({ path: k.path, limit: 5, ...(k.format ? { format: k.format as (typeof DATASET_FORMAT_NAMES)[number] } : {}) }),
  );
  const count = preview.state === "ok" ? preview.value.count : null;
  useEffect(() => onCount?.(count), [count, onCount]);
  const set = (patch: Partial<SweepForm["dataset"]>) => setForm({ ...form, dataset: { ...form.dataset, ...patch } });
  const browse = async () => {
    const picked = await api.dialogs.pickDataset({ title: "Choose a benchmark file" });
    if (picked.path) set({ path: picked.path });
  };
  return (
    <section className="panel" data-panel="dataset">
      <div className="panel-head">
        <h2>Benchmark</h2>
        <button onClick={() => info && set({ path: info.demo.dataset, format: "" })} disabled={!info?.demo.dataset}>
          Use the demo benchmark
        </button>
      </div>
      <div className="field">
        <label htmlFor="dataset-path">File</label>
        <input
          id="dataset-path"
          type="text"
          value={form.dataset.path}
          placeholder="benchmark file: .jsonl, .json, .csv, .tsv, .parquet"
          spellCheck={false}
          aria-invalid={issue !== undefined || preview.state === "error" ? "true" : undefined}
          onChange={(e) => set({ path: e.target.value })}
        />
        {info?.shell === "desktop" ? <button onClick={() => void browse()}>Browse…</button> : <span />}
      </div>
      <div className="field">
        <label htmlFor="dataset-format">Format</label>
        <select id="dataset-format" value={format} onChange={(e) => set({ format: e.target.value })}>
          <option value="">detect from the file</option>
          {DATASET_FORMAT_NAMES.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <span />
      </div>
      {preview.state === "loading" ? <p className="hint">reading…</p> : null}
      {preview.state === "error" ? <div className="error-box">{errorText(preview.error)}</div> : null}
      {preview.state === "ok" ? <Preview p={preview.value} /> : null}
      {preview.state === "idle" && issue ? <p className="error">{issue}</p> : null}
    </section>
  );
}
