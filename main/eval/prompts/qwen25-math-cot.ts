import { BOXED_INSTRUCTION } from "./spec.ts";

/**
 * The Qwen2.5-Math toolkit's `qwen25-math-cot` prompt (evaluation/utils.py PROMPT_TEMPLATES,
 * zero-shot): a ChatML system turn with the \boxed{} instruction, the question as the user turn,
 * and an open assistant turn. The question goes in unchanged, as `str.format` puts it.
 */
export function qwen25MathCotPrompt(question: string): string {
  return (
    `<|im_start|>system\n${BOXED_INSTRUCTION}<|im_end|>\n` +
    `<|im_start|>user\n${question}<|im_end|>\n` +
    "<|im_start|>assistant\n"
  );
}
