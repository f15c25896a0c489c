/**
 * The level of a measured run's fitted costs, set by its paths (path-level.ts): the per-call fit
 * gives the shapes, the median over paths of measured / priced the level.
 */
import { describe, expect, it } from "vitest";
import { fitLmCosts, fitScorerCosts, MIN_CALLS, type LmCallSample, type ScorerCallSample } from "../../../main/speculation/live-cost-fit.ts";
import { levelledByPaths, modelLevels, pathLevel, priceLmCall, scaleCalibration } from "../../../main/speculation/path-level.ts";
import { estimateScorerMs, RunCalibrationSchema, type RunCalibration } from "../../../main/speculation/cost-calibration.ts";

/** A call shape per index: problem starts, catch-ups, after-self and after-scorer steps. */
function shape(i: number): Omit<LmCallSample, "tokenizeMs" | "prefillMs" | "decodeMs"> {
  const length = 60 + ((i * 37) % 300);
  const kind = i % 4;
  const k = kind === 0 ? length : kind === 1 ? 1 + ((i * 7) % 50) : 1;
  return { chars: length * 4 + (i % 5), length, k, fed: 1 + ((i * 13) % 70), afterSelf: kind === 2, afterScorer: kind === 3, atStart: kind === 0 };
}
const truth = (c: Omit<LmCallSample, "tokenizeMs" | "prefillMs" | "decodeMs">) => ({
  tokenizeMs: 0.05 + 0.0003 * c.chars,
  prefillMs: 0.4 + 0.05 * c.k + 0.0002 * c.k * (c.length - c.k),
  decodeMs: 0.3 + c.fed * (0.6 + 0.004 * (c.length + c.fed / 2)),
});
const scaled = (c: LmCallSample, f: number): LmCallSample => ({ ...c, tokenizeMs: c.tokenizeMs * f, prefillMs: c.prefillMs * f, decodeMs: c.decodeMs * f });
const total = (c: LmCallSample) => c.tokenizeMs + c.prefillMs + c.decodeMs;

/** `paths` paths of 5 language-model calls each, at the true costs. */
function run(paths: number, withIds = true): LmCallSample[] {
  return Array.from({ length: paths * 5 }, (_, i) => {
    const s = shape(i);
    return { ...s, ...truth(s), ...(withIds ? { path: Math.floor(i / 5) } : {}) };
  });
}
const scorerCalls = (n: number): ScorerCallSample[] =>
  Array.from({ length: n }, (_, i) => ({ tokens: 40 + ((i * 29) % 200), reused: 0, ms: 1 + 0.02 * (40 + ((i * 29) % 200)), path: i }));

function calibrationOf(lm: LmCallSample[], scorer: ScorerCallSample[] = []): RunCalibration {
  return { draft: fitLmCosts("d.onnx", lm), target: null, prm: scorer.length > 0 ? fitScorerCosts("p.onnx", scorer) : null, router: null };
}

