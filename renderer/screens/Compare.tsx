/** Compare: two runs (two model pairs, two routers) on the same axes. */
import { useMemo } from "react";
import { compareRuns, compareWarnings, type RunFacts } from "../../shared/plots/compare.ts";
import { useApp } from "../app/context.tsx";
import { useAsync } from "../app/hooks.ts";
import { RunPlots } from "../components/RunPlots.tsx";
import { navigate } from "../app/route.ts";
import { RunPicker } from "../components/RunPicker.tsx";
import { useRun } from "../components/useRun.ts";
import { ExportButtons } from "../export/ExportButtons.tsx";
import { AcceptanceAccuracyChart } from "../plots/AcceptanceAccuracyChart.tsx";
import { AccuracyLatencyChart } from "../plots/AccuracyLatencyChart.tsx";
import { LatencyBreakdownChart } from "../plots/LatencyBreakdownChart.tsx";
import { routerCalibration } from "../../shared/plots/router-scatter.ts";
import { CalibrationChart, RouterScatterChart } from "../plots/RouterScatterChart.tsx";
import { fmtMs, fmtPct } from "../plots/theme.ts";
import { routerScatterOf, runSummaries } from "../store/queries.ts";
import { ALL_ARBITRAGE, type RunRow } from "../store/schema.ts";

/** Two runs of the same name get their start time to tell them apart. */
function labels(a: RunRow, b: RunRow): [string, string] {
  if (a.name !== b.name) return [a.name, b.name];
  const when = (r: RunRow) => (r.startedAt ? new Date(r.startedAt).toLocaleString() : r.dir);
  return [`${a.name} (${when(a)})`, `${b.name} (${when(b)})`];
}

function modelsOf(run: RunRow): RunFacts["models"] {
  const m = (run.meta.resolved as { models?: Record<string, { path?: string } | null> } | undefined)?.models ?? {};
  const path = (role: string) => m[role]?.path ?? null;
  return { draft: path("draft"), target: path("target"), prm: path("prm"), router: path("router") };
}

/** The problems a stored run holds records of (keys only: cheap even for a large run). */
async function problemIdsOf(db: ReturnType<typeof useApp>["db"], runId: string): Promise<string[]> {
  const keys = (await db.problems.where("runId").equals(runId).primaryKeys()) as unknown as [string, string, string][];
  return [...new Set(keys.map((k) => k[2]))];
}

function Warnings({ a, b, la, lb }: { a: RunRow; b: RunRow; la: string; lb: string }) {
  const { db } = useApp();
  const ids = useAsync({ a: a.id, b: b.id, na: a.counts.problems, nb: b.counts.problems }, async (k) => [await problemIdsOf(db, k.a), await problemIdsOf(db, k.b)] as const);
  const warnings = compareWarnings(
    { label: la, problemIds: ids.state === "ok" ? ids.value[0] : null, models: modelsOf(a), costs: a.costs ?? null },
    { label: lb, problemIds: ids.state === "ok" ? ids.value[1] : null, models: modelsOf(b), costs: b.costs ?? null },
  );
  if (warnings.length === 0) return null;
  return (
    <div className="warn-box" data-compare-warnings="true">
      {warnings.map((w) => (
        <p key={w} style={{ margin: "4px 0" }}>
          {w}
        </p>
      ))}
    </div>
  );
}

