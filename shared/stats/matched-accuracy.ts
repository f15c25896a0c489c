/**
 * Speedup at matched accuracy: how much less latency one method (the candidate, e.g. Arbitrage)
 * needs than another (the baseline, e.g. RSD) to reach the same accuracy.
 *
 * Input: each method's configurations as points (accuracy, latency), typically one per threshold
 * of a sweep, latency being the mean latency per problem (any unit, the same for both methods).
 * The points may come in any order and need not be monotonic in either coordinate.
 *
 * Exact definition:
 * 1. Frontier. A point is on its method's accuracy–latency frontier when no other point of that
 *    method reaches at least its accuracy with lower latency, or higher accuracy with equal
 *    latency (of exact duplicates one is kept). Sorted, the frontier F = (a_1, l_1) … (a_k, l_k)
 *    has strictly increasing accuracies and strictly increasing latencies: (a_1, l_1) is the
 *    cheapest configuration (the most accurate among equally cheap ones), (a_k, l_k) the cheapest
 *    of the most accurate.
 * 2. Latency needed for accuracy a. L(a) is defined on the method's covered range [a_1, a_k]:
 *    L(a_j) = l_j, and between neighbouring frontier points it is linearly interpolated,
 *    L(a) = l_j + (a − a_j) / (a_{j+1} − a_j) · (l_{j+1} − l_j) for a_j ≤ a ≤ a_{j+1}.
 *    (Running configuration j on a share of the problems and j+1 on the rest reaches that
 *    accuracy and latency in expectation, which is what justifies the interpolation.) Outside
 *    [a_1, a_k], L is undefined (null): below a_1 the cheapest configuration overshoots the
 *    accuracy, so nothing is matched there; above a_k no configuration reaches it.
 * 3. Matched range. [lo, hi] = [max(a_1 of both methods), min(a_k of both methods)]. When lo > hi
 *    the covered ranges don't overlap and the result is null (also when a method has no points).
 * 4. Speedup at accuracy a ∈ [lo, hi]: S(a) = L_baseline(a) / L_candidate(a); S > 1 means the
 *    candidate is faster at equal accuracy.
 * Reported: S at hi, the highest accuracy both methods reach (`atMaxAccuracy`, the headline), and
 * S on `gridSize` evenly spaced accuracies from lo to hi inclusive (`grid`; a single point when
 * lo = hi).
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

export interface MatchedAccuracyResult {
  /** The accuracies both methods' frontiers cover. */
  range: { min: number; max: number };
  /** Speedup at range.max, the highest accuracy both methods reach. */
  atMaxAccuracy: MatchedSpeedup;
  /** Speedups at evenly spaced accuracies from range.min to range.max inclusive. */
  grid: MatchedSpeedup[];
}

export interface MatchedAccuracyOptions {
  /** Number of grid accuracies, >= 2 (default 11). */
  gridSize?: number;
}

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
  if (accuracy < first.accuracy || accuracy > last.accuracy) return null;
  if (accuracy === first.accuracy) return first.latency;
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
 * The latency a method needs to reach `accuracy` (step 2 above), from any set of its points;
 * null outside the accuracy range its frontier covers.
 */
export function latencyAtAccuracy(points: readonly AccuracyLatencyPoint[], accuracy: number): number | null {
  if (!Number.isFinite(accuracy)) {
    throw usageError(`latencyAtAccuracy: expected a finite accuracy, found ${String(accuracy)}`);
  }
  return interpolate(accuracyLatencyFrontier(points), accuracy);
}

/**
 * Speedup of `candidate` (e.g. Arbitrage) over `baseline` (e.g. RSD) at matched accuracy, as defined
 * in this file's header; null when the two covered accuracy ranges don't overlap.
 */
export function speedupAtMatchedAccuracy(
  baseline: readonly AccuracyLatencyPoint[],
  candidate: readonly AccuracyLatencyPoint[],
  options: MatchedAccuracyOptions = {},
): MatchedAccuracyResult | null {
  const gridSize = options.gridSize ?? 11;
  if (!Number.isInteger(gridSize) || gridSize < 2) {
    throw usageError(`speedupAtMatchedAccuracy: expected gridSize an integer >= 2, found ${String(gridSize)}`);
  }
  const fb = accuracyLatencyFrontier(baseline);
  const fc = accuracyLatencyFrontier(candidate);
  const b0 = fb[0];
  const c0 = fc[0];
  const bk = fb[fb.length - 1];
  const ck = fc[fc.length - 1];
  if (b0 === undefined || c0 === undefined || bk === undefined || ck === undefined) return null;
  const lo = Math.max(b0.accuracy, c0.accuracy);
  const hi = Math.min(bk.accuracy, ck.accuracy);
  if (lo > hi) return null;

  const at = (accuracy: number): MatchedSpeedup => {
    const baselineLatency = interpolate(fb, accuracy);
    const candidateLatency = interpolate(fc, accuracy);
    if (baselineLatency === null || candidateLatency === null) {
      throw new Error(`speedupAtMatchedAccuracy: accuracy ${accuracy} fell outside [${lo}, ${hi}]`); // a bug
    }
    return { accuracy, baselineLatency, candidateLatency, speedup: baselineLatency / candidateLatency };
  };

  const grid: MatchedSpeedup[] = [];
  if (lo === hi) grid.push(at(hi));
  else {
    for (let i = 0; i < gridSize; i++) {
      const a = i === gridSize - 1 ? hi : Math.min(hi, lo + ((hi - lo) * i) / (gridSize - 1));
      grid.push(at(a));
    }
  }
  return { range: { min: lo, max: hi }, atMaxAccuracy: at(hi), grid };
}
