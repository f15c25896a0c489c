/** The HTML report: one run's summary, its five plots and example traces, drawn by the app's chart components. */
import type { ReportData } from "../../shared/plots/report-data.ts";
import { headline, SummaryTable } from "../components/SummaryTable.tsx";
import { AcceptanceAccuracyChart } from "../plots/AcceptanceAccuracyChart.tsx";
import { AccuracyLatencyChart } from "../plots/AccuracyLatencyChart.tsx";
import { LatencyBreakdownChart } from "../plots/LatencyBreakdownChart.tsx";
import { routerCalibration } from "../../shared/plots/router-scatter.ts";
import { CalibrationChart, RouterScatterChart } from "../plots/RouterScatterChart.tsx";
import { StepTraceChart } from "../plots/StepTrace.tsx";

export function ReportPage({ data }: { data: ReportData }) {
  const r = data.run;
  const version = typeof r.provenance.gitCommit === "string" ? r.provenance.gitCommit : typeof r.provenance.version === "string" ? r.provenance.version : null;
  return (
    <main className="report">
      <header className="report-head">
        <h1>{r.name}</h1>
        <p className="headline">{headline(data.summary)}</p>
        <dl className="facts">
          <dt>draft</dt>
          <dd>{r.models.draft}</dd>
          <dt>target</dt>
          <dd>{r.models.target}</dd>
          <dt>PRM</dt>
          <dd>{r.models.prm ?? "—"}</dd>
          <dt>router</dt>
          <dd>{r.models.router ?? "—"}</dd>
          <dt>benchmark</dt>
          <dd>
            {r.dataset ?? "—"} ({r.problems} problems)
          </dd>
          <dt>run</dt>
          <dd>
            {r.started ?? "?"} · {r.complete ? "complete" : "incomplete"}
            {r.mode ? ` · ${r.mode} latencies` : ""}
            {version ? ` · code ${version}` : ""}
          </dd>
        </dl>
      </header>
      <section>
        <h2>Configurations</h2>
        <SummaryTable summary={data.summary} />
      </section>
      <section className="chart-grid">
        <AcceptanceAccuracyChart data={data.acceptanceAccuracy} />
        <AccuracyLatencyChart data={data.accuracyLatency} />
      </section>
      <LatencyBreakdownChart data={data.latencyBreakdown} />
      {data.routerScatter ? (
        <section className="chart-grid">
          <RouterScatterChart data={data.routerScatter} />
          <CalibrationChart data={routerCalibration(data.routerScatter)} />
        </section>
      ) : (
        <section className="chart-frame" data-plot="router-scatter">
          <h3>Router score vs oracle Δ</h3>
          <p className="empty">{data.routerNote}</p>
        </section>
      )}
      <h2>Example traces</h2>
      {data.traces.length === 0 ? <p className="empty">No problem with steps under Arbitrage, RSD or the oracle.</p> : null}
      {data.traces.map((t) => (
        <StepTraceChart key={`${t.configId}/${t.problemId}`} data={t} />
      ))}
      <footer className="report-foot">Written {data.generatedAt} by Arbitrage Workbench from {r.dir}.</footer>
    </main>
  );
}
