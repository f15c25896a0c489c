/**
 * What each model call costs, measured by probes on grids at the start of a sweep
 * (calibration-probes.json), and the cost tables a replay prices every configuration's path with.
 * The tables a sweep replays with (calibration.json) are fitted to its own calls instead
 * (live-cost-fit.ts): a probe call does not cost what the same call costs in a run (docs/sweeps.md).
 * The probes warm the engine up and price a model that made too few calls to fit.
 *
 * Why not replay each cached step's own stopwatch reading: a step is computed once, and a single
 * reading on a shared machine carries whatever happened at that instant (a GC pause, another
 * process, first-use allocations) into every configuration that reaches that context. The costs
 * here are expected times (capped means, see expectedMs) of repeated runs of the calls the loop
 * makes:
 *   - language model: the sync before a step — k new tokens after `past` cached ones (a table over
 *     k and past) — then the decode loop, per fed token at a context length (two curves: in a call
 *     after another model's, and in a call right after the model's own step), plus tokenizing the
 *     context (a curve over its length in characters);
 *   - scorer: one call on an input of T tokens (a curve); for a scorer that reuses the prefix it
 *     shares with its previous call, also k new tokens after `past` reused ones (a table).
 * A path's call then costs: tokenize(chars) + prefill(k, past) + fed × perToken(length), with k,
 * past and fed known exactly from the path's token ids and the per-token curve chosen by the call
 * before it on the path. `--measure` runs check the result.
 */
import { performance } from "node:perf_hooks";
import type { CausalLM } from "../engine/causal-lm.ts";
import type { StepScorer } from "../engine/scorer.ts";
import { median as medianOrNull } from "../../shared/stats/summary.ts";
import { z } from "zod";

const Ms = z.number().finite().min(0);

/** A language model's costs (the schema also validates a calibration.json given to a sweep). */
export const LmCostsSchema = z.object({
  model: z.string(),
  /** Sync of k new tokens after `past` cached ones. */
  prefill: z.array(z.object({ k: z.number().int().min(1), past: z.number().int().min(0), ms: Ms })).min(1),
  /** One decode-loop token (forward + sampling + detokenization) at a context length, in a call that follows another model's. */
  decode: z.array(z.object({ length: z.number().int().min(1), ms: Ms })).min(1),
  /**
   * The same, in a call that follows this model's own step (a target-only run, a draft-only run):
   * what a call costs can depend on what ran just before it (the CPU caches and allocator state the
   * previous call left), so a path prices each call by its predecessor. Absent in a calibration.json
   * written before it: `decode` then prices both.
   */
  decodeAfterSelf: z.array(z.object({ length: z.number().int().min(1), ms: Ms })).optional(),
  /**
   * The same, in a call right after a scorer's (an rsd or arbitrage draft step after the score of
   * the previous one): cheaper than after the other language model's step, whose garbage and
   * evicted caches the next call pays for. Absent (probes, older files): `decode` prices it.
   */
  decodeAfterScorer: z.array(z.object({ length: z.number().int().min(1), ms: Ms })).optional(),
  /**
   * The same, for a path's first call (whatever ran before it belongs to another path: the previous
   * configuration's, a calibration round). Absent (probes, older files): `decode` prices it.
   */
  decodeAtStart: z.array(z.object({ length: z.number().int().min(1), ms: Ms })).optional(),
  /** Tokenizing a context, per 1000 characters (at the longest probe). */
  tokenizeMsPerKChar: Ms,
  /**
   * Tokenizing a context of `chars` characters. A call has a fixed cost the per-character rate
   * misses: priced by the rate alone, the demo LMs' contexts of a few hundred characters took 2-8x
   * the estimate.
   */
  tokenize: z.array(z.object({ chars: z.number().int().min(1), ms: Ms })).optional(),
  /**
   * What a step call's tokenize and catch-up prefill cost beyond the tokenize and prefill probes'
   * estimates at the same shapes, measured in the decode probes' own step calls (their tokenize
   * and catch-up prefill are timed with their shapes known): the call's setup, and caches the
   * isolated probes find warm. By predecessor, as the decode curves. Signed (a mean of
   * differences); absent in a calibration.json written before it. In costs fitted to a run's calls
   * (live-cost-fit.ts): the fitted per-call part of the decode loop, never negative.
   */
  callSetupMs: z.object({ afterOther: z.number().finite(), afterSelf: z.number().finite(), afterScorer: z.number().finite().optional(), atStart: z.number().finite().optional() }).optional(),
});
export type LmCosts = z.infer<typeof LmCostsSchema>;

