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
  estimateLmCallMs,
  estimateScorerMs,
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
  return estimateLmCallMs(costs, { chars: c.chars, newTokens: c.k, past: c.length - c.k, fed: c.fed, length: c.length, after: predecessor(c) });
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

type PathSums = Map<Role, { measured: number; priced: number }>[];

function levelOfAll(sums: PathSums): number | null {
  return medianRatio(sums.map((byRole) => [...byRole.values()].reduce((a, s) => ({ measured: a.measured + s.measured, priced: a.priced + s.priced }), { measured: 0, priced: 0 })));
}

function levelsByModel(sums: PathSums): Record<Role, number | null> {
  return Object.fromEntries(ROLES.map((role) => [role, medianRatio(sums.flatMap((byRole) => byRole.get(role) ?? []))])) as Record<Role, number | null>;
}

/**
 * Median over paths of measured / priced (all of a path's calls), or null when fewer than MIN_CALLS
 * paths carry an id (a cached sweep's computations have none) or nothing was priced.
 */
export function pathLevel(calibration: RunCalibration, log: PathCallLog): number | null {
  return levelOfAll([...pathSums(calibration, log).values()]);
}

/**
 * Each model's level: the median, over the paths that call it, of its calls' measured / priced on
 * the path; null for a model called on fewer than MIN_CALLS paths. Apart by model because the
 * capped fit cuts more from a model with short calls: a slice of lost CPU triples a 3 ms call
 * (capped at 1.5x) and adds a fifth to a 30 ms one (kept).
 */
export function modelLevels(calibration: RunCalibration, log: PathCallLog): Record<Role, number | null> {
  return levelsByModel([...pathSums(calibration, log).values()]);
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

/** Every cost of the calibration times `f` (one factor, or one per model): each call priced f times as high. */
export function scaleCalibration(c: RunCalibration, f: number | ((role: Role) => number)): RunCalibration {
  const by = typeof f === "number" ? () => f : f;
  return {
    draft: c.draft ? scaleLm(c.draft, by("draft")) : null,
    target: c.target ? scaleLm(c.target, by("target")) : null,
    prm: c.prm ? scaleScorer(c.prm, by("prm")) : null,
    router: c.router ? scaleScorer(c.router, by("router")) : null,
  };
}

/**
 * The calibration with each model's level set by the run's paths (modelLevels); a model on too few
 * paths takes the level of all calls (pathLevel); unchanged when the paths are too few for that.
 */
export function levelledByPaths(calibration: RunCalibration, log: PathCallLog): RunCalibration {
  const sums = [...pathSums(calibration, log).values()];
  const all = levelOfAll(sums);
  if (all === null || !Number.isFinite(all) || all <= 0) return calibration;
  const own = levelsByModel(sums);
  return scaleCalibration(calibration, (role) => {
    const x = own[role];
    return x !== null && Number.isFinite(x) && x > 0 ? x : all;
  });
}
