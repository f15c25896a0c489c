import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import { bootstrapCI } from "../../../../shared/stats/bootstrap.ts";
import { createRng, hashSeed } from "../../../../shared/stats/random.ts";
import { spearman } from "../../../../shared/stats/spearman.ts";
import { mean, standardDeviation } from "../../../../shared/stats/summary.ts";

/** A well-behaved sample: y = x + noise, x and noise uniform, from a fixed seed. */
function noisyLine(n: number, seed: string): { x: number[]; y: number[] } {
  const rng = createRng(hashSeed(seed));
  const x = Array.from({ length: n }, () => rng.float());
  const y = x.map((v) => v + 0.5 * (rng.float() - 0.5));
  return { x, y };
}

const meanOfX = (x: readonly number[]) => mean(x);

describe("bootstrapCI", () => {
  const { x, y } = noisyLine(200, "bootstrap-test");

  it("gives the same interval for the same seed", () => {
    const a = bootstrapCI(x, y, spearman, { seed: 123 });
    const b = bootstrapCI(x, y, spearman, { seed: 123 });
    expect(b).toEqual(a);
    expect(bootstrapCI(x, y, spearman, { seed: "run-7" })).toEqual(
      bootstrapCI(x, y, spearman, { seed: "run-7" }),
    );
  });

  it("gives a different interval for a different seed", () => {
    const a = bootstrapCI(x, y, spearman, { seed: 1 });
    const b = bootstrapCI(x, y, spearman, { seed: 2 });
    expect(b.interval).not.toEqual(a.interval);
    expect(b.estimate).toBe(a.estimate);
  });

  it("reports the estimate on the full sample and an interval around it", () => {
    const r = bootstrapCI(x, y, spearman, { seed: 0 });
    expect(r.estimate).toBe(spearman(x, y));
    expect(r.resamples).toBe(1000);
    expect(r.level).toBe(0.95);
    expect(r.validResamples).toBe(1000);
    const [lo, hi] = r.interval!;
    expect(lo).toBeLessThan(r.estimate!);
    expect(hi).toBeGreaterThan(r.estimate!);
    expect(lo).toBeGreaterThan(0.5); // a strong, clearly positive relation
    expect(hi).toBeLessThanOrEqual(1);
  });

  it("agrees with normal theory for the mean: x̄ ± 1.96·s/√n", () => {
    const r = bootstrapCI(x, y, meanOfX, { seed: 5, resamples: 2000 });
    const m = mean(x)!;
    const se = standardDeviation(x)! / Math.sqrt(x.length);
    const [lo, hi] = r.interval!;
    expect(hi - lo).toBeGreaterThan(0.85 * 2 * 1.96 * se);
    expect(hi - lo).toBeLessThan(1.15 * 2 * 1.96 * se);
    expect((lo + hi) / 2).toBeCloseTo(m, 2);
  });

  it("widens with the level and narrows with more data", () => {
    const i90 = bootstrapCI(x, y, spearman, { seed: 0, level: 0.9 }).interval!;
    const i99 = bootstrapCI(x, y, spearman, { seed: 0, level: 0.99 }).interval!;
    expect(i99[0]).toBeLessThan(i90[0]);
    expect(i99[1]).toBeGreaterThan(i90[1]);
    const big = noisyLine(2000, "bootstrap-test-big");
    const iBig = bootstrapCI(big.x, big.y, spearman, { seed: 0, resamples: 200 }).interval!;
    const iSmall = bootstrapCI(x, y, spearman, { seed: 0, resamples: 200 }).interval!;
    expect(iBig[1] - iBig[0]).toBeLessThan(iSmall[1] - iSmall[0]);
  });

  it("resamples pairs (same length, pairs kept together) the configured number of times", () => {
    const n = 17;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((i) => 10 * i);
    let calls = 0;
    bootstrapCI(xs, ys, (a, b) => {
      calls++;
      expect(a).toHaveLength(n);
      for (let i = 0; i < n; i++) expect(b[i]).toBe(10 * a[i]!);
      return 0;
    }, { resamples: 50 });
    expect(calls).toBe(1 + 50); // the full sample, then each replicate
  });

  it("leaves out replicates where the statistic is undefined, and says how many remain", () => {
    // Nine zeros and one 1: a replicate without the 1 (probability 0.9^10 ≈ 0.35) has constant x,
    // and Spearman ρ is undefined there.
    const xs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const ys = [3, 1, 4, 1, 5, 9, 2, 6, 5, 8];
    const r = bootstrapCI(xs, ys, spearman, { seed: 0 });
    expect(r.validResamples).toBeGreaterThan(550);
    expect(r.validResamples).toBeLessThan(750);
    expect(r.interval).not.toBeNull();
  });

  it("has no interval when nothing is defined", () => {
    expect(bootstrapCI([], [], spearman).interval).toBeNull();
    const constant = bootstrapCI([1, 1, 1], [1, 2, 3], spearman);
    expect(constant.estimate).toBeNull();
    expect(constant.interval).toBeNull();
    expect(constant.validResamples).toBe(0);
  });

  it("rejects a bad level, resample count or lengths", () => {
    expect(() => bootstrapCI(x, y, spearman, { level: 1 })).toThrow(WorkbenchError);
    expect(() => bootstrapCI(x, y, spearman, { level: 0 })).toThrow(WorkbenchError);
    expect(() => bootstrapCI(x, y, spearman, { resamples: 0 })).toThrow(WorkbenchError);
    expect(() => bootstrapCI(x, y, spearman, { resamples: 2.5 })).toThrow(WorkbenchError);
    expect(() => bootstrapCI([1, 2], [1], spearman)).toThrow(WorkbenchError);
  });
});
