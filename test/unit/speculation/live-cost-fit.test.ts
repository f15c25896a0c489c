/**
 * Costs fitted from a run's own calls (live-cost-fit.ts): the fitted tables, read back by the
 * replay's estimators, price each call as the calls cost; stalls, impossible (negative) terms and
 * too little data are handled as a replay needs.
 */
import { describe, expect, it } from "vitest";
import { fitLmCosts, fitScorerCosts, MIN_CALLS, nonNegativeLeastSquares, type LmCallSample, type ScorerCallSample } from "../../../main/speculation/live-cost-fit.ts";
import {
  estimateCallSetupMs,
  estimateDecodeMs,
  estimatePrefillMs,
  estimateScorerMs,
  estimateTokenizeMs,
  LmCostsSchema,
  ScorerCostsSchema,
} from "../../../main/speculation/cost-calibration.ts";

/** A deterministic spread of call shapes like a run's: problem starts, catch-ups, after-self steps. */
function shapes(n: number): Omit<LmCallSample, "tokenizeMs" | "prefillMs" | "decodeMs">[] {
  return Array.from({ length: n }, (_, i) => {
    const length = 60 + ((i * 37) % 300);
    const kind = i % 3;
    const k = kind === 0 ? length : kind === 1 ? 1 + ((i * 7) % 50) : 1;
    return { chars: length * 4 + (i % 5), length, k, fed: 1 + ((i * 13) % 70), afterSelf: kind === 2 };
  });
}

/** The demo target's order of magnitude: a line per term, after-self decode 10 % cheaper. */
const truth = {
  tokenize: (c: { chars: number }) => 0.05 + 0.0003 * c.chars,
  prefill: (c: { k: number; length: number }) => 0.4 + 0.05 * c.k + 0.0002 * c.k * (c.length - c.k),
  decode: (c: { fed: number; length: number; afterSelf: boolean }) => (c.afterSelf ? 0.9 : 1) * (0.3 + c.fed * (0.6 + 0.004 * (c.length + c.fed / 2))),
};

function calls(n: number): LmCallSample[] {
  return shapes(n).map((s) => ({ ...s, tokenizeMs: truth.tokenize(s), prefillMs: truth.prefill(s), decodeMs: truth.decode(s) }));
}

/** What the replay prices a call at with these costs (replay-oracle.ts). */
function priced(c: NonNullable<ReturnType<typeof fitLmCosts>>, s: LmCallSample): number {
  return Math.max(0, estimateTokenizeMs(c, s.chars) + estimatePrefillMs(c, s.k, s.length - s.k) + estimateCallSetupMs(c, s.afterSelf)) + estimateDecodeMs(c, s.fed, s.length, s.afterSelf);
}

