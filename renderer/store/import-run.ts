/**
 * Imports a run folder into the store, page by page as the main side serves it (runs.load), so a
 * run of 500,000 steps never sits whole in memory and never blocks the UI: rows go in with bulkPut
 * in chunks of about `chunkSize` step records, each chunk its own short transaction, and the event
 * loop runs between chunks (input and paint stay live; progress is reported after every chunk). Heavy aggregation is not done here:
 * per-configuration metrics come pre-aggregated in summary.json, and what is left (the router
 * scatter, or a summary for a run without one) runs off the UI thread afterwards (aggregate.ts).
 *
 * The run's row (with summary.json) is stored before any record, so its plots can be drawn at once
 * while the traces fill in; after every page the row records how far the import got (`progress`),
 * so an import cut off by a closed tab can resume from there (`resume`) or be cleaned up.
 *
 * Re-importing a run first deletes what the store holds of it, so a run never mixes two imports.
 * Cancelled (signal) or failed midway, the partial copy is deleted again.
 */
import type { CostSummary } from "../../shared/api/schemas/run.ts";
import type { ProblemRecord, SweepSummary } from "../../shared/results.ts";
import type { ConfigRow, ProblemRow, RunRow, StepBlockRow, WorkbenchDb } from "./schema.ts";
import { deleteRun } from "./queries.ts";
import { yieldToEventLoop } from "./yield.ts";

/** One page of a run as runs.load serves it (the fields the import reads). */
export interface RunPageInput {
  dir: string;
  run: Record<string, unknown>;
  summary: (SweepSummary & { complete?: boolean }) | null;
  /** calibration.json in brief (first page only). */
  costs?: CostSummary | null;
  records: ProblemRecord[];
  offset: number;
  total: number;
  nextOffset: number | null;
  skipped: { line: number; reason: string }[];
}

export type PageLoader = (offset: number) => Promise<RunPageInput>;

export interface ImportProgress {
  runId: string;
  recordsDone: number;
  recordsTotal: number;
  stepsWritten: number;
}

export interface ImportOptions {
  /** Step records per bulkPut (of step blocks, or of problem rows weighed by their steps) (default 1000). */
  chunkSize?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** The spec as given, for runs started from the app (resume sends it back). */
  spec?: Record<string, unknown> | null;
  /** Clock for importedAt (tests). */
  now?: () => Date;
  /**
   * Continue an import that stopped midway (its row still "importing") from the journal line it
   * reached, keeping what is stored; without a row to continue, import from the start.
   */
  resume?: boolean;
  /** Called once the run's row (meta, summary, configurations) is stored, before its records. */
  onStored?: (run: RunRow) => void;
}

interface ResolvedMeta {
  name?: unknown;
  configurations?: unknown;
}

function configurationsOf(meta: Record<string, unknown>): { id: string; method: ConfigRow["method"]; threshold: number | null }[] {
  const resolved = (meta.resolved ?? {}) as ResolvedMeta;
  return Array.isArray(resolved.configurations) ? (resolved.configurations as ReturnType<typeof configurationsOf>) : [];
}