describe("the level of a measured run's costs", () => {
  it("is the median over paths of measured / priced, so paths caught whole by a burst do not move it", () => {
    const quiet = run(24);
    const cal = calibrationOf(quiet);
    // Every path 25 % over the fitted prices, three of them 4x (a burst).
    const loaded = quiet.map((c) => scaled(c, (c.path ?? 0) < 3 ? 4 : 1.25));
    expect(pathLevel(cal, { draft: loaded, target: [], prm: [], router: [] })).toBeCloseTo(1.25, 6);
  });

  it("scales every price by it: each call is then priced at the level times its fitted price", () => {
    const quiet = run(24);
    const cal = calibrationOf(quiet, scorerCalls(30));
    const loaded = quiet.map((c) => scaled(c, 1.25));
    const out = levelledByPaths(cal, { draft: loaded, target: [], prm: [], router: [] });
    expect(RunCalibrationSchema.parse(out)).toEqual(out);
    for (const c of quiet) expect(priceLmCall(out.draft!, c)).toBeCloseTo(1.25 * priceLmCall(cal.draft!, c), 6);
    expect(estimateScorerMs(out.prm!, 120)).toBeCloseTo(1.25 * estimateScorerMs(cal.prm!, 120), 6);
  });

  it("sets each model's level apart: the cap cuts more from a model with short calls than from one with long ones", () => {
    const lm = run(24);
    const sc = scorerCalls(24);
    const cal = calibrationOf(lm, sc);
    const log = { draft: lm.map((c) => scaled(c, 1.5)), target: [], prm: sc.map((c) => ({ ...c, ms: 1.1 * c.ms })), router: [] };
    const levels = modelLevels(cal, log);
    expect(levels.draft).toBeCloseTo(1.5, 6);
    expect(levels.prm).toBeCloseTo(1.1, 6);
    expect(levels.target).toBeNull();
    const out = levelledByPaths(cal, log);
    for (const c of lm) expect(priceLmCall(out.draft!, c)).toBeCloseTo(1.5 * priceLmCall(cal.draft!, c), 6);
    expect(estimateScorerMs(out.prm!, 120)).toBeCloseTo(1.1 * estimateScorerMs(cal.prm!, 120), 6);
  });

  it("gives a model called on too few paths the level of all calls", () => {
    const lm = run(24);
    const sc = scorerCalls(MIN_CALLS - 1);
    const cal = calibrationOf(lm, scorerCalls(30));
    const log = { draft: lm.map((c) => scaled(c, 1.5)), target: [], prm: sc.map((c) => ({ ...c, ms: 3 * c.ms })), router: [] };
    expect(modelLevels(cal, log).prm).toBeNull();
    const all = pathLevel(cal, log)!;
    expect(estimateScorerMs(levelledByPaths(cal, log).prm!, 120)).toBeCloseTo(all * estimateScorerMs(cal.prm!, 120), 6);
  });

  it("counts a scorer's calls in their paths", () => {
    const sc = scorerCalls(20);
    const cal = calibrationOf(run(24), sc);
    expect(pathLevel(cal, { draft: [], target: [], prm: sc.map((c) => ({ ...c, ms: 2 * c.ms })), router: [] })).toBeCloseTo(2, 6);
  });

  it("leaves the costs as fitted when the calls carry no path (a cached sweep's computations) or too few paths", () => {
    const cal = calibrationOf(run(24));
    const noIds = run(24, false).map((c) => scaled(c, 2));
    expect(pathLevel(cal, { draft: noIds, target: [], prm: [], router: [] })).toBeNull();
    expect(levelledByPaths(cal, { draft: noIds, target: [], prm: [], router: [] })).toBe(cal);
    const few = run(MIN_CALLS - 1).map((c) => scaled(c, 2));
    expect(levelledByPaths(cal, { draft: few, target: [], prm: [], router: [] })).toBe(cal);
  });

  it("brings a loaded run's typical path back to its measured time where the capped per-call fit prices it low", () => {
    // A loaded machine: one call in five loses the CPU for a while and takes 3x; every path has one.
    const loaded = run(40).map((c, i) => scaled(c, i % 5 === 0 ? 3 : 1));
    const log = { draft: loaded, target: [], prm: [], router: [] };
    const fitted = calibrationOf(loaded);
    const pathRatio = (cal: RunCalibration) => {
      const byPath = new Map<number, { m: number; p: number }>();
      for (const c of loaded) {
        const s = byPath.get(c.path!) ?? { m: 0, p: 0 };
        s.m += total(c);
        s.p += priceLmCall(cal.draft!, c);
        byPath.set(c.path!, s);
      }
      const r = [...byPath.values()].map((s) => s.p / s.m).sort((a, b) => a - b);
      return r[Math.floor(r.length / 2)]!;
    };
    // The fit caps the 3x readings: the paths come out well under what they took…
    expect(pathRatio(fitted)).toBeLessThan(0.9);
    // …and levelled by the paths, the typical path is priced at its measured time.
    expect(pathRatio(levelledByPaths(fitted, log))).toBeCloseTo(1, 1);
  });

  it("scaling by 1 changes nothing", () => {
    const cal = calibrationOf(run(24), scorerCalls(20));
    expect(scaleCalibration(cal, 1)).toEqual(cal);
  });
});
