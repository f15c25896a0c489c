/**
 * The uncertainty of the speedup at matched accuracy: a percentile bootstrap over problems.
 *
 * Each replicate draws n problems uniformly with replacement — the same draw for every
 * configuration, since they ran on the same problems — recomputes each configuration's accuracy and
 * mean latency from its per-problem outcomes (the paths and their costs stay as recorded), rebuilds
 * the frontiers and recomputes the headline and the curve with matchedSpeedupUnchecked. The headline
 * of a replicate is read at that replicate's own stated accuracy; the curve at the full sample's
 * accuracies, so its band lines up with its points (a replicate whose frontiers fall short of an
 * accuracy leaves that point out, counted in `validResamples`). The intervals are the
 * (1 − level)/2 and (1 + level)/2 quantiles of the replicate values.
 *
 * Deterministic: the draws come from `createRng(hashSeed(seed, "matched-accuracy"))`.
 */
import { matchedSpeedupUnchecked, type AccuracyLatencyPoint, type MatchedResult, DEFAULT_CURVE_POINTS, matchedSpeedup } from "./matched-accuracy.ts";
import { createRng, hashSeed } from "./random.ts";
import { quantiles } from "./summary.ts";
import { usageError } from "./validate.ts";

export type MatchedRole = "baseline" | "candidate" | "draft" | "target";

/** One configuration's outcomes, problem by problem (the same problem order in every column). */
export interface OutcomeColumn {
  role: MatchedRole;
  /** The configuration's full-sample accuracy and mean latency: what the estimate uses. */
  point: AccuracyLatencyPoint;
  /** Per problem: 1 correct, 0 wrong, NaN where this configuration has no record of the problem. */
  correct: ArrayLike<number>;
  /** Per problem: the method's latency (ignored where `correct` is NaN). */
  latency: ArrayLike<number>;
}

export interface MatchedBootstrapOptions {
  /** Replicates (default 2000). */
  resamples?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 0). */
  seed?: number | string;
  /** Curve points (default 21). */
  gridSize?: number;
}

export type Interval = [number, number];

export interface MatchedCurvePoint {
  accuracy: number;
  speedup: number;
  baselineLatency: number;
  candidateLatency: number;
  /** Null when no replicate reached this accuracy on both frontiers. */
  interval: Interval | null;
  validResamples: number;
}

export interface MatchedBootstrapResult {
  /** The speedup on the full sample (matchedSpeedup on the columns' points). */
  estimate: MatchedResult;
  problems: number;
  resamples: number;
  level: number;
  /** Of the headline; every replicate defines one unless a method's configurations all drew no problem. */
  validResamples: number;
  speedupInterval: Interval | null;
  /** Of the stated accuracy, which moves from replicate to replicate. */
  accuracyInterval: Interval | null;
  baselineLatencyInterval: Interval | null;
  candidateLatencyInterval: Interval | null;
  curve: MatchedCurvePoint[];
}

function interval(values: number[], level: number): Interval | null {
  if (values.length === 0) return null;
  const alpha = 1 - level;
  const [lo, hi] = quantiles(values, [alpha / 2, 1 - alpha / 2]) as [number, number];
  return [lo, hi];
}

