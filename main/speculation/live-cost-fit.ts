/**
 * Call costs fitted from the calls a run actually made, instead of from separate probes.
 *
 * Why: priced by the probe rounds (cost-calibration.ts), replays came out one-signed off the
 * measured runs on every configuration — a probe call does not cost what the same call costs
 * inside a run (docs/sweeps.md, "Fitted from the run's own calls"). A cost model fitted to the
 * run's own calls has no probe-versus-run difference by construction; it keeps the replay's
 * structure (a call costs tokenize + catch-up prefill + decode loop, by its shapes and
 * predecessor), so what a configuration's path changes is still priced per path.
 *
 * The model, each term a least-squares fit with non-negative coefficients to the measured parts
 * of every call (a single call's reading carries its own stall; the fit spreads it over all):
 *   tokenize(chars)          = a + b·chars
 *   prefill(k, past)         = c + d·k + e·k·past        (k new tokens attend to the past), fitted
 *                              to calls after the other model; a per-call residual by predecessor
 *   decode(fed, length)      = h + fed·(f + g·mid)       (mid = length + fed/2), by predecessor:
 *                              the model's own step, a scorer's call, the other model's (or none)
 *   scorer(k new, past kept) = p + q·k + r·k·(past + k/2)
 * and written as the tables calibration.json already holds (LmCosts, ScorerCosts): the replay
 * interpolates them linearly, which is exact for these forms (the scorer's within its grid).
 */
import type { LmCosts, ScorerCosts } from "./cost-calibration.ts";

/** One language-model call as it ran: its shapes and its measured parts. */
export interface LmCallSample {
  /** Characters of the context (tokenized whole every call). */
  chars: number;
  /** Tokens of the context. */
  length: number;
  /** Tokens the sync fed (the catch-up prefill); the rest of the context came from the KV cache. */
  k: number;
  /** Generated tokens fed through the model in the decode loop. */
  fed: number;
  /** The call before it on its path was this model's own step. */
  afterSelf: boolean;
  /** The call before it on its path was a scorer's (PRM or router). */
  afterScorer?: boolean;
  /** The first call of its path. */
  atStart?: boolean;
  /** Which path (configuration × problem) of a measured run made it: its costs' level is set by paths (path-level.ts). */
  path?: number;
  tokenizeMs: number;
  prefillMs: number;
  decodeMs: number;
}

/** One scorer call as it ran. */
export interface ScorerCallSample {
  tokens: number;
  /** Leading tokens reused from the scorer's prefix cache. */
  reused: number;
  ms: number;
  /** As LmCallSample.path. */
  path?: number;
}

/** Fewer calls than this in a term: the term is not fitted (the caller falls back to the probes). */
export const MIN_CALLS = 12;

/**
 * Least squares with non-negative coefficients, small problems: solves on the active features and
 * drops the most negative one until none is negative (a cost term cannot save time).
 */
export function nonNegativeLeastSquares(rows: readonly number[][], y: readonly number[]): number[] {
  const p = rows[0]?.length ?? 0;
  let active = Array.from({ length: p }, (_, j) => j);
  while (active.length > 0) {
    const x = solveLeastSquares(
      rows.map((r) => active.map((j) => r[j] as number)),
      y,
    );
    const worst = x.reduce((w, v, i) => (v < (x[w] as number) ? i : w), 0);
    if ((x[worst] as number) >= 0) {
      const out = new Array<number>(p).fill(0);
      active.forEach((j, i) => (out[j] = x[i] as number));
      return out;
    }
    active = active.filter((_, i) => i !== worst);
  }
  return new Array<number>(p).fill(0);
}

/**
 * Normal equations on columns scaled to unit norm (the features span 1 to k·past ~ 1e5), with a
 * tiny ridge: features can be collinear on a small run (every call of one length, say).
 */
