/**
 * Chart data: what each plot draws, as plain JSON. Produced by the pure transforms in this folder
 * from stored results (summary.json rows, problem records, router scores) and drawn by the same
 * React components in the app and in the HTML report. Every number here comes from shared/metrics,
 * shared/stats or shared/router-metrics; the transforms only select, join and arrange.
 */
import type { Method, ProblemStopReason, StepSourceName, TokenCounts, ComponentMs } from "../results.ts";
import type { MatchedSpeedup, ReliabilityBin } from "../stats/index.ts";

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
}

export interface LatencySeries extends RunTag {
  method: Method;
  /** Every configuration of the method, sorted by latency. */
  points: LatencyPoint[];
  /** The method's accuracy–latency frontier (shared/stats accuracyLatencyFrontier), by latency. */
  frontier: LatencyPoint[];
}

export interface MatchedAccuracy extends RunTag {
  /** Headline: RSD latency / Arbitrage latency at the highest accuracy both reach (= summary.json). */
  speedup: number;
  accuracy: number;
  rsdLatencyMs: number;
  arbitrageLatencyMs: number;
  /** The accuracies both frontiers cover. */
  range: { min: number; max: number };
  /** Speedup along the matched range. */
  grid: MatchedSpeedup[];
}

export interface AccuracyLatencyData {
  kind: "accuracy-latency";
  grader: "qwen" | "strict";
  series: LatencySeries[];
  references: ReferencePoint[];
  /** One per run where RSD's and Arbitrage's covered accuracies overlap; the segment to draw. */
  matched: MatchedAccuracy[];
  /** Runs where they don't, with why. */
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
