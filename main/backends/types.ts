/**
 * Where a model runs, behind two interfaces the step loop and the sweep use:
 *   StepWriter  — writes the next reasoning step (draft, target);
 *   StepScoring — scores the steps of a solution (PRM, router).
 * The engine's CausalLM and StepScorer satisfy them as they are (structural typing, no adapter);
 * the HTTP classes in ./http satisfy them by calling an OpenAI-compatible server.
 */
import type { CausalLmInfo, StepOutput, StepRequest } from "../engine/causal-lm.ts";
import { CausalLM } from "../engine/causal-lm.ts";
import type { DecodingSettings, ResolvedDecoding } from "../engine/decoding.ts";
import type { ResolvedScorerConfig } from "../engine/scorer-config.ts";
import type { StepSource } from "../engine/scorer-input.ts";
import type { ScoreResult, StepScorerInfo } from "../engine/scorer.ts";
import { StepScorer } from "../engine/scorer.ts";
import type { PromptSpecialTokens, TextTokenizer } from "../engine/tokenizer.ts";
import type { ScorerProtocol } from "./http/config.ts";

/** What is known about a remote language model: plain data for run.json (no secret in it). */
export interface RemoteLmInfo {
  backend: "openai-http";
  model: string;
  endpoints: string[];
  apiKeyEnv: string | null;
  tokenizerDir: string;
  /** The tokenizer folder's files that were read (hashed into the run's provenance). */
  tokenizerFiles: string[];
  contextLength: number;
  eosTokenIds: number[];
  hasChatTemplate: boolean;
  /** How prompts get special tokens (BOS), and why; the server is told per request (add_special_tokens). */
  specialTokens: PromptSpecialTokens;
  logprobs: number;
}

export interface RemoteScorerInfo {
  backend: "openai-http";
  model: string;
  endpoints: string[];
  apiKeyEnv: string | null;
  protocol: ScorerProtocol;
  values: "logits" | "probabilities";
  poolingTask: string | null;
  /** As the spec gives it; the version the server reports is in the run's provenance notes. */
  vllmVersion: string | null;
  tokenizerDir: string;
  tokenizerFiles: string[];
  scorer: ResolvedScorerConfig;
  contextLength: number;
}

export interface StepWriter {
  readonly info: CausalLmInfo | RemoteLmInfo;
  /** This model's tokenizer: prompts (chat template, special tokens) and token counts. */
  readonly tokenizer: TextTokenizer;
  /** Writes one step after the context: until a stop string, an EOS or the token limit. */
  generateStep(req: StepRequest): Promise<StepOutput>;
  /** Token ids of a context as this model's tokenizer sees it. */
  encode(text: string): number[];
  countTokens(text: string): number;
  resolveDecoding(settings?: DecodingSettings): ResolvedDecoding;
  /** Forgets any state kept between calls (a local KV cache; nothing for a server). */
  reset(): void;
  dispose(): Promise<void>;
}

/** Something a model learned about its server during a run, for the run's provenance. */
export interface RunNote {
  level: "info" | "warning";
  message: string;
}

export interface StepScoring {
  readonly info: StepScorerInfo | RemoteScorerInfo;
  /** What a served scorer learned while the run went on (its server's version, values that look activated). */
  runNotes?(): RunNote[];
  score(question: string, steps: string[], opts?: { sources?: StepSource[] }): Promise<ScoreResult>;
  /** The length of the input a call would send, without running it. */
  inputTokens(question: string, steps: string[], opts?: { sources?: StepSource[] }): number;
  dispose(): Promise<void>;
}

/** The local ONNX model behind a writer, or null for a remote one (its costs cannot be simulated here). */
export function localLm(w: StepWriter): CausalLM | null {
  return w instanceof CausalLM ? w : null;
}

export function localScorer(s: StepScoring): StepScorer | null {
  return s instanceof StepScorer ? s : null;
}

export function isRemoteInfo(info: StepWriter["info"] | StepScoring["info"]): info is RemoteLmInfo | RemoteScorerInfo {
  return "backend" in info && info.backend === "openai-http";
}

/**
 * What identifies a model's outputs, for cache namespaces: the ONNX file of a local model, the
 * served model name (and its tokenizer folder) of a remote one — never the server addresses, so
 * more or other servers of the same model share the cache.
 */
export function modelIdentity(m: StepWriter | StepScoring): Record<string, unknown> {
  const info = m.info;
  // The special prefix prompts may get changes what a model writes; a model whose tokenizer adds
  // none (or whose spec turns it off) keeps the namespace it had before prompts could get one.
  const prefix = "specialTokens" in info && info.specialTokens.add && info.specialTokens.tokens.length > 0 ? { specialPrefix: info.specialTokens.tokens } : {};
  if (!isRemoteInfo(info)) return { onnx: info.onnxPath, ...prefix };
  if ("scorer" in info) {
    return { http: info.model, tokenizer: info.tokenizerDir, protocol: info.protocol, values: info.values, poolingTask: info.poolingTask };
  }
  return { http: info.model, tokenizer: info.tokenizerDir, contextLength: info.contextLength, ...prefix };
}

/** Files whose hashes a run records for a model: its ONNX file, or a remote model's tokenizer files. */
export function provenanceFiles(m: StepWriter | StepScoring): string | string[] {
  const info = m.info;
  return isRemoteInfo(info) ? info.tokenizerFiles : info.onnxPath;
}
