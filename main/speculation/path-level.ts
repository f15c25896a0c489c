/**
 * The level of a measured run's fitted costs, set by its paths.
 *
 * Why: the fit (live-cost-fit.ts) prices each call at its typical cost — readings capped at 1.5x the
 * fit, so one slow burst does not set a cost. On a loaded machine a path's total carries more than
 * its calls' typical costs: the CPU is taken away in slices of a few milliseconds that land on any
 * call, and every path carries its share of them. A latency summarised per problem by the median
 * over rounds drops a burst that hits one path; it keeps the slices spread over all. Under a load of
 * 7 on two cores the capped fit priced bench:sweep's configurations 21 % under their measured
 * latencies on average (docs/sweeps.md, run 14); on a quiet machine the two agreed to ~1 %.
 *
 * So the shapes come from the per-call fit and the level from the paths: every cost is multiplied by
 * the median, over the run's paths, of (the path's measured call times) / (the same calls priced by
 * the fit). The median, so a path caught whole by a burst does not move it.
 */
import {
  estimateCallSetupMs,
  estimateDecodeMs,
  estimatePrefillMs,
  estimateScorerMs,
  estimateTokenizeMs,
  type LmCosts,
  type Predecessor,
  type RunCalibration,
  type ScorerCosts,
} from "./cost-calibration.ts";
import { MIN_CALLS, type LmCallSample, type ScorerCallSample } from "./live-cost-fit.ts";
import { median } from "../../shared/stats/summary.ts";

export interface PathCallLog {
  draft: readonly LmCallSample[];
  target: readonly LmCallSample[];
  prm: readonly ScorerCallSample[];
  router: readonly ScorerCallSample[];
}

function predecessor(c: LmCallSample): Predecessor {
  return c.afterSelf ? "self" : c.afterScorer ? "scorer" : c.atStart ? "start" : "other";
}

/** A language-model call priced as the replay prices it (replay-oracle.ts). */
export function priceLmCall(costs: LmCosts, c: LmCallSample): number {
  const pred = predecessor(c);
  const setup = Math.max(0, estimateTokenizeMs(costs, c.chars) + (c.k > 0 ? estimatePrefillMs(costs, c.k, c.length - c.k) : 0) + estimateCallSetupMs(costs, pred));
  return setup + estimateDecodeMs(costs, c.fed, c.length, pred);
}

/**
 * Median over paths of measured / priced, or null when fewer than MIN_CALLS paths carry an id (a
 * cached sweep's computations have none) or nothing was priced.
 */
export function pathLevel(calibration: RunCalibration, log: PathCallLog): number | null {
  const sums = new Map<number, { measured: number; priced: number }>();
  const add = (path: number | undefined, measured: number, priced: number) => {
    if (path === undefined) return;
    const s = sums.get(path) ?? { measured: 0, priced: 0 };
    s.measured += measured;
    s.priced += priced;
    sums.set(path, s);
  };
  for (const role of ["draft", "target"] as const) {
    const costs = calibration[role];
    if (costs) for (const c of log[role]) add(c.path, c.tokenizeMs + c.prefillMs + c.decodeMs, priceLmCall(costs, c));
  }
  for (const role of ["prm", "router"] as const) {
    const costs = calibration[role];
    if (costs) for (const c of log[role]) add(c.path, c.ms, estimateScorerMs(costs, c.tokens, c.reused));
  }
  const ratios = [...sums.values()].filter((s) => s.priced > 0).map((s) => s.measured / s.priced);
  if (ratios.length < MIN_CALLS) return null;
  return median(ratios);
}

function scaleLm(c: LmCosts, f: number): LmCosts {
  const curve = (xs: { length: number; ms: number }[] | undefined) => xs?.map((x) => ({ ...x, ms: x.ms * f }));
  return {
    ...c,
    prefill: c.prefill.map((x) => ({ ...x, ms: x.ms * f })),
    decode: c.decode.map((x) => ({ ...x, ms: x.ms * f })),
    ...(c.decodeAfterSelf ? { decodeAfterSelf: curve(c.decodeAfterSelf) } : {}),
    ...(c.decodeAfterScorer ? { decodeAfterScorer: curve(c.decodeAfterScorer) } : {}),
    ...(c.decodeAtStart ? { decodeAtStart: curve(c.decodeAtStart) } : {}),
    tokenizeMsPerKChar: c.tokenizeMsPerKChar * f,
    ...(c.tokenize ? { tokenize: c.tokenize.map((x) => ({ ...x, ms: x.ms * f })) } : {}),
    ...(c.callSetupMs
      ? {
          callSetupMs: {
            afterOther: c.callSetupMs.afterOther * f,
            afterSelf: c.callSetupMs.afterSelf * f,
            ...(c.callSetupMs.afterScorer !== undefined ? { afterScorer: c.callSetupMs.afterScorer * f } : {}),
            ...(c.callSetupMs.atStart !== undefined ? { atStart: c.callSetupMs.atStart * f } : {}),
          },
        }
      : {}),
  };
}

function scaleScorer(c: ScorerCosts, f: number): ScorerCosts {
  return { ...c, points: c.points.map((x) => ({ ...x, ms: x.ms * f })), ...(c.prefix ? { prefix: c.prefix.map((x) => ({ ...x, ms: x.ms * f })) } : {}) };
}

/** Every cost of the calibration times `f`: each call, and so each path, priced f times as high. */
export function scaleCalibration(c: RunCalibration, f: number): RunCalibration {
  return {
    draft: c.draft ? scaleLm(c.draft, f) : null,
    target: c.target ? scaleLm(c.target, f) : null,
    prm: c.prm ? scaleScorer(c.prm, f) : null,
    router: c.router ? scaleScorer(c.router, f) : null,
  };
}

/** The calibration with its level set by the run's paths (unchanged when they are too few). */
export function levelledByPaths(calibration: RunCalibration, log: PathCallLog): RunCalibration {
  const f = pathLevel(calibration, log);
  return f === null || !Number.isFinite(f) || f <= 0 ? calibration : scaleCalibration(calibration, f);
}
