/**
 * The headline of a sweep: speedup of Arbitrage (and of the oracle) over RSD at matched accuracy,
 * with bootstrap intervals over problems — summary.json's `matchedAccuracy` and
 * `oracleMatchedAccuracy`, computed the same way by the CLI, the app's store and the HTML report.
 *
 * Which configurations enter (docs/sweeps.md, "The headline"): each method's threshold
 * configurations with finished problems, except those that escalate every step on this run (every
 * kept step written by the target: the target alone at a higher price, which both methods can
 * have by running the target), plus the `draft` and `target` baselines. The exclusion is decided
 * once on the full sample and kept in every resample. The definition itself is
 * shared/stats/matched-accuracy.ts; the bootstrap shared/stats/matched-bootstrap.ts.
 */
import type { ConfigSummary, MatchedAccuracy, MatchedAccuracyBase, Method, OracleMatchedAccuracy, ProblemRecord } from "../results.ts";
import { matchedSpeedup, type AccuracyLatencyPoint, type MatchedInput, type MatchedResult } from "../stats/matched-accuracy.ts";
import { bootstrapMatchedSpeedup, type OutcomeColumn } from "../stats/matched-bootstrap.ts";

export type MatchedCandidate = "arbitrage" | "oracle";

/** Resamples behind summary.json's intervals, and their seed (fixed: the same run gives the same file). */
export const HEADLINE_RESAMPLES = 2000;
export const HEADLINE_SEED = 0;

/** A threshold configuration that sent every kept step to the target. */
export function escalatesEveryStep(c: ConfigSummary): boolean {
  return c.method !== "draft" && c.method !== "target" && c.targetStepShare === 1;
}

function usable(c: ConfigSummary): boolean {
  return c.problems > 0 && c.latencyMs.mean > 0;
}

export interface HeadlineSelection {
  baseline: ConfigSummary[];
  candidate: ConfigSummary[];
  draft: ConfigSummary | null;
  target: ConfigSummary | null;
  /** Ids left out because they escalate every step. */
  excluded: string[];
}

/** The configurations the headline of `candidate` over RSD is built from (see the header). */
export function headlineSelection(runs: readonly ConfigSummary[], candidate: MatchedCandidate): HeadlineSelection {
  const excluded: string[] = [];
  const own = (m: Method) =>
    runs.filter((c) => {
      if (c.method !== m || !usable(c)) return false;
      if (escalatesEveryStep(c)) {
        excluded.push(c.id);
        return false;
      }
      return true;
    });
  const baseline = own("rsd");
  const cand = own(candidate);
  const one = (m: Method) => runs.find((c) => c.method === m && usable(c)) ?? null;
  return { baseline, candidate: cand, draft: one("draft"), target: one("target"), excluded };
}

/** What shared/stats reads of a configuration: the toolkit grader's accuracy (or the strict one) and mean latency. */
function pointOf(c: ConfigSummary, grader: "qwen" | "strict"): AccuracyLatencyPoint {
  return { accuracy: grader === "strict" ? c.accuracyStrict : c.accuracy, latency: c.latencyMs.mean };
}

export function headlineInput(s: HeadlineSelection, grader: "qwen" | "strict" = "qwen"): MatchedInput {
  return {
    baseline: s.baseline.map((c) => pointOf(c, grader)),
    candidate: s.candidate.map((c) => pointOf(c, grader)),
    draft: s.draft ? pointOf(s.draft, grader) : null,
    target: s.target ? pointOf(s.target, grader) : null,
  };
}

/**
 * The point estimate alone, from the configurations' summaries: what the plots draw for any
 * grader. Equal to summary.json's numbers for the toolkit grader (the same points, the same code).
 */
export function matchedEstimate(runs: readonly ConfigSummary[], candidate: MatchedCandidate, grader: "qwen" | "strict" = "qwen"): MatchedResult | null {
  return matchedSpeedup(headlineInput(headlineSelection(runs, candidate), grader));
}

/**
 * Per configuration and problem, whether it was answered correctly and at what latency: what the
 * bootstrap resamples. Filled record by record, so a store can stream its rows through it.
 */
export class ProblemOutcomes {
  private readonly byConfig = new Map<string, Map<string, { correct: boolean; latency: number }>>();
  private readonly problemIds = new Set<string>();

