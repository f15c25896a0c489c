/**
 * Runs async calls one after another, in the order they were made. A model's calls share its KV
 * cache and buffers; concurrent callers (a server handling several requests, Promise.all over
 * problems) would otherwise interleave runs on one cache. A failed call does not stop the queue.
 */
export class CallQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
