/**
 * Prompt templates. The chat templates below are written here in the shape the model families
 * publish (ChatML with a default system turn for Qwen2.5-Math, Meta's Llama 3 instruct template),
 * so the hand-written prompts can be checked against a rendering of the real thing.
 */
import { describe, expect, it } from "vitest";
import { isWorkbenchError } from "../../../../shared/errors.ts";
import { buildPrompt, parsePromptTemplate, PromptTemplateSpecSchema, type PromptTemplateSpec } from "../../../../main/eval/prompts/index.ts";

const QUESTION = "What is $\\frac{1}{2} + \\frac{1}{3}$?";

const QWEN_MATH_TEMPLATE =
  "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}" +
  "{%- else %}{{- '<|im_start|>system\\nPlease reason step by step, and put your final answer within \\\\boxed{}.<|im_end|>\\n' }}{%- endif %}" +
  "{%- for message in messages %}{%- if not (message.role == 'system' and loop.first) %}" +
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endif %}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

const LLAMA3_TEMPLATE =
  "{% set loop_messages = messages %}{% for message in loop_messages %}" +
  "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}" +
  "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

function failure(fn: () => unknown): { kind: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isWorkbenchError(err)) return { kind: err.kind, message: err.message };
    throw err;
  }
  throw new Error("expected a WorkbenchError");
}

describe("qwen25-math-cot", () => {
  it("is the toolkit's ChatML prompt: boxed instruction as system, the question as user, an open assistant turn", () => {
    expect(buildPrompt({ kind: "qwen25-math-cot" }, QUESTION)).toBe(
      "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" +
        `<|im_start|>user\n${QUESTION}<|im_end|>\n` +
        "<|im_start|>assistant\n",
    );
  });

  it("equals Qwen2.5-Math's own chat template rendered for the question alone", () => {
    const viaTemplate = buildPrompt({ kind: "chat-template", system: "" }, QUESTION, { chatTemplate: QWEN_MATH_TEMPLATE });
    expect(buildPrompt({ kind: "qwen25-math-cot" }, QUESTION)).toBe(viaTemplate);
  });
});

describe("llama3-chat", () => {
  it("has Llama 3's header tokens, the boxed instruction as default system, and an open assistant header", () => {
    expect(buildPrompt({ kind: "llama3-chat" }, QUESTION)).toBe(
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" +
        "Please reason step by step, and put your final answer within \\boxed{}.<|eot_id|>" +
        `<|start_header_id|>user<|end_header_id|>\n\n${QUESTION}<|eot_id|>` +
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
    );
  });

  it("equals Meta's Llama 3 instruct template rendered with the same messages (content trimmed)", () => {
    const ctx = { chatTemplate: LLAMA3_TEMPLATE, specialTokens: { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" } };
    for (const system of [undefined, "You are a careful solver.", ""]) {
      const spec: PromptTemplateSpec = system === undefined ? { kind: "llama3-chat" } : { kind: "llama3-chat", system };
      const viaTemplate = buildPrompt(system === undefined ? { kind: "chat-template" } : { kind: "chat-template", system }, `  ${QUESTION}\n`, ctx);
      expect(buildPrompt(spec, `  ${QUESTION}\n`)).toBe(viaTemplate);
    }
    expect(buildPrompt({ kind: "llama3-chat", system: "" }, QUESTION)).not.toContain("system");
  });
});

describe("chat-template", () => {
  it("passes special tokens and extra variables to the template", () => {
    const template = "{{ bos_token }}[{{ date_string }}]{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}{{ eos_token }}";
    const out = buildPrompt({ kind: "chat-template", system: "S" }, "Q", {
      chatTemplate: template,
      specialTokens: { bos_token: "<s>", eos_token: "</s>" },
      templateVars: { date_string: "01 Jan 2025" },
    });
    expect(out).toBe("<s>[01 Jan 2025]<system>S<user>Q</s>");
  });

  it("without the model's template, or with one that does not parse or refuses the messages, is bad-tokenizer", () => {
    expect(failure(() => buildPrompt({ kind: "chat-template" }, "Q"))).toEqual({
      kind: "bad-tokenizer",
      message: expect.stringContaining('expected the model\'s chat template (tokenizer_config.json "chat_template")'),
    });
    expect(failure(() => buildPrompt({ kind: "chat-template" }, "Q", { chatTemplate: "{% for m in messages %}" })).kind).toBe("bad-tokenizer");
    const noSystem = "{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{{ messages[0].content }}";
    const refused = failure(() => buildPrompt({ kind: "chat-template" }, "Q", { chatTemplate: noSystem }));
    expect(refused.kind).toBe("bad-tokenizer");
    expect(refused.message).toContain("System role not supported");
    expect(buildPrompt({ kind: "chat-template", system: "" }, "Q", { chatTemplate: noSystem })).toBe("Q");
  });
});

describe("custom", () => {
  it("puts the question at every {question} and leaves other braces alone", () => {
    const template = "Problem: {question}\nRestate: {question}\nPut the answer in \\boxed{} ($ signs: $$).\n";
    expect(buildPrompt({ kind: "custom", template }, "2+2?")).toBe("Problem: 2+2?\nRestate: 2+2?\nPut the answer in \\boxed{} ($ signs: $$).\n");
    // replacement text is literal: "$&" in a question is not a regex back-reference
    expect(buildPrompt({ kind: "custom", template: "Q: {question}" }, "cost is $& more")).toBe("Q: cost is $& more");
  });

  it("without {question} is an error, both in the schema and when building", () => {
    const spec = { kind: "custom", template: "Solve it." } as const;
    expect(PromptTemplateSpecSchema.safeParse(spec).success).toBe(false);
    const f = failure(() => buildPrompt(spec, "Q"));
    expect(f.kind).toBe("bad-spec");
    expect(f.message).toContain("must contain {question}");
  });
});

describe("the spec schema", () => {
  it("accepts the four kinds as plain objects and rejects unknown kinds or keys", () => {
    for (const spec of [
      { kind: "qwen25-math-cot" },
      { kind: "llama3-chat" },
      { kind: "llama3-chat", system: "x" },
      { kind: "chat-template", system: "" },
      { kind: "custom", template: "{question}" },
    ]) {
      expect(PromptTemplateSpecSchema.parse(spec)).toEqual(spec);
    }
    expect(PromptTemplateSpecSchema.safeParse({ kind: "alpaca" }).success).toBe(false);
    expect(PromptTemplateSpecSchema.safeParse({ kind: "qwen25-math-cot", system: "x" }).success).toBe(false);
    expect(failure(() => parsePromptTemplate({ kind: "alpaca" }))).toEqual({ kind: "bad-spec", message: expect.stringContaining('found {"kind":"alpaca"}') });
  });
});
