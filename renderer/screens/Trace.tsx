/**
 * Trace viewer: a configuration's problems (all, the wrong ones, or those the configurations
 * disagree on), one problem's question, ground truth and steps, and the same problem under every
 * other configuration. A deep link (#/trace/<run>?config=…&problem=…) selects the problem and
 * scrolls the list to it.
 */
import { useEffect, useRef, useState } from "react";
import { errorText, useApp } from "../app/context.tsx";
import { useAsync } from "../app/hooks.ts";
import { useLive } from "../app/live.ts";
import { navigate, rememberRun } from "../app/route.ts";
import { RunPicker } from "../components/RunPicker.tsx";
import { TracePanel } from "../components/TracePanel.tsx";
import { defaultTraceConfig } from "../components/trace-default.ts";
import { useRun } from "../components/useRun.ts";
import { fmtMs } from "../plots/theme.ts";
import { configRows, configsOfProblem, idListOf, problemCount, problemsOf, problemWindow, type ProblemWindow } from "../store/queries.ts";
import { DISAGREE_LIST, wrongList, type ConfigRow, type ProblemRow, type RunRow, type WorkbenchDb } from "../store/schema.ts";

export type ProblemFilter = "all" | "wrong" | "disagree";

/** Rows read and drawn at once (a large run's configuration has tens of thousands of problems); "show more" reads as many again. */
const LIST_PAGE = 500;
/** Rows above a linked problem in the window that opens on it. */
const LINK_LEAD = 20;

/** The problems a filter keeps: wrong under this configuration, or graded differently by the run's configurations. */
export function filterProblems(problems: readonly ProblemRow[], filter: ProblemFilter, disagree: ReadonlySet<string> | null): ProblemRow[] {
  if (filter === "wrong") return problems.filter((p) => !p.correct);
  if (filter === "disagree") return disagree === null ? [] : problems.filter((p) => disagree.has(p.problemId));
  return problems.slice();
}

/**
 * The ids a filter lists, or null for every problem, read from the aggregator's lists (idLists) when
 * the filter is chosen; "wrong" of a run not aggregated yet (or stored before the lists) reads the
 * configuration whole once.
 */
async function filterIds(db: WorkbenchDb, runId: string, configId: string, filter: ProblemFilter): Promise<readonly string[] | null> {
  if (filter === "all") return null;
  if (filter === "disagree") return (await idListOf(db, runId, DISAGREE_LIST)) ?? [];
  const wrong = await idListOf(db, runId, wrongList(configId));
  if (wrong !== null) return wrong;
  return filterProblems(await problemsOf(db, runId, configId), "wrong", null).map((p) => p.problemId);
}

function ProblemText({ run, problemId }: { run: RunRow; problemId: string }) {
  const { api } = useApp();
  const text = useAsync({ dir: run.dir, problemId }, (k) => api.runs.problems({ dir: k.dir, ids: [k.problemId] }));
  if (text.state === "loading" || text.state === "idle") return <p className="hint">reading the problem from the run's dataset…</p>;
  if (text.state === "error") return <p className="hint error">{errorText(text.error)}</p>;
  const p = text.value.problems[0];
  return (
    <section className="panel" data-section="problem">
      <h2>{problemId}</h2>
      {p ? (
        <>
          <div className="problem-question" data-question="true" style={{ whiteSpace: "pre-wrap" }}>
            {p.question}
          </div>
          <p>
            <b>Ground truth:</b>{" "}
            <code className="mono" data-ground-truth="true">
              {p.answer}
            </code>
          </p>
        </>
      ) : null}
      {text.value.note ? <p className="hint">{text.value.note}</p> : null}
    </section>
  );
}

