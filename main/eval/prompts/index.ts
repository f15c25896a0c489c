/** Prompt templates: how a benchmark question becomes the text a model continues. */
export { buildPrompt, parsePromptTemplate } from "./build.ts";
export { renderChatTemplate, type ChatMessage } from "../../engine/chat-template.ts";
export { qwen25MathCotPrompt } from "./qwen25-math-cot.ts";
export { llama3ChatPrompt } from "./llama3-chat.ts";
export { customPrompt } from "./custom.ts";
export * from "./spec.ts";
