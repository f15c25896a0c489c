import { pyStrip } from "../grade/py-compat.ts";

function turn(role: string, content: string): string {
  return `<|start_header_id|>${role}<|end_header_id|>\n\n${pyStrip(content)}<|eot_id|>`;
}

/**
 * The Llama 3 instruct chat format, as Meta-Llama-3-Instruct's chat template renders a system and a
 * user message with a generation prompt: `<|begin_of_text|>`, each turn's header, its trimmed
 * content and `<|eot_id|>`, then an open assistant header. An empty system message is left out.
 * The text begins with BOS, so a tokenizer that adds BOS adds no second one (engine/tokenizer.ts).
 */
export function llama3ChatPrompt(question: string, system: string): string {
  const turns = (system === "" ? "" : turn("system", system)) + turn("user", question);
  return `<|begin_of_text|>${turns}<|start_header_id|>assistant<|end_header_id|>\n\n`;
}
