/**
 * Metrics of one subset of pairs, and the ways pairs are split into subsets: by dataset level, by
 * subject, and by step position (early steps set up a solution, late ones finish it; a router can
 * be good at one and poor at the other).
 */
import {
  balancedAccuracy,
  confusionMatrix,
  perClassAccuracy,
  rocAuc,
  spearman,
} from "../stats/index.ts";
import { usageError } from "../stats/validate.ts";
import type { GroupMetrics, RouterPair } from "./types.ts";

export const DEFAULT_STEP_BUCKETS: readonly number[] = [0, 1, 2, 3, 5];

/** Key of a pair whose grouping field is absent. */
export const UNKNOWN = "unknown";

/** Spearman ρ over the pairs with Δ ≠ 0, and how many had Δ = 0. */
export function nonTieSpearman(pairs: readonly RouterPair[]): { spearman: number | null; ties: number } {
  const kept = pairs.filter((p) => p.delta !== 0);
  return {
    spearman: spearman(
      kept.map((p) => p.score),
      kept.map((p) => p.delta),
    ),
    ties: pairs.length - kept.length,
  };
}

export function groupMetrics(key: string, pairs: readonly RouterPair[], threshold: number): GroupMetrics {
  const scores = pairs.map((p) => p.score);
  const labels = pairs.map((p) => (p.delta > 0 ? 1 : 0));
  const m = confusionMatrix(scores, labels, threshold);
  const nonTies = nonTieSpearman(pairs);
  let positives = 0;
  for (const y of labels) positives += y;
  return {
    key,
    n: pairs.length,
    escalateShare: pairs.length === 0 ? null : positives / pairs.length,
    spearman: spearman(
      scores,
      pairs.map((p) => p.delta),
    ),
    spearmanNonTies: nonTies.spearman,
    ties: nonTies.ties,
    auc: rocAuc(scores, labels),
    perClassAccuracy: perClassAccuracy(m),
    balancedAccuracy: balancedAccuracy(m),
  };
}

/** Checks bucket bounds: integers, strictly ascending, starting at 0. */
export function checkStepBuckets(bounds: readonly number[]): void {
  const ok =
    bounds.length > 0 &&
    bounds[0] === 0 &&
    bounds.every((b, i) => Number.isInteger(b) && (i === 0 || b > (bounds[i - 1] as number)));
  if (!ok) {
    throw usageError(`stepBuckets: expected ascending integers starting at 0, e.g. [0, 1, 2, 3, 5], found [${bounds.join(", ")}]`);
  }
}

/** Bucket labels for bounds [0, 1, 2, 3, 5]: "0", "1", "2", "3-4", "5+". */
export function stepBucketLabels(bounds: readonly number[]): string[] {
  return bounds.map((lo, i) => {
    const next = bounds[i + 1];
    if (next === undefined) return `${lo}+`;
    return next - lo === 1 ? String(lo) : `${lo}-${next - 1}`;
  });
}

/** The bucket label of a step index (bounds already checked). */
export function stepBucketOf(stepIndex: number, bounds: readonly number[], labels: readonly string[]): string {
  let b = 0;
  for (let i = 0; i < bounds.length; i++) if (stepIndex >= (bounds[i] as number)) b = i;
  return labels[b] as string;
}

function keyOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === UNKNOWN) return 1;
  if (b === UNKNOWN) return -1;
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== "" && b.trim() !== "" && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : 1;
}

/**
 * Splits pairs by a key and computes each group's metrics. `order` fixes the order of the groups
 * (empty ones included); without it keys sort numerically when they are numbers, else
 * lexicographically, with "unknown" last. When no pair has the field at all, there is no
 * breakdown: [] rather than one "unknown" group that repeats the overall numbers.
 */
export function breakdown(
  pairs: readonly RouterPair[],
  keyOf: (p: RouterPair) => string | null,
  threshold: number,
  order?: readonly string[],
): GroupMetrics[] {
  const groups = new Map<string, RouterPair[]>();
  for (const key of order ?? []) groups.set(key, []);
  let known = 0;
  for (const p of pairs) {
    const k = keyOf(p);
    if (k !== null) known++;
    const key = k ?? UNKNOWN;
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(p);
  }
  if (known === 0) return [];
  const keys = [...groups.keys()];
  if (!order) keys.sort(keyOrder);
  return keys.map((k) => groupMetrics(k, groups.get(k) ?? [], threshold));
}
