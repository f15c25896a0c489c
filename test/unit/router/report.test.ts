/**
 * The router-quality report assembled from (score, Δ) pairs, checked against values worked out by
 * hand on six pairs with ties on both sides (the primitives themselves are tested in shared/stats).
 *
 *   pair  score  Δ     y  step  level
 *   p1    0.9    0.3   1  0     1
 *   p2    0.8    0.0   0  1     1
 *   p3    0.6    0.1   1  2     2
 *   p4    0.6    0.0   0  3     2
 *   p5    0.3   −0.2   0  4     —
 *   p6    0.1    0.0   0  7     2
 */
import { describe, expect, it } from "vitest";
import { routerReport, type RouterPair } from "../../../shared/router-metrics/index.ts";
import { createRng } from "../../../shared/stats/index.ts";

const PAIRS: RouterPair[] = [
  { score: 0.9, delta: 0.3, stepIndex: 0, level: 1 },
  { score: 0.8, delta: 0.0, stepIndex: 1, level: 1 },
  { score: 0.6, delta: 0.1, stepIndex: 2, level: 2 },
  { score: 0.6, delta: 0.0, stepIndex: 3, level: 2 },
  { score: 0.3, delta: -0.2, stepIndex: 4, level: null },
  { score: 0.1, delta: 0.0, stepIndex: 7, level: 2 },
];

