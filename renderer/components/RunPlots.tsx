/**
 * The five plots of one stored run. Plots 1–3 are cheap transforms of the run's per-configuration
 * summaries (summary.json, pre-aggregated); plot 4 was computed off the UI thread at import (the
 * routerScatters table, one scatter read when shown); plot 5 reads one problem's rows.
 */
import { memo, useDeferredValue, useEffect, useMemo, useState } from "react";
import { acceptanceAccuracy } from "../../shared/plots/acceptance-accuracy.ts";
import { accuracyLatency } from "../../shared/plots/accuracy-latency.ts";
import { latencyBreakdown } from "../../shared/plots/latency-breakdown.ts";
import { routerCalibration } from "../../shared/plots/router-scatter.ts";
import type { RouterScatterData } from "../../shared/plots/types.ts";
import { useApp } from "../app/context.tsx";
import { useAsync } from "../app/hooks.ts";
import { useLive } from "../app/live.ts";
import { routeHash } from "../app/route.ts";
import { ExportButtons } from "../export/ExportButtons.tsx";
import { AcceptanceAccuracyChart } from "../plots/AcceptanceAccuracyChart.tsx";
import { AccuracyLatencyChart } from "../plots/AccuracyLatencyChart.tsx";
import { LatencyBreakdownChart } from "../plots/LatencyBreakdownChart.tsx";
import { CalibrationChart, defaultScatterMode, RouterScatterChart, type ScatterMode } from "../plots/RouterScatterChart.tsx";
import { configRows, firstProblemsOf, routerScatterOf, runSummaries } from "../store/queries.ts";
import { ALL_ARBITRAGE, type ConfigRow, type ProblemRow, type RunRow } from "../store/schema.ts";
import { InTurn } from "./InTurn.tsx";
import { TracePanel } from "./TracePanel.tsx";
import { defaultTraceConfig } from "./trace-default.ts";

export function RouterPlots({ run }: { run: RunRow }) {
  const a = run.aggregates;
  if (a.state === "pending")
    return (
      <section className="chart-frame" data-plot="router-scatter" data-pending="true">
        <h3>Router score vs oracle Δ</h3>
        <p className="hint">
          {run.status === "importing" ? "drawn once every step record is stored (it pairs steps across configurations)…" : "computing ρ and its bootstrap interval off the UI thread…"}
        </p>
      </section>
    );
  if (a.state === "failed" || a.routerSteps === null)
    return (
      <section className="chart-frame" data-plot="router-scatter">
        <h3>Router score vs oracle Δ</h3>
        <p className="empty">{a.error ?? a.routerNote}</p>
      </section>
    );
  return <RouterViews run={run} allSteps={a.routerSteps} />;
}

/**
 * The scatter and calibration for every Arbitrage configuration's steps or one of them, drawn as
 * points, jittered points or density. Only the scatter shown is read from the store (routerScatters),
 * when it is chosen: the configurations' rows carry only their sizes, for the picker.
 */
