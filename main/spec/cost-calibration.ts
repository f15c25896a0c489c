/**
 * What each model call costs, measured on grids at the start of a sweep and stored with the run
 * (calibration.json), so every configuration's latency can be replayed along its own path.
 *
 * Why not replay each cached step's own stopwatch reading: a step is computed once, and a single
 * reading on a shared machine carries whatever happened at that instant (a GC pause, another
 * process, first-use allocations) into every configuration that reaches that context. The costs
 * here are medians of repeated measurements of the same calls the loop makes:
 *   - language model: the sync before a step — k new tokens after `past` cached ones (a table over
 *     k and past) — then the decode loop, per fed token at a context length (a curve), plus
 *     tokenizing the context (per character);
 *   - scorer: one call on an input of T tokens (a curve); for a scorer that reuses the prefix it
 *     shares with its previous call, also k new tokens after `past` reused ones (a table).
 * A path's call then costs: tokenize(chars) + prefill(k, past) + fed × perToken(length), with k,
 * past and fed known exactly from the path's token ids. `--measure` runs check the result.
 */
import { performance } from "node:perf_hooks";
import type { CausalLM } from "../engine/causal-lm.ts";
import type { StepScorer } from "../engine/scorer.ts";

export interface LmCosts {
  model: string;
  /** Sync of k new tokens after `past` cached ones. */
  prefill: { k: number; past: number; ms: number }[];
  /** One decode-loop token (forward + sampling + detokenization) at a context length. */
  decode: { length: number; ms: number }[];
  /** Tokenizing a context, per 1000 characters. */
  tokenizeMsPerKChar: number;
}

export interface ScorerCosts {
  model: string;
  /** A call that runs its whole input of `tokens` tokens. */
  points: { tokens: number; ms: number }[];
  /** For a scorer with a prefix cache: a call that runs k new tokens after `past` reused ones. */
  prefix?: { k: number; past: number; ms: number }[];
}

export interface RunCalibration {
  /** Null for a model served over HTTP: its calls are priced by their measured time (replay-oracle.ts). */
  draft: LmCosts | null;
  target: LmCosts | null;
  prm: ScorerCosts | null;
  router: ScorerCosts | null;
}

const K_GRID = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const PAST_GRID = [0, 64, 256, 1024, 4096];
const LENGTH_GRID = [16, 64, 256, 1024, 4096];
const SCORER_GRID = [32, 64, 128, 256, 512, 1024, 2048];
const SCORER_PAST_GRID = [64, 256, 1024];
const SCORER_K_GRID = [8, 32, 128, 512];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function windowOf(lm: CausalLM, maxLength: number): number {
  return Math.min(maxLength, Number.isFinite(lm.info.contextLength) ? lm.info.contextLength - 1 : maxLength);
}

/** Costs of a language model's calls, for contexts up to `maxLength` tokens. */
export async function calibrateLm(lm: CausalLM, sampleIds: readonly number[], maxLength: number, reps = 5): Promise<LmCosts> {
  const limit = windowOf(lm, maxLength);
  const source = sampleIds.length > 0 ? sampleIds : [0];
  const ids = Array.from({ length: limit }, (_, i) => source[i % source.length] as number);
  lm.reset();
  await lm.prefillIds(ids.slice(0, Math.min(32, limit))); // first runs of a session pay for allocations

  const prefill: LmCosts["prefill"] = [];
  for (const past of PAST_GRID) {
    if (past >= limit) break;
    for (const k of K_GRID) {
      if (past + k > limit) break;
      const times: number[] = [];
      for (let r = 0; r < reps; r++) {
        lm.reset();
        if (past > 0) await lm.prefillIds(ids.slice(0, past));
        const t0 = performance.now();
        await lm.prefillIds(ids.slice(0, past + k));
        times.push(performance.now() - t0);
      }
      prefill.push({ k, past, ms: median(times) });
    }
  }

  const decode: LmCosts["decode"] = [];
  const n = 16;
  for (const length of LENGTH_GRID) {
    if (length + n + 1 > limit) break;
    const context = lm.tokenizer.decode(ids.slice(0, length));
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const out = await lm.generateStep({ context, stop: [], maxTokens: n + 1, decoding: { temperature: 0 } });
      const loop = out.timings.totalMs - out.timings.tokenizeMs - out.timings.prefillMs;
      if (out.fed > 0) times.push(loop / out.fed);
    }
    if (times.length > 0) decode.push({ length, ms: median(times) });
  }

  const text = lm.tokenizer.decode(ids.slice(0, Math.min(limit, 2048)));
  const tok: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    lm.tokenizer.encode(text);
    tok.push(performance.now() - t0);
  }
  lm.reset();
  return { model: lm.info.onnxPath, prefill, decode, tokenizeMsPerKChar: (median(tok) / Math.max(1, text.length)) * 1000 };
}

