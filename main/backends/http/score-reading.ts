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

/** What a value is, for "found …" in messages: never the value itself (it may be thousands of numbers). */
export function describeFound(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return `a string of ${v.length} characters`;
  if (typeof v !== "object") return `${typeof v} ${JSON.stringify(v)}`;
  if (!Array.isArray(v)) return `an object with keys ${Object.keys(v).slice(0, 8).join(", ") || "(none)"}`;
  if (v.length === 0) return "an empty list";
  if (isNumberArray(v)) return `a list of ${v.length} numbers`;
  if (v.every(isNumberArray)) {
    const lengths = [...new Set(v.map((r) => r.length))];
    return `${v.length} rows of ${lengths.length === 1 ? lengths[0] : `${lengths.slice(0, 4).join(", ")}${lengths.length > 4 ? ", …" : ""} (differing)`} numbers`;
  }
  return `a list of ${v.length} items, the first ${describeFound(v[0])}`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * An OpenAI "base64" embedding: the float32 values' bytes, base64-encoded. vLLM writes them in the
 * server's byte order (numpy's tobytes / torch's view(uint8)): little-endian on x86-64 and ARM64,
 * the servers vLLM runs on. A per-token output of T rows of C values arrives flattened, row by row.
 */
export function decodeFloat32Base64(text: string, what: string): number[] {
  if (!BASE64.test(text)) throw new WorkbenchError("backend", `${what}: expected base64-encoded float32 values, found a string of ${text.length} characters that is not base64`);
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 4 !== 0) throw new WorkbenchError("backend", `${what}: expected base64 of float32 values (a multiple of 4 bytes), found ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/**
 * How far from 1 a row of activated values may sum: vLLM 0.10.1 – 0.11.0 cast the softmax back to the
 * model's dtype (pooler.py `PoolerClassify`: `.to(pooled_data.dtype)`), bf16 for most models, whose
 * 8 significant bits leave each value off by up to 2^-9.
 */
const SUM_TOLERANCE = 1e-2;

/**
 * What one response's rows show: `activated` when every value lies in [0, 1] and every row of several
 * values sums to 1 — what a sigmoid or softmax leaves. A value outside [0, 1], or a row that does not
 * sum to 1, proves the values raw. For rows of one value, `activated` is a strong hint, not a proof:
 * raw logits can lie in [0, 1], but over a whole input (hundreds of positions) they almost never all do.
 */
export function activationShown(rows: readonly (readonly number[])[]): { activated: boolean; rowsSumToOne: boolean; values: number } {
  let values = 0;
  let outside = false;
  let multi = 0;
  let notOne = false;
  for (const row of rows) {
    let sum = 0;
    for (const x of row) {
      values++;
      sum += x;
      if (!(x >= 0 && x <= 1)) outside = true;
    }
    if (row.length > 1) {
      multi++;
      if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) notOne = true;
    }
  }
  return { activated: values > 0 && !outside && !notOne, rowsSumToOne: multi > 0 && !notOne, values };
}

/**
 * Watches the raw values a scorer read as logits over a whole run: when every one of them lies in
 * [0, 1], the server has most likely applied the head's sigmoid / softmax already and the workbench
 * applies it again (raw logits of a value head over a whole input almost never all fall there). Rows
 * that each sum to 1 say softmax.
 */
export class ActivationWatch {
  responses = 0;
  values = 0;
  private outside = 0;
  private rowsNotSummingToOne = 0;
  private multiRows = 0;

  observe(rows: readonly (readonly number[])[]): void {
    this.responses++;
    for (const row of rows) {
      let sum = 0;
      for (const x of row) {
        this.values++;
        sum += x;
        if (!(x >= 0 && x <= 1)) this.outside++;
      }
      if (row.length > 1) {
        this.multiRows++;
        if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) this.rowsNotSummingToOne++;
      }
    }
  }

  /** Null while some value fell outside [0, 1] or nothing was seen; else what was seen. */
  looksActivated(): { values: number; responses: number; rowsSumToOne: boolean } | null {
    if (this.values === 0 || this.outside > 0) return null;
    return { values: this.values, responses: this.responses, rowsSumToOne: this.multiRows > 0 && this.rowsNotSummingToOne === 0 };
  }
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
  throw new WorkbenchError("backend", `${what}: ${expected}; found ${describeFound(values)}`);
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
