import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import {
  mean,
  median,
  quantile,
  quantiles,
  standardDeviation,
  variance,
} from "../../../../shared/stats/summary.ts";

describe("mean, variance, standard deviation", () => {
  // The classic example: 2, 4, 4, 4, 5, 5, 7, 9 has mean 5 and Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32,
  // so the population variance is 32/8 = 4 (sd 2) and the sample variance 32/7.
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];

  it("computes the known answers", () => {
    expect(mean(xs)).toBe(5);
    expect(variance(xs, { sample: false })).toBe(4);
    expect(standardDeviation(xs, { sample: false })).toBe(2);
    expect(variance(xs)).toBeCloseTo(32 / 7, 12);
    expect(standardDeviation(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it("returns null where there is no answer", () => {
    expect(mean([])).toBeNull();
    expect(variance([])).toBeNull();
    expect(variance([3])).toBeNull();
    expect(variance([3], { sample: false })).toBe(0);
    expect(standardDeviation([])).toBeNull();
  });

  it("rejects non-finite values", () => {
    expect(() => mean([1, Number.NaN])).toThrow(WorkbenchError);
    expect(() => variance([1, Number.POSITIVE_INFINITY])).toThrow(/finite/);
  });
});

describe("quantiles (linear interpolation, numpy's default)", () => {
  it("computes the known answers", () => {
    // Sorted [1, 2, 3, 4]: q = 0.25 sits at position 3·0.25 = 0.75 → 1 + 0.75·(2 − 1) = 1.75.
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
    expect(quantiles([10, 20, 30, 40, 50], [0.1, 0.5, 0.9])).toEqual([14, 30, 46]);
  });

  it("has the median of odd and even lengths", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("does not reorder its input", () => {
    const xs = [3, 1, 2];
    quantile(xs, 0.5);
    expect(xs).toEqual([3, 1, 2]);
  });

  it("rejects q outside [0, 1]", () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(WorkbenchError);
    expect(() => quantiles([1, 2], [0.5, Number.NaN])).toThrow(WorkbenchError);
  });
});