export const ScorerCostsSchema = z.object({
  model: z.string(),
  /** A call that runs its whole input of `tokens` tokens. */
  points: z.array(z.object({ tokens: z.number().int().min(1), ms: Ms })).min(1),
  /** For a scorer with a prefix cache: a call that runs k new tokens after `past` reused ones. */
  prefix: z.array(z.object({ k: z.number().int().min(1), past: z.number().int().min(0), ms: Ms })).optional(),
});
export type ScorerCosts = z.infer<typeof ScorerCostsSchema>;

/** Null for a model served over HTTP: its calls are priced by their measured time (replay-oracle.ts). */
export const RunCalibrationSchema = z.object({
  draft: LmCostsSchema.nullable(),
  target: LmCostsSchema.nullable(),
  prm: ScorerCostsSchema.nullable(),
  router: ScorerCostsSchema.nullable(),
});
export type RunCalibration = z.infer<typeof RunCalibrationSchema>;

const K_GRID = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const PAST_GRID = [0, 64, 256, 1024, 4096];
// Decode cost per token is not smooth in the context length on small models (the demo draft: 0.22 ms
// at 64, 0.28 at 96-128, 0.25 at 160, medians of 25), so the grid is dense where contexts usually lie.
const LENGTH_GRID = [16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 2048, 4096];
const TOKENIZE_GRID = [64, 256, 1024, 4096];
const SCORER_GRID = [32, 64, 128, 256, 512, 1024, 2048];
const SCORER_PAST_GRID = [64, 256, 1024];
const SCORER_K_GRID = [8, 32, 128, 512];

/**
 * A call's expected time from its samples: the mean, each sample first capped at 3x the median.
 * Not the median: the times are skewed to the right (interrupts, GC, slow stretches), and a run's
 * latency is a sum, whose expectation is the mean — on this machine 2-7 % above the median for a
 * typical probe, 10-19 % on average over them, and replays priced by medians came out that much
 * below measured runs. The cap keeps one multi-second stall out of a five-sample calibration.
 */
function expectedMs(samples: number[]): number {
  const cap = 3 * (medianOrNull(samples) ?? 0);
  return samples.reduce((a, t) => a + Math.min(t, cap), 0) / samples.length;
}


function windowOf(lm: CausalLM, maxLength: number): number {
  return Math.min(maxLength, Number.isFinite(lm.info.contextLength) ? lm.info.contextLength - 1 : maxLength);
}

/** A step call's setup as timed inside a probe: tokenize + catch-up prefill, with the shapes that price it. */
export interface SetupSample {
  chars: number;
  k: number;
  past: number;
  ms: number;
}
type Probe = () => Promise<number | null | { ms: number | null; setup: SetupSample }>;

/** A model's calibration as probes to time and how to read their expected times back into costs. */
export interface ProbeSet<T> {
  probes: Probe[];
  /** `setups[i]`: the step-call setups probe i reported in the recorded rounds. */
  finish(ms: (number | null)[], setups: SetupSample[][]): T;
}

/**
 * The calls a run makes between two calls of one language model when another model runs in
 * between (a draft step and its score before a target step in rsd or arbitrage): run, untimed,
 * before each after-another decode probe, with the probe's context length, so the probe starts
 * from the state those calls leave (CPU caches, allocator, pending garbage), as a run's call does.
 */
