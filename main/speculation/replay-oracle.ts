/**
 * Answers calls from the sweep's step cache (computing on a miss) and replays each call's latency
 * along this configuration's own path: tokenization + the catch-up prefill its path needs (from a
 * simulated KV cache per model) + the step's decode loop, each priced by the run's calibrated
 * costs (cost-calibration.ts); a scorer's call likewise, from the prefix its cache would hold.
 * One ReplayOracle walks one (configuration, problem); the cache and models are shared.
 *
 * A model served over HTTP is not simulated: its KV cache, batching and prefix cache live on the
 * server and cannot be priced from local calibration, so each of its calls costs the client-side
 * time measured when the step (or score) was computed.
 */
import type { StepSource } from "../engine/scorer-input.ts";
import type { StepWriter } from "../backends/types.ts";
import { localLm, localScorer } from "../backends/types.ts";
import { commonPrefix } from "../engine/common-prefix.ts";
import { reusablePrefix } from "../engine/scorer.ts";
import type { HttpStepOutput } from "../backends/http/http-lm.ts";
import type { ModelSet } from "./model-set.ts";
import { contextText } from "./model-set.ts";
import type { Predecessor, RunCalibration } from "./cost-calibration.ts";
import { estimateLmCallMs, estimateScorerMs } from "./cost-calibration.ts";
import type { CachedLmStep, CachedScore, StepCache } from "./step-cache.ts";
import { cacheKey } from "./step-cache.ts";
import { generateStep, requireScorer, routerNeedsPrm, scoreLight, stepTokens } from "./live-oracle.ts";
import type { LmCall, ProblemContext, RouterCandidate, ScoreCall, StepOracle } from "./step-oracle.ts";
import { featuresOf } from "./step-oracle.ts";

export interface ReplayShared {
  models: ModelSet;
  cache: StepCache;
  calibration: RunCalibration;
  /** Cache namespaces per role: the model and every setting that changes its output. */
  namespaces: { draft: string; target: string; prm: string; router: string };
  stats: { lmCalls: number; lmComputed: number; scoreCalls: number; scoreComputed: number };
}

export class ReplayOracle implements StepOracle {
  /** The token ids each model's KV cache would hold on this path (empty at the problem's start). */
  private readonly held: { draft: number[]; target: number[] } = { draft: [], target: [] };
  /** The input each scorer's prefix cache would hold on this path. */
  private readonly heldScore: { prm: number[]; router: number[] } = { prm: [], router: [] };
  /**
   * The local model this path ran last: a call right after the same model's own is priced as one
   * (LmCosts.decodeAfterSelf). A path starts after another model's call — in a measured run, the
   * previous configuration's or the calibration round's.
   */
  private last: "draft" | "target" | "prm" | "router" | null = null;
  /** The local model this path last computed (a cache miss), for the computation's cost sample. */
  private lastComputed: "draft" | "target" | "prm" | "router" | null = null;

  constructor(
    private readonly s: ReplayShared,
    private readonly p: ProblemContext,
  ) {}

