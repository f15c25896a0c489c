/**
 * The records a sweep writes and everything downstream reads: the CLI's tables and CSV, the app's
 * plots, the HTML report. Plain JSON-serialisable data; every metric is derived from these records
 * (shared/metrics), never accumulated inside the loop.
 */
import type { ErrorRecord } from "./errors.ts";

export const METHODS = ["draft", "target", "rsd", "arbitrage", "oracle", "generate"] as const;
export type Method = (typeof METHODS)[number];

/** Methods with a threshold: RSD's δ on the PRM score, Arbitrage's τ on the router score, the oracle's τ on Δ. */
export const THRESHOLD_METHODS: readonly Method[] = ["rsd", "arbitrage", "oracle"];

export interface Configuration {
  /** "rsd@0.6", "arbitrage@0.3", "draft", … */
  id: string;
  method: Method;
  threshold: number | null;
}

export function configId(method: Method, threshold: number | null): string {
  return threshold === null ? method : `${method}@${formatThreshold(threshold)}`;
}

/** Thresholds print without float noise: 0.30000000000000004 -> "0.3". */
export function formatThreshold(t: number): string {
  return String(Number(t.toFixed(6)));
}

export type StepSourceName = "draft" | "target";
export type LmStopReason = "stop" | "eos" | "max-tokens" | "context-full";

/** Why a problem's loop ended (the reference implementation's conditions). */
export type ProblemStopReason =
  | "eos" // the chosen step ended with end-of-sequence
  | "no-delimiter" // the chosen step hit its token limit without a delimiter
  | "context-full" // a model's context window filled up
  | "max-steps"
  | "max-tokens"; // the total token budget of the completion

export interface TokenCounts {
  /** Tokens of draft steps that were kept. */
  draftAccepted: number;
  /** Tokens of draft steps that were generated and thrown away. */
  draftDiscarded: number;
  /** Tokens of steps the target wrote and that were kept. */
  target: number;
}

/** Wall-clock per component, in ms. */
export interface ComponentMs {
  draft: number;
  target: number;
  prm: number;
  router: number;
  overhead: number;
}

export interface StepRecord {
  index: number;
  /** Who wrote the step that was kept. */
  source: StepSourceName;
  /** The kept step's text (without the delimiter). */
  text: string;
  /** The draft's candidate, when the draft wrote one (kept or discarded). */
  draftText: string | null;
  /** The target's candidate, when the target wrote one (kept or not: the oracle computes both). */
  targetText: string | null;
  decision: "accept" | "escalate" | "draft-only" | "target-only";
  tokens: TokenCounts;
  prmDraft: number | null;
  prmTarget: number | null;
  router: number | null;
  /** PRM(target step) − PRM(draft step), where both exist. */
  delta: number | null;
  /** Time of each component this step, along this configuration's own path. */
  ms: ComponentMs;
  /** How the kept step ended. */
  stop: LmStopReason;
}

export interface ProblemRecord {
  config: Configuration;
  problemId: string;
  level: string | number | null;
  subject: string | null;
  steps: StepRecord[];
  completion: string;
  extracted: string;
  /** Graded like the Qwen2.5-Math toolkit. */
  correct: boolean;
  /** Graded by the mathematically careful grader. */
  correctStrict: boolean;
  stopReason: ProblemStopReason | "error";
  tokens: TokenCounts;
  /** The method's latency: only the calls its policy needs. */
  latencyMs: ComponentMs & { total: number };
  /** Every call the harness made for this problem (the oracle computes both steps; generate too). */
  harnessMs: number;
  error?: ErrorRecord;
}

/** One row of summary.json's "runs" (and of results.csv). */
export interface ConfigSummary {
  id: string;
  method: Method;
  threshold: number | null;
  problems: number;
  errors: number;
  accuracy: number;
  accuracyStrict: number;
  /** Accepted draft tokens / all draft tokens generated (null when no draft token was generated). */
  acceptanceRate: number | null;
  /** Share of kept steps written by the target. */
  targetStepShare: number;
  latencyMs: { mean: number; draft: number; target: number; prm: number; router: number; overhead: number };
  tokens: TokenCounts;
  /** Tokens kept in completions per second of method latency. */
  tokensPerSecond: number;
  meanSteps: number;
}

/** A speedup at one accuracy of the curve, with its bootstrap interval. */
export interface MatchedCurvePoint {
  accuracy: number;
  speedup: number;
  /** 95 % percentile bootstrap interval over problems (null when no resample reached this accuracy). */
  ci95: [number, number] | null;
}

/**
 * Speedup over RSD at matched accuracy (shared/stats/matched-accuracy.ts, docs/sweeps.md "The
 * headline"): RSD's latency / the candidate's on the interpolated frontiers at `accuracy`, with
 * 95 % bootstrap intervals over problems.
 */
export interface MatchedAccuracyBase {
  /** The stated accuracy: the highest both frontiers reach, capped at the target-only accuracy. */
  accuracy: number;
  /** Bootstrap interval of the stated accuracy (it moves from resample to resample). */
  accuracyCi95: [number, number] | null;
  /** RSD latency / candidate latency at `accuracy`. */
  speedup: number;
  ci95: [number, number] | null;
  /** Problems resampled (every problem any configuration finished). */
  problems: number;
  resamples: number;
  /** RSD's interpolated mean latency per problem at `accuracy`, ms. */
  rsdMs: number;
  /** Configurations left out because they escalate every step (the target alone, at a higher price). */
  excluded: string[];
  /** The speedup from the draft's accuracy up to `accuracy`. */
  curve: MatchedCurvePoint[];
  /**
   * True when, at `accuracy`, both frontiers are the target-only baseline itself: neither method
   * reaches that accuracy more cheaply than running the target alone, so the headline compares the
   * target with itself (1.00×) and the curve below it is the comparison of the methods. Absent in
   * summaries written before it.
   */
  targetOnly?: boolean;
}

export interface MatchedAccuracy extends MatchedAccuracyBase {
  /** Arbitrage's interpolated mean latency per problem at `accuracy`, ms. */
  arbitrageMs: number;
}

/** The Arbitrage oracle over RSD: the room left above Arbitrage. */
export interface OracleMatchedAccuracy extends MatchedAccuracyBase {
  oracleMs: number;
}

export interface SweepSummary {
  runs: ConfigSummary[];
  /** Arbitrage over RSD at matched accuracy with its intervals (null when either method is missing). */
  matchedAccuracy: MatchedAccuracy | null;
  /** The oracle over RSD, the same way. */
  oracleMatchedAccuracy: OracleMatchedAccuracy | null;
  /** = matchedAccuracy.speedup (kept for readers of older summaries). */
  speedupAtMatchedAccuracy: number | null;
  /** = matchedAccuracy's accuracy, rsdMs and arbitrageMs. */
  speedupDetail: {
    accuracy: number;
    rsdLatencyMs: number;
    arbitrageLatencyMs: number;
  } | null;
  cache: { stepsComputed: number; stepsNaive: number };
  /** Provenance and settings live in run.json beside this file. */
  problems: number;
}
