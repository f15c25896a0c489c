/**
 * Runs: sweeps in progress (progress, ETA, cancel), imports into the store, the run history (run
 * folders the main side sees, and runs in this browser's store), and opening a run folder made by
 * the CLI anywhere else.
 */
import { useEffect, useState } from "react";
import { errorText, useApp } from "../app/context.tsx";
import { useAsync } from "../app/hooks.ts";
import { calibrationEta, etaSeconds, formatEta, importEta, useJobs, type ImportJob, type SweepJob } from "../app/jobs.ts";
import { useLive } from "../app/live.ts";
import { navigate, routeHash } from "../app/route.ts";
import { deleteRun, listRuns } from "../store/queries.ts";
import type { RunRow } from "../store/schema.ts";

function Bar({ done, total }: { done: number; total: number }) {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}

/** The time, once a second while `ticking` (a label that counts seconds without events to drive it). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return ticking ? now : Date.now();
}

function SweepRow({ job }: { job: SweepJob }) {
  const { api, jobs } = useApp();
  const now = useNow(job.status === "running" && job.phase === "calibrating");
  const [error, setError] = useState<string | null>(null);
  const resume = async () => {
    if (!job.spec) return;
    try {
      const started = await api.sweeps.start({ spec: job.spec, out: job.out, resume: true });
      jobs.addSweep({ runId: started.runId, out: started.out, name: job.name, spec: job.spec });
    } catch (err) {
      setError(errorText(err));
    }
  };
  const status =
    job.status === "running"
      ? job.phase === "starting"
        ? "loading models…"
        : job.phase === "calibrating"
          ? `calibrating model costs… ${job.total > 0 ? `${job.done} of ${job.total} timing rounds · ${formatEta(calibrationEta(job))}` : `${Math.round((now - (job.calibratingSince ?? now)) / 1000)} s`}`
          : job.phase === "cancelling"
            ? "cancelling…"
            : formatEta(etaSeconds(job))
      : job.status === "problems-failed"
        ? "problems failed"
        : job.status;
  return (
    <div className="job" data-sweep={job.runId} data-status={job.status}>
      <div>
        <div className="row">
          <b>{job.name}</b>
          <span className={`pill ${job.status === "complete" ? "ok" : job.status === "failed" || job.status === "problems-failed" ? "bad" : job.status === "running" ? "run" : ""}`}>{status}</span>
          {job.phase === "starting" || job.phase === "calibrating" ? (
            <span className="meta">{job.phase === "calibrating" ? "timing each model's calls before the first problem" : "reading the dataset and loading the models"}</span>
          ) : (
            <span className="meta">
              {job.done} / {job.total || "?"} (configuration, problem) pairs{job.current ? ` · ${job.current}` : ""}
            </span>
          )}
        </div>
        <Bar done={job.done} total={job.total} />
        <div className="meta mono">{job.out}</div>
        {job.error ? <div className="error-box">{job.error}</div> : null}
        {error ? <div className="error-box">{error}</div> : null}
      </div>
      <div className="row">
        {job.status === "running" ? (
          <button className="danger" onClick={() => void jobs.cancelSweep(job.runId)} disabled={job.phase === "cancelling"} data-action="cancel">
            Cancel
          </button>
        ) : null}
        {job.status === "cancelled" || job.status === "failed" || job.status === "problems-failed" ? (
          <button onClick={() => void resume()} disabled={!job.spec} title={job.spec ? "continue where it stopped" : "started elsewhere: resume with arbitrage sweep --resume"}>
            Resume
          </button>
        ) : null}
        {job.status !== "running" ? (
          <>
            <a href={routeHash({ screen: "plots", runId: job.out })}>Plots</a>
            <button className="small" onClick={() => jobs.dismissSweep(job.runId)}>
              Dismiss
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}

function ImportRow({ job }: { job: ImportJob }) {
  const { jobs } = useApp();
  const label =
    job.status === "importing"
      ? `importing: ${job.recordsDone.toLocaleString("en")} / ${job.recordsTotal.toLocaleString("en")} records, ${job.stepsWritten.toLocaleString("en")} steps · ${formatEta(importEta(job))}`
      : job.status === "aggregating"
        ? "computing the router analysis…"
        : job.status === "done"
          ? `imported: ${job.recordsDone.toLocaleString("en")} records, ${job.stepsWritten.toLocaleString("en")} steps`
          : job.status;
  return (
    <div className="job" data-import={job.dir} data-status={job.status}>
      <div>
        <div className="row">
          <b className="mono">{job.dir}</b>
          <span className={`pill ${job.status === "done" ? "ok" : job.status === "failed" ? "bad" : "run"}`} title="a record is one (configuration, problem) pair">
            {label}
          </span>
        </div>
        <Bar done={job.status === "importing" ? job.recordsDone : 1} total={job.status === "importing" ? job.recordsTotal : 1} />
        {job.error ? <div className="error-box">{job.error}</div> : null}
      </div>
      <div className="row">
        {job.status === "importing" ? (
          <button className="danger" onClick={job.cancel}>
            Cancel
          </button>
        ) : (
          <>
            {job.status === "done" ? <a href={routeHash({ screen: "plots", runId: job.dir })}>Plots</a> : null}
            <button className="small" onClick={() => jobs.dismissImport(job.dir)}>
              Dismiss
            </button>
          </>
        )}
      </div>
    </div>
  );
}

/** A stored run's state: importing here now, cut off by a closed tab, or stored whole. */
function StoredState({ run, live }: { run: RunRow; live: ImportJob | null }) {
  if (live !== null) return <span className="pill run" data-state="importing">importing…</span>;
  if (run.status === "importing") {
    const total = run.progress?.recordsTotal;
    return (
      <span className="pill bad" data-state="interrupted" title="the tab was closed or reloaded during the import">
        import interrupted · {run.counts.problems.toLocaleString("en")}
        {total !== undefined ? ` of ${total.toLocaleString("en")}` : ""} records
      </span>
    );
  }
  return <span className={`pill ${run.complete ? "ok" : ""}`}>{run.complete ? "complete" : "partial"}</span>;
}

