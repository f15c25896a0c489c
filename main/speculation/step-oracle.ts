/**
 * What the step loop asks of the models, independent of how it is answered: live (every call runs
 * a model and is timed — `--measure`), or through the step cache shared by a whole sweep, with
 * each configuration's latency replayed along its own path (replay-oracle.ts).
 */
import type { LmStopReason } from "../../shared/results.ts";
import type { StepSource } from "../engine/scorer-input.ts";
import type { DecodingSettings } from "../engine/decoding.ts";

/** Draft-side features of a generated step: available without the target (router features). */
export interface StepFeatures {
  tokens: number;
  meanLogprob: number;
  minLogprob: number;
  meanEntropy: number;
}

export interface LmCall {
  text: string;
  stopReason: LmStopReason;
  /** Tokens of the step (and its delimiter, when it ended with one), as this model's tokenizer counts them. */
  tokens: number;
  features: StepFeatures;
  /** Time of the call along this configuration's path. */
  ms: number;
}

export interface RouterCandidate {
  features: StepFeatures;
  stepIndex: number;
  /** The PRM's score of the draft step, when the router needs it (see routerNeedsPrm). */
  prmDraft: number | null;
}

export interface ScoreCall {
  /** The score of the last step, in [0, 1]. */
  score: number;
  ms: number;
}

export interface StepOracle {
  /** The draft's next step after the accepted steps. */
  draft(steps: readonly string[]): Promise<LmCall>;
  /** The target's next step after the accepted steps. */
  target(steps: readonly string[]): Promise<LmCall>;
  /** The PRM's score of the last step of `steps`. */
  prm(steps: readonly string[]): Promise<ScoreCall>;
  /**
   * The router's score for the last step of `steps` (a draft candidate), given who wrote the others.
   * `candidate` carries what a light router reads: draft-side numbers known without the target.
   */
  router(steps: readonly string[], sources: readonly StepSource[], candidate: RouterCandidate): Promise<ScoreCall>;
  /** True when the router reads the PRM's score of the draft step (a light router trained with it). */
  readonly routerNeedsPrm: boolean;
}

export function featuresOf(logprobs: readonly number[], entropies: readonly number[]): StepFeatures {
  const n = logprobs.length;
  if (n === 0) return { tokens: 0, meanLogprob: 0, minLogprob: 0, meanEntropy: 0 };
  let sum = 0;
  let min = 0;
  let ent = 0;
  for (let i = 0; i < n; i++) {
    const lp = logprobs[i] as number;
    sum += lp;
    if (i === 0 || lp < min) min = lp;
    ent += entropies[i] as number;
  }
  return { tokens: n, meanLogprob: sum / n, minLogprob: min, meanEntropy: ent / n };
}

/** Everything an oracle needs to know about the problem being solved. */
export interface ProblemContext {
  question: string;
  prompts: { draft: string; target: string };
  /** Appended after each accepted step in the models' context. */
  delimiter: string;
  stop: string[];
  maxStepTokens: number;
  /** The spec's decoding settings; each model fills what is left out from its generation_config.json. */
  decoding: DecodingSettings;
  signal?: AbortSignal;
}
