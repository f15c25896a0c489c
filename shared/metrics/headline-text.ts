/**
 * The headline in words, the same in the CLI, the app, the HTML report and the CSV:
 *   "Arbitrage reaches 97.5 % in 302 ms per problem vs RSD's 634 ms: 2.10× faster [1.6–2.5], 200 problems"
 *   "Arbitrage reaches 97.5 % in 634 ms per problem vs RSD's 302 ms: 0.48× (2.1× slower) [0.40–0.97], 200 problems"
 * A ratio below 1 is never called "faster": it is printed with its reciprocal as "slower".
 */
import type { MatchedAccuracy, MatchedAccuracyBase, OracleMatchedAccuracy } from "../results.ts";

/** What the sentence needs; `ci95` and `problems` are null where they are not known (no records). */
export interface HeadlineView {
  /** "Arbitrage", "the oracle". */
  candidate: string;
  accuracy: number;
  speedup: number;
  ci95: [number, number] | null;
  problems: number | null;
  rsdMs: number;
  candidateMs: number;
  /** Both frontiers are the target alone at `accuracy` (MatchedAccuracyBase.targetOnly). */
  targetOnly?: boolean;
}

export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms >= 100 ? 0 : ms >= 10 ? 1 : 2)} ms`;
}

/**
 * Two decimals, like the speedup (three when the interval is narrower than 0.02, so its ends stay
 * apart); one when both ends are round at that ([1.6–2.5]).
 */
export function formatInterval(ci: [number, number]): string {
  const d = ci[1] - ci[0] < 0.02 ? 3 : 2;
  let [lo, hi] = [ci[0].toFixed(d), ci[1].toFixed(d)];
  if (d === 2 && lo.endsWith("0") && hi.endsWith("0")) [lo, hi] = [lo.slice(0, -1), hi.slice(0, -1)];
  return `[${lo}–${hi}]`;
}

/** The reciprocal of a ratio below 1, with a second decimal near 1 where one decimal would say "1.0× slower". */
function slowerFactor(speedup: number): string {
  const f = 1 / speedup;
  return f < 1.95 ? f.toFixed(2) : f.toFixed(1);
}

/** "2.10× faster", "0.48× (2.1× slower)", "1.00× (as fast)"; with the interval after it when given. */
export function formatSpeedup(speedup: number, ci95: [number, number] | null = null): string {
  const x = speedup.toFixed(2);
  const words = x === "1.00" ? `${x}× (as fast)` : speedup > 1 ? `${x}× faster` : `${x}× (${slowerFactor(speedup)}× slower)`;
  return ci95 === null ? words : `${words} ${formatInterval(ci95)}`;
}

export function describeHeadline(v: HeadlineView, baseline = "RSD"): string {
  const tail = [v.ci95 === null ? "no interval" : null, v.problems === null ? null : `${v.problems} problem${v.problems === 1 ? "" : "s"}`].filter((s) => s !== null);
  return (
    `${v.candidate} reaches ${formatPercent(v.accuracy)} in ${formatMs(v.candidateMs)} per problem vs ${baseline}'s ${formatMs(v.rsdMs)}: ` +
    `${formatSpeedup(v.speedup, v.ci95)}${tail.length > 0 ? `, ${tail.join(", ")}` : ""}` +
    (v.targetOnly === true ? `; at that accuracy both run the target alone` : "")
  );
}

/** How many points of the curve `describeCurve` names. */
export const CURVE_POINTS_IN_WORDS = 4;

/**
 * The curve in one line, at evenly spaced points strictly inside its range (its low end is the
 * draft alone for both methods, 1.00× by construction; its high end is the headline):
 *   "Arbitrage over RSD along the curve: 1.05× faster [0.99–1.18] at 44.1 %, …"
 * Null when the curve has no inner point.
 */
export function describeCurve(m: MatchedAccuracyBase, candidate: string, baseline = "RSD"): string | null {
  const n = m.curve.length;
  if (n < 3) return null;
  const picks = new Set<number>();
  for (let k = 1; k <= CURVE_POINTS_IN_WORDS; k++) picks.add(Math.round((k * (n - 1)) / (CURVE_POINTS_IN_WORDS + 1)));
  const parts = [...picks]
    .filter((i) => i > 0 && i < n - 1)
    .sort((a, b) => a - b)
    .map((i) => {
      const p = m.curve[i] as MatchedAccuracyBase["curve"][number];
      return `${formatSpeedup(p.speedup, p.ci95)} at ${formatPercent(p.accuracy)}`;
    });
  return parts.length === 0 ? null : `${candidate} over ${baseline} along the curve: ${parts.join(", ")}`;
}

export const CANDIDATE_NAMES = { arbitrage: "Arbitrage", oracle: "The oracle" } as const;

export function arbitrageView(m: MatchedAccuracy): HeadlineView {
  return viewOf(m, CANDIDATE_NAMES.arbitrage, m.arbitrageMs);
}

export function oracleView(m: OracleMatchedAccuracy): HeadlineView {
  return viewOf(m, CANDIDATE_NAMES.oracle, m.oracleMs);
}

function viewOf(m: MatchedAccuracyBase, candidate: string, candidateMs: number): HeadlineView {
  return { candidate, accuracy: m.accuracy, speedup: m.speedup, ci95: m.ci95, problems: m.problems, rsdMs: m.rsdMs, candidateMs, targetOnly: m.targetOnly === true };
}

export const NO_HEADLINE = "No speedup at matched accuracy: the run lacks RSD or Arbitrage configurations with finished problems.";

/**
 * The headline sentences of a summary: Arbitrage's, then the oracle's (the room left above
 * Arbitrage). For a summary.json written before the intervals, its point estimate (by the older
 * definition) with "no interval".
 */
export function summaryHeadlines(s: { matchedAccuracy?: MatchedAccuracy | null; oracleMatchedAccuracy?: OracleMatchedAccuracy | null; speedupAtMatchedAccuracy: number | null; speedupDetail: { accuracy: number; rsdLatencyMs: number; arbitrageLatencyMs: number } | null; problems: number }): string[] {
  const lines: string[] = [];
  // Loose checks: a summary.json read without its schema may lack the fields (written before them).
  if (s.matchedAccuracy != null) lines.push(describeHeadline(arbitrageView(s.matchedAccuracy)));
  else if (s.speedupAtMatchedAccuracy !== null && s.speedupDetail !== null) {
    const d = s.speedupDetail;
    lines.push(describeHeadline({ candidate: CANDIDATE_NAMES.arbitrage, accuracy: d.accuracy, speedup: s.speedupAtMatchedAccuracy, ci95: null, problems: s.problems, rsdMs: d.rsdLatencyMs, candidateMs: d.arbitrageLatencyMs }));
  } else lines.push(NO_HEADLINE);
  if (s.oracleMatchedAccuracy != null) lines.push(describeHeadline(oracleView(s.oracleMatchedAccuracy)));
  return lines;
}
