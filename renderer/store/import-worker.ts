/**
 * Web Worker entry: imports one run folder (import-run.ts) away from the UI thread. Fetching each
 * runs.load page, parsing and validating it and writing its rows to IndexedDB (a structured clone
 * per row) cost a large run minutes of main-thread time in short tasks whose garbage collections
 * froze the page for 100-350 ms at a time; here none of it touches the page's thread. The worker
 * reaches the API itself — over HTTP in serve mode (the page's origin and token), over a
 * MessagePort to the main process in the desktop app (shared/api/transports/port.ts) — opens the
 * same IndexedDB database, and reports the page's progress callbacks as messages.
 */
import { createApiClient } from "../../shared/api/client.ts";
import { httpTransport } from "../../shared/api/transports/http.ts";
import { portTransport } from "../../shared/api/transports/port.ts";
import { importRun, type RunPageInput } from "./import-run.ts";
import { openWorkbenchDb } from "./schema.ts";

/** How the worker reaches the API: serve mode's HTTP, or the desktop app's MessagePort to main (transferred with the message). */
export type WorkerApi = { kind: "http"; origin: string; token: string } | { kind: "port"; port: MessagePort };

export interface ImportWorkerStart {
  type: "start";
  api: WorkerApi;
  dbName: string;
  dir: string;
  pageRecords: number;
  spec: Record<string, unknown> | null;
  resume: boolean;
}

export type ImportWorkerReply =
  | { type: "stored"; runId: string; recordsDone: number; recordsTotal: number; stepsWritten: number }
  | { type: "progress"; runId: string; recordsDone: number; recordsTotal: number; stepsWritten: number }
  | { type: "done"; runId: string | null }
  | { type: "error"; message: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<ImportWorkerStart | { type: "cancel" }>) => void) | null;
  postMessage(message: ImportWorkerReply): void;
}

const scope = self as unknown as WorkerScope;
const ctrl = new AbortController();
/** Progress goes to the page at most this often (each message re-renders the import's labels). */
const PROGRESS_EVERY_MS = 200;

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === "cancel") {
    ctrl.abort();
    return;
  }
  const port = msg.api.kind === "port" ? portTransport(msg.api.port) : null;
  const api = createApiClient(msg.api.kind === "http" ? httpTransport(msg.api.origin, msg.api.token) : port!);
  const db = openWorkbenchDb(msg.dbName);
  const load = async (offset: number): Promise<RunPageInput> => (await api.runs.load({ dir: msg.dir, offset, limit: msg.pageRecords })) as RunPageInput;
  let lastProgress = 0;
  importRun(db, load, {
    spec: msg.spec,
    resume: msg.resume,
    signal: ctrl.signal,
    onStored: (r) => scope.postMessage({ type: "stored", runId: r.id, recordsDone: r.counts.problems, recordsTotal: r.progress?.recordsTotal ?? 0, stepsWritten: r.counts.steps }),
    onProgress: (p) => {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_EVERY_MS && p.recordsDone < p.recordsTotal) return;
      lastProgress = now;
      scope.postMessage({ type: "progress", ...p });
    },
  })
    .then((run) => scope.postMessage({ type: "done", runId: run === null ? null : run.id }))
    .catch((err: unknown) => scope.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) }))
    .finally(() => {
      db.close();
      port?.close();
    });
};