export function TraceScreen({ runId, configId, problemId }: { runId: string | null; configId: string | null; problemId: string | null }) {
  const { db } = useApp();
  useEffect(() => rememberRun(runId), [runId]);
  const run = useRun(runId);
  const configs = useLive(() => (runId ? configRows(db, runId) : Promise.resolve([])), [db, runId], [] as ConfigRow[]);
  const config = configId ?? defaultTraceConfig(configs);
  const configRow = configs.find((c) => c.configId === config);
  const [filter, setFilter] = useState<ProblemFilter>("all");
  // The list is a window over the configuration's problems in key order: where it starts (null: on
  // the linked problem) and how many rows it holds.
  const [view, setView] = useState<{ start: number | null; size: number }>({ start: null, size: LIST_PAGE });
  // The lists' sizes come with the rows; the ids are read when a filter is chosen.
  const disagreeCount = run?.aggregates.disagreeCount ?? null;
  const wrongCount = configRow?.wrongCount ?? null;
  // Another run, configuration or filter starts a new window (on the linked problem, if any).
  useEffect(() => {
    setFilter("all");
  }, [runId]);
  useEffect(() => {
    setView({ start: null, size: LIST_PAGE });
  }, [runId, config, filter]);
  const idsKey = filter === "all" ? "" : filter === "disagree" ? `d${disagreeCount ?? -1}` : `w${wrongCount ?? -1}`;
  const loaded = useLive<(ProblemWindow & { key: string }) | null>(
    async () => {
      const key = `${runId}\u0000${config}\u0000${filter}`;
      if (!runId || !config) return { rows: [], start: 0, total: 0, key };
      const ids = await filterIds(db, runId, config, filter);
      return { ...(await problemWindow(db, runId, config, { ids, start: view.start, around: problemId, lead: LINK_LEAD, size: view.size })), key };
    },
    // The linked problem places the window only when it opens (view.start null), not on every click.
    [db, runId, config, filter, idsKey, view.start, view.size, view.start === null ? problemId : null],
    null,
  );
  const win: ProblemWindow = loaded ?? { rows: [], start: 0, total: 0 };
  // Once the window opened (on the linked problem), it stays where it is while problems are clicked.
  useEffect(() => {
    if (loaded !== null && view.start === null && loaded.key === `${runId}\u0000${config}\u0000${filter}`) setView((v) => ({ ...v, start: loaded.start }));
  }, [loaded, view.start, runId, config, filter]);
  const total = useLive(() => (runId && config ? problemCount(db, runId, config) : Promise.resolve(0)), [db, runId, config], 0);
  // A linked problem is listed even when the filter (or the window) leaves it out.
  const linkedRow = useLive(() => (runId && config && problemId ? db.problems.get([runId, config, problemId]) : Promise.resolve(undefined)), [db, runId, config, problemId], undefined as ProblemRow | undefined);
  const linked = linkedRow !== undefined && !win.rows.some((p) => p.problemId === linkedRow.problemId) ? linkedRow : undefined;
  const visible = linked ? [linked, ...win.rows] : win.rows;
  const problem = problemId ?? visible.find((p) => p.stepCount > 0)?.problemId ?? visible[0]?.problemId ?? null;
  const before = win.start;
  const after = Math.max(0, win.total - win.start - win.rows.length);
  const others = useLive(() => (runId && problem ? configsOfProblem(db, runId, problem) : Promise.resolve([])), [db, runId, problem], [] as ProblemRow[]);
  const go = (c: string | null, p: string | null) => navigate({ screen: "trace", runId, configId: c, problemId: p });
  const order = new Map(configs.map((c) => [c.configId, c.order]));
  const selectedRow = useRef<HTMLTableRowElement>(null);
  // Scroll to the selected problem once per (run, configuration, problem, window), as soon as its
  // row exists (the list of a just-linked run arrives after the link).
  const scrolledFor = useRef<string | null>(null);
  useEffect(() => {
    // Once per window too: a linked row is first drawn alone above the list, then in its place.
    const at = `${runId}\u0000${config}\u0000${problem}\u0000${loaded?.start ?? ""}`;
    if (loaded === null || scrolledFor.current === at || selectedRow.current === null) return;
    selectedRow.current.scrollIntoView({ block: "nearest" });
    scrolledFor.current = at;
  });
  const counts = { all: total, wrong: wrongCount, disagree: disagreeCount };
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
            <div className="row" role="radiogroup" aria-label="which problems" style={{ marginBottom: 8, gap: 10 }}>
              {(
                [
                  ["all", `all (${counts.all})`],
                  ["wrong", counts.wrong === null ? "wrong only" : `wrong only (${counts.wrong})`],
                  ["disagree", counts.disagree === null ? "methods disagree" : `methods disagree (${counts.disagree})`],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="hint" style={{ display: "flex", gap: 4, alignItems: "center" }}>
                  <input
                    type="radio"
                    name="problem-filter"
                    value={value}
                    checked={filter === value}
                    onChange={() => setFilter(value)}
                    disabled={value === "disagree" && disagreeCount === null}
                    data-filter={value}
                  />
                  {label}
                </label>
              ))}
            </div>
            {filter === "disagree" ? (
              <p className="hint">Problems some configurations of this run got right and others wrong.</p>
            ) : null}
            {disagreeCount === null && run ? <p className="hint">{run.status === "importing" ? "“methods disagree” once the import has finished." : "“methods disagree” needs the run re-imported."}</p> : null}
            {before > 0 ? (
              <button className="small" onClick={() => setView({ start: Math.max(0, before - LIST_PAGE), size: view.size + Math.min(LIST_PAGE, before) })} data-action="earlier-problems">
                show {Math.min(LIST_PAGE, before)} earlier of {before.toLocaleString("en")}
              </button>
            ) : null}
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
                  {visible.map((p) => (
                    <tr
                      key={p.problemId}
                      ref={p.problemId === problem ? selectedRow : undefined}
                      data-problem={p.problemId}
                      className={p.problemId === problem ? "selected" : undefined}
                      onClick={() => go(config, p.problemId)}
                      style={{ cursor: "pointer" }}
                    >
                      <td className="mono">{p.problemId}</td>
                      <td className={p.correct ? "ok" : "error"}>{p.error ? "error" : p.correct ? "✓" : "✗"}</td>
                      <td className="num">{p.stepCount}</td>
                      <td className="num">{fmtMs(p.latencyMs.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {visible.length === 0 && total > 0 ? <p className="empty">No problem matches.</p> : null}
            </div>
            {after > 0 ? (
              <button className="small" onClick={() => setView({ start: before, size: view.size + LIST_PAGE })} data-action="more-problems">
                show {Math.min(LIST_PAGE, after)} more of {after.toLocaleString("en")}
              </button>
            ) : null}
          </aside>
          <div>
            {run && problem ? <ProblemText run={run} problemId={problem} /> : null}
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
