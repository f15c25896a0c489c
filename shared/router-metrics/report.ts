/**
 * One call from (router score, oracle Δ) pairs to the whole router-quality report: rank
 * agreement (Spearman ρ with a seeded bootstrap interval, Pearson r), ranking of y = 1[Δ > 0]
 * (ROC-AUC, PR-AUC), the decision at τ (per-class accuracy, balanced accuracy, confusion matrix),
 * calibration (reliability bins, ECE), the same ρ without the Δ = 0 ties, and breakdowns by
 * level, subject and step position. Pure and deterministic: same pairs and options, same report.
 */
import {
  bootstrapCI,
  classifyAtThreshold,
  expectedCalibrationError,
  labelBalance,
  pearson,
  prAuc,
  reliabilityBins,
  rocAuc,
  spearman,
} from "../stats/index.ts";
import { usageError } from "../stats/validate.ts";
import {
  breakdown,
  checkStepBuckets,
  DEFAULT_STEP_BUCKETS,
  nonTieSpearman,
  stepBucketLabels,
  stepBucketOf,
} from "./group.ts";
import type { RouterPair, RouterReport, RouterReportOptions } from "./types.ts";

function checkPairs(pairs: readonly RouterPair[]): void {
  pairs.forEach((p, i) => {
    if (typeof p.score !== "number" || !Number.isFinite(p.score)) {
      throw usageError(`routerReport: expected a finite score at pair ${i}, found ${String(p.score)}`, { index: i });
    }
    if (typeof p.delta !== "number" || !Number.isFinite(p.delta)) {
      throw usageError(`routerReport: expected a finite delta at pair ${i}, found ${String(p.delta)}`, { index: i });
    }
    if (p.stepIndex !== undefined && p.stepIndex !== null && !(Number.isInteger(p.stepIndex) && p.stepIndex >= 0)) {
      throw usageError(`routerReport: expected stepIndex a non-negative integer at pair ${i}, found ${String(p.stepIndex)}`, { index: i });
    }
  });
}

function present(v: string | number | null | undefined): string | null {
  return v === undefined || v === null || v === "" ? null : String(v);
}

export function routerReport(pairs: readonly RouterPair[], options: RouterReportOptions = {}): RouterReport {
  checkPairs(pairs);
  const threshold = options.threshold ?? 0.5;
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const bounds = options.stepBuckets ?? DEFAULT_STEP_BUCKETS;
  checkStepBuckets(bounds);

  const scores = pairs.map((p) => p.score);
  const deltas = pairs.map((p) => p.delta);
  const labels = deltas.map((d) => (d > 0 ? 1 : 0));

  const boot = bootstrapCI(scores, deltas, spearman, { seed, resamples, level });
  const atTau = classifyAtThreshold(scores, labels, threshold);
  // Calibration only means something for probabilities; a score outside [0, 1] (a raw logit, a
  // regression output) gets no bins rather than an error that would hide the other metrics.
  const probabilities = scores.every((s) => s >= 0 && s <= 1);
  const calib = probabilities ? { bins: options.bins ?? 10 } : null;
  const nonTies = pairs.filter((p) => p.delta !== 0);

  const labelsOfSteps = stepBucketLabels(bounds);
  return {
    n: pairs.length,
    labelBalance: labelBalance(labels),
    spearman: spearman(scores, deltas),
    spearmanCI: boot.interval,
    spearmanCILevel: level,
    bootstrap: { seed, resamples, validResamples: boot.validResamples },
    pearson: pearson(scores, deltas),
    auc: rocAuc(scores, labels),
    prAuc: prAuc(scores, labels),
    spearmanNonTies: nonTieSpearman(pairs).spearman,
    aucNonTies: rocAuc(
      nonTies.map((p) => p.score),
      nonTies.map((p) => (p.delta > 0 ? 1 : 0)),
    ),
    ties: pairs.length - nonTies.length,
    threshold,
    confusion: atTau.confusion,
    perClassAccuracy: atTau.perClassAccuracy,
    balancedAccuracy: atTau.balancedAccuracy,
    accuracy: atTau.accuracy,
    reliability: calib ? reliabilityBins(scores, labels, calib) : null,
    ece: calib ? expectedCalibrationError(scores, labels, calib) : null,
    breakdowns: {
      byLevel: breakdown(pairs, (p) => present(p.level), threshold),
      bySubject: breakdown(pairs, (p) => present(p.subject), threshold),
      byStep: breakdown(
        pairs,
        (p) => (p.stepIndex === undefined || p.stepIndex === null ? null : stepBucketOf(p.stepIndex, bounds, labelsOfSteps)),
        threshold,
        labelsOfSteps,
      ),
    },
  };
}
