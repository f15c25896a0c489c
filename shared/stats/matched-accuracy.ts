/**
 * Speedup at matched accuracy: how much less latency one method (the candidate, e.g. Arbitrage)
 * needs than another (the baseline, e.g. RSD) to reach the same accuracy. The one definition the
 * CLI, the app and the HTML report use (docs/sweeps.md, "The headline").
 *
 * Input: each method's configurations as points (accuracy, latency), one per threshold of a sweep,
 * latency being the mean latency per problem (any unit, the same for all points), plus the `draft`
 * and `target` baselines when the sweep ran them. Which configurations to leave out (those that
 * escalate every step) is the caller's choice: shared/metrics/matched-accuracy.ts makes it.
 *
 * Exact definition:
 * 1. Frontier. Each method's points plus both baselines (either method may always run the draft
 *    alone or the target alone). A point is on the frontier when no other point reaches at least
 *    its accuracy with lower latency, or higher accuracy with equal latency (of exact duplicates
 *    one is kept). Sorted, F = (a_1, l_1) … (a_k, l_k) has strictly increasing accuracies and
 *    latencies.
 * 2. Latency needed for at least accuracy a: L(a_j) = l_j; between neighbouring frontier points
 *    linear, L(a) = l_j + (a − a_j) / (a_{j+1} − a_j) · (l_{j+1} − l_j) (running configuration j
 *    on a share of the problems and j+1 on the rest reaches that accuracy and latency in
 *    expectation); below a_1 the cheapest point already reaches it, L(a) = l_1; above a_k nothing
 *    does, L(a) is undefined (null).
 * 3. Stated accuracy A = min(a_k of both frontiers, the target's accuracy when the target was run):
 *    the highest accuracy both reach, capped at the target-only accuracy.
 * 4. Speedup S(a) = L_baseline(a) / L_candidate(a); > 1 means the candidate is faster. The
 *    headline is S(A); the curve is S on `gridSize` evenly spaced accuracies from the draft's
 *    accuracy (when the draft was run, else the higher of the two frontiers' a_1) up to A.
 * Null when either method has no point of its own.
 */
import { usageError } from "./validate.ts";

export interface AccuracyLatencyPoint {
  accuracy: number;
  /** Latency of the configuration (e.g. mean ms per problem); finite and > 0. */
  latency: number;
}

export interface MatchedSpeedup {
  accuracy: number;
  baselineLatency: number;
  candidateLatency: number;
  /** baselineLatency / candidateLatency. */
  speedup: number;
}

export interface MatchedInput {
  /** The baseline method's own configurations (e.g. RSD's thresholds). */
  baseline: readonly AccuracyLatencyPoint[];
  /** The candidate method's own configurations (e.g. Arbitrage's thresholds). */
  candidate: readonly AccuracyLatencyPoint[];
  /** The draft alone, when run: on both frontiers, and the curve's lower end. */
  draft?: AccuracyLatencyPoint | null;
  /** The target alone, when run: on both frontiers, and the cap of the stated accuracy. */
  target?: AccuracyLatencyPoint | null;
}

export interface MatchedResult {
  /** The speedup at the stated accuracy (step 3): the headline. */
  stated: MatchedSpeedup;
  /** The curve's accuracy range: from the draft's accuracy (or the frontiers' start) to the stated accuracy. */
  range: { min: number; max: number };
  /** Speedups on evenly spaced accuracies over `range`, inclusive (one point when min = max). */
  curve: MatchedSpeedup[];
}

export interface MatchedOptions {
  /** Number of curve accuracies, >= 2 (default 21). */
  gridSize?: number;
}

export const DEFAULT_CURVE_POINTS = 21;

function checkPoints(what: string, points: readonly AccuracyLatencyPoint[]): void {
  points.forEach((p, i) => {
    if (!Number.isFinite(p.accuracy) || !Number.isFinite(p.latency) || p.latency <= 0) {
      throw usageError(
        `${what}: expected points with a finite accuracy and a finite latency > 0, found accuracy=${String(p.accuracy)}, latency=${String(p.latency)} at index ${i}`,
        { index: i },
      );
    }
  });
}

/**
 * The frontier of step 1 above, sorted by increasing latency (and accuracy). The returned objects
 * are the input points themselves, so extra fields (e.g. the threshold) come along.
 */
export function accuracyLatencyFrontier<P extends AccuracyLatencyPoint>(points: readonly P[]): P[] {
  checkPoints("accuracyLatencyFrontier", points);
  return frontierOf(points);
}

function frontierOf<P extends AccuracyLatencyPoint>(points: readonly P[]): P[] {
  const sorted = points.slice().sort((p, q) => p.latency - q.latency || q.accuracy - p.accuracy);
  const frontier: P[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const p of sorted) {
    if (p.accuracy > best) {
      frontier.push(p);
      best = p.accuracy;
    }
  }
  return frontier;
}

