/**
 * Every failure a user can cause is a typed WorkbenchError that says what was expected and what
 * was found — raised when the model is opened, not in the middle of a sweep.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import { StepScorer } from "../../../main/engine/scorer.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";

async function rejection(p: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return err as WorkbenchError;
  }
  throw new Error("expected a rejection");
}

const scratch = mkdtempSync(join(tmpdir(), "wb-engine-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyFixture(name: string, edit: (dir: string) => void): string {
  const dir = join(scratch, `${name}-${Math.random().toString(36).slice(2)}`);
  cpSync(fixtureModel(name), dir, { recursive: true });
  edit(dir);
  return dir;
}

describe("model folders", () => {
  it("names the missing files and what the folder does contain", async () => {
    const err = await rejection(CausalLM.load(fixtureModel("missing-files")));
    expect(err.kind).toBe("missing-file");
    expect(err.message).toMatch(/tokenizer\.json/);
    expect(err.message).toMatch(/onnx\/model\.onnx/);
    expect(err.message).toMatch(/contains: config\.json/);
  });

  it("says so when the folder does not exist", async () => {
    const err = await rejection(CausalLM.load(join(scratch, "nope")));
    expect(err.kind).toBe("missing-file");
  });

  it("lists the available graph files when a variant is not there", async () => {
    const err = await rejection(CausalLM.load(fixtureModel("char-lm"), { variant: "q4" }));
    expect(err.kind).toBe("missing-file");
    expect(err.message).toMatch(/model_q4\.onnx/);
    expect(err.message).toMatch(/onnx\/model_fp16\.onnx/);
  });

  it("picks a variant by name and reads its cache dtype from the graph", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"), { variant: "fp16" });
    expect(lm.info.onnxPath).toMatch(/model_fp16\.onnx$/);
    expect(lm.info.kvType).toBe("float16");
    expect(lm.info).toMatchObject({ layers: 2, kvHeads: 1, headDim: 16, vocabSize: 100, contextLength: 256 });
    await lm.dispose();
  });

  it("reports invalid JSON with the file it is in", async () => {
    const dir = copyFixture("char-lm", (d) => writeFileSync(join(d, "config.json"), "{ not json"));
    const err = await rejection(CausalLM.load(dir));
    expect(err.kind).toBe("bad-model");
    expect(err.message).toMatch(/config\.json.*not valid JSON/);
  });
});

describe("graphs", () => {
  it("rejects a graph that follows no convention, listing its inputs and outputs", async () => {
    const err = await rejection(CausalLM.load(fixtureModel("bad-graph")));
    expect(err.kind).toBe("bad-graph");
    expect(err.message).toMatch(/missing input "input_ids"/);
    expect(err.message).toMatch(/past_key_values/);
    expect(err.message).toMatch(/graph inputs: tokens: int64/);
    expect(err.message).toMatch(/graph outputs: scores/);
  });

  it("rejects a language model as a scorer when the named output is absent", async () => {
    const dir = copyFixture("router", (d) => {
      const cfg = JSON.parse(readFileSync(join(d, "config.json"), "utf8"));
      cfg.step_scorer.output = "values";
      writeFileSync(join(d, "config.json"), JSON.stringify(cfg));
    });
    const err = await rejection(StepScorer.load(dir));
    expect(err.kind).toBe("bad-graph");
    expect(err.message).toMatch(/missing output "values"/);
  });

  it("rejects a head that does not fit the output's last axis", async () => {
    const dir = copyFixture("router", (d) => {
      const cfg = JSON.parse(readFileSync(join(d, "config.json"), "utf8"));
      cfg.step_scorer.head = "sigmoid";
      writeFileSync(join(d, "config.json"), JSON.stringify(cfg));
    });
    const err = await rejection(StepScorer.load(dir));
    expect(err.message).toMatch(/does not fit step_scorer head "sigmoid"/);
  });
});

describe("tokenizers and configs", () => {
  it("rejects a tokenizer with more tokens than the logits", async () => {
    const err = await rejection(CausalLM.load(fixtureModel("small-vocab-lm")));
    expect(err.kind).toBe("bad-tokenizer");
    expect(err.message).toMatch(/100 tokens but the model's logits have 40/);
  });

  it("rejects a scorer without a step_scorer declaration", async () => {
    const dir = copyFixture("prm-skywork", (d) => {
      const cfg = JSON.parse(readFileSync(join(d, "config.json"), "utf8"));
      delete cfg.step_scorer;
      writeFileSync(join(d, "config.json"), JSON.stringify(cfg));
    });
    const err = await rejection(StepScorer.load(dir));
    expect(err.kind).toBe("bad-model");
    expect(err.message).toMatch(/no "step_scorer" key/);
  });

  it("rejects unknown step_scorer keys instead of ignoring them", async () => {
    const dir = copyFixture("prm-skywork", (d) => {
      const cfg = JSON.parse(readFileSync(join(d, "config.json"), "utf8"));
      cfg.step_scorer.treshold = 0.5;
      writeFileSync(join(d, "config.json"), JSON.stringify(cfg));
    });
    const err = await rejection(StepScorer.load(dir));
    expect(err.kind).toBe("bad-config");
    expect(err.message).toMatch(/treshold/);
  });
});

describe("at run time", () => {
  it("stops on NaN logits with non-finite-output", async () => {
    const lm = await CausalLM.load(fixtureModel("nan-lm"));
    const err = await rejection(lm.generateStep({ context: "<bos>hi", decoding: { temperature: 0 } }));
    expect(err.kind).toBe("non-finite-output");
    await lm.dispose();
  });

  it("refuses a prompt longer than the context window, with both lengths", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"));
    const err = await rejection(lm.generateStep({ context: "x".repeat(300), decoding: { temperature: 0 } }));
    expect(err.kind).toBe("context-too-long");
    expect(err.message).toMatch(/300 tokens.*context window of 256/);
    // The model is still usable afterwards.
    const ok = await lm.generateStep({ context: "<bos>hi", maxTokens: 3, decoding: { temperature: 0 } });
    expect(ok.tokenIds.length).toBeGreaterThan(0);
    await lm.dispose();
  });

  it("ends a step with context-full when the window fills up during generation", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"));
    const out = await lm.generateStep({ context: "y".repeat(250), maxTokens: 50, stop: [], decoding: { temperature: 0 } });
    expect(out.stopReason).toBe("context-full");
    expect(out.tokenIds.length).toBeLessThanOrEqual(6);
    await lm.dispose();
  });

  it("refuses to run after dispose", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"));
    await lm.dispose();
    const err = await rejection(lm.generateStep({ context: "<bos>hi" }));
    expect(err.message).toMatch(/after dispose/);
  });
});

describe("execution providers", () => {
  it("falls back to the CPU with a reason when the requested provider is not available", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"), { executionProvider: "coreml" });
    expect(lm.info.provider).toBe("cpu");
    expect(lm.info.providerFallback).toMatch(/coreml.*unavailable.*using cpu/);
    const out = await lm.generateStep({ context: "<bos>hi", maxTokens: 2, decoding: { temperature: 0 } });
    expect(out.tokenIds).toHaveLength(2);
    await lm.dispose();
  });

  it("reports the CPU when the CPU was asked for", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"));
    expect(lm.info.provider).toBe("cpu");
    expect(lm.info.providerFallback).toBeUndefined();
    await lm.dispose();
  });
});
