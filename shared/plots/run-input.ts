import type { ConfigSummary, SweepSummary } from "../results.ts";

/**
 * One run's per-configuration summaries (summary.json "runs"), tagged with the run they come from.
 * The run-level plots take one of these, or two for Compare: the same transform puts both runs on
 * the same axes.
 */
export interface RunSummaries {
  runId: string;
  runLabel: string;
  configs: ConfigSummary[];
  /**
   * summary.json's headline with its bootstrap intervals, when the run has one: the intervals need
   * the per-problem records, which the configurations' summaries no longer carry.
   */
  headline?: Pick<SweepSummary, "matchedAccuracy" | "oracleMatchedAccuracy">;
}

export function asList(input: RunSummaries | readonly RunSummaries[]): readonly RunSummaries[] {
  return Array.isArray(input) ? input : [input as RunSummaries];
}

export function accuracyOf(c: ConfigSummary, grader: "qwen" | "strict"): number {
  return grader === "strict" ? c.accuracyStrict : c.accuracy;
}
