/**
 * Answers every call by running the model and timing it — the measured, uncached path (`--measure`)
 * and the reference the replayed latencies are checked against.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { StepOutput } from "../engine/causal-lm.ts";
import type { StepSource } from "../engine/scorer-input.ts";
import type { StepScoring, StepWriter } from "../backends/types.ts";
import type { ModelSet } from "./model-set.ts";
import { contextText } from "./model-set.ts";
import type { LightRouter } from "../router/light-router.ts";
import type { LmCall, ProblemContext, RouterCandidate, ScoreCall, StepOracle } from "./step-oracle.ts";
import { featuresOf } from "./step-oracle.ts";

/** Runs one step of a model after the accepted steps. */
export async function generateStep(lm: StepWriter, prompt: string, steps: readonly string[], p: ProblemContext): Promise<StepOutput> {
  return lm.generateStep({
    context: contextText(prompt, steps, p.delimiter),
    stop: p.stop,
    maxTokens: p.maxStepTokens,
    decoding: p.decoding,
    ...(p.signal ? { signal: p.signal } : {}),
  });
}

/** Tokens of a step as the model's tokenizer counts them, with its delimiter when it ended on one. */
export function stepTokens(lm: StepWriter, out: Pick<StepOutput, "text" | "stop">): number {
  return lm.countTokens(out.text + (out.stop ?? ""));
}

export function routerNeedsPrm(models: ModelSet): boolean {
  return models.lightRouter?.file.features.includes("prm_draft") ?? false;
}

/** A light router reads draft-side numbers only: microseconds on the CPU, timed as it runs. */
export async function scoreLight(
  router: LightRouter,
  question: string,
  steps: readonly string[],
  sources: readonly StepSource[],
  c: RouterCandidate,
): Promise<ScoreCall> {
  return router.score({ question, steps: [...steps], sources: [...sources], draftFeatures: c.features, prmDraft: c.prmDraft, stepIndex: c.stepIndex });
}

export function requireScorer(s: StepScoring | null, role: "prm" | "router"): StepScoring {
  if (!s) throw new WorkbenchError("bad-spec", `this method needs a ${role.toUpperCase()} model (models.${role} in the spec)`);
  return s;
}

export class LiveOracle implements StepOracle {
  constructor(
    private readonly models: ModelSet,
    private readonly p: ProblemContext,
  ) {}

  private async lm(lm: StepWriter, prompt: string, steps: readonly string[]): Promise<LmCall> {
    const out = await generateStep(lm, prompt, steps, this.p);
    return {
      text: out.text,
      stopReason: out.stopReason,
      tokens: stepTokens(lm, out),
      features: featuresOf(out.logprobs, out.entropies),
      ms: out.timings.totalMs,
    };
  }

  draft(steps: readonly string[]): Promise<LmCall> {
    return this.lm(this.models.draft, this.p.prompts.draft, steps);
  }

  target(steps: readonly string[]): Promise<LmCall> {
    return this.lm(this.models.target, this.p.prompts.target, steps);
  }

  async prm(steps: readonly string[]): Promise<ScoreCall> {
    const r = await requireScorer(this.models.prm, "prm").score(this.p.question, [...steps]);
    return { score: r.score, ms: r.ms };
  }

  get routerNeedsPrm(): boolean {
    return routerNeedsPrm(this.models);
  }

  async router(steps: readonly string[], sources: readonly StepSource[], candidate: RouterCandidate): Promise<ScoreCall> {
    if (this.models.lightRouter) return scoreLight(this.models.lightRouter, this.p.question, steps, sources, candidate);
    const r = await requireScorer(this.models.router, "router").score(this.p.question, [...steps], { sources: [...sources] });
    return { score: r.score, ms: r.ms };
  }
}
