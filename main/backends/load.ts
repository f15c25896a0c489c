/**
 * Opens a model where its reference says it runs: a local ONNX folder (the engine's CausalLM /
 * StepScorer) or an OpenAI-compatible server (HttpLanguageModel / HttpStepScorer).
 */
import { CausalLM } from "../engine/causal-lm.ts";
import type { ExecutionProvider } from "../engine/providers.ts";
import { StepScorer } from "../engine/scorer.ts";
import type { ResolvedHttpSettings } from "./http/config.ts";
import { HttpLanguageModel } from "./http/http-lm.ts";
import { HttpStepScorer } from "./http/http-scorer.ts";
import type { StepScoring, StepWriter } from "./types.ts";

/** A resolved model reference (the sweep spec's ResolvedModelRef satisfies it). */
export interface BackendRef {
  /** The ONNX model folder, or a remote model's tokenizer folder. */
  path: string;
  variant?: string;
  file?: string;
  executionProvider?: ExecutionProvider;
  threads: number;
  /** Local language models: the spec's addSpecialTokens (a remote model has it in `http`). */
  addSpecialTokens?: boolean;
  /** Set for a model served over HTTP. */
  http?: ResolvedHttpSettings;
}

function localOpts(ref: BackendRef) {
  return {
    ...(ref.variant ? { variant: ref.variant } : {}),
    ...(ref.file ? { file: ref.file } : {}),
    ...(ref.executionProvider ? { executionProvider: ref.executionProvider } : {}),
    intraOpThreads: ref.threads,
  };
}

export async function loadStepWriter(ref: BackendRef, role: string): Promise<StepWriter> {
  return ref.http
    ? HttpLanguageModel.load(ref.path, ref.http, role)
    : CausalLM.load(ref.path, { ...localOpts(ref), ...(ref.addSpecialTokens !== undefined ? { addSpecialTokens: ref.addSpecialTokens } : {}) });
}

export async function loadStepScoring(ref: BackendRef, role: string): Promise<StepScoring> {
  return ref.http ? HttpStepScorer.load(ref.path, ref.http, role) : StepScorer.load(ref.path, localOpts(ref));
}

/** How a reference reads in a message: the folder, or the served model and its servers. */
export function describeRef(ref: BackendRef): string {
  return ref.http ? `"${ref.http.model}" at ${ref.http.endpoints.map((e) => e.baseUrl).join(", ")}` : ref.path;
}
