/**
 * Running several things at once without running too many: a worker pool over a list (the sweep's
 * (configuration, problem) pairs when every model is remote) and an abortable sleep (retry
 * backoff). Single-threaded JS: "at once" means awaiting several requests, not threads.
 */
import { WorkbenchError } from "../../shared/errors.ts";

/**
 * Calls `fn` on every item with at most `limit` calls pending, starting items in list order.
 * `stop()` is checked before each start: once it says true, nothing new starts and the pending
 * calls are awaited. The first error thrown by `fn` stops new starts and is rethrown after the
 * pending calls settle (so no call is left running behind the caller's back).
 */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new WorkbenchError("usage", `a concurrency limit must be a whole number >= 1, found ${limit}`);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length && !stop()) {
      const index = next++;
      try {
        await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/** Waits `ms`, or rejects with a "cancelled" error as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new WorkbenchError("cancelled", "cancelled while waiting to retry"));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new WorkbenchError("cancelled", "cancelled while waiting to retry"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
