/**
 * The renderer's local store (IndexedDB through Dexie): runs imported from run folders, split into
 * rows that the screens query by run and configuration. A run folder stays the source of truth;
 * deleting a run here removes only this copy.
 *
 * Tables and keys (version 3):
 *   runs            id = the run folder's path on the main side      index: startedAt
 *   configs         [runId+configId]                                index: runId
 *   problems        [runId+configId+problemId]                      index: runId, [runId+configId], [runId+problemId]
 *   stepBlocks      [runId+configId+problemId]: one problem's steps  index: runId, [runId+configId]
 *   routerScatters  [runId+configId]: one router scatter             index: runId
 *   idLists         [runId+list]: one list of problem ids            index: runId
 * Compound primary keys make an import idempotent: writing the same record twice overwrites it.
 * Problems (small, listed and counted) and their steps (heavy, read one problem or one
 * configuration at a time) are apart, so listing never drags step texts along. Likewise the
 * aggregator's heavy results (router scatters, problem-id lists) are apart from the run and
 * configuration rows that screens list and live queries read again on every change: those rows
 * carry only their counts, and the one scatter or list a screen shows is read when it is shown.
 *
 * Versions (each `version(n)` keeps its schema; Dexie diffs them and runs the upgrades in order):
 *   1  `steps`: one row per step record, key [runId+configId+problemId+index].
 *   2  `stepBlocks` replaces `steps`: one row per problem holding its step records. IndexedDB pays
 *      mostly per row written (a structured clone and a backend round trip each); a run of 500,000
 *      steps is ~50,000 blocks instead of 500,000 rows, about ten times faster to import, and no
 *      screen queries single steps. The upgrade regroups v1's step rows into blocks. Also new: the
 *      problems' [runId+problemId] index (the trace viewer lists every configuration of a problem)
 *      and each run's `counts`, backfilled by counting.
 *   3  `routerScatters` and `idLists`: the router scatters and the "wrong" / "disagree" id lists
 *      leave the run and configuration rows (RunAggregates.routerScatter, .routerScatterByConfig,
 *      .problemsDisagree; ConfigRow.routerScatter, .wrongIds), which keep their sizes (routerSteps,
 *      disagreeCount, wrongCount). On a 500,000-step run the rows with them took tens of ms to read
 *      and clone on the UI thread, once per live query of the run or its configurations, when the
 *      analysis was written. The upgrade moves what rows of version 2 hold.
 */
import Dexie, { type Table, type Transaction } from "dexie";
import type { ComponentMs, ConfigSummary, Method, ProblemStopReason, StepRecord, SweepSummary, TokenCounts } from "../../shared/results.ts";
import type { ErrorRecord } from "../../shared/errors.ts";
import type { CostSummary } from "../../shared/api/schemas/run.ts";
import type { RouterScatterData } from "../../shared/plots/types.ts";

export const DB_NAME = "arbitrage-workbench";
export const DB_VERSION = 3;

export interface RunCounts {
  configs: number;
  problems: number;
  steps: number;
}

/**
 * Work done off the UI thread after an import (shared/plots' heavier transforms), in brief: the
 * results themselves are in the routerScatters and idLists tables.
 */
export interface RunAggregates {
  state: "pending" | "ready" | "failed";
  /**
   * Steps in the run's router score vs oracle Δ scatter (every Arbitrage configuration's steps;
   * routerScatters row with configId ""); null when there is none (too few pairs, or not yet).
   */
  routerSteps: number | null;
  /** Why no scatter: no Arbitrage + oracle/generate configurations meeting the same steps. */
  routerNote: string | null;
  error: string | null;
  /** How many problems some configurations got right and others wrong (idLists "disagree"); absent until aggregated. */
  disagreeCount?: number;
}

/** The key of the run-wide scatter (every Arbitrage configuration's steps) in routerScatters. */
export const ALL_ARBITRAGE = "";

/** One router scatter: the run's (configId ALL_ARBITRAGE) or one Arbitrage configuration's own steps. */
export interface RouterScatterRow {
  runId: string;
  configId: string;
  data: RouterScatterData;
}

/** A list of problem ids the aggregator found: "disagree" (the run's), or `wrong:<configId>`. */
export interface IdListRow {
  runId: string;
  list: string;
  ids: string[];
}

export const DISAGREE_LIST = "disagree";
export const wrongList = (configId: string) => `wrong:${configId}`;

