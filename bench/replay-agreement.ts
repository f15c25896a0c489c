/**
 * How bench:sweep judges a replay against a measurement: the combined latency of a configuration
 * over rounds, the replay's signed error, the noise floor measured in the same run, and the goal's
 * verdict. Pure functions of plain data, so the judgement is tested apart from the minutes-long bench.
 *
 * A side's rounds: one table per round, configuration id → problem id → latency in ms.
 */
import { median } from "../shared/stats/summary.ts";

export type RoundLatencies = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The goal of issue 18: the replay's largest error, or the noise floor plus this, whichever is larger. */
export const GOAL_MAX_ERROR = 0.05;
export const GOAL_FLOOR_MARGIN = 0.02;

function meanOf(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * A configuration's latency over the rounds: per problem the median of its rounds, then the mean
 * over problems. A slow burst of the machine hits a few problems of one round; per problem the
 * median drops it, where a median of whole-round means keeps a round it inflated.
 */
export function combinedLatency(rounds: readonly RoundLatencies[], configId: string): number {
  const byProblem = new Map<string, number[]>();
  for (const round of rounds) {
    for (const [problem, ms] of Object.entries(round[configId] ?? {})) byProblem.set(problem, [...(byProblem.get(problem) ?? []), ms]);
  }
  return meanOf([...byProblem.values()].map((x) => median(x) ?? Number.NaN));
}

/** (replayed − measured) / measured: a bias shows as one sign. */
export function signedError(replayed: number, measured: number): number {
  return (replayed - measured) / measured;
}

/**
 * The replay's signed error of one configuration in each round on its own (round r's replay, priced
 * by round r's measured costs, against round r's measurement; mean over problems on each side).
 */
export function perRoundErrors(measured: readonly RoundLatencies[], replayed: readonly RoundLatencies[], configId: string): number[] {
  if (measured.length !== replayed.length) throw new Error(`${measured.length} measured rounds but ${replayed.length} replayed`);
  return measured.map((m, r) => {
    const problems = Object.keys(m[configId] ?? {});
    const rep = replayed[r]?.[configId] ?? {};
    return signedError(meanOf(problems.map((p) => rep[p] ?? Number.NaN)), meanOf(problems.map((p) => m[configId]?.[p] ?? Number.NaN)));
  });
}

/**
 * How much one configuration's replay error moves between rounds: the range (largest − smallest) of
 * its per-round errors; null with fewer than two rounds. A bias of the replay is the same in every
 * round and cancels; a change of the machine's speed common to a whole round is followed by that
 * round's fitted costs and cancels too; what is left is the noise the replay cannot follow (slow
 * bursts hitting some configurations' calls and not others, the fit's own scatter).
 */
export function errorSpreadBetweenRounds(measured: readonly RoundLatencies[], replayed: readonly RoundLatencies[], configId: string): number | null {
  if (measured.length < 2) return null;
  const errs = perRoundErrors(measured, replayed, configId);
  return Math.max(...errs) - Math.min(...errs);
}

/**
 * The noise floor: the median over configurations of errorSpreadBetweenRounds (the median, not the
 * largest, so one configuration caught by a burst does not set it). null with fewer than two rounds:
 * nothing was measured, which is not a floor of zero.
 */
export function measuredNoiseFloor(measured: readonly RoundLatencies[], replayed: readonly RoundLatencies[], configIds: readonly string[]): number | null {
  const spreads = configIds.map((id) => errorSpreadBetweenRounds(measured, replayed, id)).filter((x): x is number => x !== null && Number.isFinite(x));
  return spreads.length === 0 ? null : (median(spreads) ?? null);
}

/**
 * The spread among configurations whose paths are identical (they do the same work, so their replays
 * are equal and their measurements differ only by the machine): (largest − smallest) / smallest of
 * their combined measured latencies, per group of two or more; no such group, no value.
 */
export function identicalPathSpreads(groups: readonly (readonly string[])[], measured: readonly RoundLatencies[]): { ids: readonly string[]; ms: number[]; spread: number }[] {
  return groups
    .filter((ids) => ids.length >= 2)
    .map((ids) => {
      const ms = ids.map((id) => combinedLatency(measured, id));
      return { ids, ms, spread: (Math.max(...ms) - Math.min(...ms)) / Math.min(...ms) };
    });
}

export interface GoalVerdict {
  within: boolean;
  limit: number;
}

/** Met when the largest error is at most max(0.05, floor + 0.02); without a floor, at most 0.05. */
export function goalVerdict(maxError: number, floor: number | null): GoalVerdict {
  const limit = floor === null ? GOAL_MAX_ERROR : Math.max(GOAL_MAX_ERROR, floor + GOAL_FLOOR_MARGIN);
  return { within: maxError <= limit, limit };
}