/** L(a) of step 2 on an already computed frontier. */
function interpolate(frontier: readonly AccuracyLatencyPoint[], accuracy: number): number | null {
  const first = frontier[0];
  const last = frontier[frontier.length - 1];
  if (first === undefined || last === undefined) return null;
  if (accuracy > last.accuracy) return null;
  if (accuracy <= first.accuracy) return first.latency;
  for (let j = 0; j + 1 < frontier.length; j++) {
    const p = frontier[j] as AccuracyLatencyPoint;
    const q = frontier[j + 1] as AccuracyLatencyPoint;
    if (accuracy <= q.accuracy) {
      const t = (accuracy - p.accuracy) / (q.accuracy - p.accuracy);
      return p.latency + t * (q.latency - p.latency);
    }
  }
  return last.latency; // unreachable: accuracy <= last.accuracy was checked
}

/**
 * The latency a method needs to reach at least `accuracy` (step 2 above), from any set of its
 * points; null above the most accurate point.
 */
export function latencyAtAccuracy(points: readonly AccuracyLatencyPoint[], accuracy: number): number | null {
  if (!Number.isFinite(accuracy)) {
    throw usageError(`latencyAtAccuracy: expected a finite accuracy, found ${String(accuracy)}`);
  }
  return interpolate(accuracyLatencyFrontier(points), accuracy);
}

/** `size` evenly spaced values from lo to hi inclusive (one value when lo = hi). */
export function evenGrid(lo: number, hi: number, size: number): number[] {
  if (lo === hi) return [hi];
  const grid: number[] = [];
  for (let i = 0; i < size; i++) grid.push(i === size - 1 ? hi : Math.min(hi, lo + ((hi - lo) * i) / (size - 1)));
  return grid;
}

function withBaselines(own: readonly AccuracyLatencyPoint[], input: MatchedInput): AccuracyLatencyPoint[] {
  const all = own.slice();
  if (input.draft) all.push(input.draft);
  if (input.target) all.push(input.target);
  return all;
}

/**
 * matchedSpeedup without the input checks, for the bootstrap's resamples (their points are means of
 * checked values). With `grid`, the curve is evaluated there instead of on the even grid (a
 * bootstrap keeps the full sample's accuracies) and is null where a frontier does not reach.
 */
export function matchedSpeedupUnchecked(
  input: MatchedInput,
  gridSize: number,
  grid?: readonly number[],
): { stated: MatchedSpeedup; range: { min: number; max: number }; curve: (MatchedSpeedup | null)[] } | null {
  if (input.baseline.length === 0 || input.candidate.length === 0) return null;
  const fb = frontierOf(withBaselines(input.baseline, input));
  const fc = frontierOf(withBaselines(input.candidate, input));
  const bk = fb[fb.length - 1] as AccuracyLatencyPoint;
  const ck = fc[fc.length - 1] as AccuracyLatencyPoint;
  let hi = Math.min(bk.accuracy, ck.accuracy);
  if (input.target) hi = Math.min(hi, input.target.accuracy);
  let lo = input.draft ? input.draft.accuracy : Math.max((fb[0] as AccuracyLatencyPoint).accuracy, (fc[0] as AccuracyLatencyPoint).accuracy);
  if (lo > hi) lo = hi;

  const at = (accuracy: number): MatchedSpeedup | null => {
    const baselineLatency = interpolate(fb, accuracy);
    const candidateLatency = interpolate(fc, accuracy);
    if (baselineLatency === null || candidateLatency === null) return null;
    return { accuracy, baselineLatency, candidateLatency, speedup: baselineLatency / candidateLatency };
  };
  const stated = at(hi);
  if (stated === null) throw new Error(`matchedSpeedup: the stated accuracy ${hi} fell outside a frontier`); // a bug
  return { stated, range: { min: lo, max: hi }, curve: (grid ?? evenGrid(lo, hi, gridSize)).map(at) };
}

/**
 * Speedup of `candidate` (e.g. Arbitrage) over `baseline` (e.g. RSD) at matched accuracy, as
 * defined in this file's header; null when either method has no configuration.
 */
export function matchedSpeedup(input: MatchedInput, options: MatchedOptions = {}): MatchedResult | null {
  const gridSize = options.gridSize ?? DEFAULT_CURVE_POINTS;
  if (!Number.isInteger(gridSize) || gridSize < 2) {
    throw usageError(`matchedSpeedup: expected gridSize an integer >= 2, found ${String(gridSize)}`);
  }
  checkPoints("matchedSpeedup (baseline)", input.baseline);
  checkPoints("matchedSpeedup (candidate)", input.candidate);
  checkPoints("matchedSpeedup (draft, target)", [input.draft, input.target].filter((p): p is AccuracyLatencyPoint => p != null));
  const r = matchedSpeedupUnchecked(input, gridSize);
  // On the even grid every accuracy lies at or below both frontiers' top: never null.
  return r === null ? null : { ...r, curve: r.curve as MatchedSpeedup[] };
}
