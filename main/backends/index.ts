/** Where models run: local ONNX (the engine) or OpenAI-compatible HTTP servers (vLLM, SGLang). */
export type { StepWriter, StepScoring, RemoteLmInfo, RemoteScorerInfo } from "./types.ts";
export { localLm, localScorer, isRemoteInfo, modelIdentity, provenanceFiles } from "./types.ts";
export type { BackendRef } from "./load.ts";
export { loadStepWriter, loadStepScoring, describeRef } from "./load.ts";
export { HttpLanguageModel } from "./http/http-lm.ts";
export type { HttpStepOutput } from "./http/http-lm.ts";
export { HttpStepScorer } from "./http/http-scorer.ts";
export { HttpModelRefSchema, HttpSettingsSchema, resolveHttpSettings, outputIdentity } from "./http/config.ts";
export type { HttpModelRef, ResolvedHttpSettings, ScorerProtocol } from "./http/config.ts";
export { forEachConcurrent } from "./concurrency.ts";