/** Null when either method has no column (nothing to match). */
export function bootstrapMatchedSpeedup(columns: readonly OutcomeColumn[], options: MatchedBootstrapOptions = {}): MatchedBootstrapResult | null {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const gridSize = options.gridSize ?? DEFAULT_CURVE_POINTS;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw usageError(`bootstrapMatchedSpeedup: expected resamples a positive integer, found ${String(resamples)}`);
  }
  if (!(level > 0 && level < 1)) throw usageError(`bootstrapMatchedSpeedup: expected level in (0, 1), found ${String(level)}`);
  for (const role of ["draft", "target"] as const) {
    const k = columns.filter((c) => c.role === role).length;
    if (k > 1) throw usageError(`bootstrapMatchedSpeedup: expected at most one ${role} column, found ${k}`);
  }
  const n = columns[0]?.correct.length ?? 0;
  columns.forEach((c, j) => {
    if (c.correct.length !== n || c.latency.length !== n) {
      throw usageError(`bootstrapMatchedSpeedup: expected every column to have ${n} problems, found ${c.correct.length} outcomes and ${c.latency.length} latencies in column ${j}`, { index: j });
    }
  });
  const pick = (role: MatchedRole) => columns.filter((c) => c.role === role);
  const estimate = matchedSpeedup(
    {
      baseline: pick("baseline").map((c) => c.point),
      candidate: pick("candidate").map((c) => c.point),
      draft: pick("draft")[0]?.point ?? null,
      target: pick("target")[0]?.point ?? null,
    },
    { gridSize },
  );
  if (estimate === null) return null;
  const grid = estimate.curve.map((p) => p.accuracy);

  // Column-major copies as typed arrays: the inner loop runs resamples × columns × problems times.
  const m = columns.length;
  const correct = new Float64Array(m * n);
  const latency = new Float64Array(m * n);
  const present = new Uint8Array(m * n);
  columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) {
      const ok = c.correct[i] as number;
      if (Number.isNaN(ok)) continue;
      present[j * n + i] = 1;
      correct[j * n + i] = ok;
      latency[j * n + i] = c.latency[i] as number;
    }
  });

  const rng = createRng(hashSeed(options.seed ?? 0, "matched-accuracy"));
  const counts = new Int32Array(n);
  // The drawn problems as (index, multiplicity) pairs: about 63 % of n, so the inner loop skips
  // the problems a replicate did not draw.
  const drawnIndex = new Int32Array(n);
  const drawnCount = new Int32Array(n);
  const headline: number[] = [];
  const accuracies: number[] = [];
  const baselineMs: number[] = [];
  const candidateMs: number[] = [];
  const curveValues: number[][] = grid.map(() => []);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const k = rng.int(0, n);
      counts[k] = (counts[k] as number) + 1;
    }
    let drawn = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] === 0) continue;
      drawnIndex[drawn] = i;
      drawnCount[drawn++] = counts[i] as number;
    }
    const baseline: AccuracyLatencyPoint[] = [];
    const candidate: AccuracyLatencyPoint[] = [];
    let draft: AccuracyLatencyPoint | null = null;
    let target: AccuracyLatencyPoint | null = null;
    for (let j = 0; j < m; j++) {
      let w = 0;
      let ok = 0;
      let ms = 0;
      const base = j * n;
      for (let d = 0; d < drawn; d++) {
        const at = base + (drawnIndex[d] as number);
        const k = (drawnCount[d] as number) * (present[at] as number);
        w += k;
        ok += k * (correct[at] as number);
        ms += k * (latency[at] as number);
      }
      // None of this configuration's problems was drawn, or only ones without a cost (a problem
      // that failed before any call): like the full sample, a point needs a latency > 0.
      if (w === 0 || !(ms > 0)) continue;
      const p = { accuracy: ok / w, latency: ms / w };
      const role = (columns[j] as OutcomeColumn).role;
      if (role === "baseline") baseline.push(p);
      else if (role === "candidate") candidate.push(p);
      else if (role === "draft") draft = p;
      else target = p;
    }
    const rep = matchedSpeedupUnchecked({ baseline, candidate, draft, target }, gridSize, grid);
    if (rep === null || !Number.isFinite(rep.stated.speedup)) continue;
    headline.push(rep.stated.speedup);
    accuracies.push(rep.stated.accuracy);
    baselineMs.push(rep.stated.baselineLatency);
    candidateMs.push(rep.stated.candidateLatency);
    rep.curve.forEach((p, g) => {
      if (p !== null && Number.isFinite(p.speedup)) (curveValues[g] as number[]).push(p.speedup);
    });
  }
  return {
    estimate,
    problems: n,
    resamples,
    level,
    validResamples: headline.length,
    speedupInterval: interval(headline, level),
    accuracyInterval: interval(accuracies, level),
    baselineLatencyInterval: interval(baselineMs, level),
    candidateLatencyInterval: interval(candidateMs, level),
    curve: estimate.curve.map((p, g) => ({
      accuracy: p.accuracy,
      speedup: p.speedup,
      baselineLatency: p.baselineLatency,
      candidateLatency: p.candidateLatency,
      interval: interval(curveValues[g] as number[], level),
      validResamples: (curveValues[g] as number[]).length,
    })),
  };
}