export type Interlude = (length: number) => Promise<void>;

/**
 * Times probes in rounds — each probe once per round — and reads each one's expected time back
 * into costs. A shared machine has slow stretches that last seconds: measured point by point, a stretch
 * would shift a few grid points (and every replayed latency that reads them); in rounds it spreads
 * over all of them. Rounds can also be spread over a measured run (`--measure` runs one before each
 * problem), so its costs are those of the same minutes as the run they are compared with.
 */
/** The warm-up's bounds (see ProbeRounds.warmUp). */
const WARM_MIN_ROUNDS = 2;
const WARM_MAX_ROUNDS = 8;
const WARM_MIN_MS = 1500;

/** Warm-up rounds run when a round takes `roundMs`: until 1.5 s have passed, 2 to 8 of them. */
export function expectedWarmRounds(roundMs: number): number {
  const byTime = roundMs > 0 ? Math.ceil(WARM_MIN_MS / roundMs) : WARM_MAX_ROUNDS;
  return Math.min(WARM_MAX_ROUNDS, Math.max(WARM_MIN_ROUNDS, byTime));
}

export class ProbeRounds {
  private readonly order: { set: number; probe: number }[] = [];
  private readonly probes: Probe[];
  private readonly times: number[][];
  private readonly setups: SetupSample[][];
  private count = 0;

  constructor(private readonly sets: readonly ProbeSet<unknown>[]) {
    // Round-robin over the models (one probe of each in turn), as a run alternates between them: a
    // call right after another model's pays for caches that model evicted.
    const total = sets.reduce((a, s) => a + s.probes.length, 0);
    for (let j = 0; this.order.length < total; j++) {
      sets.forEach((s, i) => {
        if (j < s.probes.length) this.order.push({ set: i, probe: j });
      });
    }
    this.probes = this.order.map((o) => (sets[o.set] as ProbeSet<unknown>).probes[o.probe] as Probe);
    this.times = this.probes.map(() => []);
    this.setups = this.probes.map(() => []);
  }

  /** Rounds recorded so far. */
  get rounds(): number {
    return this.count;
  }

  /**
   * Unrecorded rounds: the first runs of each shape pay onnxruntime's first-use allocations and V8
   * has not optimised the loop yet (the first calibration in a process measured 1.5-3x the third),
   * which a running sweep does not pay. At least two rounds and a second and a half (at most
   * eight). Returns the rounds run; `onRound` hears after each how many ran and how many the
   * warm-up will run at the pace so far.
   */
  async warmUp(onRound?: (done: number, expected: number) => void): Promise<number> {
    const t0 = performance.now();
    let w = 0;
    for (; w < WARM_MAX_ROUNDS && (w < WARM_MIN_ROUNDS || performance.now() - t0 < WARM_MIN_MS); w++) {
      for (const probe of this.probes) await probe();
      onRound?.(w + 1, expectedWarmRounds((performance.now() - t0) / (w + 1)));
    }
    return w;
  }

  async round(): Promise<void> {
    for (let i = 0; i < this.probes.length; i++) {
      const t = await (this.probes[i] as Probe)();
      const ms = t !== null && typeof t === "object" ? t.ms : t;
      if (ms !== null) (this.times[i] as number[]).push(ms);
      if (t !== null && typeof t === "object") (this.setups[i] as SetupSample[]).push(t.setup);
    }
    this.count++;
  }

  /** Each set's costs from the samples so far. */
  results(): unknown[] {
    const ms = this.sets.map((s) => s.probes.map(() => null as number | null));
    const setups = this.sets.map((s) => s.probes.map(() => [] as SetupSample[]));
    this.order.forEach((o, i) => {
      const t = this.times[i] as number[];
      (ms[o.set] as (number | null)[])[o.probe] = t.length > 0 ? expectedMs(t) : null;
      (setups[o.set] as SetupSample[][])[o.probe] = this.setups[i] as SetupSample[];
    });
    return this.sets.map((s, i) => s.finish(ms[i] as (number | null)[], setups[i] as SetupSample[][]));
  }
}

