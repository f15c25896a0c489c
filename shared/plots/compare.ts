/**
 * Compare: two runs (two model pairs, two routers) on the same axes. The run-level transforms take
 * both runs at once, so the series share one coordinate system; this bundles them and names the
 * headline differences.
 */
import { acceptanceAccuracy, type AccuracyOptions } from "./acceptance-accuracy.ts";
import { accuracyLatency } from "./accuracy-latency.ts";
import { latencyBreakdown } from "./latency-breakdown.ts";
import type { RunSummaries } from "./run-input.ts";
import type { CostSummary } from "../api/schemas/run.ts";
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

/** What Compare knows of each run beyond its summaries, to say when two runs are not like for like. */
export interface RunFacts {
  label: string;
  /** The problems the run holds records of (null: not known yet). */
  problemIds: readonly string[] | null;
  /** Model folder per role (null: no such model). */
  models: Partial<Record<"draft" | "target" | "prm" | "router", string | null>>;
  costs: CostSummary | null;
}

const COST_UNITS = { draft: "ms per decoded token", target: "ms per decoded token", prm: "ms per call", router: "ms per call" } as const;
/** Relative difference in a calibrated cost past which two runs of the same model are said to be priced differently. */
const COST_TOLERANCE = 0.2;

/**
 * Why two runs' numbers may not compare: different problems (accuracy and latency are means over
 * different sets), or the same model priced at different call costs (a cached sweep's latencies are
 * replayed from its calibration: two calibrations of one model on a busy and an idle machine differ).
 */
export function compareWarnings(a: RunFacts, b: RunFacts): string[] {
  const out: string[] = [];
  if (a.problemIds !== null && b.problemIds !== null) {
    const inA = new Set(a.problemIds);
    const inB = new Set(b.problemIds);
    const both = [...inA].filter((id) => inB.has(id)).length;
    const onlyA = inA.size - both;
    const onlyB = inB.size - both;
    if (onlyA > 0 || onlyB > 0) {
      out.push(
        `The runs cover different problems: ${both} in both, ${onlyA} only in ${a.label}, ${onlyB} only in ${b.label}. Accuracy and latency are means over different problems.`,
      );
    }
  }
  if (a.costs && b.costs) {
    for (const role of ["draft", "target", "prm", "router"] as const) {
      const ma = a.models[role];
      const mb = b.models[role];
      const ca = a.costs[role];
      const cb = b.costs[role];
      if (!ma || ma !== mb || ca === null || cb === null) continue;
      if (Math.abs(ca - cb) / Math.max(ca, cb) > COST_TOLERANCE) {
        out.push(
          `The same ${role} model was priced differently: ${ca.toPrecision(3)} vs ${cb.toPrecision(3)} ${COST_UNITS[role]} in the two runs' calibrations. Their latencies come from different calibrations (a busy machine, another device): compare each run's configurations with each other, or re-run one with the other's calibration (--calibration).`,
        );
      }
    }
  }
  return out;
}