describe("a language model's costs fitted from its calls", () => {
  it("price every call as it cost when the costs follow the model's form", () => {
    const xs = calls(120);
    const costs = fitLmCosts("m.onnx", xs)!;
    expect(LmCostsSchema.parse(costs)).toEqual(costs);
    for (const s of xs) expect(priced(costs, s)).toBeCloseTo(s.tokenizeMs + s.prefillMs + s.decodeMs, 6);
    // And calls it never saw, inside the range: the tables are the fitted lines.
    const unseen = { chars: 777, length: 201, k: 17, fed: 33, afterSelf: true };
    expect(priced(costs, { ...unseen, tokenizeMs: 0, prefillMs: 0, decodeMs: 0 })).toBeCloseTo(truth.tokenize(unseen) + truth.prefill(unseen) + truth.decode(unseen), 6);
  });

  it("price a call after the model's own step apart from one after another model's", () => {
    const costs = fitLmCosts("m.onnx", calls(120))!;
    const at = { fed: 40, length: 150 };
    expect(estimateDecodeMs(costs, at.fed, at.length, true) + estimateCallSetupMs(costs, true)).toBeCloseTo(truth.decode({ ...at, afterSelf: true }), 6);
    expect(estimateDecodeMs(costs, at.fed, at.length, false) + estimateCallSetupMs(costs, false)).toBeCloseTo(truth.decode({ ...at, afterSelf: false }), 6);
  });

  it("price a call right after a scorer's apart from one after the other model's step", () => {
    // Every third call of kind "other" follows a scorer, and costs 30 % less per token there.
    const xs = calls(150).map((s, i) => {
      const afterScorer = !s.afterSelf && i % 2 === 0;
      return { ...s, afterScorer, decodeMs: afterScorer ? 0.3 + s.fed * 0.7 * (0.6 + 0.004 * (s.length + s.fed / 2)) : s.decodeMs };
    });
    const costs = fitLmCosts("m.onnx", xs)!;
    for (const s of xs) {
      const after = s.afterSelf ? "self" : s.afterScorer ? "scorer" : "other";
      expect(estimateDecodeMs(costs, s.fed, s.length, after) + estimateCallSetupMs(costs, after)).toBeCloseTo(s.decodeMs, 6);
    }
    // A calibration without that curve (probes, older files) prices it as after the other model.
    const { decodeAfterScorer: _, ...older } = costs;
    expect(estimateDecodeMs(older, 40, 150, "scorer")).toBe(estimateDecodeMs(older, 40, 150, "other"));
  });

  it("price a path's first call apart from one after the other model's step", () => {
    // The whole-prompt calls are a path's first; the other model's step before a call makes its decode 2x as dear.
    const xs = calls(150).map((s) => {
      const atStart = s.k === s.length;
      return { ...s, atStart, decodeMs: atStart || s.afterSelf ? s.decodeMs : 2 * s.decodeMs };
    });
    const costs = fitLmCosts("m.onnx", xs)!;
    for (const s of xs) {
      const after = s.afterSelf ? "self" : s.atStart ? "start" : "other";
      expect(estimateDecodeMs(costs, s.fed, s.length, after) + estimateCallSetupMs(costs, after)).toBeCloseTo(s.decodeMs, 6);
    }
  });

  it("share one decode fit when too few calls followed the model's own step", () => {
    const xs = calls(3 * MIN_CALLS).filter((s, i) => !s.afterSelf || i < 6);
    const costs = fitLmCosts("m.onnx", xs)!;
    expect(costs.decodeAfterSelf).toEqual(costs.decode);
    expect(costs.callSetupMs?.afterSelf).toBe(costs.callSetupMs?.afterOther);
    // Without calls after a scorer, that class shares it too.
    expect(costs.decodeAfterScorer).toEqual(costs.decode);
  });

  it("do not let one stalled call set a cost", () => {
    const xs = calls(120);
    const stalled = xs.map((s, i) => (i === 50 ? { ...s, decodeMs: s.decodeMs + 2000 } : s));
    const costs = fitLmCosts("m.onnx", stalled)!;
    const total = (ys: LmCallSample[]) => ys.reduce((a, s) => a + priced(costs, s), 0);
    const clean = xs.reduce((a, s) => a + s.tokenizeMs + s.prefillMs + s.decodeMs, 0);
    // The 2 s stall is capped at 3x the call's first-fit price: the total moves by well under it.
    expect(Math.abs(total(xs) - clean)).toBeLessThan(0.05 * clean);
  });

  it("never price a term below zero, even where the readings fall with the size", () => {
    const xs = calls(60).map((s) => ({ ...s, tokenizeMs: 0.5 - 0.0001 * s.chars }));
    const costs = fitLmCosts("m.onnx", xs)!;
    for (const t of costs.tokenize ?? []) expect(t.ms).toBeGreaterThanOrEqual(0);
    expect(costs.tokenizeMsPerKChar).toBe(0);
  });

  it("are not fitted from fewer than MIN_CALLS calls", () => {
    expect(fitLmCosts("m.onnx", calls(MIN_CALLS - 1))).toBeNull();
    expect(fitLmCosts("m.onnx", calls(MIN_CALLS))).not.toBeNull();
  });
});

describe("a scorer's costs fitted from its calls", () => {
  const cost = (k: number, past: number) => 1 + 0.02 * k + 0.00005 * k * (past + k / 2);
  const scorerCalls = (reuse: boolean): ScorerCallSample[] =>
    Array.from({ length: 60 }, (_, i) => {
      const tokens = 40 + ((i * 29) % 400);
      const reused = reuse && i % 2 === 1 ? tokens - 5 - ((i * 11) % 60) : 0;
      return { tokens, reused, ms: cost(tokens - reused, reused) };
    });

  it("price whole inputs and reused prefixes as they cost (within the tables' grid)", () => {
    const xs = scorerCalls(true);
    const costs = fitScorerCosts("prm.onnx", xs)!;
    expect(ScorerCostsSchema.parse(costs)).toEqual(costs);
    expect(costs.prefix).toBeDefined();
    for (const s of xs) expect(estimateScorerMs(costs, s.tokens, s.reused)).toBeCloseTo(s.ms, 1);
  });

  it("have no prefix table for a scorer that never reused one", () => {
    const costs = fitScorerCosts("router.onnx", scorerCalls(false))!;
    expect(costs.prefix).toBeUndefined();
    expect(estimateScorerMs(costs, 256)).toBeCloseTo(cost(256, 0), 1);
  });
});

describe("non-negative least squares", () => {
  it("solves an exact system and zeroes a term that would be negative", () => {
    const rows = [1, 2, 3, 4, 5].map((x) => [1, x]);
    expect(nonNegativeLeastSquares(rows, rows.map(([, x]) => 2 + 3 * (x as number)))).toEqual([expect.closeTo(2, 9), expect.closeTo(3, 9)]);
    const falling = nonNegativeLeastSquares(rows, rows.map(([, x]) => 10 - (x as number)));
    expect(falling[1]).toBe(0);
    expect(falling[0]).toBeCloseTo(7, 9); // the mean, the best constant
  });
});
