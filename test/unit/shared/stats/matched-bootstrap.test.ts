import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import { bootstrapMatchedSpeedup, type OutcomeColumn } from "../../../../shared/stats/matched-bootstrap.ts";
import { createRng, hashSeed } from "../../../../shared/stats/random.ts";

/** A column from per-problem outcomes, its point being their plain means. */
function column(role: OutcomeColumn["role"], correct: number[], latency: number[]): OutcomeColumn {
  const have = correct.map((c, i) => [c, latency[i]!] as const).filter(([c]) => !Number.isNaN(c));
  const accuracy = have.reduce((a, [c]) => a + c, 0) / have.length;
  const ms = have.reduce((a, [, l]) => a + l, 0) / have.length;
  return { role, point: { accuracy, latency: ms }, correct, latency };
}

/**
 * Two synthetic methods swept over 11 thresholds on n problems. Threshold k reaches accuracy
 * 0.3 + 0.06·k in expectation and costs 100·(1 + k)² ms per problem on average for the baseline;
 * the candidate is exactly 2x cheaper at every threshold, hence at every accuracy. Correctness and
 * latency noise are drawn independently for the two methods, as if they were different policies.
 */
function plantedSweep(n: number, seed: number): OutcomeColumn[] {
  const rng = createRng(hashSeed("planted", seed));
  const columns: OutcomeColumn[] = [];
  for (const [role, scale] of [["baseline", 1], ["candidate", 0.5]] as const) {
    for (let k = 0; k <= 10; k++) {
      const p = 0.3 + 0.06 * k;
      const mean = 100 * (1 + k) ** 2 * scale;
      const correct = Array.from({ length: n }, () => (rng.float() < p ? 1 : 0));
      // Latency: the mean times a factor uniform in [0.5, 1.5] (mean 1).
      const latency = Array.from({ length: n }, () => mean * (0.5 + rng.float()));
      columns.push(column(role, correct, latency));
    }
  }
  return columns;
}

describe("bootstrapMatchedSpeedup", () => {
  it("recovers a planted 2x ratio within its interval, at the headline and along the curve", () => {
    const b = bootstrapMatchedSpeedup(plantedSweep(400, 1), { resamples: 1000, seed: 3 })!;
    expect(b.estimate.stated.speedup).toBeGreaterThan(1.7);
    expect(b.estimate.stated.speedup).toBeLessThan(2.3);
    const [lo, hi] = b.speedupInterval!;
    expect(lo).toBeLessThan(2);
    expect(hi).toBeGreaterThan(2);
    expect(hi - lo).toBeLessThan(1); // informative, not [0, ∞)
    const covered = b.curve.filter((p) => p.interval !== null && p.interval[0] <= 2 && 2 <= p.interval[1]).length;
    expect(covered).toBeGreaterThanOrEqual(Math.ceil(0.9 * b.curve.length));
  });

  it("finds no speedup between two copies of the same method", () => {
    const planted = plantedSweep(200, 2).filter((c) => c.role === "baseline");
    const b = bootstrapMatchedSpeedup([...planted, ...planted.map((c) => ({ ...c, role: "candidate" as const }))], { resamples: 500 })!;
    expect(b.estimate.stated.speedup).toBe(1);
    expect(b.speedupInterval).toEqual([1, 1]);
  });

  it("is deterministic under a seed, and the seed matters", () => {
    const cols = plantedSweep(100, 4);
    const a = bootstrapMatchedSpeedup(cols, { resamples: 300, seed: 7 });
    expect(bootstrapMatchedSpeedup(cols, { resamples: 300, seed: 7 })).toEqual(a);
    expect(bootstrapMatchedSpeedup(cols, { resamples: 300, seed: 8 })!.speedupInterval).not.toEqual(a!.speedupInterval);
  });

  it("takes the estimate from the columns' points and the curve's accuracies from the full sample", () => {
    const b = bootstrapMatchedSpeedup(plantedSweep(100, 5), { resamples: 200, gridSize: 6 })!;
    expect(b.curve).toHaveLength(6);
    expect(b.curve.map((p) => p.accuracy)).toEqual(b.estimate.curve.map((p) => p.accuracy));
    expect(b.curve.at(-1)!.speedup).toBe(b.estimate.stated.speedup);
    expect(b.problems).toBe(100);
    expect(b.resamples).toBe(200);
    expect(b.validResamples).toBe(200);
    const [alo, ahi] = b.accuracyInterval!;
    expect(alo).toBeLessThanOrEqual(ahi);
  });

  it("resamples a configuration only over the problems it has (NaN: no record)", () => {
    // The candidate lacks problem 3; its accuracy over the others is 1 in every resample.
    const base = column("baseline", [1, 1, 0, 1], [10, 10, 10, 10]);
    const cand = column("candidate", [1, 1, 1, Number.NaN], [5, 5, 5, 999]);
    const b = bootstrapMatchedSpeedup([base, cand], { resamples: 200 })!;
    expect(cand.point).toEqual({ accuracy: 1, latency: 5 });
    expect(b.estimate.stated.speedup).toBe(2);
    expect(b.candidateLatencyInterval).toEqual([5, 5]); // 999 never counted
  });

  it("is null when a method has no column, and rejects ragged or duplicated input", () => {
    const base = column("baseline", [1, 0], [10, 10]);
    expect(bootstrapMatchedSpeedup([base], { resamples: 10 })).toBeNull();
    expect(() => bootstrapMatchedSpeedup([base, column("candidate", [1], [5])])).toThrow(WorkbenchError);
    const t = column("target", [1, 1], [50, 50]);
    expect(() => bootstrapMatchedSpeedup([base, t, t])).toThrow(/at most one target/);
    expect(() => bootstrapMatchedSpeedup([base], { resamples: 0 })).toThrow(WorkbenchError);
  });
});

describe("bootstrapMatchedSpeedup on records without a cost", () => {
  it("leaves out a configuration whose drawn problems all cost nothing (failed before any call), as the full sample does", () => {
    // Problem 0 failed for both methods before any call (latency 0); a resample drawing only it
    // has no point for either method and defines no speedup: it is left out, not NaN.
    const base = column("baseline", [0, 1, 1], [0, 10, 10]);
    const cand = column("candidate", [0, 1, 1], [0, 5, 5]);
    const b = bootstrapMatchedSpeedup([base, cand], { resamples: 400, seed: 1 })!;
    expect(b.speedupInterval).toEqual([2, 2]);
    expect(b.validResamples).toBeLessThan(400); // 1/27 of draws take only problem 0
    expect(b.validResamples).toBeGreaterThan(350);
    for (const p of b.curve) if (p.interval) expect(p.interval.every(Number.isFinite)).toBe(true);
  });
});
