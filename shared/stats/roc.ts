/**
 * Ranking quality of a score against binary labels (1 = positive, e.g. y = 1[Δ > 0] = "the target
 * would write a better step"). A higher score means "more likely positive"; at a threshold t a
 * pair is predicted positive when score >= t (as the router escalates when score >= τ).
 *
 * - ROC-AUC is the Mann–Whitney probability that a random positive outscores a random negative,
 *   a tie counting 1/2: AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋), with R₊ the sum of the positives'
 *   average ranks among all scores. It equals the trapezoidal area under `rocCurve`.
 * - The ROC curve has one point per distinct score (tied scores move FPR and TPR together, a
 *   diagonal segment), from (0, 0) at threshold +∞ to (1, 1) at the lowest score.
 * - PR-AUC is average precision: AP = Σ_k (R_k − R_{k−1}) · P_k over the distinct thresholds from
 *   high to low, R_0 = 0 (a step function, no interpolation; sklearn's average_precision_score).
 * - The PR curve has one point per distinct score from high to low, preceded by the anchor
 *   (recall 0, precision 1) at threshold +∞.
 *
 * With only one class present none of these is defined: the functions return null, never NaN.
 */
import { averageRanks } from "./rank.ts";
import {
  assertFiniteValues,
  assertSameLength,
  toBinaryLabels,
  type BinaryLabel,
} from "./validate.ts";

export interface RocPoint {
  /** Predict positive when score >= threshold (+Infinity for the (0, 0) start). */
  threshold: number;
  fpr: number;
  tpr: number;
}

export interface PrPoint {
  /** Predict positive when score >= threshold (+Infinity for the (recall 0, precision 1) anchor). */
  threshold: number;
  recall: number;
  precision: number;
}

interface Checked {
  scores: readonly number[];
  labels: (0 | 1)[];
  positives: number;
  negatives: number;
}

function check(what: string, scores: readonly number[], labels: readonly BinaryLabel[]): Checked | null {
  assertSameLength(what, scores, labels);
  assertFiniteValues(`${what} (scores)`, scores);
  const bin = toBinaryLabels(`${what} (labels)`, labels);
  let positives = 0;
  for (const l of bin) positives += l;
  const negatives = bin.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return { scores, labels: bin, positives, negatives };
}

/** ROC-AUC (Mann–Whitney, ties count 1/2); null when either class is absent. */
export function rocAuc(scores: readonly number[], labels: readonly BinaryLabel[]): number | null {
  const c = check("rocAuc", scores, labels);
  if (c === null) return null;
  const ranks = averageRanks(c.scores);
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i++) if (c.labels[i] === 1) rankSum += ranks[i] as number;
  const u = rankSum - (c.positives * (c.positives + 1)) / 2;
  return u / (c.positives * c.negatives);
}

/** Cumulative (tp, fp) after each group of equal scores, scores taken from high to low. */
function cumulativeCounts(c: Checked): { threshold: number; tp: number; fp: number }[] {
  const order = Array.from({ length: c.scores.length }, (_, i) => i);
  order.sort((a, b) => (c.scores[b] as number) - (c.scores[a] as number));
  const out: { threshold: number; tp: number; fp: number }[] = [];
  let tp = 0;
  let fp = 0;
  let k = 0;
  while (k < order.length) {
    const threshold = c.scores[order[k] as number] as number;
    while (k < order.length && c.scores[order[k] as number] === threshold) {
      if (c.labels[order[k] as number] === 1) tp++;
      else fp++;
      k++;
    }
    out.push({ threshold, tp, fp });
  }
  return out;
}

/** ROC curve points from (0, 0) to (1, 1); null when either class is absent. */
export function rocCurve(scores: readonly number[], labels: readonly BinaryLabel[]): RocPoint[] | null {
  const c = check("rocCurve", scores, labels);
  if (c === null) return null;
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 }];
  for (const { threshold, tp, fp } of cumulativeCounts(c)) {
    points.push({ threshold, fpr: fp / c.negatives, tpr: tp / c.positives });
  }
  return points;
}

/** Precision–recall curve, anchor (recall 0, precision 1) first; null when either class is absent. */
export function prCurve(scores: readonly number[], labels: readonly BinaryLabel[]): PrPoint[] | null {
  const c = check("prCurve", scores, labels);
  if (c === null) return null;
  const points: PrPoint[] = [{ threshold: Number.POSITIVE_INFINITY, recall: 0, precision: 1 }];
  for (const { threshold, tp, fp } of cumulativeCounts(c)) {
    points.push({ threshold, recall: tp / c.positives, precision: tp / (tp + fp) });
  }
  return points;
}

/** Average precision (PR-AUC); null when either class is absent. Its chance level is the positive rate. */
export function prAuc(scores: readonly number[], labels: readonly BinaryLabel[]): number | null {
  const c = check("prAuc", scores, labels);
  if (c === null) return null;
  let ap = 0;
  let previousRecall = 0;
  for (const { tp, fp } of cumulativeCounts(c)) {
    const recall = tp / c.positives;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  return ap;
}
