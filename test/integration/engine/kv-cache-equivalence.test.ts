/**
 * The cache is an optimisation, never a change of result: generation that reuses, rolls back or
 * catches up the KV cache gives the same tokens (and logits to 1e-4) as recomputing the whole
 * context from scratch — for each way the shared context changes during a speculative run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import { fixtureModel, maxAbsDiff } from "../../helpers/fixtures.ts";

const GREEDY = { temperature: 0 };
const PROMPT = "<bos>Question: 12+7?\nAnswer:\n";

describe.each([
  ["char-lm (position_ids, grouped-query KV)", "char-lm", {}],
  ["char-lm fp16 KV variant", "char-lm", { variant: "fp16" }],
  ["char-lm-nopos (positions from the mask)", "char-lm-nopos", {}],
  ["bpe-lm (byte-level BPE)", "bpe-lm", {}],
])("%s", (_label, name, extra) => {
  let cached: CausalLM;
  let fresh: CausalLM;
  beforeAll(async () => {
    cached = await CausalLM.load(fixtureModel(name), { intraOpThreads: 1, ...extra });
    fresh = await CausalLM.load(fixtureModel(name), { intraOpThreads: 1, reuseCache: false, ...extra });
  });
  afterAll(async () => {
    await cached.dispose();
    await fresh.dispose();
  });

  it("writes the same steps, token for token, as recomputing without the cache", async () => {
    let ctxA = PROMPT;
    let ctxB = PROMPT;
    for (let s = 0; s < 3; s++) {
      const a = await cached.generateStep({ context: ctxA, maxTokens: 12, stop: ["\n\n", "."], decoding: GREEDY });
      const b = await fresh.generateStep({ context: ctxB, maxTokens: 12, stop: ["\n\n", "."], decoding: GREEDY });
      expect(a.tokenIds).toEqual(b.tokenIds);
      expect(a.text).toBe(b.text);
      expect(maxAbsDiff(a.logprobs, b.logprobs)).toBeLessThan(1e-4);
      ctxA += `${a.text}\n\n`;
      ctxB += `${b.text}\n\n`;
    }
    // Later steps prefilled only what the cache lacked.
    const again = await cached.generateStep({ context: ctxA, maxTokens: 4, decoding: GREEDY });
    expect(again.timings.prefillTokens).toBeLessThan(cached.encode(ctxA).length);
  });

  it("gives next-token logits within 1e-4 of a from-scratch forward pass", async () => {
    const ctx = `${PROMPT}First, 12 + 7 = 19.`;
    await cached.generateStep({ context: PROMPT, maxTokens: 6, decoding: GREEDY });
    const a = await cached.nextTokenLogits(ctx);
    const b = await fresh.nextTokenLogits(ctx);
    expect(a.length).toBe(cached.info.vocabSize);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
  });

  it("after rolling back a discarded step, regenerates exactly what it would have without it", async () => {
    const ctx = `${PROMPT}Step one.\n\n`;
    const first = await cached.generateStep({ context: ctx, maxTokens: 10, decoding: GREEDY });
    // A different continuation is generated and then discarded (the policy escalated).
    await cached.generateStep({ context: `${ctx}Something else entirely`, maxTokens: 10, decoding: GREEDY });
    const again = await cached.generateStep({ context: ctx, maxTokens: 10, decoding: GREEDY });
    const reference = await fresh.generateStep({ context: ctx, maxTokens: 10, decoding: GREEDY });
    expect(again.tokenIds).toEqual(first.tokenIds);
    expect(again.tokenIds).toEqual(reference.tokenIds);
    expect(maxAbsDiff(again.logprobs, reference.logprobs)).toBeLessThan(1e-4);
  });

  it("prefills only the new tokens of a step the other model wrote", async () => {
    const ctx = `${PROMPT}Draft step here.\n\n`;
    await cached.generateStep({ context: ctx, maxTokens: 8, decoding: GREEDY });
    const before = cached.cachedLength;
    const otherStep = "The target wrote 19.";
    const ctx2 = `${ctx}${otherStep}\n\n`;
    const out = await cached.generateStep({ context: ctx2, maxTokens: 8, decoding: GREEDY });
    const reference = await fresh.generateStep({ context: ctx2, maxTokens: 8, decoding: GREEDY });
    expect(out.tokenIds).toEqual(reference.tokenIds);
    // What was cached for the context was kept; the prefill covers the new step, not the prompt.
    expect(out.timings.prefillTokens).toBeLessThanOrEqual(cached.encode(ctx2).length - cached.encode(ctx).length + 1);
    expect(before).toBeGreaterThan(0);
  });

  it("ran all of the above with onnxruntime writing the presents into the cache's own buffers", async () => {
    // A growing context, rollbacks and catch-ups, and a cache past its first capacity (64 positions).
    let ctx = PROMPT;
    for (let s = 0; s < 6; s++) ctx += `${(await cached.generateStep({ context: ctx, maxTokens: 12, decoding: GREEDY })).text}\n\n`;
    const ref = await fresh.nextTokenLogits(ctx);
    expect(maxAbsDiff(await cached.nextTokenLogits(ctx), ref)).toBeLessThan(1e-4);
    expect(cached.cachedLength).toBeGreaterThan(64);
    expect(cached.cacheWrites).toBe("preallocated");
  });
});

describe("byte-level BPE: a delimiter that merges with the text before it", () => {
  it("re-tokenizes the boundary so cached ids equal the whole context's ids", async () => {
    const lm = await CausalLM.load(fixtureModel("bpe-lm"), { intraOpThreads: 1 });
    const fresh = await CausalLM.load(fixtureModel("bpe-lm"), { intraOpThreads: 1, reuseCache: false });
    const ctx = "is the answer";
    const withPeriod = `${ctx}.`;
    const merged = `${withPeriod}\n\n`;
    // "." alone, then ".\n\n" as one token: the cached "." must be replaced, not extended.
    expect(lm.tokenizer.encode(merged).length).toBe(lm.tokenizer.encode(withPeriod).length);
    await lm.nextTokenLogits(withPeriod);
    const a = await lm.nextTokenLogits(merged);
    const b = await fresh.nextTokenLogits(merged);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
    expect(lm.cachedLength).toBe(lm.tokenizer.encode(merged).length);
    await lm.dispose();
    await fresh.dispose();
  });
});
