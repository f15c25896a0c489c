import { Template } from "@huggingface/jinja";
import { WorkbenchError } from "../../shared/errors.ts";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

const compiled = new Map<string, Template>();
const MAX_CACHED = 16;

function compile(chatTemplate: string): Template {
  let template = compiled.get(chatTemplate);
  if (template) return template;
  try {
    template = new Template(chatTemplate);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new WorkbenchError("bad-tokenizer", `expected a jinja chat_template, found one that does not parse: ${msg}`);
  }
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(chatTemplate, template);
  return template;
}

/**
 * Renders a model's chat template (tokenizer_config.json `chat_template`) the way transformers'
 * `apply_chat_template(messages, tokenize=False, add_generation_prompt=True)` does: with the
 * messages, the special tokens (bos_token, eos_token, …) and any extra variables. Throws
 * WorkbenchError("bad-tokenizer") when the template does not parse or refuses the messages (its
 * `raise_exception`, e.g. a template without a system role).
 */
export function renderChatTemplate(
  chatTemplate: string,
  messages: ChatMessage[],
  specialTokens: Record<string, string> = {},
  templateVars: Record<string, unknown> = {},
  addGenerationPrompt = true,
): string {
  const template = compile(chatTemplate);
  try {
    return template.render({ ...specialTokens, ...templateVars, messages, add_generation_prompt: addGenerationPrompt });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new WorkbenchError("bad-tokenizer", `the model's chat_template could not render a ${messages.map((m) => m.role).join(" + ")} conversation: ${msg}`);
  }
}
