/**
 * The renderer's local store (IndexedDB through Dexie): runs imported from run folders, split into
 * rows that the screens query by run and configuration. A run folder stays the source of truth;
 * deleting a run here removes only this copy.
 *
 * Tables and keys:
 *   runs      id = the run folder's path on the main side        index: startedAt
 *   configs   [runId+configId]                                  index: runId
 *   problems  [runId+configId+problemId]                        index: runId, [runId+configId], (v2) [runId+problemId]
 *   steps     [runId+configId+problemId+index]                  index: runId, [runId+configId]
 * Compound primary keys make an import idempotent: writing the same record twice overwrites it.
 *
 * Versions (each `version(n)` keeps its schema; Dexie diffs them and runs the upgrades in order):
 *   1  the tables above.
 *   2  problems gain the [runId+problemId] index (the trace viewer lists every configuration of a
 *      problem); runs gain `counts` (configurations, problems, steps), backfilled by counting.
 */
import Dexie, { type Table, type Transaction } from "dexie";
import type { ComponentMs, ConfigSummary, Method, ProblemStopReason, StepRecord, SweepSummary, TokenCounts } from "../../shared/results.ts";
import type { ErrorRecord } from "../../shared/errors.ts";
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
  /** Why no scatter: no Arbitrage + oracle/generate configurations meeting the same steps. */
  routerNote: string | null;
  error: string | null;
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
}

export interface ConfigRow {
  runId: string;
  configId: string;
  method: Method;
  threshold: number | null;
  /** Position in the run's configuration list (the order plots and tables use). */
  order: number;
  summary: ConfigSummary | null;
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

export interface StepRow extends StepRecord {
  runId: string;
  configId: string;
  problemId: string;
}

export const SCHEMA_V1 = {
  runs: "id, startedAt",
  configs: "[runId+configId], runId",
  problems: "[runId+configId+problemId], runId, [runId+configId]",
  steps: "[runId+configId+problemId+index], runId, [runId+configId]",
};

export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  problems: "[runId+configId+problemId], runId, [runId+configId], [runId+problemId]",
};

/** Version 1 → 2: count each run's rows into `counts` (v1 runs have none). */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  const runs = tx.table<RunRow, string>("runs");
  const ids = (await runs.toCollection().primaryKeys()) as string[];
  for (const id of ids) {
    const [configs, problems, steps] = await Promise.all([
      tx.table("configs").where("runId").equals(id).count(),
      tx.table("problems").where("runId").equals(id).count(),
      tx.table("steps").where("runId").equals(id).count(),
    ]);
    await runs.update(id, { counts: { configs, problems, steps } });
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
  steps!: Table<StepRow, [string, string, string, number]>;

  constructor(name = DB_NAME, options: DbOptions = {}) {
    super(name, options as ConstructorParameters<typeof Dexie>[1]);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
  }
}

export function openWorkbenchDb(name = DB_NAME, options: DbOptions = {}): WorkbenchDb {
  return new WorkbenchDb(name, options);
}