function solveLeastSquares(raw: readonly number[][], y: readonly number[]): number[] {
  const p = raw[0]?.length ?? 0;
  const norms = Array.from({ length: p }, (_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j] as number) ** 2, 0)) || 1);
  const rows = raw.map((r) => r.map((v, j) => v / (norms[j] as number)));
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  rows.forEach((r, i) => {
    for (let j = 0; j < p; j++) {
      for (let l = 0; l < p; l++) (a[j] as number[])[l] = ((a[j] as number[])[l] as number) + (r[j] as number) * (r[l] as number);
      (a[j] as number[])[p] = ((a[j] as number[])[p] as number) + (r[j] as number) * (y[i] as number);
    }
  });
  for (let j = 0; j < p; j++) (a[j] as number[])[j] = ((a[j] as number[])[j] as number) + 1e-12;
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[piv] as number[])[c] as number)) piv = r;
    [a[c], a[piv]] = [a[piv] as number[], a[c] as number[]];
    const d = (a[c] as number[])[c] as number;
    if (d === 0) continue;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = ((a[r] as number[])[c] as number) / d;
      if (f === 0) continue;
      for (let l = c; l <= p; l++) (a[r] as number[])[l] = ((a[r] as number[])[l] as number) - f * ((a[c] as number[])[l] as number);
    }
  }
  return a.map((row, j) => ((row[j] as number) === 0 ? 0 : (row[p] as number) / (row[j] as number) / (norms[j] as number)));
}

/**
 * Fits, then refits with each reading capped at CAP x what the previous fit predicts for it, a few
 * times: one multi-second stall must not set a cost, and neither must the machine's shorter slow
 * bursts (1.5-3x), which a sweep's per-problem latencies shrug off but a mean over every call keeps
 * (a 3x cap alone left the fitted draft costs 7-8 % above the measured runs in bench:sweep).
 */
const CAP = 1.5;
const REFITS = 3;
function robustFit(rows: readonly number[][], y: readonly number[]): number[] {
  let fit = nonNegativeLeastSquares(rows, y);
  for (let k = 0; k < REFITS; k++) {
    const capped = y.map((v, i) => {
      const pred = dot(fit, rows[i] as number[]);
      return pred > 0 ? Math.min(v, CAP * pred) : v;
    });
    fit = nonNegativeLeastSquares(rows, capped);
  }
  return fit;
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, v, i) => s + v * (b[i] as number), 0);
}

const K_GRID = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
const PAST_GRID = [0, 64, 256, 1024, 4096];
const LENGTH_GRID = [1, 4096];
const TOKENIZE_GRID = [1, 1024, 16384];

/**
 * A language model's costs fitted from its calls, or null when there are too few of them
 * (fewer than MIN_CALLS). Decode-after-self is fitted apart when there are enough such calls,
 * else both predecessors share one fit.
 */
