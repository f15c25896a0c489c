/**
 * Calibration of predicted probabilities p_i ∈ [0, 1] against binary outcomes y_i (for a router:
 * p = its score, y = 1[Δ > 0]).
 *
 * Reliability bins are B equal-width intervals of [0, 1]: bin b (0-based) holds the p with
 * floor(p · B) = b, i.e. [b/B, (b+1)/B), except that p = 1 goes to the last bin. Per bin: count,
 * mean predicted probability and observed frequency of y = 1 (both null for an empty bin).
 *
 * Expected calibration error: ECE = Σ_b (n_b / n) · |mean predicted_b − observed frequency_b|
 * over non-empty bins; 0 for a perfectly calibrated set, null when n = 0.
 */
import {
  assertFiniteValues,
  assertSameLength,
  toBinaryLabels,
  usageError,
  type BinaryLabel,
} from "./validate.ts";

export interface CalibrationOptions {
  /** Number of equal-width bins on [0, 1] (default 10). */
  bins?: number;
}

export interface ReliabilityBin {
  index: number;
  /** Bin covers [lower, upper) (the last one [lower, 1]). */
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedFrequency: number | null;
}

/** The checks every binning shares: a positive integer bin count, same-length finite inputs, 0/1 labels. */
function binInputs(name: string, predicted: readonly number[], labels: readonly BinaryLabel[], options: CalibrationOptions): { binCount: number; y: (0 | 1)[] } {
  const binCount = options.bins ?? 10;
  if (!Number.isInteger(binCount) || binCount < 1) {
    throw usageError(`${name}: expected bins a positive integer, found ${String(binCount)}`);
  }
  assertSameLength(name, predicted, labels);
  assertFiniteValues(`${name} (predicted)`, predicted);
  return { binCount, y: toBinaryLabels(`${name} (labels)`, labels) };
}

export function reliabilityBins(
  predicted: readonly number[],
  labels: readonly BinaryLabel[],
  options: CalibrationOptions = {},
): ReliabilityBin[] {
  const { binCount, y } = binInputs("reliabilityBins", predicted, labels, options);
  const count = new Array<number>(binCount).fill(0);
  const sumPredicted = new Array<number>(binCount).fill(0);
  const sumPositive = new Array<number>(binCount).fill(0);
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] as number;
    if (p < 0 || p > 1) {
      throw usageError(`reliabilityBins: expected probabilities in [0, 1], found ${p} at index ${i}`, {
        index: i,
      });
    }
    const b = Math.min(binCount - 1, Math.floor(p * binCount));
    count[b] = (count[b] as number) + 1;
    sumPredicted[b] = (sumPredicted[b] as number) + p;
    sumPositive[b] = (sumPositive[b] as number) + (y[i] as number);
  }
  return count.map((c, b) => ({
    index: b,
    lower: b / binCount,
    upper: (b + 1) / binCount,
    count: c,
    meanPredicted: c === 0 ? null : (sumPredicted[b] as number) / c,
    observedFrequency: c === 0 ? null : (sumPositive[b] as number) / c,
  }));
}

export function expectedCalibrationError(
  predicted: readonly number[],
  labels: readonly BinaryLabel[],
  options: CalibrationOptions = {},
): number | null {
  return eceOfBins(reliabilityBins(predicted, labels, options));
}

/**
 * Adaptive reliability bins: about `bins` bins holding equal numbers of predictions (sorted by p),
 * so a router whose scores crowd near 0 and 1 still gets bins where its scores are, instead of two
 * crowded equal-width bins and eight empty ones. Equal predictions never straddle two bins (a bin
 * boundary moves forward past ties), so a bin is the interval [lower, upper] of the p it holds —
 * `lower` and `upper` are its smallest and largest p, both included — and there may be fewer bins
 * than asked when ties are large. Empty input: no bins.
 */
export function equalCountBins(
  predicted: readonly number[],
  labels: readonly BinaryLabel[],
  options: CalibrationOptions = {},
): ReliabilityBin[] {
  const { binCount, y } = binInputs("equalCountBins", predicted, labels, options);
  const order = predicted.map((_, i) => i).sort((a, b) => (predicted[a] as number) - (predicted[b] as number));
  const n = order.length;
  const out: ReliabilityBin[] = [];
  let start = 0;
  for (let b = 0; b < binCount && start < n; b++) {
    let end = Math.max(start + 1, Math.round(((b + 1) * n) / binCount));
    if (b === binCount - 1) end = n;
    // Keep ties together: extend the bin while the next p equals its last.
    while (end < n && predicted[order[end] as number] === predicted[order[end - 1] as number]) end++;
    let sumP = 0;
    let sumY = 0;
    for (let k = start; k < end; k++) {
      sumP += predicted[order[k] as number] as number;
      sumY += y[order[k] as number] as number;
    }
    const count = end - start;
    out.push({
      index: out.length,
      lower: predicted[order[start] as number] as number,
      upper: predicted[order[end - 1] as number] as number,
      count,
      meanPredicted: sumP / count,
      observedFrequency: sumY / count,
    });
    start = end;
  }
  return out;
}

/** ECE over given bins (any binning): Σ (n_b / n) · |mean predicted_b − observed_b|; null without predictions. */
export function eceOfBins(bins: readonly ReliabilityBin[]): number | null {
  const n = bins.reduce((a, b) => a + b.count, 0);
  if (n === 0) return null;
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0 || bin.meanPredicted === null || bin.observedFrequency === null) continue;
    ece += (bin.count / n) * Math.abs(bin.meanPredicted - bin.observedFrequency);
  }
  return ece;
}
