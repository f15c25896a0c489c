/**
 * Chart data: what each plot draws, as plain JSON. Produced by the pure transforms in this folder
 * from stored results (summary.json rows, problem records, router scores) and drawn by the same
 * React components in the app and in the HTML report. Every number here comes from shared/metrics,
 * shared/stats or shared/router-metrics; the transforms only select, join and arrange.
 */
import type { Method, ProblemStopReason, StepSourceName, TokenCounts, ComponentMs } from "../results.ts";
import type { ReliabilityBin } from "../stats/index.ts";

export const PLOT_KINDS = ["acceptance-accuracy", "accuracy-latency", "latency-breakdown", "router-scatter", "step-trace"] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/** Which run a series or bar belongs to: one run normally, two in Compare. */
export interface RunTag {
  runId: string;
  runLabel: string;
}

// ---------------------------------------------------------------- (1) acceptance–accuracy

export interface AcceptancePoint {
  configId: string;
  threshold: number;
  /** Accepted draft tokens / draft tokens generated (shared/metrics/summarize.ts). */
  acceptanceRate: number;
  accuracy: number;
  problems: number;
}

export interface AcceptanceSeries extends RunTag {
  method: Method;
  /** Sorted by threshold, ascending. */
  points: AcceptancePoint[];
  /**
   * Configurations of this series that land on the same point (same acceptance rate and accuracy),
   * which a chart would otherwise stack invisibly: one entry per such point, labelled "τ 0.1–0.9".
   */
  overlaps: OverlapGroup[];
}

export interface OverlapGroup {
  acceptanceRate: number;
  accuracy: number;
  /** Ascending. */
  thresholds: number[];
  configIds: string[];
  /** "τ 0.1–0.9" for neighbouring thresholds of the series, else "δ 0, 0.5, 1". */
  label: string;
}

export interface ReferencePoint extends RunTag {
  method: "draft" | "target";
  configId: string;
  /**
   * x position. The draft alone keeps every draft token (1). The target alone generates no draft
   * token, so its acceptance rate is undefined (null in the summary); it is drawn at 0, "no draft
   * token kept", which is where every threshold method ends when it always escalates.
   */
  acceptanceRate: number;
  /** The rate as summarised: null for target-only. */
  acceptanceRateDefined: number | null;
  accuracy: number;
  /** 95 % Wilson interval of the accuracy. */
  accuracyCi95: [number, number] | null;
  problems: number;
  latencyMs: number;
}

export interface AcceptanceAccuracyData {
  kind: "acceptance-accuracy";
  /** Which grader's accuracy: the toolkit's ("qwen") or the strict one. */
  grader: "qwen" | "strict";
  series: AcceptanceSeries[];
  references: ReferencePoint[];
  /** Configurations left out, with why (no problems finished, no draft token generated). */
  omitted: { configId: string; reason: string }[];
}

// ---------------------------------------------------------------- (2) accuracy vs latency

export interface LatencyPoint {
  configId: string;
  threshold: number | null;
  /** Mean method latency per problem, ms. */
  latencyMs: number;
  accuracy: number;
  /** 95 % Wilson interval of the accuracy (shared/stats/wilson.ts); null with no problem. */
  accuracyCi95: [number, number] | null;
  problems: number;
  /** Sent every kept step to the target: left out of the frontier (shared/metrics/matched-accuracy.ts). */
  escalatesEveryStep: boolean;
}

export interface LatencySeries extends RunTag {
  method: Method;
  /** Every configuration of the method, sorted by latency. */
  points: LatencyPoint[];
  /**
   * The method's accuracy–latency frontier as the headline builds it: its configurations that do
   * not escalate every step, plus the draft and target baselines; by latency.
   */
  frontier: LatencyPoint[];
}

/** The speedup over RSD at matched accuracy of one candidate in one run, with its intervals where known. */
export interface MatchedAccuracy extends RunTag {
  candidate: "arbitrage" | "oracle";
  /** RSD latency / candidate latency at `accuracy` (= summary.json for the toolkit grader). */
  speedup: number;
  /** The stated accuracy: the highest both frontiers reach, capped at the target-only accuracy. */
  accuracy: number;
  rsdLatencyMs: number;
  candidateLatencyMs: number;
  /** 95 % bootstrap intervals over problems (summary.json); null where not computed (see intervalNote). */
  ci95: [number, number] | null;
  accuracyCi95: [number, number] | null;
  /** Problems behind the intervals; null where not computed. */
  problems: number | null;
  resamples: number | null;
  /** Why there is no interval, if there is none. */
  intervalNote: string | null;
  /** The curve's accuracies: from the draft's accuracy to the stated one. */
  range: { min: number; max: number };
  /** Speedup along the range, with its bootstrap band where known. */
  curve: { accuracy: number; speedup: number; ci95: [number, number] | null }[];
  /** The headline as a sentence (shared/metrics/headline-text.ts). */
  text: string;
}

