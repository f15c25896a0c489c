import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import { expectedCalibrationError, reliabilityBins } from "../../../../shared/stats/calibration.ts";
import { createRng } from "../../../../shared/stats/random.ts";

describe("reliabilityBins", () => {
  // Four bins: [0, .25) [.25, .5) [.5, .75) [.75, 1].
  const predicted = [0.1, 0.2, 0.25, 0.6, 0.65, 0.9, 1.0];
  const labels = [0, 0, 1, 1, 0, 1, 1];

  it("groups predictions into equal-width bins with count, mean predicted and observed frequency", () => {
    const bins = reliabilityBins(predicted, labels, { bins: 4 });
    expect(bins.map((b) => [b.index, b.lower, b.upper, b.count])).toEqual([
      [0, 0, 0.25, 2], // 0.1, 0.2
      [1, 0.25, 0.5, 1], // 0.25: the lower edge belongs to the bin
      [2, 0.5, 0.75, 2], // 0.6, 0.65
      [3, 0.75, 1, 2], // 0.9 and 1.0: 1 goes to the last bin
    ]);
    expect(bins[0]!.meanPredicted).toBeCloseTo(0.15, 12);
    expect(bins[0]!.observedFrequency).toBe(0);
    expect(bins[1]!.meanPredicted).toBe(0.25);
    expect(bins[1]!.observedFrequency).toBe(1);
    expect(bins[2]!.meanPredicted).toBeCloseTo(0.625, 12);
    expect(bins[2]!.observedFrequency).toBe(0.5);
    expect(bins[3]!.meanPredicted).toBeCloseTo(0.95, 12);
    expect(bins[3]!.observedFrequency).toBe(1);
  });

  it("defaults to ten bins and leaves empty bins with null means", () => {
    const bins = reliabilityBins([0.05, 0.97], [0, 1]);
    expect(bins).toHaveLength(10);
    expect(bins[0]!.count).toBe(1);
    expect(bins[9]!.count).toBe(1);
    expect(bins[5]).toEqual({ index: 5, lower: 0.5, upper: 0.6, count: 0, meanPredicted: null, observedFrequency: null });
  });

  it("rejects probabilities outside [0, 1] and a bad bin count", () => {
    expect(() => reliabilityBins([1.2], [1])).toThrow(WorkbenchError);
    expect(() => reliabilityBins([-0.1], [0])).toThrow(/\[0, 1\]/);
    expect(() => reliabilityBins([0.5], [1], { bins: 0 })).toThrow(WorkbenchError);
  });
});

describe("expectedCalibrationError", () => {
  it("matches the known data worked by hand", () => {
    // Bins above (4 bins, n = 7): |0.15 − 0|·2 + |0.25 − 1|·1 + |0.625 − 0.5|·2 + |0.95 − 1|·2
    //   = 0.3 + 0.75 + 0.25 + 0.1 = 1.4 → ECE = 1.4 / 7 = 0.2.
    const ece = expectedCalibrationError([0.1, 0.2, 0.25, 0.6, 0.65, 0.9, 1.0], [0, 0, 1, 1, 0, 1, 1], { bins: 4 });
    expect(ece).toBeCloseTo(0.2, 12);
  });

  it("is 0 for a perfectly calibrated set", () => {
    // 0.25 four times with one positive, 0.75 four times with three positives.
    const predicted = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
    const labels = [1, 0, 0, 0, 1, 1, 1, 0];
    expect(expectedCalibrationError(predicted, labels)).toBeCloseTo(0, 12);
  });

  it("is the gap for a badly calibrated set", () => {
    // Confident 0.9 on outcomes that never happen: ECE = 0.9.
    expect(expectedCalibrationError([0.9, 0.9, 0.9], [0, 0, 0])).toBeCloseTo(0.9, 12);
  });

  it("tells a calibrated score from an uninformative one on simulated data", () => {
    const rng = createRng(21);
    const n = 20_000;
    const p = Array.from({ length: n }, () => rng.float());
    const calibrated = p.map((pi) => (rng.float() < pi ? 1 : 0)); // y ~ Bernoulli(p)
    const coinFlips = p.map(() => (rng.float() < 0.5 ? 1 : 0)); // y ~ Bernoulli(1/2)
    expect(expectedCalibrationError(p, calibrated)!).toBeLessThan(0.02);
    // E|p − 1/2| for p uniform is 1/4.
    expect(expectedCalibrationError(p, coinFlips)!).toBeCloseTo(0.25, 1);
  });

  it("is null on no data", () => {
    expect(expectedCalibrationError([], [])).toBeNull();
  });
});
