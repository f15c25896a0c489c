/** Reads and deletes: what the screens ask the store. */
import type { ConfigSummary, ProblemRecord } from "../../shared/results.ts";
import type { RunSummaries } from "../../shared/plots/run-input.ts";
import type { RouterScatterData } from "../../shared/plots/types.ts";
import type { ConfigRow, ProblemRow, RunRow, WorkbenchDb } from "./schema.ts";

/** Deletes a run and every row of it, in one transaction (all or nothing). */
export async function deleteRun(db: WorkbenchDb, runId: string): Promise<void> {
  await db.transaction("rw", [db.runs, db.configs, db.problems, db.stepBlocks, db.routerScatters, db.idLists], async () => {
    await db.routerScatters.where("runId").equals(runId).delete();
    await db.idLists.where("runId").equals(runId).delete();
    await db.stepBlocks.where("runId").equals(runId).delete();
    await db.problems.where("runId").equals(runId).delete();
    await db.configs.where("runId").equals(runId).delete();
    await db.runs.delete(runId);
  });
}

/** Newest first (by start time, then import time). */
export async function listRuns(db: WorkbenchDb): Promise<RunRow[]> {
  const runs = await db.runs.toArray();
  return runs.sort((a, b) => (b.startedAt ?? b.importedAt).localeCompare(a.startedAt ?? a.importedAt));
}

export async function configRows(db: WorkbenchDb, runId: string): Promise<ConfigRow[]> {
  const rows = await db.configs.where("runId").equals(runId).toArray();
  return rows.sort((a, b) => a.order - b.order);
}

/**
 * One router scatter the aggregator stored: of every Arbitrage configuration's steps (configId
 * ALL_ARBITRAGE) or of one configuration's; null when there is none. Read when the plot is shown,
 * never with the run's or the configurations' rows.
 */
export async function routerScatterOf(db: WorkbenchDb, runId: string, configId: string): Promise<RouterScatterData | null> {
  return (await db.routerScatters.get([runId, configId]))?.data ?? null;
}

/** A list of problem ids the aggregator stored (DISAGREE_LIST, wrongList(configId)); null when there is none. */
export async function idListOf(db: WorkbenchDb, runId: string, list: string): Promise<string[] | null> {
  return (await db.idLists.get([runId, list]))?.ids ?? null;
}

/** The run-level plots' input: the configurations' summaries in the run's order. */
export function runSummaries(run: RunRow, label = run.name): RunSummaries | null {
  if (run.summary === null) return null;
  return { runId: run.id, runLabel: label, configs: run.summary.runs as ConfigSummary[], headline: run.summary };
}

export async function problemsOf(db: WorkbenchDb, runId: string, configId: string): Promise<ProblemRow[]> {
  return db.problems.where("[runId+configId]").equals([runId, configId]).toArray();
}

/** The first `limit` problems of a configuration (key order) and how many it has: a chooser's list on a large run. */
export async function firstProblemsOf(db: WorkbenchDb, runId: string, configId: string, limit: number): Promise<{ rows: ProblemRow[]; total: number }> {
  const range = db.problems.where("[runId+configId]").equals([runId, configId]);
  const [rows, total] = await Promise.all([range.clone().limit(limit).toArray(), range.clone().count()]);
  return { rows, total };
}

export interface ProblemWindow {
  /** The rows of the window, in key order (problem id). */
  rows: ProblemRow[];
  /** Where the window starts among the problems listed (0: the first). */
  start: number;
  /** How many problems are listed in all (the configuration's, or the ids given). */
  total: number;
}

export interface WindowRequest {
  /** List only these problems (a filter's ids); null: every problem of the configuration. */
  ids: readonly string[] | null;
  /** Where the window starts; null: `lead` rows before `around` (or the first row). */
  start: number | null;
  /** The problem a deep link names: the window opens on it. */
  around: string | null;
  lead: number;
  size: number;
}

/**
 * A window of a configuration's problems in key order, read by range: at most `size` rows, never
 * the whole configuration (a large run's configuration has tens of thousands of rows, each with its
 * completion). Where it starts is a count of the keys below it (an index count, no rows read).
 */
