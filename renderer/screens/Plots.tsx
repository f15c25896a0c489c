/** Plots: the five plots of one stored run, each exportable. */
import { useEffect } from "react";
import { navigate, rememberRun } from "../app/route.ts";
import { RunPicker } from "../components/RunPicker.tsx";
import { RunPlots } from "../components/RunPlots.tsx";
import { headline, SummaryTable } from "../components/SummaryTable.tsx";
import { useRun } from "../components/useRun.ts";

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
          {run.status === "importing" ? <div className="warn-box">This run's import did not finish: re-import it on the Runs screen.</div> : null}
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
                <SummaryTable summary={run.summary} />
              </details>
            </>
          ) : null}
          <RunPlots run={run} />
        </>
      ) : null}
    </div>
  );
}
