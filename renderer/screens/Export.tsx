/**
 * Export: every plot of a run with its exports (SVG and PNG at 3×, data as CSV and JSON), the
 * run's summary as data, and how to write the self-contained HTML report.
 */
import { useEffect } from "react";
import { useApp } from "../app/context.tsx";
import { navigate, rememberRun } from "../app/route.ts";
import { RunPicker } from "../components/RunPicker.tsx";
import { RunPlots } from "../components/RunPlots.tsx";
import { useRun } from "../components/useRun.ts";
import { slug } from "../export/ExportButtons.tsx";
import { saveFile } from "../export/save.ts";
import { plotCsv } from "../../shared/plots/table.ts";
import { latencyBreakdown } from "../../shared/plots/latency-breakdown.ts";
import { runSummaries } from "../store/queries.ts";
import type { RunRow } from "../store/schema.ts";

function RunData({ run }: { run: RunRow }) {
  const { api, info } = useApp();
  const target = { api, shell: info?.shell ?? null };
  const input = runSummaries(run);
  return (
    <section className="panel">
      <h2>Run data</h2>
      <div className="row">
        <button disabled={run.summary === null} onClick={() => void saveFile(target, `${slug(run.name)}-summary.json`, `${JSON.stringify(run.summary, null, 2)}\n`, "application/json")}>
          summary.json
        </button>
        <button disabled={input === null} onClick={() => input && void saveFile(target, `${slug(run.name)}-latency.csv`, plotCsv(latencyBreakdown(input)), "text/csv")}>
          per-configuration latency CSV
        </button>
      </div>
      <p className="hint">
        A self-contained HTML report of this run (one file, opens offline, same charts): <code>arbitrage report --run {run.dir}</code>
      </p>
    </section>
  );
}

export function ExportScreen({ runId }: { runId: string | null }) {
  const run = useRun(runId);
  useEffect(() => rememberRun(runId), [runId]);
  return (
    <div className="screen">
      <div className="panel-head">
        <h1>Export</h1>
        <RunPicker value={runId} onChange={(id) => navigate({ screen: "export", runId: id })} />
      </div>
      <p className="lead">Each plot as SVG, or PNG at 3× for print; its data as CSV and JSON. In a browser, exports are downloads.</p>
      {run ? (
        <>
          <RunData run={run} />
          <RunPlots run={run} />
        </>
      ) : (
        <p className="empty">Choose a run.</p>
      )}
    </div>
  );
}