function StoredRuns() {
  const { db, jobs } = useApp();
  const runs = useLive(() => listRuns(db), [db], [] as RunRow[]);
  useJobs(jobs);
  if (runs.length === 0) return <p className="empty">No run in this browser's store yet: start a sweep, or open a run folder.</p>;
  return (
    <div className="table-wrap">
      <table className="data" data-table="stored-runs">
        <thead>
          <tr>
            <th>run</th>
            <th>started</th>
            <th className="num">configurations</th>
            <th className="num" title="finished (configuration, problem) pairs">records</th>
            <th className="num">steps</th>
            <th>state</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-run={r.id}>
              <td>
                <b>{r.name}</b>
                <div className="hint mono">{r.dir}</div>
              </td>
              <td>{r.startedAt ? new Date(r.startedAt).toLocaleString() : "—"}</td>
              <td className="num">{r.counts.configs}</td>
              <td className="num">{r.counts.problems.toLocaleString("en")}</td>
              <td className="num">{r.counts.steps.toLocaleString("en")}</td>
              <td>
                <StoredState run={r} live={jobs.liveImport(r.id)} />
              </td>
              <td>
                <div className="row">
                  <a href={routeHash({ screen: "plots", runId: r.id })}>Plots</a>
                  <a href={routeHash({ screen: "trace", runId: r.id, configId: null, problemId: null })}>Trace</a>
                  {jobs.liveImport(r.id) !== null ? null : r.status === "importing" ? (
                    <>
                      <button className="small" onClick={() => void jobs.importRun(r.dir, r.spec, { resume: true })} data-action="resume-import">
                        Resume import
                      </button>
                      <button className="small danger" onClick={() => void deleteRun(db, r.id)} data-action="clean-up">
                        Clean up
                      </button>
                    </>
                  ) : (
                    <>
                      <button className="small" onClick={() => void jobs.importRun(r.dir, r.spec)}>
                        Re-import
                      </button>
                      <button className="small danger" onClick={() => void deleteRun(db, r.id)} data-action="delete-run">
                        Delete
                      </button>
                    </>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FolderRuns() {
  const { api, jobs } = useApp();
  const [refresh, setRefresh] = useState(0);
  const state = useJobs(jobs);
  // A sweep that ends or an import that finishes changes what the folder holds: list it again.
  const settled = state.sweeps.filter((s) => s.status !== "running").length + state.imports.filter((i) => i.status === "done").length;
  const list = useAsync([refresh, settled], () => api.runs.list({}));
  return (
    <>
      <div className="panel-head">
        <h2>Run folders{list.state === "ok" ? <span className="hint mono"> in {list.value.dir}</span> : null}</h2>
        <button className="small" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {list.state === "error" ? <div className="error-box">{errorText(list.error)}</div> : null}
      {list.state === "ok" && list.value.runs.length === 0 ? <p className="empty">No run folder there yet.</p> : null}
      {list.state === "ok" && list.value.runs.length > 0 ? (
        <div className="table-wrap">
          <table className="data" data-table="folder-runs">
            <thead>
              <tr>
                <th>run</th>
                <th>started</th>
                <th className="num">records</th>
                <th>state</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.value.runs.map((r) => (
                <tr key={r.dir}>
                  <td>
                    <b>{r.name}</b>
                    <div className="hint mono">{r.dir}</div>
                    {r.problem ? <div className="error hint">{r.problem}</div> : null}
                  </td>
                  <td>{r.started ? new Date(r.started).toLocaleString() : "—"}</td>
                  <td className="num">{r.records.toLocaleString("en")}</td>
                  <td>
                    {r.active ? (
                      <span className="pill run">running</span>
                    ) : r.failed > 0 ? (
                      <span className="pill bad" data-state="problems-failed" title="(configuration, problem) pairs that failed on a server: resume the sweep (--resume) to run them again">
                        {r.failed} failed
                      </span>
                    ) : (
                      <span className={`pill ${r.complete ? "ok" : ""}`}>{r.complete ? "complete" : "partial"}</span>
                    )}
                  </td>
                  <td>
                    <button className="small" onClick={() => void jobs.importRun(r.dir)} disabled={r.problem !== null}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function OpenFolder() {
  const { api, jobs, info } = useApp();
  const [dir, setDir] = useState("");
  // The plots open as soon as the run's row is stored: drawn from summary.json while the traces arrive.
  const open = async (path: string) => {
    if (path.trim() === "") return;
    await jobs.importRun(path.trim(), null, { onStored: (runId) => navigate({ screen: "plots", runId }) });
  };
  const browse = async () => {
    const picked = await api.dialogs.pickRunFolder({ title: "Open a run folder" });
    if (picked.path) await open(picked.path);
  };
  return (
    <div className="row">
      <input type="text" placeholder="run folder made by arbitrage sweep / demo (path on the workbench's machine)" value={dir} onChange={(e) => setDir(e.target.value)} spellCheck={false} style={{ flex: 1 }} aria-label="run folder" />
      {info?.shell === "desktop" ? <button onClick={() => void browse()}>Browse…</button> : null}
      <button className="primary" onClick={() => void open(dir)} disabled={dir.trim() === ""} data-action="open-run">
        Open run folder
      </button>
    </div>
  );
}

export function RunsScreen() {
  const { jobs } = useApp();
  const state = useJobs(jobs);
  return (
    <div className="screen">
      <h1>Runs</h1>
      <p className="lead">Sweeps in progress, runs stored in this browser, and run folders on the workbench's machine.</p>
      {state.sweeps.length > 0 || state.imports.length > 0 ? (
        <section className="panel" data-panel="jobs">
          <h2>In progress</h2>
          {state.sweeps.map((j) => (
            <SweepRow key={j.runId} job={j} />
          ))}
          {state.imports.map((j) => (
            <ImportRow key={j.dir} job={j} />
          ))}
        </section>
      ) : null}
      <section className="panel">
        <h2>Open a run folder</h2>
        <OpenFolder />
      </section>
      <section className="panel" data-panel="stored">
        <h2>Runs in this browser</h2>
        <StoredRuns />
      </section>
      <section className="panel">
        <FolderRuns />
      </section>
    </div>
  );
}