export interface AccuracyLatencyData {
  kind: "accuracy-latency";
  grader: "qwen" | "strict";
  series: LatencySeries[];
  references: ReferencePoint[];
  /** Per run, Arbitrage's (and, when run, the oracle's) speedup over RSD; the segment and the curve to draw. */
  matched: MatchedAccuracy[];
  /** Runs without RSD or Arbitrage configurations, with why. */
  unmatched: (RunTag & { reason: string })[];
}

// ---------------------------------------------------------------- (3) latency breakdown

export const LATENCY_COMPONENTS = ["draft", "router", "prm", "target", "overhead"] as const;
export type LatencyComponent = (typeof LATENCY_COMPONENTS)[number];

export interface BreakdownBar extends RunTag {
  configId: string;
  /** "draft", "rsd@0.5"; prefixed with the run label in Compare. */
  label: string;
  method: Method;
  threshold: number | null;
  /** Mean ms per problem of each component. */
  draft: number;
  router: number;
  prm: number;
  target: number;
  overhead: number;
  /** Mean method latency per problem (the sum of the components). */
  total: number;
}

export interface LatencyBreakdownData {
  kind: "latency-breakdown";
  components: readonly LatencyComponent[];
  bars: BreakdownBar[];
}

// ---------------------------------------------------------------- (4) router score vs oracle Δ

export interface ScatterPoint {
  score: number;
  delta: number;
  /** 1[Δ > 0]. */
  label: 0 | 1;
  problemId: string | null;
  stepIndex: number | null;
}

export interface RouterScatterData extends RunTag {
  kind: "router-scatter";
  /** Where the pairs come from. */
  source: "run-steps" | "router-scores";
  /** Router name (router-scores) or the run's router. */
  router: string;
  n: number;
  /** Points drawn; all of them up to `maxPoints`, else an evenly spaced subset (metrics use all). */
  points: ScatterPoint[];
  pointsShown: number;
  spearman: number | null;
  spearmanCI: [number, number] | null;
  spearmanCILevel: number;
  /** Bootstrap resamples behind the interval (absent in rows stored before it: 1000). */
  resamples?: number;
  auc: number | null;
  ece: number | null;
  /** τ the decision metrics used. */
  threshold: number;
  escalateShare: number | null;
  /** Reliability bins; null when a score lies outside [0, 1]. */
  calibration: ReliabilityBin[] | null;
  /**
   * Every pair (not only the points drawn) counted on a grid of score × Δ cells, per label: the
   * density view, for runs whose scores pile up at 0 and 1. Absent in aggregates stored before it.
   */
  density?: DensityCell[];
  /** Smallest and largest Δ over every pair (the y-axis is fitted to them). */
  deltaRange?: [number, number] | null;
  /** Equal-count reliability bins (shared/stats equalCountBins); null when a score lies outside [0, 1]. */
  adaptiveCalibration?: ReliabilityBin[] | null;
  /** Which configurations' steps the pairs come from (router scores from, Δ from). */
  configs?: { scores: string[]; deltas: string[] };
}

/** One cell of the density view: pairs with label `label` whose (score, Δ) fall in the cell. */
export interface DensityCell {
  /** The cell's centre. */
  score: number;
  delta: number;
  /** The cell's size (score, Δ). */
  width: number;
  height: number;
  label: 0 | 1;
  count: number;
}

/** The calibration curve's data as exported: the bins themselves, with counts. */
export interface RouterCalibrationData extends RunTag {
  kind: "router-calibration";
  router: string;
  binning: "equal-count" | "equal-width";
  n: number;
  ece: number | null;
  bins: ReliabilityBin[];
}

// ---------------------------------------------------------------- (5) step trace

export interface TraceStep {
  index: number;
  /** Who wrote the kept step. */
  source: StepSourceName;
  text: string;
  decision: "accept" | "escalate" | "draft-only" | "target-only";
  /** The candidate that was generated and not kept (drawn struck through), if any. */
  discarded: { by: StepSourceName; text: string } | null;
  prmDraft: number | null;
  prmTarget: number | null;
  router: number | null;
  delta: number | null;
  tokens: TokenCounts;
  ms: ComponentMs;
}

export interface StepTraceData {
  kind: "step-trace";
  configId: string;
  method: Method;
  threshold: number | null;
  problemId: string;
  correct: boolean;
  correctStrict: boolean;
  extracted: string;
  stopReason: ProblemStopReason | "error";
  error: string | null;
  latencyMs: ComponentMs & { total: number };
  tokens: TokenCounts;
  steps: TraceStep[];
  /** Kept steps by writer; discarded candidates by writer. */
  counts: { draft: number; target: number; discardedDraft: number; discardedTarget: number };
}

export type PlotData = AcceptanceAccuracyData | AccuracyLatencyData | LatencyBreakdownData | RouterScatterData | RouterCalibrationData | StepTraceData;
