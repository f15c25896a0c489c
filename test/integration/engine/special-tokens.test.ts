/**
 * Prompts get the special tokens a model's tokenizer adds before a text, as Hugging Face's
 * `tokenizer(text)` and vLLM do by default — never twice. Tokenizer cases need no graph; the
 * steps-bos fixture (tools/make-test-fixtures) is a real ONNX model that writes its script only
 * after exactly one BOS: no BOS, it ends at once; two, it starts one character late.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import type { JsonObject } from "../../../main/engine/model-folder.ts";
import { TextTokenizer } from "../../../main/engine/tokenizer.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";

const read = (model: string, file: string) => JSON.parse(readFileSync(join(fixtureModel(model), file), "utf8")) as JsonObject;
const charJson = read("char-lm", "tokenizer.json");
const charConfig = read("char-lm", "tokenizer_config.json");
const bosJson = read("steps-bos", "tokenizer.json");
const BOS = 1;

function tokenizer(json: JsonObject, config: JsonObject = charConfig): TextTokenizer {
  return new TextTokenizer(structuredClone(json), structuredClone(config));
}

describe("the special prefix a tokenizer adds", () => {
  it("is none for a tokenizer without a post-processor or add_bos_token: prompts are encoded as written", () => {
    const t = tokenizer(charJson);
    expect(t.specialPrefix).toEqual({ ids: [], tokens: [], from: "none" });
    expect(t.encodePrompt("Question: 1?", true)).toEqual(t.encode("Question: 1?"));
  });

  it("comes from a TemplateProcessing post-processor, is added once, and not to a text that begins with it", () => {
    const t = tokenizer(bosJson);
    expect(t.specialPrefix).toEqual({ ids: [BOS], tokens: ["<bos>"], from: "post_processor" });
    const plain = t.encode("Question: 1?");
    expect(t.encodePrompt("Question: 1?", true)).toEqual([BOS, ...plain]);
    expect(t.encodePrompt("<bos>Question: 1?", true)).toEqual([BOS, ...plain]);
    expect(t.encodePrompt("Question: 1?", false)).toEqual(plain);
    // A text that begins with two is left as written: the rule adds, it never removes.
    expect(t.encodePrompt("<bos><bos>Q", true)).toEqual([BOS, BOS, ...t.encode("Q")]);
    expect(t.addsPrefixTo("Question")).toBe(true);
    expect(t.addsPrefixTo("<bos>Question")).toBe(false);
  });

  it("comes from a post-processor sequence too (Llama 3's tokenizer.json: ByteLevel, then TemplateProcessing)", () => {
    const json = structuredClone(bosJson) as JsonObject & { post_processor: unknown };
    json.post_processor = { type: "Sequence", processors: [{ type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false }, json.post_processor] };
    expect(tokenizer(json).specialPrefix).toMatchObject({ ids: [BOS], from: "post_processor" });
  });

  it("follows tokenizer_config.json's add_bos_token, as transformers' Llama and Gemma tokenizers do", () => {
    expect(tokenizer(charJson, { ...charConfig, add_bos_token: true }).specialPrefix).toEqual({ ids: [BOS], tokens: ["<bos>"], from: "add_bos_token" });
    expect(tokenizer(bosJson, { ...charConfig, add_bos_token: false }).specialPrefix).toEqual({ ids: [], tokens: [], from: "add_bos_token" });
    expect(tokenizer(bosJson, { ...charConfig, add_bos_token: true }).specialPrefix).toMatchObject({ ids: [BOS], from: "post_processor" });
    // No BOS token to add: add_bos_token has nothing to say.
    const { bos_token: _bos, ...noBos } = charConfig;
    expect(tokenizer(charJson, { ...noBos, add_bos_token: true }).specialPrefix.from).toBe("none");
  });
});

describe("a model whose tokenizer adds BOS (steps-bos)", () => {
  const PROMPT = "Question: What is 1+2?\nAnswer:\n";

  it("gets exactly one BOS, whether the prompt has none or begins with one, and records why", async () => {
    const lm = await CausalLM.load(fixtureModel("steps-bos"));
    try {
      expect(lm.info.specialTokens).toEqual({ add: true, source: "default", tokens: ["<bos>"], from: "post_processor" });
      const bare = await lm.generateStep({ context: PROMPT, decoding: { temperature: 0 } });
      expect(bare.text).toBe("Start 1.");
      expect(bare.timings.prefillTokens).toBe(1 + PROMPT.length);
      lm.reset();
      expect((await lm.generateStep({ context: `<bos>${PROMPT}`, decoding: { temperature: 0 } })).text).toBe("Start 1.");
      lm.reset();
      // What two BOS would make of it (the rule never produces this; a prompt may).
      expect((await lm.generateStep({ context: `<bos><bos>${PROMPT}`, decoding: { temperature: 0 } })).text).toBe("tart 1.");
    } finally {
      await lm.dispose();
    }
  });

  it("gets none when its spec says addSpecialTokens: false, and the model then ends at once", async () => {
    const lm = await CausalLM.load(fixtureModel("steps-bos"), { addSpecialTokens: false });
    try {
      expect(lm.info.specialTokens).toEqual({ add: false, source: "spec", tokens: ["<bos>"], from: "post_processor" });
      const out = await lm.generateStep({ context: PROMPT, decoding: { temperature: 0 } });
      expect(out).toMatchObject({ text: "", stopReason: "eos" });
    } finally {
      await lm.dispose();
    }
  });
});