export async function problemWindow(db: WorkbenchDb, runId: string, configId: string, w: WindowRequest): Promise<ProblemWindow> {
  if (w.ids !== null) {
    const ids = [...w.ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const at = w.around === null ? -1 : ids.indexOf(w.around);
    const start = clampStart(w.start ?? (at >= 0 ? at - w.lead : 0), ids.length);
    const got = await db.problems.bulkGet(ids.slice(start, start + w.size).map((id) => [runId, configId, id]));
    return { rows: got.filter((r): r is ProblemRow => r !== undefined), start, total: ids.length };
  }
  const range = () => db.problems.where("[runId+configId]").equals([runId, configId]);
  const total = await problemCount(db, runId, configId);
  let start = w.start ?? 0;
  if (w.start === null && w.around !== null) {
    const below = await db.problems.where("[runId+configId+problemId]").between([runId, configId, ""], [runId, configId, w.around], true, false).count();
    start = below - w.lead;
  }
  start = clampStart(start, total);
  // (IndexedDB's getAll reads every row for a count of 0.)
  if (w.size <= 0) return { rows: [], start, total };
  const rows = await (start === 0 ? range().limit(w.size) : range().offset(start).limit(w.size)).toArray();
  return { rows, start, total };
}

/** How many problems a configuration has stored (an index count: no row read). */
export function problemCount(db: WorkbenchDb, runId: string, configId: string): Promise<number> {
  return db.problems.where("[runId+configId]").equals([runId, configId]).count();
}

function clampStart(start: number, total: number): number {
  return Math.max(0, Math.min(start, Math.max(0, total - 1)));
}

/** Every configuration's result on one problem (the v2 index). */
export async function configsOfProblem(db: WorkbenchDb, runId: string, problemId: string): Promise<ProblemRow[]> {
  return db.problems.where("[runId+problemId]").equals([runId, problemId]).toArray();
}

export function toRecord(p: ProblemRow, config: Pick<ConfigRow, "configId" | "method" | "threshold">, steps: ProblemRecord["steps"]): ProblemRecord {
  const record: ProblemRecord = {
    config: { id: config.configId, method: config.method, threshold: config.threshold },
    problemId: p.problemId,
    level: p.level,
    subject: p.subject,
    steps,
    completion: p.completion,
    extracted: p.extracted,
    correct: p.correct,
    correctStrict: p.correctStrict,
    stopReason: p.stopReason,
    tokens: p.tokens,
    latencyMs: p.latencyMs,
    harnessMs: p.harnessMs,
  };
  if (p.error !== null) record.error = p.error;
  return record;
}

/** One problem record, reassembled from its rows; null when the store has no such problem. */
export async function problemRecord(db: WorkbenchDb, runId: string, configId: string, problemId: string): Promise<ProblemRecord | null> {
  const [p, c, block] = await Promise.all([db.problems.get([runId, configId, problemId]), db.configs.get([runId, configId]), db.stepBlocks.get([runId, configId, problemId])]);
  if (p === undefined || c === undefined) return null;
  return toRecord(p, c, block?.steps ?? []);
}

/** Every record of one configuration, reassembled (the aggregator reads a run one configuration at a time). */
export async function configRecords(db: WorkbenchDb, runId: string, config: ConfigRow): Promise<ProblemRecord[]> {
  const [problems, blocks] = await Promise.all([problemsOf(db, runId, config.configId), db.stepBlocks.where("[runId+configId]").equals([runId, config.configId]).toArray()]);
  const byProblem = new Map(blocks.map((b) => [b.problemId, b.steps]));
  return problems.map((p) => toRecord(p, config, byProblem.get(p.problemId) ?? []));
}

/**
 * Step records stored for a run (or in all runs), read one configuration at a time: getAll on an
 * index, never a cursor walk (slow in every IndexedDB, quadratic in fake-indexeddb).
 */
export async function countSteps(db: WorkbenchDb, runId?: string): Promise<number> {
  const runIds = runId === undefined ? ((await db.stepBlocks.orderBy("runId").uniqueKeys()) as string[]) : [runId];
  let n = 0;
  for (const id of runIds) {
    const configIds = new Set((await db.configs.where("runId").equals(id).toArray()).map((c) => c.configId));
    // Blocks of configurations the run no longer lists (none, normally) are counted too.
    for (const p of await db.problems.where("runId").equals(id).toArray()) configIds.add(p.configId);
    for (const c of configIds) {
      for (const b of await db.stepBlocks.where("[runId+configId]").equals([id, c]).toArray()) n += b.steps.length;
    }
  }
  return n;
}
