import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import { createRng } from "../../../../shared/stats/random.ts";
import { prAuc, prCurve, rocAuc, rocCurve } from "../../../../shared/stats/roc.ts";

describe("rocAuc", () => {
  it("matches a value worked by hand", () => {
    // Positives score 0.35 and 0.8, negatives 0.1 and 0.4. Of the 4 (positive, negative) pairs the
    // positive wins (0.35, 0.1), (0.8, 0.1), (0.8, 0.4) and loses (0.35, 0.4): AUC = 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it("counts a tie between a positive and a negative as 1/2", () => {
    // Positives 0.5 and 0.8, negatives 0.5 and 0.2: pairs (0.5, 0.5) → 1/2, (0.5, 0.2) → 1,
    // (0.8, 0.5) → 1, (0.8, 0.2) → 1: AUC = 3.5/4.
    expect(rocAuc([0.5, 0.5, 0.2, 0.8], [1, 0, 0, 1])).toBe(0.875);
    // Positives 0.6, 0.6, 0.2; negatives 0.8, 0.6: each 0.6 positive gets 0 + 1/2, the 0.2 gets 0:
    // AUC = 1/6.
    expect(rocAuc([0.8, 0.6, 0.6, 0.6, 0.2], [0, 1, 1, 0, 1])).toBeCloseTo(1 / 6, 12);
    // All scores equal: no information, 1/2.
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], [1, 0, 1, 0])).toBe(0.5);
  });

  it("is 1 for a perfect ranking and 0 for a reversed one", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  });

  it("accepts boolean labels, e.g. delta > 0", () => {
    const delta = [-0.2, 0.1, 0.0, 0.4];
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], delta.map((d) => d > 0))).toBe(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 1, 0, 1]));
  });

  it("is null, not NaN, when a class is absent", () => {
    expect(rocAuc([0.1, 0.9], [1, 1])).toBeNull();
    expect(rocAuc([0.1, 0.9], [0, 0])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
  });

  it("rejects labels that are not binary and mismatched lengths", () => {
    expect(() => rocAuc([0.1, 0.9], [0, 2])).toThrow(WorkbenchError);
    expect(() => rocAuc([0.1, 0.9], [0])).toThrow(WorkbenchError);
    expect(() => rocAuc([0.1, Number.NaN], [0, 1])).toThrow(WorkbenchError);
  });
});

describe("rocCurve", () => {
  it("steps through each distinct score from high to low", () => {
    expect(rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toEqual([
      { threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 },
      { threshold: 0.8, fpr: 0, tpr: 0.5 },
      { threshold: 0.4, fpr: 0.5, tpr: 0.5 },
      { threshold: 0.35, fpr: 0.5, tpr: 1 },
      { threshold: 0.1, fpr: 1, tpr: 1 },
    ]);
  });

  it("moves diagonally through tied scores", () => {
    // At threshold 0.5 one positive and one negative enter together.
    expect(rocCurve([0.5, 0.5, 0.2, 0.8], [1, 0, 0, 1])).toEqual([
      { threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 },
      { threshold: 0.8, fpr: 0, tpr: 0.5 },
      { threshold: 0.5, fpr: 0.5, tpr: 1 },
      { threshold: 0.2, fpr: 1, tpr: 1 },
    ]);
  });

  it("has a trapezoidal area equal to rocAuc, ties included", () => {
    const rng = createRng(17);
    const scores = Array.from({ length: 300 }, () => rng.int(0, 12) / 12); // many ties
    const labels = scores.map((s) => (rng.float() < 0.2 + 0.6 * s ? 1 : 0));
    const curve = rocCurve(scores, labels)!;
    let area = 0;
    for (let i = 1; i < curve.length; i++) {
      const a = curve[i - 1]!;
      const b = curve[i]!;
      area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
    }
    expect(area).toBeCloseTo(rocAuc(scores, labels)!, 12);
    expect(rocAuc(scores, labels)!).toBeGreaterThan(0.6);
  });

  it("is null when a class is absent", () => {
    expect(rocCurve([0.3, 0.4], [0, 0])).toBeNull();
  });
});

describe("prAuc (average precision) and prCurve", () => {
  it("matches values worked by hand", () => {
    // Scores 0.8 (+), 0.4 (−), 0.35 (+), 0.1 (−), from high to low:
    //   t = 0.8:  tp 1 fp 0 → recall 0.5, precision 1
    //   t = 0.4:  tp 1 fp 1 → recall 0.5, precision 0.5
    //   t = 0.35: tp 2 fp 1 → recall 1,   precision 2/3
    //   t = 0.1:  tp 2 fp 2 → recall 1,   precision 0.5
    // AP = 0.5·1 + 0·0.5 + 0.5·(2/3) + 0·0.5 = 5/6.
    const scores = [0.1, 0.4, 0.35, 0.8];
    const labels = [0, 0, 1, 1];
    expect(prAuc(scores, labels)).toBeCloseTo(5 / 6, 12);
    expect(prCurve(scores, labels)).toEqual([
      { threshold: Number.POSITIVE_INFINITY, recall: 0, precision: 1 },
      { threshold: 0.8, recall: 0.5, precision: 1 },
      { threshold: 0.4, recall: 0.5, precision: 0.5 },
      { threshold: 0.35, recall: 1, precision: 2 / 3 },
      { threshold: 0.1, recall: 1, precision: 0.5 },
    ]);
  });

  it("treats tied scores as one threshold", () => {
    // Scores 0.8 (−), then 0.6 ×3 (+, +, −), then 0.2 (+); 3 positives:
    //   t = 0.8: tp 0 fp 1 → recall 0,   precision 0
    //   t = 0.6: tp 2 fp 2 → recall 2/3, precision 0.5
    //   t = 0.2: tp 3 fp 2 → recall 1,   precision 0.6
    // AP = 0·0 + (2/3)·0.5 + (1/3)·0.6 = 1/3 + 1/5 = 8/15.
    expect(prAuc([0.8, 0.6, 0.6, 0.6, 0.2], [0, 1, 1, 0, 1])).toBeCloseTo(8 / 15, 12);
  });

  it("is 1 for a perfect ranking and the positive rate, about, for an uninformative score", () => {
    expect(prAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    // All scores tied: one threshold, recall 1 at precision = positive rate.
    expect(prAuc([0.5, 0.5, 0.5, 0.5, 0.5], [1, 0, 0, 1, 0])).toBeCloseTo(2 / 5, 12);
  });

  it("is null when a class is absent", () => {
    expect(prAuc([0.3, 0.4], [1, 1])).toBeNull();
    expect(prAuc([0.3, 0.4], [0, 0])).toBeNull();
    expect(prCurve([0.3, 0.4], [0, 0])).toBeNull();
  });
});