/** Costs of a scorer call by input length, up to `maxTokens` (and by reused prefix, for a scorer that caches one). */
export async function calibrateScorer(scorer: StepScorer, question: string, maxTokens: number, reps = 5): Promise<ScorerCosts> {
  const limit = Math.min(maxTokens, Number.isFinite(scorer.info.contextLength) ? scorer.info.contextLength : maxTokens);
  const chunk = "Then 12 + 30 = 42 and 42 - 7 = 35. ";
  const points: ScorerCosts["points"] = [];
  await scorer.score(question, [chunk]); // warm-up
  // Steps whose input reaches `target` tokens.
  const grow = (target: number): { steps: string[]; tokens: number } => {
    const steps: string[] = [];
    let tokens = 0;
    while (tokens < target) {
      steps.push(chunk);
      tokens = scorer.inputTokens(question, steps);
    }
    return { steps, tokens };
  };
  for (const target of SCORER_GRID) {
    const { steps, tokens } = grow(target);
    if (tokens > limit) break;
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      scorer.reset();
      times.push((await scorer.score(question, steps)).ms);
    }
    points.push({ tokens, ms: median(times) });
  }
  if (!scorer.reusesPrefix) return { model: scorer.info.onnxPath, points };

  // k new tokens after a reused prefix: a solution of `past` tokens, then one more step of ~k tokens.
  const prefix: NonNullable<ScorerCosts["prefix"]> = [];
  for (const past of SCORER_PAST_GRID) {
    const base = grow(past);
    if (base.tokens >= limit) break;
    for (const k of SCORER_K_GRID) {
      const step = chunk.repeat(Math.ceil(k / chunk.length) + 1).slice(0, k).trim();
      const steps = [...base.steps, step];
      if (scorer.inputTokens(question, steps) > limit) break;
      const times: number[] = [];
      let shape = { k: 0, past: 0 };
      for (let r = 0; r < reps; r++) {
        scorer.reset();
        await scorer.score(question, base.steps);
        const out = await scorer.score(question, steps);
        times.push(out.ms);
        shape = { k: out.tokens - out.reused, past: out.reused };
      }
      prefix.push({ ...shape, ms: median(times) });
    }
  }
  scorer.reset();
  return { model: scorer.info.onnxPath, points, prefix };
}

/**
 * Piecewise-linear through sorted (x, y) points. Outside the measured range it extrapolates with
 * the end segments when `extrapolate` (costs that keep growing, like prefill with more tokens), else
 * it holds the end values (a noisy end segment must not send a cost negative or to the moon).
 */
function interpolate(xs: readonly number[], ys: readonly number[], x: number, extrapolate = false): number {
  if (xs.length === 0) return 0;
  if (xs.length === 1) return ys[0] as number;
  if (!extrapolate) {
    if (x <= (xs[0] as number)) return ys[0] as number;
    if (x >= (xs[xs.length - 1] as number)) return ys[ys.length - 1] as number;
  }
  let i = 0;
  while (i < xs.length - 2 && x > (xs[i + 1] as number)) i++;
  const x0 = xs[i] as number;
  const x1 = xs[i + 1] as number;
  const y0 = ys[i] as number;
  const y1 = ys[i + 1] as number;
  return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}

/** Bilinear-ish estimate over a (k, past) table: along k within each measured past, then along past. */
function estimateTable(table: readonly { k: number; past: number; ms: number }[], k: number, past: number): number {
  if (k <= 0 || table.length === 0) return 0;
  const pasts = [...new Set(table.map((p) => p.past))].sort((a, b) => a - b);
  const values = pasts.map((p) => {
    const row = table.filter((q) => q.past === p).sort((a, b) => a.k - b.k);
    return interpolate(
      row.map((q) => q.k),
      row.map((q) => q.ms),
      k,
      true,
    );
  });
  return Math.max(0, interpolate(pasts, values, past, true));
}

export function estimatePrefillMs(c: LmCosts, k: number, past: number): number {
  return estimateTable(c.prefill, k, past);
}

export function estimateDecodeMs(c: LmCosts, fed: number, startLength: number): number {
  if (fed <= 0) return 0;
  const perToken = interpolate(
    c.decode.map((d) => d.length),
    c.decode.map((d) => d.ms),
    startLength + fed / 2,
  );
  return Math.max(0, perToken) * fed;
}

export function estimateTokenizeMs(c: LmCosts, chars: number): number {
  return (c.tokenizeMsPerKChar * chars) / 1000;
}

/** A scorer call on `tokens` tokens of which the first `reused` came from its prefix cache. */
export function estimateScorerMs(c: ScorerCosts, tokens: number, reused = 0): number {
  if (reused > 0 && c.prefix && c.prefix.length > 0) {
    const whole = c.points.map((p) => ({ k: p.tokens, past: 0, ms: p.ms }));
    return estimateTable([...whole, ...c.prefix], tokens - reused, reused);
  }
  return Math.max(
    0,
    interpolate(
      c.points.map((p) => p.tokens),
      c.points.map((p) => p.ms),
      tokens,
    ),
  );
}
