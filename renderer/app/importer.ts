/**
 * Opening a run folder: its records come page by page through the API (runs.load) into the store
 * (store/import-run.ts, chunked, yielding), then the heavy aggregation runs in a Web Worker
 * (store/aggregate-worker.ts) — inline, still yielding, where a worker cannot start.
 */
import type { ApiClient } from "../../shared/api/index.ts";
import { aggregateRun } from "../store/aggregate.ts";
import { importRun, type ImportProgress, type RunPageInput } from "../store/import-run.ts";
import type { RunRow, WorkbenchDb } from "../store/schema.ts";

/** Records per runs.load page: small enough that parsing and validating one (on the UI thread) stays a short task even on a busy machine. */
export const PAGE_RECORDS = 250;

export interface ImportFolderOptions {
  spec?: Record<string, unknown> | null;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  onAggregating?: () => void;
  /** The run's row is stored (its plots can be drawn from summary.json while the traces arrive). */
  onStored?: (stored: { runId: string; recordsDone: number; recordsTotal: number; stepsWritten: number }) => void;
  /** Continue an import a closed tab cut off (store/import-run.ts). */
  resume?: boolean;
}

export async function importRunFolder(api: ApiClient, db: WorkbenchDb, dir: string, options: ImportFolderOptions = {}): Promise<RunRow | null> {
  const load = async (offset: number): Promise<RunPageInput> => (await api.runs.load({ dir, offset, limit: PAGE_RECORDS })) as RunPageInput;
  const run = await importRun(db, load, {
    spec: options.spec ?? null,
    resume: options.resume === true,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onStored
      ? { onStored: (r: RunRow) => options.onStored?.({ runId: r.id, recordsDone: r.counts.problems, recordsTotal: r.progress?.recordsTotal ?? 0, stepsWritten: r.counts.steps }) }
      : {}),
  });
  if (run === null) return null;
  options.onAggregating?.();
  await aggregateOffThread(db, run.id);
  return run;
}

interface WorkerReply {
  runId: string;
  ok: boolean;
  error?: string;
}

/** Runs aggregateRun in a worker; falls back to running it here when no worker can start. */
export async function aggregateOffThread(db: WorkbenchDb, runId: string): Promise<void> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./aggregate-worker.js", document.baseURI), { type: "module", name: "aggregate" });
  } catch {
    await aggregateRun(db, runId);
    return;
  }
  const ran = await new Promise<boolean>((resolve) => {
    // A reply means the worker ran the aggregation (a failure is recorded in the run's row).
    worker.onmessage = (_e: MessageEvent<WorkerReply>) => resolve(true);
    // A worker script that fails to load (not built, blocked) reports an error event, not a reply.
    worker.onerror = (e) => {
      e.preventDefault();
      resolve(false);
    };
    worker.postMessage({ runId, dbName: db.name });
  });
  worker.terminate();
  if (!ran) await aggregateRun(db, runId);
}
