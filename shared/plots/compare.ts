/**
 * Compare: two runs (two model pairs, two routers) on the same axes. The run-level transforms take
 * both runs at once, so the series share one coordinate system; this bundles them and names the
 * headline differences.
 */
import { acceptanceAccuracy, type AccuracyOptions } from "./acceptance-accuracy.ts";
import { accuracyLatency } from "./accuracy-latency.ts";
import { latencyBreakdown } from "./latency-breakdown.ts";
import type { RunSummaries } from "./run-input.ts";
import type { AcceptanceAccuracyData, AccuracyLatencyData, LatencyBreakdownData } from "./types.ts";

export interface CompareData {
  kind: "compare";
  runs: { runId: string; runLabel: string }[];
  acceptanceAccuracy: AcceptanceAccuracyData;
  accuracyLatency: AccuracyLatencyData;
  latencyBreakdown: LatencyBreakdownData;
  /** Per configuration present in both runs: accuracy and mean latency side by side. */
  rows: {
    configId: string;
    accuracy: [number, number];
    latencyMs: [number, number];
    acceptanceRate: [number | null, number | null];
  }[];
}

export function compareRuns(a: RunSummaries, b: RunSummaries, options: AccuracyOptions = {}): CompareData {
  if (a.runId === b.runId) {
    // Same id twice would merge the two runs' series in every chart.
    throw new Error(`compareRuns: expected two different runs, found ${a.runId} twice`);
  }
  const strict = options.grader === "strict";
  const rows: CompareData["rows"] = [];
  const inB = new Map(b.configs.map((c) => [c.id, c]));
  for (const ca of a.configs) {
    const cb = inB.get(ca.id);
    if (cb === undefined) continue;
    rows.push({
      configId: ca.id,
      accuracy: strict ? [ca.accuracyStrict, cb.accuracyStrict] : [ca.accuracy, cb.accuracy],
      latencyMs: [ca.latencyMs.mean, cb.latencyMs.mean],
      acceptanceRate: [ca.acceptanceRate, cb.acceptanceRate],
    });
  }
  return {
    kind: "compare",
    runs: [a, b].map((r) => ({ runId: r.runId, runLabel: r.runLabel })),
    acceptanceAccuracy: acceptanceAccuracy([a, b], options),
    accuracyLatency: accuracyLatency([a, b], options),
    latencyBreakdown: latencyBreakdown([a, b]),
    rows,
  };
}
