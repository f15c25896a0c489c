/** The inference engine: model folders, tokenizers, causal LMs that write steps, and step scorers. */
export { CausalLM } from "./causal-lm.ts";
export type { CausalLmInfo, CausalLmOptions, StepOutput, StepRequest, StepTimings, StopReason } from "./causal-lm.ts";
export { DecodingSchema, resolveDecoding } from "./decoding.ts";
export type { DecodingSettings, ResolvedDecoding } from "./decoding.ts";
export { readModelFolder } from "./model-folder.ts";
export type { ModelFolder, FolderOptions } from "./model-folder.ts";
export { availableProviders, EXECUTION_PROVIDERS } from "./ort.ts";
export type { ExecutionProvider } from "./ort.ts";
export { StepScorer } from "./scorer.ts";
export type { ScoreResult, StepScorerInfo, ScorerOptions } from "./scorer.ts";
export { SCORER_CONVENTIONS, resolveScorerConfig } from "./scorer-config.ts";
export type { ResolvedScorerConfig, ScorerConvention } from "./scorer-config.ts";
export type { StepSource } from "./scorer-input.ts";
export { TextTokenizer } from "./tokenizer.ts";
export type { ChatMessage } from "./tokenizer.ts";
