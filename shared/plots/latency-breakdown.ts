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
  if (runs.length > 1) {
    // Several runs: each configuration's bars side by side (run order within), configurations in
    // the order they first appear, so the eye compares pairs, not two blocks.
    const firstSeen = new Map<string, number>();
    bars.forEach((b) => firstSeen.has(b.configId) || firstSeen.set(b.configId, firstSeen.size));
    const runOrder = new Map(runs.map((r, i) => [r.runId, i]));
    bars.sort((x, y) => (firstSeen.get(x.configId) ?? 0) - (firstSeen.get(y.configId) ?? 0) || (runOrder.get(x.runId) ?? 0) - (runOrder.get(y.runId) ?? 0));
  }
  return { kind: "latency-breakdown", components: LATENCY_COMPONENTS, bars };
}
