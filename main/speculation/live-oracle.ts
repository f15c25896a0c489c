/**
 * Answers every call by running the model and timing it — the measured, uncached path (`--measure`)
 * and the reference the replayed latencies are checked against.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { StepOutput } from "../engine/causal-lm.ts";
import type { StepSource } from "../engine/scorer-input.ts";
import type { StepScoring, StepWriter } from "../backends/types.ts";
import { localLm, localScorer } from "../backends/types.ts";
import type { LmCallSample, ScorerCallSample } from "./live-cost-fit.ts";
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

/** The local models' calls a run made, with their shapes and measured parts (live-cost-fit.ts). */
export interface CallLog {
  draft: LmCallSample[];
  target: LmCallSample[];
  prm: ScorerCallSample[];
  router: ScorerCallSample[];
}

export function emptyCallLog(): CallLog {
  return { draft: [], target: [], prm: [], router: [] };
}

/** A local language model's call as a sample for the cost fit; `afterSelf` as the replay decides it. */
export function lmCallSample(lm: StepWriter, context: string, out: StepOutput, afterSelf: boolean, afterScorer = false, atStart = false): LmCallSample | null {
  const local = localLm(lm);
  if (!local) return null; // a served model is priced by its measured time
  const t = out.timings;
  return {
    chars: context.length,
    length: local.encode(context).length,
    k: t.prefillTokens,
    fed: out.fed,
    afterSelf,
    afterScorer: !afterSelf && afterScorer,
    atStart,
    tokenizeMs: t.tokenizeMs,
    prefillMs: t.prefillMs,
    decodeMs: t.totalMs - t.tokenizeMs - t.prefillMs,
  };
}

/** Each LiveOracle runs one path; its calls carry this id in the call log (path-level.ts). */
let nextPath = 0;

export class LiveOracle implements StepOracle {
  private readonly path = nextPath++;
  /** The local model called last on this path (a path starts after another model's call, as in the replay). */
  private last: "draft" | "target" | "prm" | "router" | null = null;

  constructor(
    private readonly models: ModelSet,
    private readonly p: ProblemContext,
    /** Where each local call's shapes and times go, for fitting the run's costs (none: not recorded). */
    private readonly log: CallLog | null = null,
  ) {}

  private async lm(role: "draft" | "target", steps: readonly string[]): Promise<LmCall> {
    const lm = this.models[role];
    const prompt = this.p.prompts[role];
    const out = await generateStep(lm, prompt, steps, this.p);
    if (this.log) {
      const sample = lmCallSample(lm, contextText(prompt, steps, this.p.delimiter), out, this.last === role, this.last === "prm" || this.last === "router", this.last === null);
      if (sample) this.log[role].push({ ...sample, path: this.path });
    }
    if (localLm(lm)) this.last = role;
    return {
      text: out.text,
      stopReason: out.stopReason,
      tokens: stepTokens(lm, out),
      features: featuresOf(out.logprobs, out.entropies),
      ms: out.timings.totalMs,
    };
  }

  draft(steps: readonly string[]): Promise<LmCall> {
    return this.lm("draft", steps);
  }

  target(steps: readonly string[]): Promise<LmCall> {
    return this.lm("target", steps);
  }

  private logScore(role: "prm" | "router", scorer: StepScoring, r: { tokens: number; reused?: number; ms: number }): void {
    if (!localScorer(scorer)) return;
    this.last = role;
    this.log?.[role].push({ tokens: r.tokens, reused: r.reused ?? 0, ms: r.ms, path: this.path });
  }

  async prm(steps: readonly string[]): Promise<ScoreCall> {
    const scorer = requireScorer(this.models.prm, "prm");
    const r = await scorer.score(this.p.question, [...steps]);
    this.logScore("prm", scorer, r);
    return { score: r.score, ms: r.ms };
  }

  get routerNeedsPrm(): boolean {
    return routerNeedsPrm(this.models);
  }

  async router(steps: readonly string[], sources: readonly StepSource[], candidate: RouterCandidate): Promise<ScoreCall> {
    if (this.models.lightRouter) return scoreLight(this.models.lightRouter, this.p.question, steps, sources, candidate);
    const scorer = requireScorer(this.models.router, "router");
    const r = await scorer.score(this.p.question, [...steps], { sources: [...sources] });
    this.logScore("router", scorer, r);
    return { score: r.score, ms: r.ms };
  }
}
