/** Reading /v1/completions responses: which stop ended the step (vLLM, SGLang), token log-probs, and shapes refused with a reason. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ResponseShapeError } from "../../../main/backends/http/client.ts";
import { readCompletion } from "../../../main/backends/http/completion.ts";

const STOPS = ["\n\n"];
const body = (choice: Record<string, unknown>, usage: unknown = { prompt_tokens: 40, completion_tokens: 7, total_tokens: 47 }) => ({
  object: "text_completion",
  choices: [{ index: 0, text: "1 + 2 = 3.", logprobs: null, ...choice }],
  usage,
});

describe("readCompletion", () => {
  it("tells the delimiter from the end of the answer as vLLM reports it (stop_reason)", () => {
    expect(readCompletion(body({ finish_reason: "stop", stop_reason: "\n\n" }), STOPS)).toMatchObject({ stopReason: "stop", stop: "\n\n", text: "1 + 2 = 3." });
    expect(readCompletion(body({ finish_reason: "stop", stop_reason: null }), STOPS)).toMatchObject({ stopReason: "eos", stop: null });
    // A stop_token_ids entry (vLLM reports its id) ends the answer too.
    expect(readCompletion(body({ finish_reason: "stop", stop_reason: 128009 }), STOPS)).toMatchObject({ stopReason: "eos" });
    expect(readCompletion(body({ finish_reason: "length", stop_reason: null }), STOPS)).toMatchObject({ stopReason: "max-tokens", stop: null });
  });

  it("and as SGLang reports it (matched_stop: the string, or the EOS token id)", () => {
    expect(readCompletion(body({ finish_reason: "stop", matched_stop: "\n\n" }), STOPS)).toMatchObject({ stopReason: "stop", stop: "\n\n" });
    expect(readCompletion(body({ finish_reason: "stop", matched_stop: 151645 }), STOPS)).toMatchObject({ stopReason: "eos" });
    expect(readCompletion(body({ finish_reason: "length", matched_stop: null }), STOPS)).toMatchObject({ stopReason: "max-tokens" });
  });

  it("matches the stop among several requested", () => {
    expect(readCompletion(body({ finish_reason: "stop", stop_reason: "\nStep" }), ["\n\n", "\nStep"])).toMatchObject({ stopReason: "stop", stop: "\nStep" });
  });

  it("refuses what cannot drive the step loop, saying why", () => {
    expect(() => readCompletion(body({ finish_reason: "stop" }), STOPS)).toThrow(/neither "stop_reason" \(vLLM\) nor "matched_stop" \(SGLang\)/);
    expect(() => readCompletion(body({ finish_reason: "stop", stop_reason: "###" }), STOPS)).toThrow(/"###", which is not one of the requested stop strings/);
    expect(() => readCompletion(body({ finish_reason: "abort", stop_reason: null }), STOPS)).toThrow(/expected finish_reason "stop" or "length", found "abort"/);
    expect(() => readCompletion({ choices: [] }, STOPS)).toThrow(ResponseShapeError);
    expect(() => readCompletion({ choices: [{ text: 3, finish_reason: "stop" }] }, STOPS)).toThrow(/choices\.0\.text/);
    expect(() => readCompletion({ data: [] }, STOPS)).toThrow(/expected an OpenAI completion/);
  });

  it("reads token log-probs and an entropy over the returned alternatives", () => {
    const lp = Math.log(0.5);
    const r = readCompletion(
      body({
        finish_reason: "stop",
        stop_reason: "\n\n",
        logprobs: { tokens: ["1", " +"], token_logprobs: [lp, -0.1], top_logprobs: [{ "1": lp, "2": lp }, { " +": -0.1 }] },
      }),
      STOPS,
    );
    expect(r.logprobs).toEqual([lp, -0.1]);
    expect(r.entropies[0]).toBeCloseTo(Math.log(2), 12); // two alternatives at 1/2 each
    expect(r.entropies[1]).toBeCloseTo(-Math.exp(-0.1) * -0.1, 12);
  });

  it("reads the server's token counts, cached prompt tokens included", () => {
    const r = readCompletion(body({ finish_reason: "stop", stop_reason: null }, { prompt_tokens: 40, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 32 } }), STOPS);
    expect(r.usage).toEqual({ promptTokens: 40, completionTokens: 7, cachedTokens: 32 });
    expect(readCompletion(body({ finish_reason: "stop", stop_reason: null }, null), STOPS).usage).toEqual({ promptTokens: null, completionTokens: null, cachedTokens: null });
  });
});

/**
 * A step that ended at EOS, in the shape vLLM's /v1/completions writes it (Qwen2.5's "<|im_end|>",
 * id 151645; written after vLLM's response format, not captured from a server): the EOS token is
 * the last logprobs entry and counted in completion_tokens, while the text and a local model's
 * step have no such token.
 */
describe("a step that ended at EOS (vLLM-shaped response)", () => {
  const vllm = JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/http/vllm-completion-eos.json", import.meta.url)), "utf8")) as {
    choices: { logprobs: { tokens: string[]; token_logprobs: number[] } }[];
  };
  const choice = vllm.choices[0] as (typeof vllm.choices)[number];
  const isEos = (t: string) => t === "<|im_end|>" || t === "";

  it("leaves the EOS token out of the step's log-probs, as a local model's step has none for it", () => {
    const r = readCompletion(vllm, STOPS, isEos);
    expect(r.stopReason).toBe("eos");
    expect(r.logprobs).toEqual(choice.logprobs.token_logprobs.slice(0, -1));
    expect(r.logprobs).toHaveLength(10);
    expect(r.entropies).toHaveLength(10);
    expect(r.usage.completionTokens).toBe(11); // the server's count still includes it
  });

  it("also when the server writes the EOS token as an empty string (special tokens skipped in the output)", () => {
    const blank = structuredClone(vllm);
    (blank.choices[0] as typeof choice).logprobs.tokens[10] = "";
    expect(readCompletion(blank, STOPS, isEos).logprobs).toHaveLength(10);
  });

  it("keeps every entry when the last one is not EOS, and when the step ended at the delimiter or its token limit", () => {
    const noEos = structuredClone(vllm);
    const c = noEos.choices[0] as typeof choice;
    c.logprobs.tokens = c.logprobs.tokens.slice(0, -1);
    c.logprobs.token_logprobs = c.logprobs.token_logprobs.slice(0, -1);
    expect(readCompletion(noEos, STOPS, isEos).logprobs).toHaveLength(10); // a server that does not list EOS
    const atDelimiter = structuredClone(vllm);
    Object.assign(atDelimiter.choices[0] as object, { stop_reason: "\n\n" });
    expect(readCompletion(atDelimiter, STOPS, isEos).logprobs).toHaveLength(11);
    const atLimit = structuredClone(vllm);
    Object.assign(atLimit.choices[0] as object, { finish_reason: "length" });
    expect(readCompletion(atLimit, STOPS, isEos).logprobs).toHaveLength(11);
  });

  it("drops the last entry at EOS when the response names no tokens", () => {
    const bare = structuredClone(vllm) as { choices: { logprobs: { tokens?: string[] } }[] };
    delete (bare.choices[0] as { logprobs: { tokens?: string[] } }).logprobs.tokens;
    expect(readCompletion(bare, STOPS, isEos).logprobs).toHaveLength(10);
  });
});