/** Rounds of every probe a calibration runs, and how far it got (the sweep's ETA for the calibrating phase). */
export type RoundProgress = (done: number, total: number) => void;

/**
 * Warms up, then measures every probe `reps` times in rounds (see ProbeRounds); each set's costs.
 * `onRound` hears after every round how many ran and how many the calibration will run: the
 * warm-up's length is known from the first round's time (it runs until 1.5 s have passed), so the
 * total is an estimate until the warm-up ends, exact after.
 */
export async function measureProbeSets(sets: readonly ProbeSet<unknown>[], reps = 5, onRound?: RoundProgress): Promise<unknown[]> {
  const rounds = new ProbeRounds(sets);
  const warm = await rounds.warmUp((done, expected) => onRound?.(done, expected + reps));
  for (let r = 0; r < reps; r++) {
    await rounds.round();
    onRound?.(warm + r + 1, warm + reps);
  }
  return rounds.results();
}

/** Costs of a language model's calls, for contexts up to `maxLength` tokens. */
export async function calibrateLm(
  lm: CausalLM,
  sampleIds: readonly number[],
  maxLength: number,
  reps = 5,
  stop: readonly string[] = ["\n\n"],
): Promise<LmCosts> {
  const [costs] = await measureProbeSets([await lmProbes(lm, sampleIds, maxLength, stop)], reps);
  return costs as LmCosts;
}