const signedPct = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x * 100).toFixed(1)} pp`;

/** Both runs' router scatters (of every Arbitrage configuration's steps), read from the store when both have one. */
function RouterPair({ a, b, la, lb }: { a: RunRow; b: RunRow; la: string; lb: string }) {
  const { db } = useApp();
  const both = a.aggregates.routerSteps != null && b.aggregates.routerSteps != null;
  const key = both ? { a: a.id, b: b.id, version: `${a.importedAt}|${b.importedAt}` } : null;
  const read = useAsync(key, (k) => Promise.all([routerScatterOf(db, k.a, ALL_ARBITRAGE), routerScatterOf(db, k.b, ALL_ARBITRAGE)]));
  if (read.state !== "ok") return null;
  const [sa, sb] = read.value;
  if (sa === null || sb === null) return null;
  return (
    <div className="chart-grid">
      <RouterScatterChart data={{ ...sa, router: `${sa.router} (${la})` }} />
      <RouterScatterChart data={{ ...sb, router: `${sb.router} (${lb})` }} />
      <CalibrationChart data={routerCalibration(sa)} />
      <CalibrationChart data={routerCalibration(sb)} />
    </div>
  );
}

function Comparison({ a, b }: { a: RunRow; b: RunRow }) {
  const data = useMemo(() => {
    const [la, lb] = labels(a, b);
    const sa = runSummaries(a, la);
    const sb = runSummaries(b, lb);
    return sa && sb ? compareRuns(sa, sb) : null;
  }, [a, b]);
  if (data === null) return <p className="hint">Waiting for both runs' summaries…</p>;
  const [la, lb] = data.runs.map((r) => r.runLabel) as [string, string];
  return (
    <>
      <Warnings a={a} b={b} la={la} lb={lb} />
      <div className="chart-grid">
        <AcceptanceAccuracyChart data={data.acceptanceAccuracy} actions={(get) => <ExportButtons get={get} data={data.acceptanceAccuracy} name="compare-acceptance-accuracy" />} />
        <AccuracyLatencyChart data={data.accuracyLatency} actions={(get) => <ExportButtons get={get} data={data.accuracyLatency} name="compare-accuracy-latency" />} />
      </div>
      <LatencyBreakdownChart data={data.latencyBreakdown} actions={(get) => <ExportButtons get={get} data={data.latencyBreakdown} name="compare-latency-breakdown" />} />
      <RouterPair a={a} b={b} la={la} lb={lb} />
      <section className="panel">
        <div className="panel-head">
          <h2>Configurations in both runs</h2>
          <div className="row">
            <ExportButtons get={null} data={data} name="compare-table" />
          </div>
        </div>
        <div className="table-wrap">
          <table className="data" data-table="compare">
            <thead>
              <tr>
                <th>configuration</th>
                <th className="num">accuracy: {la}</th>
                <th className="num">accuracy: {lb}</th>
                <th className="num">latency: {la}</th>
                <th className="num">latency: {lb}</th>
                <th className="num">acceptance: {la}</th>
                <th className="num">acceptance: {lb}</th>
                <th className="num" title="second run's accuracy minus the first's, in percentage points">Δ accuracy</th>
                <th className="num" title="second run's mean latency over the first's">latency ratio</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.configId}>
                  <td>{r.configId}</td>
                  <td className="num">{fmtPct(r.accuracy[0])}</td>
                  <td className="num">{fmtPct(r.accuracy[1])}</td>
                  <td className="num">{fmtMs(r.latencyMs[0])}</td>
                  <td className="num">{fmtMs(r.latencyMs[1])}</td>
                  <td className="num">{fmtPct(r.acceptanceRate[0])}</td>
                  <td className="num">{fmtPct(r.acceptanceRate[1])}</td>
                  <td className="num" data-diff="accuracy">
                    {signedPct(r.accuracy[1] - r.accuracy[0])}
                  </td>
                  <td className="num" data-diff="latency">
                    {r.latencyMs[0] > 0 ? `${(r.latencyMs[1] / r.latencyMs[0]).toFixed(2)}×` : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

export function CompareScreen({ a, b }: { a: string | null; b: string | null }) {
  const runA = useRun(a);
  const runB = useRun(b);
  return (
    <div className="screen">
      <h1>Compare</h1>
      <p className="lead">Two runs on the same axes: the first drawn solid with circles, the second dashed with triangles.</p>
      <div className="panel row">
        <RunPicker label="First run" value={a} onChange={(id) => navigate({ screen: "compare", a: id, b })} exclude={b} />
        <RunPicker label="Second run" value={b} onChange={(id) => navigate({ screen: "compare", a, b: id })} exclude={a} />
      </div>
      {runA && runB ? (
        <Comparison a={runA} b={runB} />
      ) : runA || runB ? (
        <>
          <p className="hint" data-compare-one="true">
            Choose a second run to draw both on the same axes; meanwhile, {(runA ?? runB)!.name} alone:
          </p>
          <RunPlots run={(runA ?? runB)!} />
        </>
      ) : (
        <p className="empty">Choose two runs.</p>
      )}
    </div>
  );
}
