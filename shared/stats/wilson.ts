/**
 * Wilson score interval for a binomial proportion (k successes of n): the interval an accuracy is
 * shown with. Unlike the normal approximation p ± z·√(p(1−p)/n) it stays inside [0, 1] and is not
 * empty at p = 0 or p = 1 (10 of 10 correct gives [0.72, 1], not [1, 1]).
 *   centre = (p + z²/2n) / (1 + z²/n),  half-width = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
 */
import { usageError } from "./validate.ts";

/** z for a two-sided level: 0.95 → 1.959964 (Acklam's inverse normal, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw usageError(`normalQuantile: expected p in (0, 1), found ${String(p)}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** [lower, upper] of k of n at the given level (default 0.95); null when n = 0. */
export function wilsonInterval(k: number, n: number, level = 0.95): [number, number] | null {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0 || k > n) {
    throw usageError(`wilsonInterval: expected integers 0 <= k <= n, found k=${String(k)}, n=${String(n)}`);
  }
  if (!(level > 0 && level < 1)) throw usageError(`wilsonInterval: expected level in (0, 1), found ${String(level)}`);
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
