/**
 * Percentile bootstrap confidence interval for any statistic of paired samples (x_i, y_i).
 *
 * Each of `resamples` replicates draws n pair indices uniformly with replacement (pairs stay
 * together) and evaluates the statistic on them. The interval is the (1 − level)/2 and
 * (1 + level)/2 quantiles of the replicate values (linear interpolation, as `quantile`).
 * Replicates on which the statistic is undefined (null, NaN or infinite, e.g. Spearman ρ of a resample whose
 * x values are all equal) are left out and counted: `validResamples` says how many remained.
 *
 * Deterministic: the draws come from `createRng(hashSeed(seed, "bootstrap"))`, so the same data,
 * statistic, seed, resamples and level give the same interval on every platform.
 */
import { quantiles } from "./summary.ts";
import { createRng, hashSeed } from "./random.ts";
import { assertSameLength, usageError } from "./validate.ts";

export type PairedStatistic = (x: readonly number[], y: readonly number[]) => number | null;

export interface BootstrapOptions {
  /** Number of bootstrap replicates (default 1000). */
  resamples?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 0); any string or finite number. */
  seed?: number | string;
}

export interface BootstrapResult {
  /** The statistic on the full sample (null where it is undefined). */
  estimate: number | null;
  /** [lower, upper]; null when no replicate gave a defined value (or n = 0). */
  interval: [number, number] | null;
  level: number;
  resamples: number;
  /** Replicates whose statistic was defined; the interval is computed from these only. */
  validResamples: number;
}

function defined(v: number | null): v is number {
  return v !== null && Number.isFinite(v);
}

export function bootstrapCI(
  x: readonly number[],
  y: readonly number[],
  statistic: PairedStatistic,
  options: BootstrapOptions = {},
): BootstrapResult {
  assertSameLength("bootstrapCI", x, y);
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw usageError(`bootstrapCI: expected resamples a positive integer, found ${String(resamples)}`);
  }
  if (!(level > 0 && level < 1)) {
    throw usageError(`bootstrapCI: expected level in (0, 1), found ${String(level)}`);
  }
  const full = statistic(x, y);
  const estimate = defined(full) ? full : null;
  const n = x.length;
  if (n === 0) return { estimate, interval: null, level, resamples, validResamples: 0 };

  const rng = createRng(hashSeed(seed, "bootstrap"));
  const xs: number[] = new Array(n);
  const ys: number[] = new Array(n);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = rng.int(0, n);
      xs[i] = x[j] as number;
      ys[i] = y[j] as number;
    }
    const v = statistic(xs, ys);
    if (defined(v)) values.push(v);
  }
  if (values.length === 0) return { estimate, interval: null, level, resamples, validResamples: 0 };
  const alpha = 1 - level;
  const [lower, upper] = quantiles(values, [alpha / 2, 1 - alpha / 2]) as [number, number];
  return { estimate, interval: [lower, upper], level, resamples, validResamples: values.length };
}
