/**
 * The router-quality report's shapes: plain JSON, so the CLI writes it and the renderer reads it
 * unchanged. A router's score s is compared with the oracle advantage Δ = PRM(target step) −
 * PRM(draft step); the binary label is y = 1[Δ > 0] ("escalating would have helped").
 */
import type {
  ConfusionMatrix,
  LabelBalance,
  PerClassAccuracy,
  ReliabilityBin,
} from "../stats/index.ts";

/** One held-out step: the router's score and the oracle advantage, with what breakdowns group by. */
export interface RouterPair {
  score: number;
  delta: number;
  /** Dataset difficulty level (MATH "Level 3" → 3); absent or null when the dataset has none. */
  level?: number | string | null;
  subject?: string | null;
  /** 0-based position of the step in its solution. */
  stepIndex?: number | null;
}

export interface RouterReportOptions {
  /** τ: escalate when score >= τ (default 0.5). */
  threshold?: number;
  /** Seed of the bootstrap resampling (default 0). */
  seed?: number | string;
  /** Bootstrap replicates for the ρ interval (default 1000). */
  resamples?: number;
  /** Confidence level of the ρ interval (default 0.95). */
  level?: number;
  /** Reliability bins on [0, 1] (default 10). */
  bins?: number;
  /**
   * Lower bounds of the step-position buckets, ascending from 0 (default [0, 1, 2, 3, 5] → buckets
   * "0", "1", "2", "3-4", "5+"). The last bucket is open-ended.
   */
  stepBuckets?: number[];
}

/** The metrics computed for every subset in a breakdown (no bootstrap: subsets are small). */
export interface GroupMetrics {
  key: string;
  n: number;
  /** Share of y = 1 in this group; null when n = 0. */
  escalateShare: number | null;
  spearman: number | null;
  spearmanNonTies: number | null;
  /** Pairs with Δ exactly 0 (identical draft and target steps, or equal PRM scores). */
  ties: number;
  auc: number | null;
  perClassAccuracy: PerClassAccuracy;
  balancedAccuracy: number | null;
}

export interface RouterReport {
  n: number;
  labelBalance: LabelBalance;
  /** Spearman ρ(score, Δ), tie-corrected (average ranks); null when undefined (n < 2 or a constant side). */
  spearman: number | null;
  /** Percentile bootstrap interval of ρ at `spearmanCILevel`; null when no replicate was defined. */
  spearmanCI: [number, number] | null;
  spearmanCILevel: number;
  bootstrap: { seed: number | string; resamples: number; validResamples: number };
  pearson: number | null;
  /** ROC-AUC for y = 1[Δ > 0]; null with one class only. */
  auc: number | null;
  /** Average precision for y = 1[Δ > 0]; null with one class only. */
  prAuc: number | null;
  /** ρ over the pairs with Δ ≠ 0: ties at Δ = 0 are a block of equal ranks that can dominate ρ. */
  spearmanNonTies: number | null;
  /** ROC-AUC over the pairs with Δ ≠ 0. */
  aucNonTies: number | null;
  /** Pairs with Δ exactly 0. */
  ties: number;
  threshold: number;
  confusion: ConfusionMatrix;
  perClassAccuracy: PerClassAccuracy;
  balancedAccuracy: number | null;
  accuracy: number | null;
  /** Reliability bins of score against y; null when some score lies outside [0, 1] (not a probability). */
  reliability: ReliabilityBin[] | null;
  /** Expected calibration error over `reliability`; null when n = 0 or scores are not probabilities. */
  ece: number | null;
  breakdowns: {
    byLevel: GroupMetrics[];
    bySubject: GroupMetrics[];
    byStep: GroupMetrics[];
  };
}
