/**
 * The servers of one model and how many requests each may have in flight. A request takes a slot
 * on the least busy healthy endpoint (waiting in FIFO order when all are full) and gives it back
 * when its response is read — so N problems in flight are spread over the servers, and no server
 * ever sees more than its limit from this process.
 *
 * Health, two levels:
 *  - an attempt that failed (5xx, 429, dropped connection…) makes its endpoint "avoided" for the
 *    retry delay: the retry goes to another endpoint when one is free;
 *  - a request that found no server answering on every retry (connection refused, unreachable,
 *    timed out) makes the endpoints it tried "down" for `cooldownMs`: they get no requests, and
 *    while every endpoint is down a request fails at once with the last error instead of waiting
 *    through its retries — a dead server costs the sweep one slow failure per cooldown, not
 *    retries × problems. After the cooldown the next request probes it. (A server that answers,
 *    even with errors, is alive: those requests just use their retries.)
 */
import { WorkbenchError } from "../../../shared/errors.ts";
import type { ResolvedEndpoint } from "./config.ts";

interface EndpointState {
  baseUrl: string;
  limit: number;
  inFlight: number;
  avoidUntil: number;
  downUntil: number;
  lastError: string | null;
}

export interface Lease {
  baseUrl: string;
  release(): void;
}

interface Waiter {
  grant: (lease: Lease) => void;
  fail: (err: unknown) => void;
}

export class EndpointPool {
  private readonly endpoints: EndpointState[];
  private readonly waiters: Waiter[] = [];
  private turn = 0;
  /** Most requests seen in flight at once per endpoint (for reports and tests). */
  readonly peak = new Map<string, number>();

  constructor(
    endpoints: readonly ResolvedEndpoint[],
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (endpoints.length === 0) throw new WorkbenchError("usage", "an endpoint pool needs at least one endpoint");
    this.endpoints = endpoints.map((e) => ({ baseUrl: e.baseUrl, limit: e.concurrency, inFlight: 0, avoidUntil: 0, downUntil: 0, lastError: null }));
  }

  get size(): number {
    return this.endpoints.length;
  }

  /** Sum of the endpoints' concurrency limits. */
  get capacity(): number {
    return this.endpoints.reduce((a, e) => a + e.limit, 0);
  }

  /** Null while some endpoint is not resting; else the error to fail with at once. */
  private allDown(): WorkbenchError | null {
    const t = this.now();
    if (!this.endpoints.every((e) => e.downUntil > t)) return null;
    const last = this.endpoints.map((e) => `${e.baseUrl}: ${e.lastError ?? "failed"}`).join("; ");
    const wait = Math.ceil((Math.min(...this.endpoints.map((e) => e.downUntil)) - t) / 1000);
    return new WorkbenchError(
      "backend",
      `every endpoint failed its last request after all retries and rests for up to ${wait} s more (${last}); expected a server answering at ${this.endpoints.map((e) => e.baseUrl).join(", ")}`,
      { endpoints: this.endpoints.map((e) => e.baseUrl) },
    );
  }

  /**
   * The best free endpoint: never a resting one; an avoided one only when every endpoint that is not
   * resting is avoided (else wait for a healthy one to free up); least loaded; round robin on ties.
   */
  private pick(): EndpointState | null {
    const t = this.now();
    const up = this.endpoints.filter((e) => e.downUntil <= t);
    const healthyExists = up.some((e) => e.avoidUntil <= t);
    let best: EndpointState | null = null;
    let bestKey = Number.POSITIVE_INFINITY;
    const n = this.endpoints.length;
    for (let k = 0; k < n; k++) {
      const e = this.endpoints[(this.turn + k) % n] as EndpointState;
      if (e.inFlight >= e.limit || e.downUntil > t) continue;
      if (healthyExists && e.avoidUntil > t) continue;
      const key = e.inFlight / e.limit;
      if (key < bestKey) {
        best = e;
        bestKey = key;
      }
    }
    if (best) this.turn = (this.endpoints.indexOf(best) + 1) % n;
    return best;
  }

  private lease(e: EndpointState): Lease {
    e.inFlight++;
    this.peak.set(e.baseUrl, Math.max(this.peak.get(e.baseUrl) ?? 0, e.inFlight));
    let released = false;
    return {
      baseUrl: e.baseUrl,
      release: () => {
        if (released) return;
        released = true;
        e.inFlight--;
        this.drain();
      },
    };
  }

  /** Hands free slots to waiters in arrival order; fails them at once when every endpoint is down. */
  private drain(): void {
    while (this.waiters.length > 0) {
      const down = this.allDown();
      if (down) {
        for (const w of this.waiters.splice(0)) w.fail(down);
        return;
      }
      const e = this.pick();
      if (!e) return;
      (this.waiters.shift() as Waiter).grant(this.lease(e));
    }
  }

  /** A slot on an endpoint; waits while all are full. Rejects at once when every endpoint is down. */
  acquire(signal?: AbortSignal): Promise<Lease> {
    const down = this.allDown();
    if (down) return Promise.reject(down);
    if (signal?.aborted) return Promise.reject(new WorkbenchError("cancelled", "cancelled while waiting for a free server slot"));
    if (this.waiters.length === 0) {
      const e = this.pick();
      if (e) return Promise.resolve(this.lease(e));
    }
    return new Promise<Lease>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new WorkbenchError("cancelled", "cancelled while waiting for a free server slot"));
      };
      const waiter: Waiter = {
        grant: (l) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(l);
        },
        fail: (err) => {
          signal?.removeEventListener("abort", onAbort);
          reject(err);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** An attempt on this endpoint failed: prefer others for `ms`. */
  avoid(baseUrl: string, ms: number, error: string): void {
    const e = this.endpoints.find((x) => x.baseUrl === baseUrl);
    if (!e) return;
    e.avoidUntil = Math.max(e.avoidUntil, this.now() + ms);
    e.lastError = error;
  }

  /** A request found no server answering on any retry at these endpoints: rest them for the cooldown. */
  markDown(baseUrls: Iterable<string>, error: string): void {
    const until = this.now() + this.cooldownMs;
    for (const url of baseUrls) {
      const e = this.endpoints.find((x) => x.baseUrl === url);
      if (!e) continue;
      e.downUntil = until;
      e.lastError = error;
    }
    this.drain();
  }

  /** A request succeeded here: the endpoint is healthy again. */
  markOk(baseUrl: string): void {
    const e = this.endpoints.find((x) => x.baseUrl === baseUrl);
    if (!e) return;
    e.avoidUntil = 0;
    e.downUntil = 0;
  }
}
