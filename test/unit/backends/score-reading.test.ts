/** Pooling-server outputs into step scores: the row layouts vLLM returns, the heads, and clear errors for the rest. */
import { describe, expect, it } from "vitest";
import type { ReadSpec } from "../../../main/backends/http/score-reading.ts";
import { readRow, readScores, toRows } from "../../../main/backends/http/score-reading.ts";
import { resolveScorerConfig } from "../../../main/engine/scorer-config.ts";

const skywork = resolveScorerConfig({ convention: "skywork-prm" }, "test");
const router = resolveScorerConfig({ convention: "arbitrage-router" }, "test");
const spec = (cfg = skywork, extra: Partial<ReadSpec> = {}): ReadSpec => ({ cfg, values: "logits", head: null, what: "prm", ...extra });
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("toRows", () => {
  it("reads a flat list of T·C numbers as one row per token (the embeddings endpoint)", () => {
    expect(toRows([1, 2, 3, 4], 4, 2, false, "prm")).toEqual({ at: "tokens", rows: [[1], [2], [3], [4]] });
    expect(toRows([1, 2, 3, 4, 5, 6], 3, 1, false, "router")).toEqual({ at: "tokens", rows: [[1, 2], [3, 4], [5, 6]] });
  });

  it("reads nested rows per token, per step, or for the last position", () => {
    expect(toRows([[1], [2], [3]], 3, 2, false, "prm").at).toBe("tokens");
    expect(toRows([[0.2, 0.8], [0.6, 0.4]], 9, 2, false, "prm")).toEqual({ at: "steps", rows: [[0.2, 0.8], [0.6, 0.4]] });
    expect(toRows([[0.3, 0.7]], 9, 3, true, "router")).toEqual({ at: "last", rows: [[0.3, 0.7]] });
    expect(toRows([0.3, 0.7], 9, 3, true, "router")).toEqual({ at: "last", rows: [[0.3, 0.7]] });
  });

  it("says what it expected and what it found", () => {
    expect(() => toRows([1, 2, 3], 4, 2, false, "prm")).toThrow(/prm: expected T×C values for the T = 4 input tokens.*found a flat list of 3 numbers/);
    expect(() => toRows([[1], [2, 3]], 2, 1, false, "prm")).toThrow(/differing or zero length/);
    expect(() => toRows([[1], [2]], 5, 3, false, "prm")).toThrow(/found 2 rows of 1/);
    expect(() => toRows("AAAA", 5, 3, false, "prm")).toThrow(/found a string of 4 characters/);
  });
});

describe("readRow and readScores", () => {
  it("apply a sigmoid to raw values, or read probabilities as they are", () => {
    expect(readRow([0.5], spec())).toBe(sigmoid(0.5));
    expect(readRow([0.25], spec(skywork, { values: "probabilities" }))).toBe(0.25);
    expect(() => readRow([0.1, 0.2], spec())).toThrow(/sigmoid head reads one value per position, the server returned 2/);
  });

  it("apply a 2-class softmax to logits and read the positive class", () => {
    const p = readRow([0.1, 1.3], spec(router));
    expect(p).toBeCloseTo(Math.exp(1.3) / (Math.exp(0.1) + Math.exp(1.3)), 15);
    expect(readRow([0.4, 0.6], spec(router, { values: "probabilities" }))).toBe(0.6);
    expect(() => readRow([0.4], spec(router))).toThrow(/softmax head reads class 1 of at least 2/);
  });

  it("run head weights over hidden states first", () => {
    const head = { weight: [[1, -1]], bias: [0.5] };
    expect(readRow([2, 1], spec(skywork, { head }))).toBe(sigmoid(2 - 1 + 0.5));
    expect(() => readRow([2, 1, 0], spec(skywork, { head }))).toThrow(/head_weights expect rows of 2/);
  });

  it("refuse non-finite scores", () => {
    expect(() => readRow([Number.NaN], spec())).toThrow(/non-finite/);
  });

  it("read each step at its end, and the decision score where the config says", () => {
    const rows = toRows([0, 1, 2, 3, 4, 5], 6, 2, false, "prm");
    expect(readScores(rows, [2, 5], 6, spec())).toEqual({ stepScores: [sigmoid(2), sigmoid(5)], score: sigmoid(5) });
    const perStep = toRows([[0.2, 0.8], [0.6, 0.4]], 9, 2, false, "prm");
    const qwen = resolveScorerConfig({ convention: "qwen-prm" }, "test");
    expect(readScores(perStep, [3, 7], 9, spec(qwen, { values: "probabilities" }))).toEqual({ stepScores: [0.8, 0.4], score: 0.4 });
    const last = toRows([0.1, 1.3], 9, 2, true, "router");
    const s = readScores(last, [4, 8], 9, spec(router));
    expect(s.score).toBeCloseTo(readRow([0.1, 1.3], spec(router)), 15);
    expect(s.stepScores[0]).toBeNaN();
    expect(() => readScores(last, [4, 7], 9, spec(skywork))).toThrow(/read at each step's end, but the server returned one row for the last position only/);
  });
});
