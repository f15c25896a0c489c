import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import {
  balancedAccuracy,
  classifyAtThreshold,
  confusionMatrix,
  labelBalance,
  perClassAccuracy,
} from "../../../../shared/stats/classification.ts";

// Six (router score, label) pairs; label 1 = the target's step would be better (escalate).
const scores = [0.1, 0.4, 0.6, 0.8, 0.5, 0.2];
const labels = [0, 0, 1, 1, 0, 1];

describe("confusionMatrix at τ", () => {
  it("escalates at score >= τ and counts escalate as the positive class", () => {
    // τ = 0.5: escalate 0.6 (y=1, tp), 0.8 (y=1, tp), 0.5 (y=0, fp — exactly τ escalates);
    //          accept 0.1 (y=0, tn), 0.4 (y=0, tn), 0.2 (y=1, fn).
    expect(confusionMatrix(scores, labels, 0.5)).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
  });

  it("accepts everything at τ = +∞ and escalates everything at τ = −∞", () => {
    expect(confusionMatrix(scores, labels, Number.POSITIVE_INFINITY)).toEqual({ tp: 0, fp: 0, tn: 3, fn: 3 });
    expect(confusionMatrix(scores, labels, Number.NEGATIVE_INFINITY)).toEqual({ tp: 3, fp: 3, tn: 0, fn: 0 });
  });

  it("rejects a NaN threshold and bad labels", () => {
    expect(() => confusionMatrix(scores, labels, Number.NaN)).toThrow(WorkbenchError);
    expect(() => confusionMatrix([0.1], [-1], 0.5)).toThrow(WorkbenchError);
  });
});

describe("per-class and balanced accuracy", () => {
  it("computes accept = tn/(tn+fp) and escalate = tp/(tp+fn)", () => {
    // τ = 0.3: escalate 0.4 (y=0, fp), 0.6 (tp), 0.8 (tp), 0.5 (y=0, fp); accept 0.1 (tn), 0.2 (y=1, fn).
    const m = confusionMatrix(scores, labels, 0.3);
    expect(m).toEqual({ tp: 2, fp: 2, tn: 1, fn: 1 });
    expect(perClassAccuracy(m)).toEqual({ accept: 1 / 3, escalate: 2 / 3 });
    expect(balancedAccuracy(m)).toBeCloseTo(0.5, 12);
  });

  it("is null for a class that is absent", () => {
    const m = { tp: 3, fp: 0, tn: 0, fn: 1 };
    expect(perClassAccuracy(m)).toEqual({ accept: null, escalate: 0.75 });
    expect(balancedAccuracy(m)).toBeNull();
  });

  it("puts everything together in classifyAtThreshold", () => {
    expect(classifyAtThreshold(scores, labels, 0.5)).toEqual({
      threshold: 0.5,
      confusion: { tp: 2, fp: 1, tn: 2, fn: 1 },
      perClassAccuracy: { accept: 2 / 3, escalate: 2 / 3 },
      balancedAccuracy: 2 / 3,
      accuracy: 4 / 6,
    });
    expect(classifyAtThreshold([], [], 0.5).accuracy).toBeNull();
  });
});

describe("labelBalance", () => {
  it("counts and shares of each label", () => {
    expect(labelBalance(labels)).toEqual({ n: 6, accept: 3, escalate: 3, acceptShare: 0.5, escalateShare: 0.5 });
    // The paper's oracle data: about 62 % "keep the draft".
    const paperLike = [...new Array<boolean>(62).fill(false), ...new Array<boolean>(38).fill(true)];
    const b = labelBalance(paperLike);
    expect(b.acceptShare).toBeCloseTo(0.62, 12);
    expect(b.escalate).toBe(38);
  });

  it("has null shares for no labels", () => {
    expect(labelBalance([])).toEqual({ n: 0, accept: 0, escalate: 0, acceptShare: null, escalateShare: null });
  });
});
