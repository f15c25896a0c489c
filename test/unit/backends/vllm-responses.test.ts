/**
 * The pieces that read vLLM's answers: version strings and the /pooling switch each version needs,
 * base64 float32 embeddings (as numpy's tobytes writes them), what "found" says about an unexpected
 * value, and the check for values that were already activated.
 */
import { describe, expect, it } from "vitest";
import { ActivationWatch, activationShown, decodeFloat32Base64, describeFound, toRows } from "../../../main/backends/http/score-reading.ts";
import { checkVllmVersion, parseVllmVersion, poolingGeneration, poolingSwitches, rawValuesAssured } from "../../../main/backends/http/vllm-version.ts";

/** Little-endian float32 bytes, base64: what vLLM sends for encoding_format "base64". */
function b64(values: number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString("base64");
}

describe("vLLM versions", () => {
  it("parse the forms vLLM reports (GET /version) and refuse the rest", () => {
    expect(parseVllmVersion("0.6.4")).toEqual([0, 6, 4]);
    expect(parseVllmVersion("0.6.4.post1")).toEqual([0, 6, 4]);
    expect(parseVllmVersion("0.10.1.1")).toEqual([0, 10, 1]);
    expect(parseVllmVersion("v0.11.1rc2.dev34+gabc")).toEqual([0, 11, 1]);
    expect(parseVllmVersion("1.0")).toEqual([1, 0, 0]);
    expect(parseVllmVersion("dev")).toBeNull();
    expect(parseVllmVersion("")).toBeNull();
    expect(() => checkVllmVersion("latest", "models.prm.http.vllmVersion")).toThrow(/models\.prm\.http\.vllmVersion: expected a vLLM version such as "0\.10\.1", found "latest"/);
  });

  it("map to the generation boundaries read from vLLM's source at the release tags", () => {
    const gen = (s: string) => poolingGeneration(parseVllmVersion(s) as [number, number, number]);
    // PoolingParams has no activation field before 0.10.1: the model's pooler decides.
    expect(["0.6.4", "0.7.0", "0.8.5", "0.9.2", "0.10.0"].map(gen)).toEqual(Array(5).fill("model-default"));
    // softmax defaults to true for "encode", and the /pooling request cannot carry it.
    expect(["0.10.1", "0.10.1.1", "0.10.2", "0.11.0"].map(gen)).toEqual(Array(4).fill("server-activates"));
    expect(["0.11.1", "0.13.0", "0.14.0", "0.20.0", "1.0.0"].map(gen)).toEqual(Array(5).fill("use-activation"));
  });

  it("send use_activation alone where it is read, softmax only to 0.10.1 – 0.11.0 (whose PoolingParams holds it), nothing before, and never softmax from 0.11.1 (0.11.1 – 0.13 read it backwards)", () => {
    const v = (s: string) => parseVllmVersion(s);
    for (const s of ["0.8.5", "0.10.0"]) expect(poolingSwitches(v(s), "logits")).toEqual({});
    for (const s of ["0.10.1", "0.10.2", "0.11.0"]) expect(poolingSwitches(v(s), "logits")).toEqual({ softmax: false });
    for (const s of ["0.11.1", "0.13.0", "0.20.0"]) expect(poolingSwitches(v(s), "logits")).toEqual({ use_activation: false });
    expect(poolingSwitches(null, "logits")).toEqual({ use_activation: false });
    for (const s of ["0.8.5", "0.10.1", "0.11.1", "0.20.0"]) expect(poolingSwitches(v(s), "probabilities")).toEqual({});
    expect(poolingSwitches(null, "probabilities")).toEqual({});
  });

  it("count raw values as assured only where a switch is sent that the version honours", () => {
    const v = (s: string) => parseVllmVersion(s);
    expect(["0.8.5", "0.10.0", "0.10.1", "0.11.0"].map((s) => rawValuesAssured(v(s)))).toEqual([false, false, false, false]);
    expect(["0.11.1", "0.20.0"].map((s) => rawValuesAssured(v(s)))).toEqual([true, true]);
    expect(rawValuesAssured(null)).toBe(false);
  });
});

