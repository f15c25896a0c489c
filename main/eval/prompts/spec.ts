import { z } from "zod";

/** The instruction the Qwen2.5-Math toolkit's `qwen25-math-cot` prompt puts in its system turn. */
export const BOXED_INSTRUCTION = "Please reason step by step, and put your final answer within \\boxed{}.";

/** The placeholder a custom template must contain. */
export const QUESTION_PLACEHOLDER = "{question}";

const system = z
  .string()
  .optional()
  .describe(`system message; default "${BOXED_INSTRUCTION}", "" for none`);

/**
 * How a question becomes a prompt. Plain data, so a sweep spec can embed it:
 * - `qwen25-math-cot`: the toolkit's hand-written ChatML prompt (system: the \boxed{} instruction);
 * - `llama3-chat`: the Llama 3 instruct chat format, header tokens included;
 * - `chat-template`: the model's own jinja chat template (tokenizer_config.json `chat_template`);
 * - `custom`: a user's text with `{question}` where the question goes.
 */
export const PromptTemplateSpecSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("qwen25-math-cot") }),
  z.strictObject({ kind: z.literal("llama3-chat"), system }),
  z.strictObject({ kind: z.literal("chat-template"), system }),
  z.strictObject({
    kind: z.literal("custom"),
    template: z.string().refine((t) => t.includes(QUESTION_PLACEHOLDER), {
      message: `a custom prompt template must contain ${QUESTION_PLACEHOLDER}`,
    }),
  }),
]);
export type PromptTemplateSpec = z.infer<typeof PromptTemplateSpecSchema>;
export type PromptTemplateKind = PromptTemplateSpec["kind"];

/** What a template may need from the model (read from its folder by the engine). */
export interface PromptContext {
  /** The jinja `chat_template` string of the model's tokenizer_config.json. */
  chatTemplate?: string;
  /** bos_token, eos_token, … as strings, passed to the chat template. */
  specialTokens?: Record<string, string>;
  /** Extra variables for the chat template (transformers' apply_chat_template kwargs, e.g. date_string). */
  templateVars?: Record<string, unknown>;
}