export function fitLmCosts(model: string, calls: readonly LmCallSample[]): LmCosts | null {
  if (calls.length < MIN_CALLS) return null;
  const [a, b] = robustFit(
    calls.map((c) => [1, c.chars]),
    calls.map((c) => c.tokenizeMs),
  ) as [number, number];
  const decodeFit = (xs: readonly LmCallSample[]) =>
    robustFit(
      xs.map((c) => [1, c.fed, c.fed * (c.length + c.fed / 2)]),
      xs.map((c) => c.decodeMs),
    ) as [number, number, number];
  // By what ran before (see LmCosts.decodeAfterScorer): a class with too few calls shares the fit
  // of the rest.
  const classOf = (c: LmCallSample) => (c.afterSelf ? "self" : c.afterScorer ? "scorer" : c.atStart ? "start" : "other");
  const self = calls.filter((c) => classOf(c) === "self");
  const scorer = calls.filter((c) => classOf(c) === "scorer");
  const start = calls.filter((c) => classOf(c) === "start");
  const apart = (xs: readonly LmCallSample[]) => xs.length >= MIN_CALLS && calls.length - xs.length >= MIN_CALLS;
  const selfApart = apart(self);
  const scorerApart = apart(scorer);
  const startApart = apart(start) && calls.length - self.length - scorer.length - start.length >= MIN_CALLS;
  const separate = (c: LmCallSample) => (selfApart && classOf(c) === "self") || (scorerApart && classOf(c) === "scorer") || (startApart && classOf(c) === "start");
  const rest = calls.filter((c) => !separate(c));
  // The catch-up prefill is fitted to the calls after the other model or at a path's start, whose
  // catch-ups span every size (a step, a whole prompt); after the model's own step or a scorer's
  // call it is a token or two, and what such a call's setup (tokenize + prefill) costs beyond the
  // fitted terms — the predecessor's share of it — is that class's own per-call part.
  const wide = calls.filter((c) => classOf(c) === "other" || classOf(c) === "start");
  const synced = (wide.length >= MIN_CALLS ? wide : calls).filter((c) => c.k > 0);
  const [pc, d, e] = robustFit(
    synced.map((c) => [1, c.k, c.k * (c.length - c.k)]),
    synced.map((c) => c.prefillMs),
  ) as [number, number, number];
  const setupBeyond = (xs: readonly LmCallSample[]) =>
    xs.reduce((acc, c) => acc + c.tokenizeMs + c.prefillMs - (a + b * c.chars) - (c.k > 0 ? pc + d * c.k + e * c.k * (c.length - c.k) : 0), 0) / Math.max(1, xs.length);
  const [hO, fO, gO] = decodeFit(rest);
  const [hS, fS, gS] = selfApart ? decodeFit(self) : [hO, fO, gO];
  const [hC, fC, gC] = scorerApart ? decodeFit(scorer) : [hO, fO, gO];
  const [hT, fT, gT] = startApart ? decodeFit(start) : [hO, fO, gO];
  const setupS = selfApart ? setupBeyond(self) : 0;
  const setupC = scorerApart ? setupBeyond(scorer) : 0;
  // With the start apart, the joint prefill fit leaves each of the two its own residual.
  const setupT = startApart ? setupBeyond(start) : 0;
  const setupO = startApart ? setupBeyond(calls.filter((c) => classOf(c) === "other")) : 0;
  const curve = (f: number, g: number) => LENGTH_GRID.map((length) => ({ length, ms: f + g * length }));
  const tokenize = TOKENIZE_GRID.map((chars) => ({ chars, ms: a + b * chars }));
  return {
    model,
    prefill: PAST_GRID.flatMap((past) => K_GRID.map((k) => ({ k, past, ms: pc + d * k + e * k * past }))),
    decode: curve(fO, gO),
    decodeAfterSelf: curve(fS, gS),
    decodeAfterScorer: curve(fC, gC),
    decodeAtStart: curve(fT, gT),
    tokenizeMsPerKChar: b * 1000,
    tokenize,
    // Per call: the decode loop's fixed part (the last sampled token, the stop check), and after
    // the model's own step or a scorer's call the setup beyond the fitted terms (signed).
    callSetupMs: { afterOther: hO + setupO, afterSelf: hS + setupS, afterScorer: hC + setupC, atStart: startApart ? hT + setupT : hO + setupO },
  };
}

// Dense in k: the replay interpolates linearly, and the attention term is quadratic in k.
const SCORER_K = [1, 2, 4, 8, 16, ...Array.from({ length: 32 }, (_, i) => 32 * (i + 1)), 1536, 2048, 3072, 4096];
const SCORER_PAST = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

/** A scorer's costs fitted from its calls, or null with fewer than MIN_CALLS. */
export function fitScorerCosts(model: string, calls: readonly ScorerCallSample[]): ScorerCosts | null {
  if (calls.length < MIN_CALLS) return null;
  const rows = calls.map((c) => {
    const k = Math.max(1, c.tokens - c.reused);
    return [1, k, k * (c.reused + k / 2)];
  });
  const [p, q, r] = robustFit(
    rows,
    calls.map((c) => c.ms),
  ) as [number, number, number];
  const at = (k: number, past: number) => p + q * k + r * k * (past + k / 2);
  const points = SCORER_K.map((tokens) => ({ tokens, ms: at(tokens, 0) }));
  if (!calls.some((c) => c.reused > 0)) return { model, points };
  return { model, points, prefix: SCORER_PAST.flatMap((past) => SCORER_K.map((k) => ({ k, past, ms: at(k, past) }))) };
}
