/** Plot 3: mean latency per problem of each configuration, stacked by component. */
import type { LatencyBreakdownData } from "./types.ts";
import { LATENCY_COMPONENTS } from "./types.ts";
import { asList, type RunSummaries } from "./run-input.ts";

export function latencyBreakdown(input: RunSummaries | readonly RunSummaries[]): LatencyBreakdownData {
  const runs = asList(input);
  const bars: LatencyBreakdownData["bars"] = [];
  for (const run of runs) {
    for (const c of run.configs) {
      if (c.problems === 0) continue;
      bars.push({
        runId: run.runId,
        runLabel: run.runLabel,
        configId: c.id,
        label: runs.length > 1 ? `${run.runLabel}: ${c.id}` : c.id,
        method: c.method,
        threshold: c.threshold,
        draft: c.latencyMs.draft,
        router: c.latencyMs.router,
        prm: c.latencyMs.prm,
        target: c.latencyMs.target,
        overhead: c.latencyMs.overhead,
        total: c.latencyMs.mean,
      });
    }
  }
  return { kind: "latency-breakdown", components: LATENCY_COMPONENTS, bars };
}
