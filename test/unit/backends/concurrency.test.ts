/** Several things at once: the worker pool the sweep uses for remote models, and the step cache computing a key once. */
import { describe, expect, it } from "vitest";
import { forEachConcurrent, sleep } from "../../../main/backends/concurrency.ts";
import type { CacheValue } from "../../../main/speculation/step-cache.ts";
import { StepCache } from "../../../main/speculation/step-cache.ts";

describe("forEachConcurrent", () => {
  it("runs every item, at most `limit` at once, starting in list order", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await forEachConcurrent([5, 1, 4, 2, 3, 0], 3, async (ms, i) => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await sleep(ms * 3);
      running--;
    });
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(3);
  });

  it("starts nothing new once told to stop, and waits for what runs", async () => {
    const done: number[] = [];
    let stop = false;
    await forEachConcurrent(
      [0, 1, 2, 3, 4, 5],
      2,
      async (i) => {
        await sleep(5);
        done.push(i);
        if (i === 0) stop = true; // set while item 1 still runs
      },
      () => stop,
    );
    expect(done.sort()).toEqual([0, 1]);
  });

  it("rethrows the first error after the running calls settle", async () => {
    const settled: number[] = [];
    await expect(
      forEachConcurrent([0, 1, 2, 3], 2, async (i) => {
        await sleep(i === 0 ? 1 : 10);
        settled.push(i);
        if (i === 0) throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(settled).toEqual([0, 1]);
  });
});

describe("StepCache.getOrCompute", () => {
  const value = (score: number): CacheValue => ({ kind: "score", score, ms: 1, tokens: 3 });

  it("computes a key once for callers that ask at the same time, and persists it once", async () => {
    const sunk: string[] = [];
    const cache = new StepCache([], (e) => sunk.push(e.k));
    let calls = 0;
    const compute = async () => {
      calls++;
      await sleep(5);
      return value(0.5);
    };
    const results = await Promise.all([cache.getOrCompute("k", compute), cache.getOrCompute("k", compute), cache.getOrCompute("k", compute)]);
    expect(calls).toBe(1);
    expect(results.map((r) => r.computed)).toEqual([true, false, false]);
    expect(results.every((r) => r.value === results[0]?.value)).toBe(true);
    expect(sunk).toEqual(["k"]);
    expect((await cache.getOrCompute("k", compute)).computed).toBe(false);
  });

  it("stores nothing when the computation fails, so the next caller tries again", async () => {
    const cache = new StepCache();
    await expect(cache.getOrCompute("k", async () => Promise.reject(new Error("server down")))).rejects.toThrow("server down");
    expect(cache.get("k")).toBeUndefined();
    expect((await cache.getOrCompute("k", async () => value(0.1))).computed).toBe(true);
  });
});