function RouterViews({ run, allSteps }: { run: RunRow; allSteps: number }) {
  const { db } = useApp();
  const configs = useLive(() => configRows(db, run.id), [db, run.id], [] as ConfigRow[]);
  const own = configs.filter((c) => c.routerSteps !== undefined);
  const [configId, setConfigId] = useState<string>(ALL_ARBITRAGE);
  // Asked again only for another configuration or another analysis of the run (a re-import).
  const read = useAsync({ runId: run.id, configId, version: `${run.importedAt}|${run.aggregates.state}` }, (k) => routerScatterOf(db, k.runId, k.configId).then((data) => ({ configId: k.configId, data })));
  // While another configuration's scatter is read, the one shown stays (no empty frame between).
  const [shown, setShown] = useState<{ configId: string; data: RouterScatterData } | null>(null);
  useEffect(() => {
    if (read.state === "ok" && read.value.data !== null) setShown({ configId: read.value.configId, data: read.value.data });
  }, [read]);
  const [chosenMode, setMode] = useState<ScatterMode | null>(null);
  const data = shown?.data ?? null;
  const mode = chosenMode ?? (data ? defaultScatterMode(data) : "points");
  const calibration = useMemo(() => (data ? routerCalibration(data) : null), [data]);
  const suffix = shown === null || shown.configId === ALL_ARBITRAGE ? "" : `-${shown.configId}`;
  const missing = read.state === "error" || (read.state === "ok" && read.value.data === null);
  return (
    <>
      <div className="row" style={{ margin: "8px 0" }} data-router-controls="true">
        <label htmlFor="router-config">
          <b>Router analysis</b> steps of
        </label>
        <select id="router-config" value={configId} onChange={(e) => setConfigId(e.target.value)} style={{ width: "auto" }}>
          <option value={ALL_ARBITRAGE}>every Arbitrage configuration ({allSteps.toLocaleString("en")} steps)</option>
          {own.map((c) => (
            <option key={c.configId} value={c.configId}>
              {c.configId} ({c.routerSteps!.toLocaleString("en")} steps)
            </option>
          ))}
        </select>
        <label htmlFor="router-mode">drawn as</label>
        <select id="router-mode" value={mode} onChange={(e) => setMode(e.target.value as ScatterMode)} style={{ width: "auto" }}>
          <option value="points">points</option>
          <option value="jitter">points, spread sideways (jitter)</option>
          <option value="density" disabled={data?.density === undefined}>
            density (counts per cell)
          </option>
        </select>
      </div>
      {missing || data === null || calibration === null ? (
        <section className="chart-frame" data-plot="router-scatter" data-pending={missing ? undefined : "true"}>
          <h3>Router score vs oracle Δ</h3>
          <p className={missing ? "empty" : "hint"}>{missing ? `the store holds no router scatter for ${configId === ALL_ARBITRAGE ? "this run" : configId}: import the run again` : "reading the router analysis…"}</p>
        </section>
      ) : (
        <div className="chart-grid" data-router-config={shown!.configId}>
          <InTurn>
            <RouterScatterChart data={data} mode={mode} actions={(get) => <ExportButtons get={get} data={data} name={`${run.name}-router-scatter${suffix}`} />} />
          </InTurn>
          <InTurn>
            <CalibrationChart data={calibration} actions={(get) => <ExportButtons get={get} data={calibration} name={`${run.name}-router-calibration${suffix}`} />} />
          </InTurn>
        </div>
      )}
    </>
  );
}

/** Problems listed in the chooser: enough to pick from (a menu of thousands is slow to draw); the trace viewer lists them all. */
const CHOOSER_PROBLEMS = 200;

function TraceChooser({ run }: { run: RunRow }) {
  const { db } = useApp();
  const configs = useLive(() => configRows(db, run.id), [db, run.id], [] as ConfigRow[]);
  const [chosenConfig, setConfig] = useState<string | null>(null);
  const configId = chosenConfig ?? defaultTraceConfig(configs);
  // Not a live query: over a large, growing configuration it re-read up to a thousand rows (and
  // redrew the menu) for every chunk an import wrote, which stalled the page. During an import the
  // list is asked again after each stored page only until it has a problem to show, then once more
  // when the import ends.
  const [listed, setListed] = useState<{ key: string; rows: ProblemRow[]; total: number } | null>(null);
  const key = `${run.id}\u0000${configId ?? ""}\u0000${run.status}`;
  const current = listed !== null && listed.key === key ? listed : null;
  const stale = current === null || (run.status === "importing" && current.rows.length === 0);
  useEffect(() => {
    if (!stale || configId === null) return;
    let live = true;
    void firstProblemsOf(db, run.id, configId, CHOOSER_PROBLEMS).then((r) => live && setListed({ key, ...r }));
    return () => {
      live = false;
    };
    // Asked again per stored page only while nothing is listed (run.counts.problems changes per page).
  }, [db, run.id, configId, key, stale, stale ? run.counts.problems : -1]);
  // While a new list is read (the import just ended), the previous one of this configuration stays.
  const sameConfig = listed !== null && listed.key.startsWith(`${run.id}\u0000${configId ?? ""}\u0000`) ? listed : null;
  const problems = (current ?? sameConfig)?.rows ?? [];
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
        {current !== null && current.total > problems.length ? (
          <span className="hint">
            first {problems.length.toLocaleString("en")} of {current.total.toLocaleString("en")}
          </span>
        ) : null}
        {configId && problemId ? <a href={routeHash({ screen: "trace", runId: run.id, configId, problemId })}>open in the trace viewer</a> : null}
      </div>
      {configId && problemId ? (
        <TracePanel runId={run.id} configId={configId} problemId={problemId} />
      ) : (
        <p className="empty">{run.status === "importing" ? "importing traces…" : "No problem to trace yet."}</p>
      )}
    </section>
  );
}