/** The probes of a language model's calibration (see `calibrateLm`). */
export async function lmProbes(
  lm: CausalLM,
  sampleIds: readonly number[],
  maxLength: number,
  /** The run's stop strings: checking them is part of each decoded token's cost. */
  stop: readonly string[] = ["\n\n"],
  /** What runs between this model's calls when another model ran in between (see Interlude); none: the previous probe of the round. */
  interlude: Interlude | null = null,
): Promise<ProbeSet<LmCosts>> {
  const limit = windowOf(lm, maxLength);
  const source = sampleIds.length > 0 ? sampleIds : [0];
  const ids = Array.from({ length: limit }, (_, i) => source[i % source.length] as number);
  lm.reset();
  await lm.prefillIds(ids.slice(0, Math.min(32, limit))); // first runs of a session pay for allocations

  const prefillAt: { k: number; past: number }[] = [];
  for (const past of PAST_GRID) {
    if (past >= limit) break;
    for (const k of K_GRID) {
      if (past + k > limit) break;
      prefillAt.push({ k, past });
    }
  }
  const n = 16;
  const lengths = LENGTH_GRID.filter((length) => length + n + 1 <= limit);
  // After-self probes run two consecutive steps: room for both.
  const selfGrid = LENGTH_GRID.filter((length) => length + 2 * (n + 1) + 1 <= limit);
  const selfLengths: (number | null)[] = selfGrid.map(() => null);
  type Out = Awaited<ReturnType<CausalLM["generateStep"]>>;
  const perToken = (out: Out): number | null => (out.fed > 0 ? (out.timings.totalMs - out.timings.tokenizeMs - out.timings.prefillMs) / out.fed : null);
  // The decode probes' own setup (tokenize + catch-up prefill), with its shapes: see LmCosts.callSetupMs.
  const timed = (out: Out, context: string) => {
    const k = out.timings.prefillTokens;
    const setup: SetupSample = { chars: context.length, k, past: lm.encode(context).length - k, ms: out.timings.tokenizeMs + out.timings.prefillMs };
    return { ms: perToken(out), setup };
  };
  const text = lm.tokenizer.decode(ids.slice(0, Math.min(limit, 2048)));
  const tokenizeChars = [...new Set(TOKENIZE_GRID.map((c) => Math.max(1, Math.min(c, text.length))))];
  const probes: Probe[] = [
    ...prefillAt.map(({ k, past }) => async () => {
      lm.reset();
      if (past > 0) await lm.prefillIds(ids.slice(0, past));
      const t0 = performance.now();
      await lm.prefillIds(ids.slice(0, past + k));
      return performance.now() - t0;
    }),
    ...lengths.map((length) => {
      const context = lm.tokenizer.decode(ids.slice(0, length));
      // A call after another model's: after the interlude a run makes, or at least after another
      // model's probe (ProbeRounds runs them in turn).
      return async () => {
        if (interlude) await interlude(length);
        return timed(await lm.generateStep({ context, stop: [...stop], maxTokens: n + 1, decoding: { temperature: 0 } }), context);
      };
    }),
    ...selfGrid.map((length, j) => {
      const context = lm.tokenizer.decode(ids.slice(0, length));
      // Two consecutive steps, as a single-model run makes them: the first (untimed) writes a step,
      // the second continues after it — catching up on the one token not yet fed — and is timed.
      return async () => {
        const before = await lm.generateStep({ context, stop: [...stop], maxTokens: n + 1, decoding: { temperature: 0 } });
        const next = context + before.text + (before.stop ?? "");
        const out = await lm.generateStep({ context: next, stop: [...stop], maxTokens: n + 1, decoding: { temperature: 0 } });
        selfLengths[j] = lm.encode(next).length;
        return timed(out, next);
      };
    }),
    ...tokenizeChars.map((chars) => {
      const part = text.slice(0, chars);
      return async () => {
        const t0 = performance.now();
        lm.tokenizer.encode(part);
        return performance.now() - t0;
      };
    }),
  ];
  const finish = (ms: (number | null)[], setups: SetupSample[][]): LmCosts => {
    lm.reset();
    const prefill = prefillAt.map((at, i) => ({ ...at, ms: ms[i] as number }));
    const decode: LmCosts["decode"] = [];
    lengths.forEach((length, j) => {
      const m = ms[prefillAt.length + j];
      if (m !== null && m !== undefined) decode.push({ length, ms: m });
    });
    const decodeAfterSelf: NonNullable<LmCosts["decodeAfterSelf"]> = [];
    selfGrid.forEach((_, j) => {
      const m = ms[prefillAt.length + lengths.length + j];
      const length = selfLengths[j];
      if (m !== null && m !== undefined && length !== null && length !== undefined) decodeAfterSelf.push({ length, ms: m });
    });
    decodeAfterSelf.sort((a, b) => a.length - b.length);
    const tokenize = tokenizeChars.map((chars, j) => ({ chars, ms: ms[prefillAt.length + lengths.length + selfGrid.length + j] ?? 0 }));
    const longest = tokenize[tokenize.length - 1] as { chars: number; ms: number };
    const tables = { model: lm.info.onnxPath, prefill, decode, tokenizeMsPerKChar: (longest.ms / Math.max(1, longest.chars)) * 1000, tokenize };
    // Measured setup minus what the tokenize and prefill probes price at the same shapes.
    const residual = (from: number, count: number): number => {
      const xs = setups.slice(from, from + count).flat();
      if (xs.length === 0) return 0;
      const measured = expectedMs(xs.map((x) => x.ms));
      const priced = xs.reduce((a, x) => a + estimateTokenizeMs(tables, x.chars) + estimatePrefillMs(tables, x.k, x.past), 0) / xs.length;
      return measured - priced;
    };
    return {
      ...tables,
      ...(decodeAfterSelf.length > 0 ? { decodeAfterSelf } : {}),
      callSetupMs: { afterOther: residual(prefillAt.length, lengths.length), afterSelf: residual(prefillAt.length + lengths.length, selfGrid.length) },
    };
  };
  return { probes, finish };
}

/** Costs of a scorer call by input length, up to `maxTokens` (and by reused prefix, for a scorer that caches one). */
export async function calibrateScorer(scorer: StepScorer, question: string, maxTokens: number, reps = 5): Promise<ScorerCosts> {
  const [costs] = await measureProbeSets([await scorerProbes(scorer, question, maxTokens)], reps);
  return costs as ScorerCosts;
}

