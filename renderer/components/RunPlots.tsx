/**
 * The five plots of one stored run. Plots 1–3 are cheap transforms of the run's per-configuration
 * summaries (summary.json, pre-aggregated); plot 4 was computed off the UI thread at import (the
 * run row's aggregates); plot 5 reads one problem's rows.
 */
import { useMemo, useState } from "react";
import { acceptanceAccuracy } from "../../shared/plots/acceptance-accuracy.ts";
import { accuracyLatency } from "../../shared/plots/accuracy-latency.ts";
import { latencyBreakdown } from "../../shared/plots/latency-breakdown.ts";
import { useApp } from "../app/context.tsx";
import { useLive } from "../app/live.ts";
import { routeHash } from "../app/route.ts";
import { ExportButtons } from "../export/ExportButtons.tsx";
import { AcceptanceAccuracyChart } from "../plots/AcceptanceAccuracyChart.tsx";
import { AccuracyLatencyChart } from "../plots/AccuracyLatencyChart.tsx";
import { LatencyBreakdownChart } from "../plots/LatencyBreakdownChart.tsx";
import { CalibrationChart, RouterScatterChart } from "../plots/RouterScatterChart.tsx";
import { configRows, problemsOf, runSummaries } from "../store/queries.ts";
import type { ConfigRow, ProblemRow, RunRow } from "../store/schema.ts";
import { TracePanel } from "./TracePanel.tsx";
import { defaultTraceConfig } from "./trace-default.ts";

export function RouterPlots({ run }: { run: RunRow }) {
  const a = run.aggregates;
  if (a.state === "pending")
    return (
      <section className="chart-frame" data-plot="router-scatter" data-pending="true">
        <h3>Router score vs oracle Δ</h3>
        <p className="hint">computing ρ and its bootstrap interval off the UI thread…</p>
      </section>
    );
  if (a.state === "failed" || a.routerScatter === null)
    return (
      <section className="chart-frame" data-plot="router-scatter">
        <h3>Router score vs oracle Δ</h3>
        <p className="empty">{a.error ?? a.routerNote}</p>
      </section>
    );
  const data = a.routerScatter;
  return (
    <div className="chart-grid">
      <RouterScatterChart data={data} actions={(get) => <ExportButtons get={get} data={data} name={`${run.name}-router-scatter`} />} />
      <CalibrationChart data={data} actions={(get) => <ExportButtons get={get} data={data} name={`${run.name}-router-calibration`} />} />
    </div>
  );
}

function TraceChooser({ run }: { run: RunRow }) {
  const { db } = useApp();
  const configs = useLive(() => configRows(db, run.id), [db, run.id], [] as ConfigRow[]);
  const [chosenConfig, setConfig] = useState<string | null>(null);
  const configId = chosenConfig ?? defaultTraceConfig(configs);
  const problems = useLive(() => (configId ? problemsOf(db, run.id, configId) : Promise.resolve([])), [db, run.id, configId], [] as ProblemRow[]);
  const [chosenProblem, setProblem] = useState<string | null>(null);
  const withSteps = problems.filter((p) => p.stepCount > 0);
  const problemId = chosenProblem !== null && problems.some((p) => p.problemId === chosenProblem) ? chosenProblem : (withSteps[0]?.problemId ?? problems[0]?.problemId ?? null);
  return (
    <section data-section="trace">
      <div className="row" style={{ margin: "8px 0" }}>
        <label htmlFor="trace-config">
          <b>Step trace</b> configuration
        </label>
        <select id="trace-config" value={configId ?? ""} onChange={(e) => setConfig(e.target.value)} style={{ width: "auto" }}>
          {configs.map((c) => (
            <option key={c.configId} value={c.configId}>
              {c.configId}
            </option>
          ))}
        </select>
        <label htmlFor="trace-problem">problem</label>
        <select id="trace-problem" value={problemId ?? ""} onChange={(e) => setProblem(e.target.value)} style={{ width: "auto" }}>
          {problems.map((p) => (
            <option key={p.problemId} value={p.problemId}>
              {p.problemId} {p.correct ? "✓" : "✗"}
            </option>
          ))}
        </select>
        {configId && problemId ? <a href={routeHash({ screen: "trace", runId: run.id, configId, problemId })}>open in the trace viewer</a> : null}
      </div>
      {configId && problemId ? <TracePanel runId={run.id} configId={configId} problemId={problemId} /> : <p className="empty">No problem to trace yet.</p>}
    </section>
  );
}

export function RunPlots({ run }: { run: RunRow }) {
  const [grader, setGrader] = useState<"qwen" | "strict">("qwen");
  const input = useMemo(() => runSummaries(run), [run]);
  const plots = useMemo(
    () => (input === null ? null : { acc: acceptanceAccuracy(input, { grader }), lat: accuracyLatency(input, { grader }), breakdown: latencyBreakdown(input) }),
    [input, grader],
  );
  if (plots === null) return <p className="hint">Summarising the run off the UI thread…</p>;
  return (
    <>
      <div className="row" style={{ marginBottom: 10 }}>
        <span className="hint">Accuracy by</span>
        <select value={grader} onChange={(e) => setGrader(e.target.value as "qwen" | "strict")} style={{ width: "auto" }} aria-label="grader">
          <option value="qwen">the Qwen2.5-Math toolkit's grader</option>
          <option value="strict">the strict grader</option>
        </select>
      </div>
      <div className="chart-grid">
        <AcceptanceAccuracyChart data={plots.acc} actions={(get) => <ExportButtons get={get} data={plots.acc} name={`${run.name}-acceptance-accuracy`} />} />
        <AccuracyLatencyChart data={plots.lat} actions={(get) => <ExportButtons get={get} data={plots.lat} name={`${run.name}-accuracy-latency`} />} />
      </div>
      <LatencyBreakdownChart data={plots.breakdown} actions={(get) => <ExportButtons get={get} data={plots.breakdown} name={`${run.name}-latency-breakdown`} />} />
      <RouterPlots run={run} />
      <TraceChooser run={run} />
    </>
  );
}
