/**
 * A score read as a decision at a threshold τ, in the router's terms:
 * - label y = 1 ("escalate": the target would write a better step), y = 0 ("accept": keep the draft);
 * - prediction: escalate when score >= τ, accept when score < τ.
 * The confusion matrix counts escalate as the positive class: tp = y=1 predicted escalate,
 * fn = y=1 predicted accept, tn = y=0 predicted accept, fp = y=0 predicted escalate.
 * Per-class accuracy: accept = tn / (tn + fp) (specificity), escalate = tp / (tp + fn) (recall).
 * Balanced accuracy is their mean. A rate with an empty denominator is null, never NaN.
 */
import {
  assertFiniteValues,
  assertSameLength,
  toBinaryLabels,
  usageError,
  type BinaryLabel,
} from "./validate.ts";

export interface ConfusionMatrix {
  /** y = 1, predicted escalate (score >= τ). */
  tp: number;
  /** y = 0, predicted escalate. */
  fp: number;
  /** y = 0, predicted accept (score < τ). */
  tn: number;
  /** y = 1, predicted accept. */
  fn: number;
}

export interface PerClassAccuracy {
  /** Share of y = 0 predicted accept; null when there is no y = 0. */
  accept: number | null;
  /** Share of y = 1 predicted escalate; null when there is no y = 1. */
  escalate: number | null;
}

export interface LabelBalance {
  n: number;
  /** Count of y = 0 ("keep the draft"). */
  accept: number;
  /** Count of y = 1 ("the target's step would be better"). */
  escalate: number;
  /** accept / n; null when n = 0. */
  acceptShare: number | null;
  /** escalate / n; null when n = 0. */
  escalateShare: number | null;
}

export interface ThresholdReport {
  threshold: number;
  confusion: ConfusionMatrix;
  perClassAccuracy: PerClassAccuracy;
  balancedAccuracy: number | null;
  /** (tp + tn) / n; null when n = 0. */
  accuracy: number | null;
}

export function confusionMatrix(
  scores: readonly number[],
  labels: readonly BinaryLabel[],
  threshold: number,
): ConfusionMatrix {
  assertSameLength("confusionMatrix", scores, labels);
  assertFiniteValues("confusionMatrix (scores)", scores);
  if (typeof threshold !== "number" || Number.isNaN(threshold)) {
    throw usageError(`confusionMatrix: expected a numeric threshold, found ${String(threshold)}`);
  }
  const y = toBinaryLabels("confusionMatrix (labels)", labels);
  const m: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const escalate = (scores[i] as number) >= threshold;
    if (y[i] === 1) {
      if (escalate) m.tp++;
      else m.fn++;
    } else if (escalate) m.fp++;
    else m.tn++;
  }
  return m;
}

export function perClassAccuracy(m: ConfusionMatrix): PerClassAccuracy {
  const negatives = m.tn + m.fp;
  const positives = m.tp + m.fn;
  return {
    accept: negatives === 0 ? null : m.tn / negatives,
    escalate: positives === 0 ? null : m.tp / positives,
  };
}

/** Mean of the two per-class accuracies; null unless both classes are present. */
export function balancedAccuracy(m: ConfusionMatrix): number | null {
  const { accept, escalate } = perClassAccuracy(m);
  return accept === null || escalate === null ? null : (accept + escalate) / 2;
}

export function labelBalance(labels: readonly BinaryLabel[]): LabelBalance {
  const y = toBinaryLabels("labelBalance", labels);
  let escalate = 0;
  for (const l of y) escalate += l;
  const n = y.length;
  const accept = n - escalate;
  return {
    n,
    accept,
    escalate,
    acceptShare: n === 0 ? null : accept / n,
    escalateShare: n === 0 ? null : escalate / n,
  };
}

/** Everything above at one threshold. */
export function classifyAtThreshold(
  scores: readonly number[],
  labels: readonly BinaryLabel[],
  threshold: number,
): ThresholdReport {
  const confusion = confusionMatrix(scores, labels, threshold);
  const n = confusion.tp + confusion.fp + confusion.tn + confusion.fn;
  return {
    threshold,
    confusion,
    perClassAccuracy: perClassAccuracy(confusion),
    balancedAccuracy: balancedAccuracy(confusion),
    accuracy: n === 0 ? null : (confusion.tp + confusion.tn) / n,
  };
}