export interface RunRow {
  /** The run folder's absolute path on the main side (unique there). */
  id: string;
  dir: string;
  name: string;
  /** ISO time the sweep started (run.json), or null. */
  startedAt: string | null;
  importedAt: string;
  /** "importing" until every record is written: a closed tab mid-import leaves it, and the UI offers to import again. */
  status: "importing" | "ready";
  /** summary.json says the sweep finished every (configuration, problem). */
  complete: boolean;
  /** run.json as read (resolved spec, models, dataset, provenance). */
  meta: Record<string, unknown>;
  /** summary.json, else computed from the records by the aggregator (summarySource says which). */
  summary: SweepSummary | null;
  summarySource: "file" | "computed" | null;
  /** The spec as given, when the sweep was started from this app (what resume sends back). */
  spec: Record<string, unknown> | null;
  /** Journal lines that could not be used, as the main side reported them. */
  skipped: { line: number; reason: string }[];
  aggregates: RunAggregates;
  /** Added in version 2. */
  counts: RunCounts;
  /**
   * How far the import got: journal lines read (where a resumed import starts) and the records the
   * journal held. Absent in rows stored before it existed.
   */
  progress?: ImportedThrough;
  /** calibration.json in brief: what the run priced each model's calls at (Compare warns when two runs differ). */
  costs?: CostSummary | null;
}

export interface ImportedThrough {
  journalLines: number;
  recordsTotal: number;
}

export interface ConfigRow {
  runId: string;
  configId: string;
  method: Method;
  threshold: number | null;
  /** Position in the run's configuration list (the order plots and tables use). */
  order: number;
  summary: ConfigSummary | null;
  /** Steps in this (Arbitrage) configuration's own router scatter (routerScatters), from the aggregator; absent otherwise. */
  routerSteps?: number;
  /** How many problems this configuration got wrong (idLists `wrong:<configId>`: the trace viewer's "wrong only"); absent until aggregated. */
  wrongCount?: number;
}

export interface ProblemRow {
  runId: string;
  configId: string;
  problemId: string;
  level: string | number | null;
  subject: string | null;
  completion: string;
  extracted: string;
  correct: boolean;
  correctStrict: boolean;
  stopReason: ProblemStopReason | "error";
  tokens: TokenCounts;
  latencyMs: ComponentMs & { total: number };
  harnessMs: number;
  error: ErrorRecord | null;
  stepCount: number;
}

/** Version 1's step row (kept for the upgrade). */
export interface StepRowV1 extends StepRecord {
  runId: string;
  configId: string;
  problemId: string;
}

/** One problem's step records, in order. */
export interface StepBlockRow {
  runId: string;
  configId: string;
  problemId: string;
  steps: StepRecord[];
}

export const SCHEMA_V1 = {
  runs: "id, startedAt",
  configs: "[runId+configId], runId",
  problems: "[runId+configId+problemId], runId, [runId+configId]",
  steps: "[runId+configId+problemId+index], runId, [runId+configId]",
};

export const SCHEMA_V2 = {
  runs: SCHEMA_V1.runs,
  configs: SCHEMA_V1.configs,
  problems: "[runId+configId+problemId], runId, [runId+configId], [runId+problemId]",
  // Dexie deletes a table set to null after the upgrade function has run, so it can read it first.
  steps: null,
  stepBlocks: "[runId+configId+problemId], runId, [runId+configId]",
};

export const SCHEMA_V3 = {
  routerScatters: "[runId+configId], runId",
  idLists: "[runId+list], runId",
};

/** Version 2's heavy fields, which version 3 moves to their own tables. */
interface V2Aggregates {
  state: RunAggregates["state"];
  routerScatter?: RouterScatterData | null;
  routerScatterByConfig?: Record<string, RouterScatterData>;
  routerNote: string | null;
  error: string | null;
  problemsDisagree?: string[];
}

/**
 * Version 2 → 3: each run's and configuration's scatters and id lists into routerScatters and
 * idLists, their rows keeping the sizes.
 */
