/**
 * What it costs a model to catch up on k new tokens when its KV cache already holds `past`
 * tokens, measured on a grid at the start of a sweep and stored with the run.
 *
 * Why: a cached step's decode time does not depend on the path that reached its context, but the
 * prefill before it does — after the other model wrote a step, or after the target sat out several
 * steps, there is more to catch up on. Replaying a configuration's latency adds, at each call, the
 * catch-up its own path needs (known exactly from the token ids) priced by this table. Stored
 * with the run, so a resumed sweep replays exactly the same latencies.
 */
import { performance } from "node:perf_hooks";
import type { CausalLM } from "../engine/causal-lm.ts";

export interface CalibrationPoint {
  k: number;
  past: number;
  ms: number;
}

export interface PrefillCalibration {
  model: string;
  points: CalibrationPoint[];
}

const K_GRID = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const PAST_GRID = [0, 64, 256, 1024, 4096];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Measures sync time for k new tokens after `past` cached ones, on a grid bounded by `maxLength`
 * (and the model's window). `sampleIds` provides realistic token ids; they are repeated as needed.
 */
export async function calibratePrefill(lm: CausalLM, sampleIds: readonly number[], maxLength: number, reps = 3): Promise<PrefillCalibration> {
  const limit = Math.min(maxLength, Number.isFinite(lm.info.contextLength) ? lm.info.contextLength - 1 : maxLength);
  const source = sampleIds.length > 0 ? sampleIds : [0];
  const ids = Array.from({ length: limit }, (_, i) => source[i % source.length] as number);
  const points: CalibrationPoint[] = [];
  // Warm-up: the first runs of a session pay for allocations.
  lm.reset();
  await lm.prefillIds(ids.slice(0, Math.min(32, limit)));
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
      points.push({ k, past, ms: median(times) });
    }
  }
  lm.reset();
  return { model: lm.info.onnxPath, points };
}

/** Piecewise-linear through sorted (x, y) points, extrapolating with the end segments. */
function interpolate(xs: number[], ys: number[], x: number): number {
  if (xs.length === 1) return ys[0] as number;
  let i = 0;
  while (i < xs.length - 2 && x > (xs[i + 1] as number)) i++;
  const x0 = xs[i] as number;
  const x1 = xs[i + 1] as number;
  const y0 = ys[i] as number;
  const y1 = ys[i + 1] as number;
  return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}

/** Estimated sync time for k new tokens after `past` cached ones. */
export function estimatePrefillMs(cal: PrefillCalibration, k: number, past: number): number {
  if (k <= 0 || cal.points.length === 0) return 0;
  const pasts = [...new Set(cal.points.map((p) => p.past))].sort((a, b) => a - b);
  const rowAt = (p: number) => {
    const row = cal.points.filter((q) => q.past === p).sort((a, b) => a.k - b.k);
    return interpolate(
      row.map((q) => q.k),
      row.map((q) => q.ms),
      k,
    );
  };
  const values = pasts.map(rowAt);
  return Math.max(0, interpolate(pasts, values, past));
}