describe("base64 float32 embeddings", () => {
  it("decode little-endian float32, exactly (a PRM's T values, a router's T·2 row by row)", () => {
    const values = [0.5, -1.25, 3.0000001, -0, 1e-30, -7.5];
    const f32 = values.map((x) => Math.fround(x));
    expect(decodeFloat32Base64(b64(values), "prm")).toEqual(f32);
    expect(toRows(decodeFloat32Base64(b64(values), "router"), 3, 2, false, "router")).toEqual({ at: "tokens", rows: [f32.slice(0, 2), f32.slice(2, 4), f32.slice(4, 6)] });
    expect(decodeFloat32Base64("", "prm")).toEqual([]);
  });

  it("are not read big-endian", () => {
    const be = Buffer.alloc(4);
    be.writeFloatBE(0.5, 0);
    expect(decodeFloat32Base64(be.toString("base64"), "prm")[0]).not.toBe(0.5);
  });

  it("refuse text that is not base64, or not whole float32 values, saying what was found", () => {
    expect(() => decodeFloat32Base64("not base64!", "prm")).toThrow(/prm: expected base64-encoded float32 values, found a string of 11 characters that is not base64/);
    expect(() => decodeFloat32Base64(Buffer.from([1, 2, 3, 4, 5, 6]).toString("base64"), "prm")).toThrow(/a multiple of 4 bytes\), found 6 bytes/);
  });

  it("float answers are read too: flat, or as one-value rows", () => {
    expect(toRows([0.1, 0.2, 0.3], 3, 1, false, "prm")).toEqual({ at: "tokens", rows: [[0.1], [0.2], [0.3]] });
    expect(toRows([[0.1], [0.2], [0.3]], 3, 1, false, "prm")).toEqual({ at: "tokens", rows: [[0.1], [0.2], [0.3]] });
  });
});

describe("describeFound", () => {
  it("names a value's shape, never its contents", () => {
    expect(describeFound(null)).toBe("null");
    expect(describeFound("QUJD")).toBe("a string of 4 characters");
    expect(describeFound(3)).toBe("number 3");
    expect(describeFound({ embedding: [], index: 0 })).toBe("an object with keys embedding, index");
    expect(describeFound([])).toBe("an empty list");
    expect(describeFound([1, 2])).toBe("a list of 2 numbers");
    expect(describeFound([[1], [2]])).toBe("2 rows of 1 numbers");
    expect(describeFound([[1], [2, 3]])).toBe("2 rows of 1, 2 (differing) numbers");
    expect(describeFound(["a", 1])).toBe("a list of 2 items, the first a string of 1 characters");
  });
});

describe("activationShown (one response)", () => {
  it("sigmoid values (every value in [0, 1]) show the activation; one value outside proves them raw", () => {
    expect(activationShown([[0.2], [0.9], [0], [1]])).toEqual({ activated: true, rowsSumToOne: false, values: 4 });
    expect(activationShown([[0.2], [1.5]]).activated).toBe(false);
    expect(activationShown([[0.2], [-0.01]]).activated).toBe(false);
    expect(activationShown([[Number.NaN]]).activated).toBe(false);
  });

  it("softmax rows sum to 1 within bf16 rounding; rows in [0, 1] that do not are raw", () => {
    // vLLM 0.10.1 casts the softmax back to bf16: 0.7 -> 0.69921875, 0.3 -> 0.30078125 (+ up to 2^-9 each).
    expect(activationShown([[0.69921875, 0.30078125], [0.1, 0.904]])).toEqual({ activated: true, rowsSumToOne: true, values: 4 });
    expect(activationShown([[0.3, 0.2], [0.99, 0.01]])).toEqual({ activated: false, rowsSumToOne: false, values: 4 });
  });

  it("nothing shows nothing", () => {
    expect(activationShown([]).activated).toBe(false);
  });
});

describe("ActivationWatch", () => {
  it("says nothing until it has seen values, or once one is outside [0, 1]", () => {
    const w = new ActivationWatch();
    expect(w.looksActivated()).toBeNull();
    w.observe([[0.2], [0.9]]);
    expect(w.looksActivated()).toEqual({ values: 2, responses: 1, rowsSumToOne: false });
    w.observe([[0.5], [1.0001]]);
    expect(w.looksActivated()).toBeNull();
  });

  it("recognises softmax rows (each sums to 1), and not rows that merely lie in [0, 1]", () => {
    const soft = new ActivationWatch();
    soft.observe([[0.3, 0.7], [0.99, 0.01]]);
    expect(soft.looksActivated()).toEqual({ values: 4, responses: 1, rowsSumToOne: true });
    const raw = new ActivationWatch();
    raw.observe([[0.3, 0.2], [0.99, 0.01]]);
    expect(raw.looksActivated()?.rowsSumToOne).toBe(false);
    const nan = new ActivationWatch();
    nan.observe([[Number.NaN]]);
    expect(nan.looksActivated()).toBeNull();
  });
});
