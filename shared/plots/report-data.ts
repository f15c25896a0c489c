/**
 * Everything the HTML report draws, computed once on the Node side from a run folder's files and
 * embedded as JSON beside the renderer's report bundle (recharts draws only in a browser). Pure: the
 * same transforms the app uses, so the report and the app show the same numbers.
 */
import type { Method, ProblemRecord, SweepSummary } from "../results.ts";
import { acceptanceAccuracy } from "./acceptance-accuracy.ts";
import { accuracyLatency } from "./accuracy-latency.ts";
import { latencyBreakdown } from "./latency-breakdown.ts";
import { routerPairsFromRecords } from "./router-pairs.ts";
import { routerScatter } from "./router-scatter.ts";
import { stepTrace } from "./step-trace.ts";
import type { AcceptanceAccuracyData, AccuracyLatencyData, LatencyBreakdownData, RouterScatterData, StepTraceData } from "./types.ts";

export const REPORT_DATA_VERSION = 1;

export interface ReportRunInfo {
  dir: string;
  name: string;
  started: string | null;
  complete: boolean;
  mode: string | null;
  problems: number;
  /** Folder name of each model (null: not used). */
  models: { draft: string; target: string; prm: string | null; router: string | null };
  dataset: string | null;
  /** Code version and the like, as run.json's provenance holds them. */
  provenance: Record<string, unknown>;
}

export interface ReportData {
  version: typeof REPORT_DATA_VERSION;
  generatedAt: string;
  run: ReportRunInfo;
  summary: SweepSummary;
  acceptanceAccuracy: AcceptanceAccuracyData;
  accuracyLatency: AccuracyLatencyData;
  latencyBreakdown: LatencyBreakdownData;
  routerScatter: RouterScatterData | null;
  routerNote: string | null;
  /** A few problems step by step: the same problem under each threshold method. */
  traces: StepTraceData[];
}

function baseName(path: unknown): string | null {
  if (typeof path !== "string" || path === "") return null;
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

function mixed(r: ProblemRecord): boolean {
  return r.steps.some((s) => s.source === "draft") && r.steps.some((s) => s.source === "target");
}

/**
 * The example traces: the first problem on which an Arbitrage configuration kept steps from both
 * models (else any finished Arbitrage, RSD or oracle problem), shown under Arbitrage, RSD and the
 * oracle — for each method its first configuration that mixed both writers on it, else its first.
 */
export function exampleTraces(records: readonly ProblemRecord[], max = 3): StepTraceData[] {
  const order: Method[] = ["arbitrage", "rsd", "oracle"];
  const usable = records.filter((r) => r.steps.length > 0);
  const anchor = usable.find((r) => r.config.method === "arbitrage" && mixed(r)) ?? usable.find((r) => order.includes(r.config.method));
  if (anchor === undefined) return [];
  const traces: StepTraceData[] = [];
  for (const m of order) {
    const same = usable.filter((r) => r.problemId === anchor.problemId && r.config.method === m);
    const pick = same.find(mixed) ?? same[0];
    if (pick) traces.push(stepTrace(pick));
    if (traces.length >= max) break;
  }
  return traces;
}

export function buildReportData(input: { dir: string; meta: Record<string, unknown>; summary: SweepSummary & { complete?: boolean }; records: readonly ProblemRecord[]; now?: Date }): ReportData {
  const { dir, meta, summary, records } = input;
  const resolved = (meta.resolved ?? {}) as { name?: unknown; models?: Record<string, { path?: unknown } | null>; dataset?: { path?: unknown } };
  const name = typeof resolved.name === "string" ? resolved.name : (baseName(dir) ?? dir);
  const tag = { runId: dir, runLabel: name };
  // summary.json as written (read without a schema): older ones lack the headline's intervals.
  const runs = { ...tag, configs: summary.runs, headline: { matchedAccuracy: summary.matchedAccuracy ?? null, oracleMatchedAccuracy: summary.oracleMatchedAccuracy ?? null } };
  const pairs = routerPairsFromRecords(records);
  const routerModel = baseName(resolved.models?.router?.path) ?? "router";
  return {
    version: REPORT_DATA_VERSION,
    generatedAt: (input.now ?? new Date()).toISOString(),
    run: {
      dir,
      name,
      started: typeof meta.started === "string" ? meta.started : null,
      complete: summary.complete === true,
      mode: typeof meta.mode === "string" ? meta.mode : null,
      problems: summary.problems,
      models: {
        draft: baseName(resolved.models?.draft?.path) ?? "?",
        target: baseName(resolved.models?.target?.path) ?? "?",
        prm: baseName(resolved.models?.prm?.path),
        router: baseName(resolved.models?.router?.path),
      },
      dataset: baseName(resolved.dataset?.path),
      provenance: (meta.provenance ?? {}) as Record<string, unknown>,
    },
    summary,
    acceptanceAccuracy: acceptanceAccuracy(runs),
    accuracyLatency: accuracyLatency(runs),
    latencyBreakdown: latencyBreakdown(runs),
    routerScatter: pairs.length >= 2 ? routerScatter(pairs, { ...tag, source: "run-steps", router: routerModel }) : null,
    routerNote: pairs.length >= 2 ? null : "No (router score, Δ) pairs: the run needs an Arbitrage configuration and an oracle or generate configuration that meet the same steps.",
    traces: exampleTraces(records),
  };
}
