/**
 * Turning what a pooling server returns into step scores. A PRM or router served by vLLM returns
 * its outputs for the token ids it was sent, in one of these forms:
 *   - one row per input token (reward models, "ALL" pooling): T rows of C values, or the same
 *     flattened to T·C numbers (the /v1/embeddings "embedding" of a Skywork PRM is T values; of a
 *     2-class router, 2T) — the reference implementation reads these;
 *   - one row per step (vLLM's "STEP" pooling, e.g. Qwen2.5-Math-PRM): S rows;
 *   - one row for the whole input (a sequence classifier, /classify): C values at the last position.
 * The scorer's own tokenizer says where each step ends (scorer-input.ts), so per-token rows are read
 * there, through the head its config declares — as the local StepScorer reads its graph's output.
 */
import { WorkbenchError } from "../../../shared/errors.ts";
import type { ResolvedScorerConfig } from "../../engine/scorer-config.ts";

export type RowsAt = "tokens" | "steps" | "last";

export interface ScoreRows {
  at: RowsAt;
  rows: number[][];
}

export interface HeadWeights {
  weight: number[][];
  bias: number[];
}

export interface ReadSpec {
  cfg: ResolvedScorerConfig;
  /** "probabilities": the server already applied the head's sigmoid/softmax. */
  values: "logits" | "probabilities";
  head: HeadWeights | null;
  /** For messages. */
  what: string;
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}

/**
 * Shapes returned values into rows. `tokens` is the input length T, `steps` the number of steps S.
 * Flat values divisible by T are per-token rows; otherwise a flat vector is one row for the last
 * position (only when the score is read there). Nested rows are per token (T rows), per step
 * (S rows), or one row for the last position.
 */
export function toRows(values: unknown, tokens: number, steps: number, lastOnly: boolean, what: string): ScoreRows {
  const expected = `expected T×C values for the T = ${tokens} input tokens (flat or as T rows), ${steps} rows (one per step), or one row for the last position`;
  if (isNumberArray(values)) {
    if (values.length > 0 && values.length % tokens === 0) {
      const width = values.length / tokens;
      return { at: "tokens", rows: Array.from({ length: tokens }, (_, i) => values.slice(i * width, (i + 1) * width)) };
    }
    if (lastOnly && values.length > 0) return { at: "last", rows: [values] };
    throw new WorkbenchError("backend", `${what}: ${expected}; found a flat list of ${values.length} numbers`);
  }
  if (Array.isArray(values) && values.length > 0 && values.every(isNumberArray)) {
    const rows = values as number[][];
    const width = (rows[0] as number[]).length;
    if (width === 0 || rows.some((r) => r.length !== width)) throw new WorkbenchError("backend", `${what}: ${expected}; found rows of differing or zero length`);
    if (rows.length === tokens) return { at: "tokens", rows };
    if (rows.length === steps) return { at: "steps", rows };
    if (rows.length === 1 && lastOnly) return { at: "last", rows };
    throw new WorkbenchError("backend", `${what}: ${expected}; found ${rows.length} rows of ${width}`);
  }
  throw new WorkbenchError("backend", `${what}: ${expected}; found ${Array.isArray(values) ? "a list that is not numbers or rows of numbers" : typeof values}`);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function softmaxAt(v: readonly number[], index: number): number {
  let max = -Infinity;
  for (const x of v) max = Math.max(max, x);
  let sum = 0;
  for (const x of v) sum += Math.exp(x - max);
  return Math.exp((v[index] as number) - max) / sum;
}

/** One row through the head, as a number in [0, 1]. */
export function readRow(row: readonly number[], spec: ReadSpec): number {
  const { cfg, head, values, what } = spec;
  let vec: readonly number[] = row;
  if (head) {
    if (values === "probabilities") throw new WorkbenchError("bad-config", `${what}: head_weights need raw hidden states, but "values" says the server returns probabilities`);
    if ((head.weight[0]?.length ?? -1) !== row.length) throw new WorkbenchError("backend", `${what}: head_weights expect rows of ${head.weight[0]?.length}, the server returned rows of ${row.length}`);
    vec = head.weight.map((w, o) => w.reduce((acc, x, j) => acc + x * (row[j] as number), head.bias[o] ?? 0));
  }
  let s: number;
  if (cfg.head === "sigmoid") {
    if (vec.length !== 1) throw new WorkbenchError("backend", `${what}: a sigmoid head reads one value per position, the server returned ${vec.length}`);
    s = values === "probabilities" ? (vec[0] as number) : sigmoid(vec[0] as number);
  } else if (cfg.head === "softmax") {
    if (vec.length < 2 || cfg.positiveIndex >= vec.length) {
      throw new WorkbenchError("backend", `${what}: a softmax head reads class ${cfg.positiveIndex} of at least 2, the server returned ${vec.length} value(s) per position`);
    }
    s = values === "probabilities" ? (vec[cfg.positiveIndex] as number) : softmaxAt(vec, cfg.positiveIndex);
  } else {
    throw new WorkbenchError("bad-config", `${what}: a token-pair head reads language-model logits over the vocabulary, which a pooling server does not return`);
  }
  if (!Number.isFinite(s)) throw new WorkbenchError("non-finite-output", `${what}: the server returned a non-finite score`);
  return s;
}

/**
 * Step scores and the decision score from rows, as StepScorer does: each step's score at its end;
 * the decision score at the last step, or at the last position for `select: "last"`.
 */
export function readScores(r: ScoreRows, stepEnds: readonly number[], tokens: number, spec: ReadSpec): { stepScores: number[]; score: number } {
  const steps = stepEnds.length;
  const lastIsLastStepEnd = stepEnds[steps - 1] === tokens - 1;
  switch (r.at) {
    case "tokens": {
      const stepScores = stepEnds.map((p) => readRow(r.rows[p] as number[], spec));
      const score = spec.cfg.select === "last" ? readRow(r.rows[tokens - 1] as number[], spec) : (stepScores[steps - 1] as number);
      return { stepScores, score };
    }
    case "steps": {
      if (spec.cfg.select === "last" && !lastIsLastStepEnd) {
        throw new WorkbenchError("backend", `${spec.what}: this scorer is read at the last position, but the server returned one row per step`);
      }
      const stepScores = r.rows.map((row) => readRow(row, spec));
      return { stepScores, score: stepScores[steps - 1] as number };
    }
    case "last": {
      if (spec.cfg.select !== "last" && !lastIsLastStepEnd) {
        throw new WorkbenchError("backend", `${spec.what}: this scorer is read at each step's end, but the server returned one row for the last position only`);
      }
      const score = readRow(r.rows[0] as number[], spec);
      return { stepScores: stepEnds.map((_, k) => (k === steps - 1 ? score : Number.NaN)), score };
    }
  }
}