export async function upgradeToV3(tx: Transaction): Promise<void> {
  const scatters: RouterScatterRow[] = [];
  const lists: IdListRow[] = [];
  const sizes = new Map<string, number>();
  const runs = (await tx.table("runs").toArray()) as (Omit<RunRow, "aggregates"> & { aggregates: V2Aggregates })[];
  for (const run of runs) {
    const a = run.aggregates;
    if (a.routerScatter) scatters.push({ runId: run.id, configId: ALL_ARBITRAGE, data: a.routerScatter });
    // Rows older still kept every configuration's scatter in the run's row.
    for (const [configId, data] of Object.entries(a.routerScatterByConfig ?? {})) {
      scatters.push({ runId: run.id, configId, data });
      sizes.set(`${run.id}\u0000${configId}`, data.n);
    }
    if (a.problemsDisagree) lists.push({ runId: run.id, list: DISAGREE_LIST, ids: a.problemsDisagree });
    const light: RunAggregates = { state: a.state, routerSteps: a.routerScatter?.n ?? null, routerNote: a.routerNote, error: a.error };
    if (a.problemsDisagree) light.disagreeCount = a.problemsDisagree.length;
    (run as unknown as RunRow).aggregates = light;
  }
  const configs = (await tx.table("configs").toArray()) as (ConfigRow & { routerScatter?: RouterScatterData | null; wrongIds?: string[] })[];
  for (const c of configs) {
    const legacy = sizes.get(`${c.runId}\u0000${c.configId}`);
    if (legacy !== undefined) c.routerSteps = legacy;
    if (c.routerScatter) {
      scatters.push({ runId: c.runId, configId: c.configId, data: c.routerScatter });
      c.routerSteps = c.routerScatter.n;
    }
    if (c.wrongIds) {
      lists.push({ runId: c.runId, list: wrongList(c.configId), ids: c.wrongIds });
      c.wrongCount = c.wrongIds.length;
    }
    delete c.routerScatter;
    delete c.wrongIds;
  }
  await tx.table("routerScatters").bulkPut(scatters);
  await tx.table("idLists").bulkPut(lists);
  await tx.table("runs").bulkPut(runs);
  await tx.table("configs").bulkPut(configs);
}

/** Blocks written per bulkPut during the upgrade. */
const UPGRADE_CHUNK = 500;

/**
 * Version 1 → 2: regroup the step rows into one block per problem (v1's key order is run,
 * configuration, problem, index, so a problem's steps arrive together and in order), then count
 * each run's rows into `counts`.
 */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  const steps = tx.table<StepRowV1>("steps");
  const blocks = tx.table<StepBlockRow>("stepBlocks");
  const runs = tx.table<RunRow, string>("runs");
  const runIds = new Set([...((await runs.toCollection().primaryKeys()) as string[]), ...((await steps.orderBy("runId").uniqueKeys()) as string[])]);
  for (const runId of runIds) {
    // One run at a time, read with getAll (a cursor walk is far slower); rows come in primary-key
    // order: configuration, problem, index.
    const rows = await steps.where("runId").equals(runId).toArray();
    const runBlocks: StepBlockRow[] = [];
    let current: StepBlockRow | null = null;
    for (const row of rows) {
      const { runId: _r, configId, problemId, ...step } = row;
      if (current === null || current.configId !== configId || current.problemId !== problemId) {
        current = { runId, configId, problemId, steps: [] };
        runBlocks.push(current);
      }
      current.steps.push(step);
    }
    for (let i = 0; i < runBlocks.length; i += UPGRADE_CHUNK) await blocks.bulkPut(runBlocks.slice(i, i + UPGRADE_CHUNK));
    const [configs, problems] = await Promise.all([tx.table("configs").where("runId").equals(runId).count(), tx.table("problems").where("runId").equals(runId).count()]);
    await runs.update(runId, { counts: { configs, problems, steps: rows.length } });
  }
}

/** Where IndexedDB comes from: the browser's by default; tests pass fake-indexeddb's. */
export interface DbOptions {
  indexedDB?: unknown;
  IDBKeyRange?: unknown;
}

export class WorkbenchDb extends Dexie {
  runs!: Table<RunRow, string>;
  configs!: Table<ConfigRow, [string, string]>;
  problems!: Table<ProblemRow, [string, string, string]>;
  stepBlocks!: Table<StepBlockRow, [string, string, string]>;
  routerScatters!: Table<RouterScatterRow, [string, string]>;
  idLists!: Table<IdListRow, [string, string]>;

  constructor(name = DB_NAME, options: DbOptions = {}) {
    super(name, options as ConstructorParameters<typeof Dexie>[1]);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
    this.version(3).stores(SCHEMA_V3).upgrade(upgradeToV3);
  }
}

export function openWorkbenchDb(name = DB_NAME, options: DbOptions = {}): WorkbenchDb {
  return new WorkbenchDb(name, options);
}
