/**
 * The step loop for one problem under one configuration — where RSD, Arbitrage, the oracle and the
 * single-model baselines differ, and nothing else:
 *
 *   draft      keep the draft's step
 *   target     keep the target's step
 *   rsd(δ)     keep the draft's step if PRM(step) >= δ, else the target writes it
 *   arbitrage(τ) the target writes the step if router(context, draft step) >= τ, else keep the draft's
 *   oracle(τ)  both write it, the PRM scores both; keep the target's if PRM(t) − PRM(d) > τ
 *   generate   as oracle(0), and every step becomes a row of router training data
 *
 * The loop ends when the kept step did not end on the delimiter (EOS, token limit), after
 * `maxSteps` steps, or when the completion reaches `maxTotalTokens` — as the reference
 * implementation (SqueezeAILab/Arbitrage) does.
 */
import { performance } from "node:perf_hooks";
import type { ComponentMs, Configuration, ProblemStopReason, StepRecord, TokenCounts } from "../../shared/results.ts";
import { WorkbenchError } from "../../shared/errors.ts";
import type { StepSource } from "../engine/scorer-input.ts";
import type { LmCall, StepOracle } from "./step-oracle.ts";

export interface LoopLimits {
  maxSteps: number;
  maxTotalTokens: number;
}

/** One row of router training data (docs/router-data.md), less the problem's identity. */
export interface GenerateRow {
  step_index: number;
  context_steps: string[];
  context_sources: StepSource[];
  draft_step: string;
  target_step: string;
  prm_draft: number;
  prm_target: number;
  delta: number;
  label: 0 | 1;
  /** snake_case like the rest of the row (docs/router-data.md). */
  draft_features: { tokens: number; mean_logprob: number; min_logprob: number; mean_entropy: number };
}

export interface LoopResult {
  steps: StepRecord[];
  completion: string;
  stopReason: ProblemStopReason;
  tokens: TokenCounts;
  /** The method's latency: the calls its policy needs (the oracle: the chosen step only). */
  latencyMs: ComponentMs & { total: number };
  /** Every call made, whether the policy needed it or not. */
  harnessMs: number;
  rows: GenerateRow[];
}

function zeroMs(): ComponentMs {
  return { draft: 0, target: 0, prm: 0, router: 0, overhead: 0 };
}

function stopOf(call: LmCall): ProblemStopReason | null {
  switch (call.stopReason) {
    case "stop":
      return null;
    case "eos":
      return "eos";
    case "max-tokens":
      return "no-delimiter";
    case "context-full":
      return "context-full";
  }
}