describe("routerReport on six hand-worked pairs", () => {
  const r = routerReport(PAIRS, { threshold: 0.5, bins: 2, resamples: 200, seed: 1 });

  it("Spearman ρ uses average ranks on both sides", () => {
    // score ranks [6, 5, 3.5, 3.5, 2, 1]; Δ ranks [6, 3, 5, 3, 1, 3] (three Δ = 0 share rank 3).
    // Deviations from 3.5: Σxy = 10.5, Σx² = 17, Σy² = 15.5.
    expect(r.spearman).toBeCloseTo(10.5 / Math.sqrt(17 * 15.5), 12);
  });

  it("ρ without the Δ = 0 ties, and the tie count", () => {
    // p1, p3, p5: scores 0.9 > 0.6 > 0.3 and Δ 0.3 > 0.1 > −0.2, a perfect agreement.
    expect(r.ties).toBe(3);
    expect(r.spearmanNonTies).toBe(1);
    expect(r.aucNonTies).toBe(1);
  });

  it("ROC-AUC for y = 1[Δ > 0] counts the tied scores of p3 and p4 as half", () => {
    // p1 beats all four negatives (4); p3 beats p5, p6, ties p4, loses to p2 (2.5): 6.5 / 8.
    expect(r.auc).toBeCloseTo(0.8125, 12);
    expect(r.labelBalance).toEqual({ n: 6, accept: 4, escalate: 2, acceptShare: 4 / 6, escalateShare: 2 / 6 });
  });

  it("the decision at τ = 0.5: escalate p1–p4, accept p5, p6", () => {
    expect(r.threshold).toBe(0.5);
    expect(r.confusion).toEqual({ tp: 2, fp: 2, tn: 2, fn: 0 });
    expect(r.perClassAccuracy).toEqual({ accept: 0.5, escalate: 1 });
    expect(r.balancedAccuracy).toBe(0.75);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
  });

  it("reliability bins and ECE with two bins", () => {
    // [0, 0.5): p5, p6 — mean 0.2, observed 0. [0.5, 1]: p1–p4 — mean 0.725, observed 0.5.
    expect(r.reliability?.map((b) => [b.count, b.meanPredicted, b.observedFrequency])).toEqual([
      [2, expect.closeTo(0.2, 12), 0],
      [4, expect.closeTo(0.725, 12), 0.5],
    ]);
    expect(r.ece).toBeCloseTo((2 / 6) * 0.2 + (4 / 6) * 0.225, 12);
  });

  it("step-position buckets 0, 1, 2, 3–4, 5+", () => {
    const byStep = r.breakdowns.byStep;
    expect(byStep.map((g) => [g.key, g.n])).toEqual([
      ["0", 1],
      ["1", 1],
      ["2", 1],
      ["3-4", 2],
      ["5+", 1],
    ]);
    const late = byStep[3];
    // p4 (0.6, Δ 0) and p5 (0.3, Δ −0.2): both y = 0, so no AUC; ρ = 1 over the two; one tie.
    expect(late).toMatchObject({ escalateShare: 0, spearman: 1, ties: 1, spearmanNonTies: null, auc: null });
    expect(late?.perClassAccuracy).toEqual({ accept: 0.5, escalate: null });
  });

  it("level groups sort numerically, with the pairs lacking a level last", () => {
    const byLevel = r.breakdowns.byLevel;
    expect(byLevel.map((g) => [g.key, g.n])).toEqual([
      ["1", 2],
      ["2", 3],
      ["unknown", 1],
    ]);
    // Level 2: p3 (0.6, y 1) ties p4 (0.6, y 0), beats p6 (0.1, y 0): AUC 1.5 / 2.
    expect(byLevel[1]?.auc).toBe(0.75);
    expect(byLevel[0]?.spearman).toBe(1);
  });

  it("no subject anywhere means no subject breakdown", () => {
    expect(r.breakdowns.bySubject).toEqual([]);
  });

  it("the report is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe("routerReport options and edge cases", () => {
  it("custom step buckets and numeric ordering of keys (2 before 10)", () => {
    const pairs: RouterPair[] = [
      { score: 0.2, delta: 0.1, stepIndex: 12, level: 10, subject: "Geometry" },
      { score: 0.7, delta: -0.1, stepIndex: 0, level: 2, subject: "Algebra" },
      { score: 0.4, delta: 0.2, stepIndex: 3, level: 2, subject: "Algebra" },
    ];
    const r = routerReport(pairs, { stepBuckets: [0, 4, 10], resamples: 10 });
    expect(r.breakdowns.byStep.map((g) => [g.key, g.n])).toEqual([
      ["0-3", 2],
      ["4-9", 0],
      ["10+", 1],
    ]);
    expect(r.breakdowns.byLevel.map((g) => g.key)).toEqual(["2", "10"]);
    expect(r.breakdowns.bySubject.map((g) => [g.key, g.n])).toEqual([
      ["Algebra", 2],
      ["Geometry", 1],
    ]);
  });

  it("rejects bucket bounds that do not start at 0 or do not ascend", () => {
    expect(() => routerReport(PAIRS, { stepBuckets: [1, 2] })).toThrow(/starting at 0/);
    expect(() => routerReport(PAIRS, { stepBuckets: [0, 3, 3] })).toThrow(/ascending/);
  });

  it("scores outside [0, 1] get no calibration, everything else still", () => {
    const r = routerReport(
      PAIRS.map((p) => ({ ...p, score: p.score * 10 - 5 })),
      { resamples: 10 },
    );
    expect(r.reliability).toBeNull();
    expect(r.ece).toBeNull();
    expect(r.auc).toBeCloseTo(0.8125, 12);
  });

  it("a non-finite score or Δ is a usage error naming the pair", () => {
    expect(() => routerReport([{ score: Number.NaN, delta: 0 }])).toThrow(/finite score at pair 0/);
    expect(() => routerReport([{ score: 0.5, delta: 0 }, { score: 0.5, delta: Infinity }])).toThrow(/finite delta at pair 1/);
  });

  it("one class only: AUC and the missing class's accuracy are null, never NaN", () => {
    const r = routerReport(
      [
        { score: 0.1, delta: -0.1 },
        { score: 0.9, delta: 0 },
      ],
      { resamples: 10 },
    );
    expect(r.auc).toBeNull();
    expect(r.prAuc).toBeNull();
    expect(r.perClassAccuracy.escalate).toBeNull();
    expect(r.perClassAccuracy.accept).toBe(0.5);
    expect(r.breakdowns.byStep).toEqual([]);
  });
});

describe("bootstrap interval of ρ", () => {
  const rng = createRng(42);
  const pairs: RouterPair[] = Array.from({ length: 300 }, () => {
    const delta = rng.float() - 0.6;
    return { score: Math.min(1, Math.max(0, 0.5 + delta + (rng.float() - 0.5) * 0.8)), delta };
  });

  it("is the same under the same seed and differs under another", () => {
    const a = routerReport(pairs, { seed: 7, resamples: 300 });
    const b = routerReport(pairs, { seed: 7, resamples: 300 });
    const c = routerReport(pairs, { seed: 8, resamples: 300 });
    expect(a.spearmanCI).toEqual(b.spearmanCI);
    expect(c.spearmanCI).not.toEqual(a.spearmanCI);
    expect(a.bootstrap).toEqual({ seed: 7, resamples: 300, validResamples: 300 });
  });

  it("brackets the estimate, and a higher level gives a wider interval", () => {
    const r95 = routerReport(pairs, { seed: 3, resamples: 400 });
    const r50 = routerReport(pairs, { seed: 3, resamples: 400, level: 0.5 });
    const [lo, hi] = r95.spearmanCI as [number, number];
    expect(lo).toBeLessThan(r95.spearman as number);
    expect(hi).toBeGreaterThan(r95.spearman as number);
    const [lo50, hi50] = r50.spearmanCI as [number, number];
    expect(hi50 - lo50).toBeLessThan(hi - lo);
    expect(r50.spearmanCILevel).toBe(0.5);
  });
});
