/**
 * Plot 5: one problem under one configuration, step by step: who wrote each kept step, the scores
 * behind the decision, and the candidate that was generated and thrown away (a draft step the
 * target replaced; or, for the oracle, a target step it computed and did not keep).
 */
import type { ProblemRecord } from "../results.ts";
import type { StepTraceData, TraceStep } from "./types.ts";

export function stepTrace(record: ProblemRecord): StepTraceData {
  const steps: TraceStep[] = record.steps.map((s) => {
    let discarded: TraceStep["discarded"] = null;
    if (s.source === "target" && s.draftText !== null) discarded = { by: "draft", text: s.draftText };
    else if (s.source === "draft" && s.targetText !== null) discarded = { by: "target", text: s.targetText };
    return {
      index: s.index,
      source: s.source,
      text: s.text,
      decision: s.decision,
      discarded,
      prmDraft: s.prmDraft,
      prmTarget: s.prmTarget,
      router: s.router,
      delta: s.delta,
      tokens: s.tokens,
      ms: s.ms,
    };
  });
  return {
    kind: "step-trace",
    configId: record.config.id,
    method: record.config.method,
    threshold: record.config.threshold,
    problemId: record.problemId,
    correct: record.correct,
    correctStrict: record.correctStrict,
    extracted: record.extracted,
    stopReason: record.stopReason,
    error: record.error ? `${record.error.kind}: ${record.error.message}` : null,
    latencyMs: record.latencyMs,
    tokens: record.tokens,
    steps,
    counts: {
      draft: steps.filter((s) => s.source === "draft").length,
      target: steps.filter((s) => s.source === "target").length,
      discardedDraft: steps.filter((s) => s.discarded?.by === "draft").length,
      discardedTarget: steps.filter((s) => s.discarded?.by === "target").length,
    },
  };
}
