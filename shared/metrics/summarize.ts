/**
 * Per-configuration metrics, derived from stored problem records (the same code serves the CLI,
 * the app and the HTML report). Definitions:
 * - accuracy: share of problems graded correct (errors count as wrong); accuracyStrict likewise
 *   with the strict grader.
 * - acceptanceRate: accepted draft tokens / all draft tokens generated (accepted + discarded),
 *   summed over problems — the RSD / Arbitrage reference implementations' definition (a token
 *   average; see the README on micro vs macro averages). Null when no draft token was generated.
 * - targetStepShare: kept steps written by the target / all kept steps.
 * - latencyMs: mean per problem of the method's latency and of each component.
 * - tokensPerSecond: kept tokens (draft accepted + target) / total method latency.
 */
import type { ConfigSummary, Configuration, ProblemRecord, SweepSummary } from "../results.ts";
import { headlineFields, ProblemOutcomes } from "./matched-accuracy.ts";

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function summarizeConfig(config: Configuration, records: ProblemRecord[]): ConfigSummary {
  const n = records.length;
  let accepted = 0;
  let discarded = 0;
  let target = 0;
  let steps = 0;
  let targetSteps = 0;
  for (const r of records) {
    accepted += r.tokens.draftAccepted;
    discarded += r.tokens.draftDiscarded;
    target += r.tokens.target;
    steps += r.steps.length;
    targetSteps += r.steps.filter((s) => s.source === "target").length;
  }
  const totalMs = records.reduce((a, r) => a + r.latencyMs.total, 0);
  return {
    id: config.id,
    method: config.method,
    threshold: config.threshold,
    problems: n,
    errors: records.filter((r) => r.error !== undefined).length,
    accuracy: n === 0 ? 0 : records.filter((r) => r.correct).length / n,
    accuracyStrict: n === 0 ? 0 : records.filter((r) => r.correctStrict).length / n,
    acceptanceRate: accepted + discarded === 0 ? null : accepted / (accepted + discarded),
    targetStepShare: steps === 0 ? 0 : targetSteps / steps,
    latencyMs: {
      mean: mean(records.map((r) => r.latencyMs.total)),
      draft: mean(records.map((r) => r.latencyMs.draft)),
      target: mean(records.map((r) => r.latencyMs.target)),
      prm: mean(records.map((r) => r.latencyMs.prm)),
      router: mean(records.map((r) => r.latencyMs.router)),
      overhead: mean(records.map((r) => r.latencyMs.overhead)),
    },
    tokens: { draftAccepted: accepted, draftDiscarded: discarded, target },
    tokensPerSecond: totalMs > 0 ? ((accepted + target) / totalMs) * 1000 : 0,
    meanSteps: n === 0 ? 0 : steps / n,
  };
}

/** summary.json from every problem record of a sweep, in the order the configurations were given. */
export function summarizeSweep(
  configs: Configuration[],
  records: ProblemRecord[],
  cache: SweepSummary["cache"],
): SweepSummary {
  const byConfig = new Map<string, ProblemRecord[]>();
  const outcomes = new ProblemOutcomes();
  for (const r of records) {
    outcomes.add(r);
    const list = byConfig.get(r.config.id) ?? [];
    list.push(r);
    byConfig.set(r.config.id, list);
  }
  const runs = configs.map((c) => summarizeConfig(c, (byConfig.get(c.id) ?? []).sort((a, b) => (a.problemId < b.problemId ? -1 : 1))));
  return { runs, ...headlineFields(runs, outcomes), cache, problems: outcomes.problems };
}
