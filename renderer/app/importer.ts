/**
 * Opening a run folder: its records come page by page through the API (runs.load) into the store
 * (store/import-run.ts) in a Web Worker (store/import-worker.ts) that reaches the API itself (serve
 * mode: HTTP; the desktop app: a MessagePort to main, app/worker-api.ts) — on the UI thread, chunked
 * and yielding, only where no worker can — then the heavy aggregation runs in a Web Worker
 * (store/aggregate-worker.ts) — inline, still yielding, where a worker cannot start.
 */
import type { ApiClient } from "../../shared/api/index.ts";
import type { ImportWorkerReply, ImportWorkerStart } from "../store/import-worker.ts";
import { aggregateRun } from "../store/aggregate.ts";
import { importRun, type ImportProgress, type RunPageInput } from "../store/import-run.ts";
import type { RunRow, WorkbenchDb } from "../store/schema.ts";
import { workerApi } from "./worker-api.ts";

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
  const offThread = await importInWorker(db, dir, options);
  if (offThread !== "no-worker") {
    if (offThread === null) return null;
    const run = await db.runs.get(offThread);
    if (run === undefined) return null;
    options.onAggregating?.();
    await aggregateOffThread(db, run.id);
    return run;
  }
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

/**
 * Runs the import in a worker (store/import-worker.ts) so that fetching, parsing and storing the
 * pages never runs on the UI thread. The stored run's id; null when cancelled; "no-worker" where
 * no worker can do it (no way for a worker to reach the API, or a worker script that does not
 * load): the caller imports here instead, chunked and yielding.
 */
async function importInWorker(db: WorkbenchDb, dir: string, options: ImportFolderOptions): Promise<string | null | "no-worker"> {
  if ((globalThis as { Worker?: unknown }).Worker === undefined) return "no-worker";
  const api = await workerApi();
  if (api === null) return "no-worker";
  let worker: Worker;
  try {
    worker = new Worker(new URL("./import-worker.js", document.baseURI), { type: "module", name: "import" });
  } catch {
    if (api.kind === "port") api.port.close();
    return "no-worker";
  }
  const onAbort = () => worker.postMessage({ type: "cancel" });
  options.signal?.addEventListener("abort", onAbort);
  try {
    return await new Promise<string | null | "no-worker">((resolve, reject) => {
      let heard = false;
      worker.onmessage = (e: MessageEvent<ImportWorkerReply>) => {
        heard = true;
        const m = e.data;
        if (m.type === "stored") options.onStored?.({ runId: m.runId, recordsDone: m.recordsDone, recordsTotal: m.recordsTotal, stepsWritten: m.stepsWritten });
        else if (m.type === "progress") options.onProgress?.({ runId: m.runId, recordsDone: m.recordsDone, recordsTotal: m.recordsTotal, stepsWritten: m.stepsWritten });
        else if (m.type === "done") resolve(m.runId);
        else reject(new Error(m.message));
      };
      // A worker script that fails to load reports an error event before any message: import here.
      worker.onerror = (e) => {
        e.preventDefault();
        if (!heard) resolve("no-worker");
        else reject(new Error(`the import worker failed: ${e.message}`));
      };
      const start: ImportWorkerStart = { type: "start", api, dbName: db.name, dir, pageRecords: PAGE_RECORDS, spec: options.spec ?? null, resume: options.resume === true };
      worker.postMessage(start, api.kind === "port" ? [api.port] : []);
    });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    worker.terminate();
  }
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
