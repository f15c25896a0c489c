/**
 * A step ends at the first stop string of the decoded text, wherever the tokenizer put it: merged
 * into one token with other text, split over two tokens, or followed by more text in the same
 * token. The scripted fixture models write a fixed token sequence through a real ONNX graph.
 */
import { describe, expect, it } from "vitest";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";

async function step(name: string, req: { stop?: string[]; maxTokens?: number } = {}) {
  const lm = await CausalLM.load(fixtureModel(name), { intraOpThreads: 1 });
  try {
    return { out: await lm.generateStep({ context: "abc", decoding: { temperature: 0 }, ...req }), lm };
  } finally {
    await lm.dispose();
  }
}

describe("stop strings", () => {
  it("ends a step inside a token that merges the delimiter with text before it ('.\\n\\n')", async () => {
    const { out } = await step("scripted-merged");
    expect(out.text).toBe("is the.");
    expect(out.stopReason).toBe("stop");
    expect(out.stop).toBe("\n\n");
    expect(out.tokenIds).toHaveLength(4); // is, ' ', the, '.\n\n'
  });

  it("ends a step on a delimiter split across two tokens ('\\n' + '\\n')", async () => {
    const { out } = await step("scripted-split");
    expect(out.text).toBe("x");
    expect(out.tokenIds).toHaveLength(3);
    expect(out.stopReason).toBe("stop");
  });

  it("drops the text after the delimiter when a token holds more than the delimiter ('\\n\\n\\n')", async () => {
    const { out } = await step("scripted-overhang");
    expect(out.text).toBe("z");
    expect(out.tokenIds).toHaveLength(2);
  });

  it("ends at EOS without a delimiter, and does not count the EOS as a step token", async () => {
    const { out } = await step("scripted-eos");
    expect(out.text).toBe("wv");
    expect(out.stopReason).toBe("eos");
    expect(out.stop).toBeNull();
    expect(out.tokenIds).toHaveLength(2);
  });

  it("keeps a character split over byte tokens whole", async () => {
    const { out } = await step("scripted-multibyte");
    expect(out.text).toBe("hé");
    expect(out.stopReason).toBe("stop");
  });

  it("honours a configurable stop list and reports which stop matched", async () => {
    const { out } = await step("scripted-merged", { stop: ["the", "\n\n"] });
    expect(out.text).toBe("is ");
    expect(out.stop).toBe("the");
  });

  it("stops at max step tokens", async () => {
    const { out } = await step("scripted-merged", { maxTokens: 2 });
    expect(out.stopReason).toBe("max-tokens");
    expect(out.tokenIds).toHaveLength(2);
    expect(out.text).toBe("is ");
  });

  it("reports timings for prefill and decode", async () => {
    const { out } = await step("scripted-merged");
    expect(out.timings.prefillTokens).toBe(3);
    expect(out.timings.decodeTokens).toBe(3); // the 4th token completes the stop and is never fed
    expect(out.timings.totalMs).toBeGreaterThanOrEqual(out.timings.prefillMs + out.timings.decodeMs);
  });
});

describe("decoding settings", () => {
  const PROMPT = "<bos>Question: 3*4?\nAnswer:\n";

  it("lets the caller's settings win over generation_config.json and reports where each came from", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"));
    // The fixture's generation_config.json turns sampling on (temperature 0.7, top_p 0.8, top_k 20).
    const fromFile = lm.resolveDecoding({});
    expect(fromFile).toMatchObject({ temperature: 0.7, topP: 0.8, topK: 20 });
    expect(fromFile.sources.temperature).toBe("generation_config");
    const pinned = lm.resolveDecoding({ temperature: 0, seed: 3 });
    expect(pinned).toMatchObject({ temperature: 0, seed: 3 });
    expect(pinned.sources).toMatchObject({ temperature: "caller", seed: "caller", topP: "generation_config" });
    const out = await lm.generateStep({ context: PROMPT, maxTokens: 5, decoding: { temperature: 0 } });
    expect(out.decoding.temperature).toBe(0);
    await lm.dispose();
  });

  it("rejects invalid or unknown decoding settings", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"));
    expect(() => lm.resolveDecoding({ temperature: -1 })).toThrow(/temperature/);
    expect(() => lm.resolveDecoding({ temprature: 1 } as never)).toThrow(/invalid decoding settings/);
    await lm.dispose();
  });

  it("samples the same step for the same (seed, context), whatever was generated before", async () => {
    const sampling = { temperature: 1, topP: 0.95, topK: 40, seed: 7 };
    const a = await CausalLM.load(fixtureModel("char-lm"));
    const first = await a.generateStep({ context: PROMPT, maxTokens: 20, stop: [], decoding: sampling });
    // Unrelated generation in between, on the same model object and on another one.
    await a.generateStep({ context: `${PROMPT}xyz`, maxTokens: 15, stop: [], decoding: sampling });
    const second = await a.generateStep({ context: PROMPT, maxTokens: 20, stop: [], decoding: sampling });
    const b = await CausalLM.load(fixtureModel("char-lm"));
    const third = await b.generateStep({ context: PROMPT, maxTokens: 20, stop: [], decoding: sampling });
    expect(second.tokenIds).toEqual(first.tokenIds);
    expect(third.tokenIds).toEqual(first.tokenIds);
    // Another seed gives another sample (20 tokens from a random 100-token model).
    const other = await b.generateStep({ context: PROMPT, maxTokens: 20, stop: [], decoding: { ...sampling, seed: 8 } });
    expect(other.tokenIds).not.toEqual(first.tokenIds);
    // And sampling differs from greedy decoding.
    const greedy = await b.generateStep({ context: PROMPT, maxTokens: 20, stop: [], decoding: { temperature: 0 } });
    expect(greedy.tokenIds).not.toEqual(first.tokenIds);
    await a.dispose();
    await b.dispose();
  });

  it("returns per-token log-probabilities and entropies", async () => {
    const lm = await CausalLM.load(fixtureModel("char-lm"));
    const out = await lm.generateStep({ context: PROMPT, maxTokens: 8, stop: [], decoding: { temperature: 0 } });
    expect(out.logprobs).toHaveLength(out.tokenIds.length);
    for (const lp of out.logprobs) expect(lp).toBeLessThanOrEqual(0);
    for (const h of out.entropies) {
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThanOrEqual(Math.log(lm.info.vocabSize) + 1e-9);
    }
    await lm.dispose();
  });
});
