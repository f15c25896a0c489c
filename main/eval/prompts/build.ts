import { WorkbenchError } from "../../../shared/errors.ts";
import { renderChatTemplate, type ChatMessage } from "../../engine/chat-template.ts";
import { customPrompt } from "./custom.ts";
import { llama3ChatPrompt } from "./llama3-chat.ts";
import { qwen25MathCotPrompt } from "./qwen25-math-cot.ts";
import { BOXED_INSTRUCTION, PromptTemplateSpecSchema, type PromptContext, type PromptTemplateSpec } from "./spec.ts";

/** Validates a template spec (e.g. from a sweep spec); throws WorkbenchError("bad-spec") saying what is wrong. */
export function parsePromptTemplate(value: unknown): PromptTemplateSpec {
  const parsed = PromptTemplateSpecSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "template"}: ${i.message}`).join("; ");
  throw new WorkbenchError(
    "bad-spec",
    `expected a prompt template { kind: "qwen25-math-cot" | "llama3-chat" | "chat-template" | "custom", … }, found ${JSON.stringify(value)} (${issues})`,
  );
}

/**
 * The prompt text for one question. `chat-template` needs `ctx.chatTemplate` (and usually
 * `ctx.specialTokens`); the other kinds ignore ctx. `chat-template` and `llama3-chat` put a system
 * turn with the \boxed{} instruction first unless `system` says otherwise ("" for none). The text
 * holds what the format writes (a chat template's `bos_token`, Llama 3's `<|begin_of_text|>`); the
 * model adds its tokenizer's BOS when encoding it, unless the text already begins with it
 * (engine/tokenizer.ts, encodePrompt).
 */
export function buildPrompt(template: PromptTemplateSpec, question: string, ctx: PromptContext = {}): string {
  const spec = parsePromptTemplate(template);
  switch (spec.kind) {
    case "qwen25-math-cot":
      return qwen25MathCotPrompt(question);
    case "llama3-chat":
      return llama3ChatPrompt(question, spec.system ?? BOXED_INSTRUCTION);
    case "custom":
      return customPrompt(spec.template, question);
    case "chat-template": {
      if (ctx.chatTemplate === undefined || ctx.chatTemplate === "") {
        throw new WorkbenchError(
          "bad-tokenizer",
          'expected the model\'s chat template (tokenizer_config.json "chat_template") for prompt template "chat-template", found none',
        );
      }
      const system = spec.system ?? BOXED_INSTRUCTION;
      const messages: ChatMessage[] = system === "" ? [] : [{ role: "system", content: system }];
      messages.push({ role: "user", content: question });
      return renderChatTemplate(ctx.chatTemplate, messages, ctx.specialTokens, ctx.templateVars);
    }
  }
}
