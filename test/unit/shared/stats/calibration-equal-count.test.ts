import { describe, expect, it } from "vitest";
import { eceOfBins, equalCountBins, expectedCalibrationError, reliabilityBins } from "../../../../shared/stats/calibration.ts";

describe("equalCountBins", () => {
  it("splits sorted predictions into bins of equal counts, each an interval of the scores it holds", () => {
    const predicted = [0.9, 0.1, 0.3, 0.2, 0.8, 0.7, 0.4, 0.6];
    const labels = [1, 0, 0, 0, 1, 1, 0, 1] as const;
    const bins = equalCountBins(predicted, [...labels], { bins: 4 });
    expect(bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0.1, 0.2, 2],
      [0.3, 0.4, 2],
      [0.6, 0.7, 2],
      [0.8, 0.9, 2],
    ]);
    expect(bins.map((b) => b.observedFrequency)).toEqual([0, 0, 1, 1]);
    expect(bins[1]!.meanPredicted).toBeCloseTo(0.35, 12);
  });

  it("gives scores piled at 0 and 1 more than the two points equal-width bins give, and never splits a tie", () => {
    // 40 scores at exactly 0, 40 at exactly 1, 20 spread between: equal-width bins put 40 + a few in
    // the first and last bins; equal-count bins follow the scores and keep each pile whole.
    const predicted = [...Array(40).fill(0), ...Array.from({ length: 20 }, (_, i) => 0.05 + i * 0.045), ...Array(40).fill(1)] as number[];
    const labels = predicted.map((p, i) => (p > 0.5 || i % 5 === 0 ? 1 : 0)) as (0 | 1)[];
    const bins = equalCountBins(predicted, labels, { bins: 10 });
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(100);
    const zeros = bins.filter((b) => b.lower === 0 && b.upper === 0);
    const ones = bins.filter((b) => b.lower === 1 && b.upper === 1);
    expect(zeros.map((b) => b.count)).toEqual([40]);
    expect(ones.map((b) => b.count)).toEqual([40]);
    expect(bins.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < bins.length; i++) expect(bins[i]!.lower).toBeGreaterThan(bins[i - 1]!.upper);
  });

  it("agrees with the equal-width ECE when the bins coincide, and has none for no predictions", () => {
    const predicted = [0.05, 0.15, 0.55, 0.65];
    const labels = [0, 1, 1, 1] as (0 | 1)[];
    const equal = equalCountBins(predicted, labels, { bins: 2 });
    expect(eceOfBins(equal)).toBeCloseTo(expectedCalibrationError(predicted, labels, { bins: 2 })!, 12);
    expect(eceOfBins(reliabilityBins(predicted, labels, { bins: 2 }))).toBeCloseTo(expectedCalibrationError(predicted, labels, { bins: 2 })!, 12);
    expect(equalCountBins([], [], { bins: 5 })).toEqual([]);
    expect(eceOfBins([])).toBeNull();
    expect(() => equalCountBins([0.1], [1], { bins: 0 })).toThrow(/positive integer/);
  });
});
