/**
 * Pearson's correlation coefficient r of paired samples:
 *   r = Σ (x_i − x̄)(y_i − ȳ) / sqrt(Σ (x_i − x̄)² · Σ (y_i − ȳ)²)
 * computed around the means (two passes) for numerical stability, and clamped to [−1, 1].
 * Null when it is undefined: fewer than two pairs, or either sample constant.
 */
import { assertFiniteValues, assertSameLength } from "./validate.ts";

export function pearson(x: readonly number[], y: readonly number[]): number | null {
  assertSameLength("pearson", x, y);
  assertFiniteValues("pearson (x)", x);
  assertFiniteValues("pearson (y)", y);
  const n = x.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}
