/**
 * Web Worker entry: aggregates one run (aggregate.ts) away from the UI thread. The worker opens
 * the same IndexedDB database; the page sees the result through its live queries.
 */
import { aggregateRun } from "./aggregate.ts";
import { openWorkbenchDb } from "./schema.ts";

interface WorkerScope {
  onmessage: ((e: MessageEvent<{ runId: string; dbName: string }>) => void) | null;
  postMessage(message: unknown): void;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (e) => {
  const { runId, dbName } = e.data;
  const db = openWorkbenchDb(dbName);
  aggregateRun(db, runId)
    .then((a) => scope.postMessage({ runId, ok: a.state !== "failed", ...(a.error ? { error: a.error } : {}) }))
    .catch((err: unknown) => scope.postMessage({ runId, ok: false, error: err instanceof Error ? err.message : String(err) }))
    .finally(() => db.close());
};