export async function runStepLoop(
  config: Configuration,
  oracle: StepOracle,
  limits: LoopLimits,
  delimiter: string,
  signal?: AbortSignal,
): Promise<LoopResult> {
  const kept: string[] = [];
  const sources: StepSource[] = [];
  const records: StepRecord[] = [];
  const rows: GenerateRow[] = [];
  const tokens: TokenCounts = { draftAccepted: 0, draftDiscarded: 0, target: 0 };
  const latency = zeroMs();
  let harnessMs = 0;
  let keptTokens = 0;
  let stopReason: ProblemStopReason = "max-steps";
  const threshold = config.threshold ?? 0;

  while (kept.length < limits.maxSteps) {
    if (signal?.aborted) throw new WorkbenchError("cancelled", "the sweep was cancelled");
    const t0 = performance.now();
    let callWall = 0;
    const call = async <T>(f: () => Promise<T>): Promise<T> => {
      const s = performance.now();
      try {
        return await f();
      } finally {
        callWall += performance.now() - s;
      }
    };
    const ms = zeroMs();
    let harness = 0;
    const step: Omit<StepRecord, "index" | "ms" | "tokens"> & { tokens: TokenCounts } = {
      source: "draft",
      text: "",
      draftText: null,
      targetText: null,
      decision: "accept",
      tokens: { draftAccepted: 0, draftDiscarded: 0, target: 0 },
      prmDraft: null,
      prmTarget: null,
      router: null,
      delta: null,
      stop: "stop",
    };
    let chosen: LmCall;

    const keepDraft = (d: LmCall) => {
      step.source = "draft";
      step.tokens.draftAccepted += d.tokens;
      chosen = d;
    };
    const takeTarget = (t: LmCall, discarded: LmCall | null) => {
      step.source = "target";
      step.tokens.target += t.tokens;
      if (discarded) step.tokens.draftDiscarded += discarded.tokens;
      chosen = t;
    };

    switch (config.method) {
      case "draft": {
        const d = await call(() => oracle.draft(kept));
        ms.draft = d.ms;
        harness += d.ms;
        step.draftText = d.text;
        step.decision = "draft-only";
        keepDraft(d);
        break;
      }
      case "target": {
        const t = await call(() => oracle.target(kept));
        ms.target = t.ms;
        harness += t.ms;
        step.targetText = t.text;
        step.decision = "target-only";
        takeTarget(t, null);
        break;
      }
      case "rsd": {
        const d = await call(() => oracle.draft(kept));
        const p = await call(() => oracle.prm([...kept, d.text]));
        ms.draft = d.ms;
        ms.prm = p.ms;
        step.draftText = d.text;
        step.prmDraft = p.score;
        if (p.score >= threshold) {
          step.decision = "accept";
          keepDraft(d);
        } else {
          const t = await call(() => oracle.target(kept));
          ms.target = t.ms;
          step.targetText = t.text;
          step.decision = "escalate";
          takeTarget(t, d);
        }
        harness += ms.draft + ms.prm + ms.target;
        break;
      }
      case "arbitrage": {
        const d = await call(() => oracle.draft(kept));
        // A light router trained with the PRM's score of the draft step needs that score first.
        const p = oracle.routerNeedsPrm ? await call(() => oracle.prm([...kept, d.text])) : null;
        const r = await call(() => oracle.router([...kept, d.text], [...sources, 0], { features: d.features, stepIndex: kept.length, prmDraft: p?.score ?? null }));
        ms.draft = d.ms;
        ms.router = r.ms;
        ms.prm = p?.ms ?? 0;
        step.draftText = d.text;
        step.router = r.score;
        step.prmDraft = p?.score ?? null;
        if (r.score >= threshold) {
          const t = await call(() => oracle.target(kept));
          ms.target = t.ms;
          step.targetText = t.text;
          step.decision = "escalate";
          takeTarget(t, d);
        } else {
          step.decision = "accept";
          keepDraft(d);
        }
        harness += ms.draft + ms.router + ms.prm + ms.target;
        break;
      }
      case "oracle":
      case "generate": {
        const d = await call(() => oracle.draft(kept));
        const t = await call(() => oracle.target(kept));
        const pd = await call(() => oracle.prm([...kept, d.text]));
        // Identical steps have identical scores: Δ is exactly 0, with no second PRM call.
        const pt = t.text === d.text ? pd : await call(() => oracle.prm([...kept, t.text]));
        const delta = pt.score - pd.score;
        step.draftText = d.text;
        step.targetText = t.text;
        step.prmDraft = pd.score;
        step.prmTarget = pt.score;
        step.delta = delta;
        harness += d.ms + t.ms + pd.ms + (t.text === d.text ? 0 : pt.ms);
        const escalate = delta > (config.method === "generate" ? 0 : threshold);
        if (config.method === "generate") {
          rows.push({
            step_index: kept.length,
            context_steps: [...kept],
            context_sources: [...sources],
            draft_step: d.text,
            target_step: t.text,
            prm_draft: pd.score,
            prm_target: pt.score,
            delta,
            label: delta > 0 ? 1 : 0,
            draft_features: {
              tokens: d.features.tokens,
              mean_logprob: d.features.meanLogprob,
              min_logprob: d.features.minLogprob,
              mean_entropy: d.features.meanEntropy,
            },
          });
          // Data generation pays for everything it computes.
          ms.draft = d.ms;
          ms.target = t.ms;
          ms.prm = pd.ms + (t.text === d.text ? 0 : pt.ms);
        } else if (escalate) {
          ms.target = t.ms; // the oracle's ideal latency charges only the chosen step
        } else {
          ms.draft = d.ms;
        }
        if (escalate) {
          step.decision = "escalate";
          takeTarget(t, d);
        } else {
          step.decision = "accept";
          keepDraft(d);
        }
        break;
      }
    }
    const c = chosen!;
    ms.overhead = Math.max(0, performance.now() - t0 - callWall);
    harness += ms.overhead;
    harnessMs += harness;
    for (const k of ["draft", "target", "prm", "router", "overhead"] as const) latency[k] += ms[k];
    tokens.draftAccepted += step.tokens.draftAccepted;
    tokens.draftDiscarded += step.tokens.draftDiscarded;
    tokens.target += step.tokens.target;
    records.push({ ...step, index: records.length, text: c.text, stop: c.stopReason, ms });
    kept.push(c.text);
    sources.push(step.source === "draft" ? 0 : 1);
    keptTokens += c.tokens;
    const ended = stopOf(c);
    if (ended) {
      stopReason = ended;
      break;
    }
    if (keptTokens >= limits.maxTotalTokens) {
      stopReason = "max-tokens";
      break;
    }
  }
  const total = latency.draft + latency.target + latency.prm + latency.router + latency.overhead;
  return {
    steps: records,
    completion: kept.join(delimiter),
    stopReason,
    tokens,
    latencyMs: { ...latency, total },
    harnessMs,
    rows,
  };
}
