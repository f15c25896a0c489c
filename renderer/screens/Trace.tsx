/** Trace viewer: a configuration's problems, one problem's steps, and the same problem under every other configuration. */
import { useEffect } from "react";
import { useApp } from "../app/context.tsx";
import { useLive } from "../app/live.ts";
import { navigate, rememberRun } from "../app/route.ts";
import { RunPicker } from "../components/RunPicker.tsx";
import { TracePanel } from "../components/TracePanel.tsx";
import { defaultTraceConfig } from "../components/trace-default.ts";
import { fmtMs } from "../plots/theme.ts";
import { configRows, configsOfProblem, problemsOf } from "../store/queries.ts";
import type { ConfigRow, ProblemRow } from "../store/schema.ts";

export function TraceScreen({ runId, configId, problemId }: { runId: string | null; configId: string | null; problemId: string | null }) {
  const { db } = useApp();
  useEffect(() => rememberRun(runId), [runId]);
  const configs = useLive(() => (runId ? configRows(db, runId) : Promise.resolve([])), [db, runId], [] as ConfigRow[]);
  const config = configId ?? defaultTraceConfig(configs);
  const problems = useLive(() => (runId && config ? problemsOf(db, runId, config) : Promise.resolve([])), [db, runId, config], [] as ProblemRow[]);
  const problem = problemId ?? problems.find((p) => p.stepCount > 0)?.problemId ?? null;
  const others = useLive(() => (runId && problem ? configsOfProblem(db, runId, problem) : Promise.resolve([])), [db, runId, problem], [] as ProblemRow[]);
  const go = (c: string | null, p: string | null) => navigate({ screen: "trace", runId, configId: c, problemId: p });
  const order = new Map(configs.map((c) => [c.configId, c.order]));
  return (
    <div className="screen">
      <div className="panel-head">
        <h1>Trace viewer</h1>
        <RunPicker value={runId} onChange={(id) => navigate({ screen: "trace", runId: id, configId: null, problemId: null })} />
      </div>
      {runId === null ? <p className="lead">Choose a run.</p> : null}
      {runId !== null ? (
        <div style={{ display: "grid", gridTemplateColumns: "minmax(260px, 320px) 1fr", gap: 16, alignItems: "start" }}>
          <aside className="panel">
            <label htmlFor="trace-config-list">
              <b>Configuration</b>
            </label>
            <select id="trace-config-list" value={config ?? ""} onChange={(e) => go(e.target.value, problem)} style={{ margin: "6px 0 10px" }}>
              {configs.map((c) => (
                <option key={c.configId} value={c.configId}>
                  {c.configId}
                </option>
              ))}
            </select>
            <div className="table-wrap" style={{ maxHeight: 520, overflowY: "auto" }}>
              <table className="data" data-table="problems">
                <thead>
                  <tr>
                    <th>problem</th>
                    <th />
                    <th className="num">steps</th>
                    <th className="num">latency</th>
                  </tr>
                </thead>
                <tbody>
                  {problems.map((p) => (
                    <tr key={p.problemId} className={p.problemId === problem ? "selected" : undefined} onClick={() => go(config, p.problemId)} style={{ cursor: "pointer" }}>
                      <td className="mono">{p.problemId}</td>
                      <td className={p.correct ? "ok" : "error"}>{p.error ? "error" : p.correct ? "✓" : "✗"}</td>
                      <td className="num">{p.stepCount}</td>
                      <td className="num">{fmtMs(p.latencyMs.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </aside>
          <div>
            {config && problem ? <TracePanel runId={runId} configId={config} problemId={problem} /> : <p className="empty">No problem in this configuration yet.</p>}
            {others.length > 1 ? (
              <section className="panel">
                <h2>{problem} under every configuration</h2>
                <table className="data" data-table="same-problem">
                  <thead>
                    <tr>
                      <th>configuration</th>
                      <th>answer</th>
                      <th>graded</th>
                      <th className="num">steps</th>
                      <th className="num">latency</th>
                    </tr>
                  </thead>
                  <tbody>
                    {others
                      .slice()
                      .sort((x, y) => (order.get(x.configId) ?? 0) - (order.get(y.configId) ?? 0))
                      .map((p) => (
                        <tr key={p.configId} className={p.configId === config ? "selected" : undefined} onClick={() => go(p.configId, problem)} style={{ cursor: "pointer" }}>
                          <td>{p.configId}</td>
                          <td className="mono">{p.extracted || "—"}</td>
                          <td className={p.correct ? "ok" : "error"}>{p.error ? p.error.kind : p.correct ? "correct" : "wrong"}</td>
                          <td className="num">{p.stepCount}</td>
                          <td className="num">{fmtMs(p.latencyMs.total)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </section>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