  add(r: ProblemRecord): void {
    let m = this.byConfig.get(r.config.id);
    if (m === undefined) {
      m = new Map();
      this.byConfig.set(r.config.id, m);
    }
    m.set(r.problemId, { correct: r.correct, latency: r.latencyMs.total });
    this.problemIds.add(r.problemId);
  }

  get problems(): number {
    return this.problemIds.size;
  }

  /** One column per configuration over every problem seen (NaN where the configuration lacks it), sorted by id. */
  column(configId: string): { correct: Float64Array; latency: Float64Array } {
    const ids = [...this.problemIds].sort();
    const m = this.byConfig.get(configId);
    const correct = new Float64Array(ids.length).fill(Number.NaN);
    const latency = new Float64Array(ids.length);
    ids.forEach((id, i) => {
      const o = m?.get(id);
      if (o === undefined) return;
      correct[i] = o.correct ? 1 : 0;
      latency[i] = o.latency;
    });
    return { correct, latency };
  }
}

export interface HeadlineOptions {
  resamples?: number;
  seed?: number;
}

function headlineOf(runs: readonly ConfigSummary[], outcomes: ProblemOutcomes, candidate: MatchedCandidate, options: HeadlineOptions): { base: MatchedAccuracyBase; candidateMs: number } | null {
  const s = headlineSelection(runs, candidate);
  const columns: OutcomeColumn[] = [];
  const add = (role: OutcomeColumn["role"], c: ConfigSummary | null) => {
    if (c !== null) columns.push({ role, point: pointOf(c, "qwen"), ...outcomes.column(c.id) });
  };
  s.baseline.forEach((c) => add("baseline", c));
  s.candidate.forEach((c) => add("candidate", c));
  add("draft", s.draft);
  add("target", s.target);
  const b = bootstrapMatchedSpeedup(columns, { resamples: options.resamples ?? HEADLINE_RESAMPLES, seed: options.seed ?? HEADLINE_SEED, level: 0.95 });
  if (b === null) return null;
  const stated = b.estimate.stated;
  const target = s.target === null ? null : pointOf(s.target, "qwen");
  const targetOnly =
    target !== null && stated.accuracy === target.accuracy && stated.baselineLatency === target.latency && stated.candidateLatency === target.latency;
  return {
    base: {
      accuracy: stated.accuracy,
      accuracyCi95: b.accuracyInterval,
      speedup: stated.speedup,
      ci95: b.speedupInterval,
      problems: b.problems,
      resamples: b.resamples,
      rsdMs: stated.baselineLatency,
      excluded: s.excluded,
      curve: b.curve.map((p) => ({ accuracy: p.accuracy, speedup: p.speedup, ci95: p.interval })),
      targetOnly,
    },
    candidateMs: stated.candidateLatency,
  };
}

/** summary.json's `matchedAccuracy`: Arbitrage over RSD; null when either method has no usable configuration. */
export function arbitrageMatchedAccuracy(runs: readonly ConfigSummary[], outcomes: ProblemOutcomes, options: HeadlineOptions = {}): MatchedAccuracy | null {
  const h = headlineOf(runs, outcomes, "arbitrage", options);
  return h === null ? null : { ...h.base, arbitrageMs: h.candidateMs };
}

/** summary.json's `oracleMatchedAccuracy`: the oracle over RSD. */
export function oracleMatchedAccuracy(runs: readonly ConfigSummary[], outcomes: ProblemOutcomes, options: HeadlineOptions = {}): OracleMatchedAccuracy | null {
  const h = headlineOf(runs, outcomes, "oracle", options);
  return h === null ? null : { ...h.base, oracleMs: h.candidateMs };
}

/** Everything summary.json says about the headline, from the configurations' summaries and their records. */
export function headlineFields(runs: readonly ConfigSummary[], outcomes: ProblemOutcomes, options: HeadlineOptions = {}) {
  const matchedAccuracy = arbitrageMatchedAccuracy(runs, outcomes, options);
  return {
    matchedAccuracy,
    oracleMatchedAccuracy: oracleMatchedAccuracy(runs, outcomes, options),
    speedupAtMatchedAccuracy: matchedAccuracy?.speedup ?? null,
    speedupDetail:
      matchedAccuracy === null ? null : { accuracy: matchedAccuracy.accuracy, rsdLatencyMs: matchedAccuracy.rsdMs, arbitrageLatencyMs: matchedAccuracy.arbitrageMs },
  };
}
