/**
 * Descriptive statistics of a plain array of finite numbers. An empty input (or, for the sample
 * standard deviation, fewer than two values) has no answer: the result is null, never NaN.
 */
import { assertFiniteValues, usageError } from "./validate.ts";

export function mean(values: readonly number[]): number | null {
  assertFiniteValues("mean", values);
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Variance around the mean. `sample: true` (the default) divides by n − 1 (the unbiased estimator,
 * needs n >= 2); `sample: false` divides by n (the population variance, needs n >= 1).
 */
export function variance(values: readonly number[], options: { sample?: boolean } = {}): number | null {
  const sample = options.sample ?? true;
  const m = mean(values);
  if (m === null) return null;
  const n = values.length;
  if (sample && n < 2) return null;
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (sample ? n - 1 : n);
}

/** Square root of `variance` (same options, same default: the sample standard deviation). */
export function standardDeviation(
  values: readonly number[],
  options: { sample?: boolean } = {},
): number | null {
  const v = variance(values, options);
  return v === null ? null : Math.sqrt(v);
}

function quantileOfSorted(sorted: readonly number[], q: number): number {
  // Linear interpolation between closest ranks: position h = (n − 1)·q, 0-based
  // (Hyndman & Fan type 7; the default of numpy.quantile and R's quantile).
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

function checkProbability(what: string, q: number): void {
  if (!(typeof q === "number" && q >= 0 && q <= 1)) {
    throw usageError(`${what}: expected a probability in [0, 1], found ${String(q)}`);
  }
}

/**
 * The q-quantile, linearly interpolated between order statistics (type 7: position (n − 1)·q in
 * the sorted values, as numpy.quantile's default). quantile([1, 2, 3, 4], 0.25) = 1.75.
 */
export function quantile(values: readonly number[], q: number): number | null {
  checkProbability("quantile", q);
  return quantiles(values, [q])[0] ?? null;
}

/** Several quantiles of the same values, sorting them once. Null entries when values is empty. */
export function quantiles(values: readonly number[], qs: readonly number[]): (number | null)[] {
  assertFiniteValues("quantiles", values);
  for (const q of qs) checkProbability("quantiles", q);
  if (values.length === 0) return qs.map(() => null);
  const sorted = values.slice().sort((a, b) => a - b);
  return qs.map((q) => quantileOfSorted(sorted, q));
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}