interface SummaryPlotData {
  acc: ReturnType<typeof acceptanceAccuracy>;
  lat: ReturnType<typeof accuracyLatency>;
  breakdown: ReturnType<typeof latencyBreakdown>;
}

/** The summary.json plots, re-rendered only when their data change (not when an import stores a page). */
const SummaryPlots = memo(function SummaryPlots({ plots, name }: { plots: SummaryPlotData; name: string }) {
  return (
    <>
      <div className="chart-grid">
        <InTurn>
          <AcceptanceAccuracyChart data={plots.acc} actions={(get) => <ExportButtons get={get} data={plots.acc} name={`${name}-acceptance-accuracy`} />} />
        </InTurn>
        <InTurn>
          <AccuracyLatencyChart data={plots.lat} actions={(get) => <ExportButtons get={get} data={plots.lat} name={`${name}-accuracy-latency`} />} />
        </InTurn>
      </div>
      <InTurn>
        <LatencyBreakdownChart data={plots.breakdown} actions={(get) => <ExportButtons get={get} data={plots.breakdown} name={`${name}-latency-breakdown`} />} />
      </InTurn>
    </>
  );
});

/**
 * The run's row is read again (a new object) after every page an import stores: these re-render
 * only when what they show changed — the analysis's state (it is written once per import), the
 * import's state, or (for the chooser, while it has nothing listed yet) the records stored.
 */
const sameImport = (a: RunRow, b: RunRow) => a.id === b.id && a.importedAt === b.importedAt && a.status === b.status && a.name === b.name;
const MemoRouterPlots = memo(
  RouterPlots,
  (a, b) => sameImport(a.run, b.run) && a.run.aggregates.state === b.run.aggregates.state && a.run.aggregates.error === b.run.aggregates.error && a.run.aggregates.routerNote === b.run.aggregates.routerNote,
);
const MemoTraceChooser = memo(TraceChooser, (a, b) => sameImport(a.run, b.run) && a.run.counts.problems === b.run.counts.problems);

export function RunPlots({ run }: { run: RunRow }) {
  const [grader, setGrader] = useState<"qwen" | "strict">("qwen");
  // The row is read again after every stored page: the plots depend on its summary alone.
  const summaryKey = `${run.id}|${run.importedAt}|${run.summarySource}|${run.name}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by what the summary depends on
  const input = useMemo(() => runSummaries(run), [summaryKey]);
  const plots = useMemo<SummaryPlotData | null>(
    () => (input === null ? null : { acc: acceptanceAccuracy(input, { grader }), lat: accuracyLatency(input, { grader }), breakdown: latencyBreakdown(input) }),
    [input, grader],
  );
  // The router analysis and the trace chooser follow the row at transition priority: the analysis
  // arriving (new charts, the configurations' scatters read) renders in slices, not one long task.
  const later = useDeferredValue(run);
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
      <SummaryPlots plots={plots} name={run.name} />
      <InTurn>
        <MemoRouterPlots run={later} />
      </InTurn>
      <InTurn>
        <MemoTraceChooser run={later} />
      </InTurn>
    </>
  );
}