/** The probes of a scorer's calibration (see `calibrateScorer`). */
export async function scorerProbes(scorer: StepScorer, question: string, maxTokens: number): Promise<ProbeSet<ScorerCosts>> {
  const limit = Math.min(maxTokens, Number.isFinite(scorer.info.contextLength) ? scorer.info.contextLength : maxTokens);
  const chunk = "Then 12 + 30 = 42 and 42 - 7 = 35. ";
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
  const whole: { steps: string[]; tokens: number }[] = [];
  for (const target of SCORER_GRID) {
    const g = grow(target);
    if (g.tokens > limit) break;
    if (!whole.some((w) => w.tokens === g.tokens)) whole.push(g); // two grid targets can reach one length
  }
  // k new tokens after a reused prefix: a solution of `past` tokens, then one more step of ~k tokens.
  const cached: { base: string[]; steps: string[] }[] = [];
  if (scorer.reusesPrefix) {
    for (const past of SCORER_PAST_GRID) {
      const base = grow(past);
      if (base.tokens >= limit) break;
      for (const k of SCORER_K_GRID) {
        const step = chunk.repeat(Math.ceil(k / chunk.length) + 1).slice(0, k).trim();
        const steps = [...base.steps, step];
        if (scorer.inputTokens(question, steps) > limit) break;
        cached.push({ base: base.steps, steps });
      }
    }
  }
  const shapes: { k: number; past: number }[] = cached.map(() => ({ k: 0, past: 0 }));
  const probes: Probe[] = [
    ...whole.map((w) => async () => {
      scorer.reset();
      return (await scorer.score(question, w.steps)).ms;
    }),
    ...cached.map((c, i) => async () => {
      scorer.reset();
      await scorer.score(question, c.base);
      const out = await scorer.score(question, c.steps);
      shapes[i] = { k: out.tokens - out.reused, past: out.reused };
      return out.ms;
    }),
  ];
  const finish = (ms: (number | null)[]): ScorerCosts => {
    scorer.reset();
    const points = whole.map((w, i) => ({ tokens: w.tokens, ms: ms[i] as number }));
    if (!scorer.reusesPrefix) return { model: scorer.info.onnxPath, points };
    const prefix: NonNullable<ScorerCosts["prefix"]> = [];
    shapes.forEach((shape, i) => {
      if (!prefix.some((p) => p.k === shape.k && p.past === shape.past)) prefix.push({ ...shape, ms: ms[whole.length + i] as number });
    });
    return { model: scorer.info.onnxPath, points, prefix };
  };
  return { probes, finish };
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
  if (x1 === x0) return (y0 + y1) / 2; // two measurements at one point (grids can land on the same length)
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

export function estimatePrefillMs(c: Pick<LmCosts, "prefill">, k: number, past: number): number {
  return estimateTable(c.prefill, k, past);
}

/**
 * What ran just before a language model's call on its path: its own step ("self"), a scorer's call
 * ("scorer"), the other language model's step ("other"), or nothing yet ("start"). `true` and
 * `false` read as "self" and "other".
 */
export type Predecessor = "self" | "scorer" | "other" | "start";

function predecessorOf(after: boolean | Predecessor): Predecessor {
  return after === true ? "self" : after === false ? "other" : after;
}

/**
 * The decode loop of a call that feeds `fed` tokens after a context of `startLength`, by what ran
 * before it on the path (see LmCosts.decodeAfterSelf, decodeAfterScorer).
 */
export function estimateDecodeMs(c: LmCosts, fed: number, startLength: number, after: boolean | Predecessor = false): number {
  if (fed <= 0) return 0;
  const pred = predecessorOf(after);
  const own = pred === "self" ? c.decodeAfterSelf : pred === "scorer" ? c.decodeAfterScorer : pred === "start" ? c.decodeAtStart : null;
  const curve = own && own.length > 0 ? own : c.decode;
  const perToken = interpolate(
    curve.map((d) => d.length),
    curve.map((d) => d.ms),
    startLength + fed / 2,
  );
  return Math.max(0, perToken) * fed;
}

/**
 * A step call's setup beyond its tokenize and prefill estimates (LmCosts.callSetupMs), by the
 * call before it on the path. Signed: tokenize + prefill + this is never priced below zero.
 */
export function estimateCallSetupMs(c: LmCosts, after: boolean | Predecessor = false): number {
  if (!c.callSetupMs) return 0;
  const pred = predecessorOf(after);
  if (pred === "self") return c.callSetupMs.afterSelf;
  if (pred === "scorer" && c.callSetupMs.afterScorer !== undefined) return c.callSetupMs.afterScorer;
  if (pred === "start" && c.callSetupMs.atStart !== undefined) return c.callSetupMs.atStart;
  return c.callSetupMs.afterOther;
}

export function estimateTokenizeMs(c: Pick<LmCosts, "tokenize" | "tokenizeMsPerKChar">, chars: number): number {
  if (c.tokenize && c.tokenize.length > 0) {
    return Math.max(
      0,
      interpolate(
        c.tokenize.map((t) => t.chars),
        c.tokenize.map((t) => t.ms),
        chars,
        true,
      ),
    );
  }
  return (c.tokenizeMsPerKChar * chars) / 1000; // a calibration.json written before the curve
}

/**
 * One language-model call as the replay prices it: tokenize the context (`chars`), prefill the
 * `newTokens` the cache lacks after `past` held ones, the call's own setup, then decode `fed`
 * tokens from a context of `length`. The setup part never goes below 0 (fitted setups may be negative).
 */
export function estimateLmCallMs(
  c: LmCosts,
  call: { chars: number; newTokens: number; past: number; fed: number; length: number; after: boolean | Predecessor },
): number {
  const prefill = call.newTokens > 0 ? estimatePrefillMs(c, call.newTokens, call.past) : 0;
  const setup = Math.max(0, estimateTokenizeMs(c, call.chars) + prefill + estimateCallSetupMs(c, call.after));
  return setup + estimateDecodeMs(c, call.fed, call.length, call.after);
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

/**
 * The interlude a run makes before a model's call when another model ran in between: a step of
 * the other language model at about the probe's context length, then a call of a scorer on that
 * step, as rsd and arbitrage score each draft step (the scorers in turn when there are several;
 * each scorer's prefix cache reused as in a run). Null `other`: a scorer call only.
 */
export function stepInterlude(
  other: { lm: CausalLM; sampleIds: readonly number[]; maxLength: number } | null,
  scorers: readonly StepScorer[],
  question: string,
  stop: readonly string[] = ["\n\n"],
): Interlude {
  const ids = other ? Array.from({ length: windowOf(other.lm, other.maxLength) }, (_, i) => other.sampleIds[i % Math.max(1, other.sampleIds.length)] ?? 0) : [];
  let turn = 0;
  return async (length: number) => {
    let context = "";
    let step = "";
    if (other) {
      const n = 16;
      context = other.lm.tokenizer.decode(ids.slice(0, Math.max(1, Math.min(length, ids.length - n - 1))));
      const out = await other.lm.generateStep({ context, stop: [...stop], maxTokens: n + 1, decoding: { temperature: 0 } });
      step = out.text;
    }
    const scorer = scorers[turn++ % Math.max(1, scorers.length)];
    if (!scorer) return;
    // The solution so far and the new step, cut to the scorer's window.
    let before = context;
    while (before.length > 0 && scorer.inputTokens(question, [before, step || "."]) > scorer.info.contextLength) before = before.slice(0, Math.floor(before.length / 2));
    await scorer.score(question, before ? [before, step || "."] : [step || "."]);
  };
}
