/** Plots: the five plots of one stored run, each exportable. */
import { memo, useEffect } from "react";
import type { SweepSummary } from "../../shared/results.ts";
import { useApp } from "../app/context.tsx";
import { formatEta, importEta, useJobs } from "../app/jobs.ts";
import { navigate, rememberRun } from "../app/route.ts";
import { RunPicker } from "../components/RunPicker.tsx";
import { RunPlots } from "../components/RunPlots.tsx";
import { headline, SummaryTable } from "../components/SummaryTable.tsx";
import { useRun } from "../components/useRun.ts";
import { deleteRun } from "../store/queries.ts";
import type { RunRow } from "../store/schema.ts";

/**
 * A run whose records are still arriving (plots drawn from summary.json already, traces filling in),
 * or whose import a closed tab cut off (resume it, or clean it up).
 */
function ImportState({ run }: { run: RunRow }) {
  const { db, jobs } = useApp();
  useJobs(jobs);
  const live = jobs.liveImport(run.id);
  if (live !== null) {
    if (live.status === "aggregating") return <div className="hint" data-import-state="aggregating">every trace is stored; computing the router analysis…</div>;
    return (
      <div className="hint" data-import-state="importing">
        importing traces… {live.recordsDone.toLocaleString("en")} of {live.recordsTotal.toLocaleString("en")} records ({formatEta(importEta(live))}). The plots
        below come from the run's summary.json; the step traces and the router analysis fill in as the records arrive.
      </div>
    );
  }
  if (run.status !== "importing") return null;
  const total = run.progress?.recordsTotal;
  return (
    <div className="warn-box" data-import-state="interrupted">
      This run's import stopped at {run.counts.problems.toLocaleString("en")}
      {total !== undefined ? ` of ${total.toLocaleString("en")}` : ""} records (the tab was closed or reloaded).{" "}
      <button className="small" onClick={() => void jobs.importRun(run.dir, run.spec, { resume: true })} data-action="resume-import">
        Resume import
      </button>{" "}
      <button className="small danger" onClick={() => void deleteRun(db, run.id)} data-action="clean-up">
        Clean up
      </button>
    </div>
  );
}

/** The configurations' table, drawn again only when the run's summary changed (not per page an import stores). */
const MemoSummaryTable = memo(
  ({ summary }: { summary: SweepSummary; version: string }) => <SummaryTable summary={summary} />,
  (a, b) => a.version === b.version,
);

export function PlotsScreen({ runId }: { runId: string | null }) {
  const run = useRun(runId);
  useEffect(() => rememberRun(runId), [runId]);
  return (
    <div className="screen">
      <div className="panel-head">
        <h1>Plots</h1>
        <RunPicker value={runId} onChange={(id) => navigate({ screen: "plots", runId: id })} />
      </div>
      {runId === null ? <p className="lead">Choose a run above, or open one on the Runs screen.</p> : null}
      {runId !== null && run === null ? <p className="empty">This run is not in the store (deleted, or not imported yet).</p> : null}
      {run ? (
        <>
          <ImportState run={run} />
          {run.summary ? (
            <>
              <p className="headline" data-headline="true">
                {headline(run.summary)}
              </p>
              <details className="panel">
                <summary>
                  <b>Configurations</b> ({run.summary.runs.length}
                  {run.summarySource === "computed" ? ", summarised from the journal: the run has no summary.json" : ""})
                </summary>
                <MemoSummaryTable summary={run.summary} version={`${run.id}|${run.importedAt}|${run.summarySource}`} />
              </details>
            </>
          ) : null}
          <RunPlots run={run} />
        </>
      ) : null}
    </div>
  );
}