  private async lm(role: "draft" | "target", steps: readonly string[]): Promise<LmCall> {
    const lm: StepWriter = this.s.models[role];
    const prompt = this.p.prompts[role];
    const context = contextText(prompt, steps, this.p.delimiter);
    const key = cacheKey(this.s.namespaces[role], context);
    this.s.stats.lmCalls++;
    const local = localLm(lm);
    const ids = local ? local.encode(context) : [];
    const got = await this.s.cache.getOrCompute(key, async (): Promise<CachedLmStep> => {
      const out = await generateStep(lm, prompt, steps, this.p);
      const afterSelf = this.lastComputed === role;
      const afterScorer = this.lastComputed === "prm" || this.lastComputed === "router";
      const atStart = this.lastComputed === null;
      if (local) this.lastComputed = role;
      return {
        kind: "lm",
        text: out.text,
        stopReason: out.stopReason,
        tokenIds: out.tokenIds,
        fed: out.fed,
        tokens: stepTokens(lm, out),
        features: featuresOf(out.logprobs, out.entropies),
        tokenizeMs: out.timings.tokenizeMs,
        decodeMs: out.timings.totalMs - out.timings.tokenizeMs - out.timings.prefillMs,
        prefillMs: out.timings.prefillMs,
        prefillTokens: out.timings.prefillTokens,
        ...("remote" in out ? { server: (out as HttpStepOutput).remote.usage } : {}),
        ...(local ? { call: { role, chars: context.length, length: ids.length, afterSelf, afterScorer, atStart } } : {}),
      };
    });
    const step = got.value as CachedLmStep;
    if (got.computed) this.s.stats.lmComputed++;
    const costs = this.s.calibration[role];
    if (!local || !costs) {
      // Remote: the measured client-side time of the one computation (see the header).
      const ms = step.tokenizeMs + step.prefillMs + step.decodeMs;
      return { text: step.text, stopReason: step.stopReason, tokens: step.tokens, features: step.features, ms };
    }
    // The engine keeps the common prefix of what it holds and the context's ids, and always feeds
    // at least the last token; after the step it holds the context plus the fed generated tokens.
    let keep = commonPrefix(this.held[role], ids);
    if (keep >= ids.length) keep = ids.length - 1;
    const after: Predecessor = this.last === role ? "self" : this.last === "prm" || this.last === "router" ? "scorer" : this.last === null ? "start" : "other";
    const ms = estimateLmCallMs(costs, { chars: context.length, newTokens: ids.length - keep, past: keep, fed: step.fed, length: ids.length, after });
    this.held[role] = ids.concat(step.tokenIds.slice(0, step.fed));
    this.last = role;
    return { text: step.text, stopReason: step.stopReason, tokens: step.tokens, features: step.features, ms };
  }

  draft(steps: readonly string[]): Promise<LmCall> {
    return this.lm("draft", steps);
  }

  target(steps: readonly string[]): Promise<LmCall> {
    return this.lm("target", steps);
  }

  private async score(role: "prm" | "router", steps: readonly string[], sources: readonly StepSource[] | null): Promise<ScoreCall> {
    const scorer = requireScorer(this.s.models[role], role);
    const key = cacheKey(this.s.namespaces[role], JSON.stringify([this.p.question, steps, sources]));
    this.s.stats.scoreCalls++;
    const local = localScorer(scorer);
    const got = await this.s.cache.getOrCompute(key, async (): Promise<CachedScore> => {
      const r = await scorer.score(this.p.question, [...steps], sources ? { sources: [...sources] } : {});
      if (local) this.lastComputed = role;
      return { kind: "score", score: r.score, ms: r.ms, tokens: r.tokens, ...(local ? { call: { role, reused: r.reused } } : {}) };
    });
    const hit = got.value as CachedScore;
    if (got.computed) this.s.stats.scoreComputed++;
    // A remote scorer has no calibration: its measured time stands.
    const costs = this.s.calibration[role];
    if (!costs) return { score: hit.score, ms: hit.ms };
    // A local scorer that keeps a prefix cache reuses what this path's previous call left in it.
    if (local) this.last = role;
    let reused = 0;
    if (local?.reusesPrefix) {
      const input = local.input(this.p.question, [...steps], sources ? { sources: [...sources] } : {});
      reused = reusablePrefix(this.heldScore[role], input);
      this.heldScore[role] = input.ids;
    }
    return { score: hit.score, ms: estimateScorerMs(costs, hit.tokens, reused) };
  }

  prm(steps: readonly string[]): Promise<ScoreCall> {
    return this.score("prm", steps, null);
  }

  get routerNeedsPrm(): boolean {
    return routerNeedsPrm(this.s.models);
  }

  router(steps: readonly string[], sources: readonly StepSource[], candidate: RouterCandidate): Promise<ScoreCall> {
    // A light router costs microseconds and reads numbers the cache already holds: run it, don't cache it.
    if (this.s.models.lightRouter) return scoreLight(this.s.models.lightRouter, this.p.question, steps, sources, candidate);
    return this.score("router", steps, sources);
  }
}