function cancelled(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Writes `rows` in chunks whose `weight` (a block's step count; 1 for a problem row) adds up to
 * about `chunkSize`, yielding to the event loop after each. Returns early once `signal` aborts.
 */
async function putChunked<T>(
  put: (rows: T[]) => Promise<unknown>,
  rows: T[],
  weight: (row: T) => number,
  chunkSize: number,
  afterChunk: (weight: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  let i = 0;
  while (i < rows.length) {
    if (cancelled(signal)) return;
    let w = 0;
    let j = i;
    while (j < rows.length && (j === i || w + weight(rows[j] as T) <= chunkSize)) w += weight(rows[j++] as T);
    await put(rows.slice(i, j));
    afterChunk(w);
    i = j;
    await yieldToEventLoop();
  }
}

export function problemRow(runId: string, r: ProblemRecord): ProblemRow {
  return {
    runId,
    configId: r.config.id,
    problemId: r.problemId,
    level: r.level,
    subject: r.subject,
    completion: r.completion,
    extracted: r.extracted,
    correct: r.correct,
    correctStrict: r.correctStrict,
    stopReason: r.stopReason,
    tokens: r.tokens,
    latencyMs: r.latencyMs,
    harnessMs: r.harnessMs,
    error: r.error ?? null,
    stepCount: r.steps.length,
  };
}

export async function importRun(db: WorkbenchDb, load: PageLoader, options: ImportOptions = {}): Promise<RunRow | null> {
  const chunkSize = options.chunkSize ?? 1000;
  const now = options.now ?? (() => new Date());
  const probe = options.resume ? await load(0) : null;
  const previous = probe !== null ? await db.runs.get(probe.dir) : undefined;
  const continuing = previous !== undefined && previous.status === "importing" && previous.progress !== undefined;
  const startAt = continuing ? previous.progress!.journalLines : 0;
  const first = probe !== null && startAt === 0 ? probe : await load(startAt);
  const runId = first.dir;
  if (!continuing) await deleteRun(db, runId);

  const meta = first.run;
  const summary = first.summary;
  const configurations = configurationsOf(meta);
  const resolvedName = (meta.resolved as ResolvedMeta | undefined)?.name;
  const run: RunRow = {
    id: runId,
    dir: first.dir,
    name: typeof resolvedName === "string" ? resolvedName : first.dir.split(/[\\/]/).pop() || first.dir,
    startedAt: typeof meta.started === "string" ? meta.started : null,
    importedAt: continuing ? previous.importedAt : now().toISOString(),
    status: "importing",
    complete: summary?.complete === true,
    meta,
    summary: summary === null ? null : { runs: summary.runs, matchedAccuracy: summary.matchedAccuracy, oracleMatchedAccuracy: summary.oracleMatchedAccuracy, speedupAtMatchedAccuracy: summary.speedupAtMatchedAccuracy, speedupDetail: summary.speedupDetail, cache: summary.cache, problems: summary.problems },
    summarySource: summary === null ? null : "file",
    spec: options.spec ?? (continuing ? previous.spec : null),
    skipped: continuing ? previous.skipped : [],
    aggregates: { state: "pending", routerSteps: null, routerNote: null, error: null },
    counts: continuing ? { ...previous.counts, configs: configurations.length } : { configs: configurations.length, problems: 0, steps: 0 },
    progress: { journalLines: startAt, recordsTotal: first.total },
    costs: probe?.costs ?? first.costs ?? null,
  };
  await db.runs.put(run);
  const bySummary = new Map((summary?.runs ?? []).map((c) => [c.id, c]));
  await db.configs.bulkPut(
    configurations.map((c, order) => ({ runId, configId: c.id, method: c.method, threshold: c.threshold, order, summary: bySummary.get(c.id) ?? null })),
  );
  options.onStored?.(run);

  const progress: ImportProgress = { runId, recordsDone: run.counts.problems, recordsTotal: first.total, stepsWritten: run.counts.steps };
  const skipped: RunRow["skipped"] = [...run.skipped];
  let page: RunPageInput | null = first;
  try {
    while (page !== null) {
      skipped.push(...page.skipped);
      progress.recordsTotal = Math.max(page.total, progress.recordsTotal);
      const problems = page.records.map((r) => problemRow(runId, r));
      const blocks: StepBlockRow[] = page.records.filter((r) => r.steps.length > 0).map((r) => ({ runId, configId: r.config.id, problemId: r.problemId, steps: r.steps }));
      // A problem row carries its completion, about as heavy as its steps: weigh it like them.
      await putChunked((rows) => db.problems.bulkPut(rows), problems, (p) => 1 + p.stepCount, chunkSize, () => undefined, options.signal);
      await putChunked(
        (rows) => db.stepBlocks.bulkPut(rows),
        blocks,
        (b) => b.steps.length,
        chunkSize,
        (n) => {
          progress.stepsWritten += n;
          options.onProgress?.({ ...progress });
        },
        options.signal,
      );
      if (cancelled(options.signal)) break;
      progress.recordsDone += page.records.length;
      run.counts.problems += problems.length;
      run.counts.steps += blocks.reduce((a, b) => a + b.steps.length, 0);
      // How far this import got: a tab closed now resumes after this page.
      run.progress = { journalLines: page.nextOffset ?? page.total, recordsTotal: progress.recordsTotal };
      await db.runs.update(runId, { counts: run.counts, progress: run.progress, skipped: skipped.slice(0, 200) });
      options.onProgress?.({ ...progress });
      page = page.nextOffset === null ? null : await load(page.nextOffset);
    }
  } catch (err) {
    await deleteRun(db, runId);
    throw err;
  }
  if (cancelled(options.signal)) {
    await deleteRun(db, runId);
    return null;
  }
  run.status = "ready";
  run.skipped = skipped.slice(0, 200);
  await db.runs.update(runId, { status: run.status, skipped: run.skipped, counts: run.counts, progress: run.progress });
  return run;
}
