/**
 * The renderer's local store (IndexedDB through Dexie): runs imported from run folders, split into
 * rows that the screens query by run and configuration. A run folder stays the source of truth;
 * deleting a run here removes only this copy.
 *
 * Tables and keys (version 2):
 *   runs        id = the run folder's path on the main side      index: startedAt
 *   configs     [runId+configId]                                index: runId
 *   problems    [runId+configId+problemId]                      index: runId, [runId+configId], [runId+problemId]
 *   stepBlocks  [runId+configId+problemId]: one problem's steps  index: runId, [runId+configId]
 * Compound primary keys make an import idempotent: writing the same record twice overwrites it.
 * Problems (small, listed and counted) and their steps (heavy, read one problem or one
 * configuration at a time) are apart, so listing never drags step texts along.
 *
 * Versions (each `version(n)` keeps its schema; Dexie diffs them and runs the upgrades in order):
 *   1  `steps`: one row per step record, key [runId+configId+problemId+index].
 *   2  `stepBlocks` replaces `steps`: one row per problem holding its step records. IndexedDB pays
 *      mostly per row written (a structured clone and a backend round trip each); a run of 500,000
 *      steps is ~50,000 blocks instead of 500,000 rows, about ten times faster to import, and no
 *      screen queries single steps. The upgrade regroups v1's step rows into blocks. Also new: the
 *      problems' [runId+problemId] index (the trace viewer lists every configuration of a problem)
 *      and each run's `counts`, backfilled by counting.
 */
import Dexie, { type Table, type Transaction } from "dexie";
import type { ComponentMs, ConfigSummary, Method, ProblemStopReason, StepRecord, SweepSummary, TokenCounts } from "../../shared/results.ts";
import type { ErrorRecord } from "../../shared/errors.ts";
import type { CostSummary } from "../../shared/api/schemas/run.ts";
import type { RouterScatterData } from "../../shared/plots/types.ts";

export const DB_NAME = "arbitrage-workbench";
export const DB_VERSION = 2;

export interface RunCounts {
  configs: number;
  problems: number;
  steps: number;
}

/** Work done off the UI thread after an import (shared/plots' heavier transforms). */
export interface RunAggregates {
  state: "pending" | "ready" | "failed";
  /** Router score vs oracle Δ with ρ, its bootstrap interval and calibration; null without pairs. */
  routerScatter: RouterScatterData | null;
  /**
   * The same for each Arbitrage configuration's own steps (the plot's configuration picker): in rows
   * stored before they moved to each configuration's row (ConfigRow.routerScatter), which keeps this
   * row — read again by every live query of it — small.
   */
  routerScatterByConfig?: Record<string, RouterScatterData>;
  /** Why no scatter: no Arbitrage + oracle/generate configurations meeting the same steps. */
  routerNote: string | null;
  error: string | null;
  /** Problems some configurations got right and others wrong (the trace viewer's filter); absent in older rows. */
  problemsDisagree?: string[];
}

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
  /** Router score vs Δ over this (Arbitrage) configuration's own steps, from the aggregator; absent otherwise. */
  routerScatter?: RouterScatterData | null;
  /** The problems this configuration got wrong (the toolkit's grader), from the aggregator: the trace viewer's "wrong only" list. Absent until then. */
  wrongIds?: string[];
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

  constructor(name = DB_NAME, options: DbOptions = {}) {
    super(name, options as ConstructorParameters<typeof Dexie>[1]);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
  }
}

export function openWorkbenchDb(name = DB_NAME, options: DbOptions = {}): WorkbenchDb {
  return new WorkbenchDb(name, options);
}
