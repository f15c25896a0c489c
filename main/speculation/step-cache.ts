/**
 * The step cache shared by every configuration of a sweep. Decoding is deterministic given
 * (seed, context), so a step — the draft's, the target's — and a score — the PRM's, the router's —
 * depend only on their input: computed once, looked up by every configuration that reaches the same
 * context. Entries are persisted as they are made (a sink, e.g. the run folder's step-cache
 * journal), so a killed sweep resumes without recomputing them.
 */
import { createHash } from "node:crypto";
import type { LmStopReason } from "../../shared/results.ts";
import type { StepFeatures } from "./step-oracle.ts";

/**
 * A generated step, what is needed to replay its latency along any path (its token ids and how
 * many were fed), and the stopwatch readings of the one time it was computed (kept for the record;
 * replay prices calls with the run's calibrated costs).
 */
export interface CachedLmStep {
  kind: "lm";
  text: string;
  stopReason: LmStopReason;
  tokenIds: number[];
  /** How many of tokenIds were fed into the model's KV cache (see StepOutput.fed). */
  fed: number;
  tokens: number;
  features: StepFeatures;
  tokenizeMs: number;
  /** The decode loop after the cache was synced to the context. */
  decodeMs: number;
  /** The sync when the step was computed (it depends on the path it happened to be computed on). */
  prefillMs: number;
  prefillTokens: number;
  /** A remote model's token counts as its server reported them (usage), for the record. */
  server?: { promptTokens: number | null; completionTokens: number | null; cachedTokens: number | null };
  /**
   * A local model's computation as a sample for the run's cost fit (live-cost-fit.ts): its role,
   * the context's size, and whether the call computed just before it on its path was its own.
   */
  call?: { role: "draft" | "target"; chars: number; length: number; afterSelf: boolean; afterScorer?: boolean; atStart?: boolean };
}

export interface CachedScore {
  kind: "score";
  score: number;
  ms: number;
  tokens: number;
  /** A local scorer's computation as a sample for the cost fit: its role and the prefix it reused. */
  call?: { role: "prm" | "router"; reused: number };
}

export type CacheValue = CachedLmStep | CachedScore;

export interface CacheEntry {
  k: string;
  v: CacheValue;
}

export function cacheKey(namespace: string, input: string): string {
  return createHash("sha256").update(namespace).update("\u0000").update(input).digest("base64url");
}

export class StepCache {
  private readonly map = new Map<string, CacheValue>();
  /** Computations under way, so problems in flight at once that reach one context compute it once. */
  private readonly pending = new Map<string, Promise<CacheValue>>();

  constructor(
    initial: Iterable<CacheEntry> = [],
    private readonly sink: ((entry: CacheEntry) => void) | null = null,
  ) {
    for (const e of initial) this.map.set(e.k, e.v);
  }

  get(key: string): CacheValue | undefined {
    return this.map.get(key);
  }

  put(key: string, value: CacheValue): void {
    if (this.map.has(key)) return;
    this.map.set(key, value);
    this.sink?.({ k: key, v: value });
  }

  /**
   * The cached value, or the one `compute` makes (stored and persisted); a key already being
   * computed by another caller is awaited, not computed again. `computed` says whether this call
   * did the work. A failed computation stores nothing (the next caller tries again).
   */
  async getOrCompute(key: string, compute: () => Promise<CacheValue>): Promise<{ value: CacheValue; computed: boolean }> {
    const hit = this.map.get(key);
    if (hit) return { value: hit, computed: false };
    const running = this.pending.get(key);
    if (running) return { value: await running, computed: false };
    const p = compute();
    this.pending.set(key, p);
    try {
      const value = await p;
      this.put(key, value);
      return { value, computed: true };
    } finally {
      this.pending.delete(key);
    }
  }

  /** Distinct generated steps held (the cost a sweep actually paid in generation). */
  lmSteps(): number {
    let n = 0;
    for (const v of this.map.values()) if (v.kind === "lm") n++;
    return n;
  }

  /** Every value held (computed by this process or read back from the journal). */
  values(): IterableIterator<CacheValue> {
    return this.map.values();
  }

  get size(): number {
    return this.map.size;
  }
}
