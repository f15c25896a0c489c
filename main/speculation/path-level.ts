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
 * So the shapes come from the per-call fit and the level from the paths: each model's costs are
 * multiplied by the median, over the run's paths that call it, of (its measured call times on the
 * path) / (the same calls priced by the fit). The median, so a path caught whole by a burst does not
 * move it; by model, because the cap cuts more from short calls than from long ones.
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

type Role = "draft" | "target" | "prm" | "router";
const ROLES: readonly Role[] = ["draft", "target", "prm", "router"];

/** Per path, each model's measured and priced call times (calls without a path are left out). */
function pathSums(calibration: RunCalibration, log: PathCallLog): Map<number, Map<Role, { measured: number; priced: number }>> {
  const sums = new Map<number, Map<Role, { measured: number; priced: number }>>();
  const add = (role: Role, path: number | undefined, measured: number, priced: number) => {
    if (path === undefined) return;
    const byRole = sums.get(path) ?? new Map<Role, { measured: number; priced: number }>();
    const s = byRole.get(role) ?? { measured: 0, priced: 0 };
    s.measured += measured;
    s.priced += priced;
    byRole.set(role, s);
    sums.set(path, byRole);
  };
  for (const role of ["draft", "target"] as const) {
    const costs = calibration[role];
    if (costs) for (const c of log[role]) add(role, c.path, c.tokenizeMs + c.prefillMs + c.decodeMs, priceLmCall(costs, c));
  }
  for (const role of ["prm", "router"] as const) {
    const costs = calibration[role];
    if (costs) for (const c of log[role]) add(role, c.path, c.ms, estimateScorerMs(costs, c.tokens, c.reused));
  }
  return sums;
}

function medianRatio(xs: readonly { measured: number; priced: number }[]): number | null {
  const ratios = xs.filter((s) => s.priced > 0).map((s) => s.measured / s.priced);
  return ratios.length < MIN_CALLS ? null : median(ratios);
}

/**
 * Median over paths of measured / priced (all of a path's calls), or null when fewer than MIN_CALLS
 * paths carry an id (a cached sweep's computations have none) or nothing was priced.
 */
export function pathLevel(calibration: RunCalibration, log: PathCallLog): number | null {
  const whole = [...pathSums(calibration, log).values()].map((byRole) =>
    [...byRole.values()].reduce((a, s) => ({ measured: a.measured + s.measured, priced: a.priced + s.priced }), { measured: 0, priced: 0 }),
  );
  return medianRatio(whole);
}

/**
 * Each model's level: the median, over the paths that call it, of its calls' measured / priced on
 * the path; null for a model called on fewer than MIN_CALLS paths. Apart by model because the
 * capped fit cuts more from a model with short calls: a slice of lost CPU triples a 3 ms call
 * (capped at 1.5x) and adds a fifth to a 30 ms one (kept).
 */
export function modelLevels(calibration: RunCalibration, log: PathCallLog): Record<Role, number | null> {
  const sums = [...pathSums(calibration, log).values()];
  return Object.fromEntries(ROLES.map((role) => [role, medianRatio(sums.flatMap((byRole) => byRole.get(role) ?? []))])) as Record<Role, number | null>;
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

/**
 * The calibration with each model's level set by the run's paths (modelLevels); a model on too few
 * paths takes the level of all calls (pathLevel); unchanged when the paths are too few for that.
 */
export function levelledByPaths(calibration: RunCalibration, log: PathCallLog): RunCalibration {
  const all = pathLevel(calibration, log);
  if (all === null || !Number.isFinite(all) || all <= 0) return calibration;
  const own = modelLevels(calibration, log);
  const f = (role: Role) => {
    const x = own[role];
    return x !== null && Number.isFinite(x) && x > 0 ? x : all;
  };
  return {
    draft: calibration.draft ? scaleLm(calibration.draft, f("draft")) : null,
    target: calibration.target ? scaleLm(calibration.target, f("target")) : null,
    prm: calibration.prm ? scaleScorer(calibration.prm, f("prm")) : null,
    router: calibration.router ? scaleScorer(calibration.router, f("router")) : null,
  };
}
