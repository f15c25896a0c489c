/**
 * Every plot's data as one flat table: what Export writes as CSV (and what a reader checks the
 * chart against). The CSV dialect is the project's one (RFC 4180, exact numbers): shared/csv.ts
 * is pure (no Node import), so the renderer uses it as is.
 */
import { toCsv } from "../../shared/csv.ts";
import type { CompareData } from "./compare.ts";
import type { PlotData } from "./types.ts";

export interface PlotTable {
  columns: string[];
  rows: Record<string, string | number | boolean | null>[];
}

export function plotTable(data: PlotData | CompareData): PlotTable {
  switch (data.kind) {
    case "acceptance-accuracy":
      return {
        columns: ["run", "method", "config", "threshold", "acceptance_rate", "accuracy", "problems"],
        rows: [
          ...data.references.map((r) => ({ run: r.runLabel, method: r.method, config: r.configId, threshold: null, acceptance_rate: r.acceptanceRateDefined, accuracy: r.accuracy, problems: null })),
          ...data.series.flatMap((s) =>
            s.points.map((p) => ({ run: s.runLabel, method: s.method, config: p.configId, threshold: p.threshold, acceptance_rate: p.acceptanceRate, accuracy: p.accuracy, problems: p.problems })),
          ),
        ],
      };
    case "accuracy-latency": {
      // Long format: a row per configuration, then a row per speedup (the stated accuracy, then
      // the curve); the cells a row kind does not have stay empty.
      const onFrontier = new Set(data.series.flatMap((s) => s.frontier.map((p) => `${s.runId}\u0000${p.configId}`)));
      const columns = [
        "run", "row", "method", "config", "threshold", "latency_ms", "accuracy", "accuracy_ci95_lo", "accuracy_ci95_hi", "problems", "on_frontier", "escalates_every_step",
        "candidate", "speedup", "speedup_ci95_lo", "speedup_ci95_hi", "rsd_latency_ms", "candidate_latency_ms",
      ];
      const pointRows = data.series.flatMap((s): PlotTable["rows"] =>
        s.points.map((p) => ({ run: s.runLabel, row: "configuration", method: s.method, config: p.configId, threshold: p.threshold, latency_ms: p.latencyMs, accuracy: p.accuracy, accuracy_ci95_lo: p.accuracyCi95?.[0] ?? null, accuracy_ci95_hi: p.accuracyCi95?.[1] ?? null, problems: p.problems, on_frontier: onFrontier.has(`${s.runId}\u0000${p.configId}`), escalates_every_step: p.escalatesEveryStep })),
      );
      // The baselines belong to every method's frontier: one row each, on the frontier if on any.
      const baselineRows = data.references.map((r) => ({ run: r.runLabel, row: "configuration", method: r.method, config: r.configId, threshold: null, latency_ms: r.latencyMs, accuracy: r.accuracy, accuracy_ci95_lo: r.accuracyCi95?.[0] ?? null, accuracy_ci95_hi: r.accuracyCi95?.[1] ?? null, problems: r.problems, on_frontier: onFrontier.has(`${r.runId}\u0000${r.configId}`), escalates_every_step: false }));
      const configRows = [...baselineRows, ...pointRows];
      const speedRows = data.matched.flatMap((m) => [
        { run: m.runLabel, row: "matched accuracy", accuracy: m.accuracy, accuracy_ci95_lo: m.accuracyCi95?.[0] ?? null, accuracy_ci95_hi: m.accuracyCi95?.[1] ?? null, problems: m.problems, candidate: m.candidate, speedup: m.speedup, speedup_ci95_lo: m.ci95?.[0] ?? null, speedup_ci95_hi: m.ci95?.[1] ?? null, rsd_latency_ms: m.rsdLatencyMs, candidate_latency_ms: m.candidateLatencyMs },
        ...m.curve.map((p) => ({ run: m.runLabel, row: "speedup curve", accuracy: p.accuracy, problems: m.problems, candidate: m.candidate, speedup: p.speedup, speedup_ci95_lo: p.ci95?.[0] ?? null, speedup_ci95_hi: p.ci95?.[1] ?? null })),
      ]);
      return { columns, rows: [...configRows, ...speedRows] };
    }
    case "latency-breakdown":
      return {
        columns: ["run", "config", "method", "threshold", ...data.components.map((c) => `${c}_ms`), "total_ms"],
        rows: data.bars.map((b) => ({
          run: b.runLabel,
          config: b.configId,
          method: b.method,
          threshold: b.threshold,
          draft_ms: b.draft,
          router_ms: b.router,
          prm_ms: b.prm,
          target_ms: b.target,
          overhead_ms: b.overhead,
          total_ms: b.total,
        })),
      };
    case "router-scatter":
      return {
        columns: ["problem_id", "step_index", "router_score", "delta", "label"],
        rows: data.points.map((p) => ({ problem_id: p.problemId, step_index: p.stepIndex, router_score: p.score, delta: p.delta, label: p.label })),
      };
    case "router-calibration":
      return {
        columns: ["bin", "binning", "score_lower", "score_upper", "steps", "mean_router_score", "observed_share_delta_gt_0"],
        rows: data.bins.map((b) => ({
          bin: b.index,
          binning: data.binning,
          score_lower: b.lower,
          score_upper: b.upper,
          steps: b.count,
          mean_router_score: b.meanPredicted,
          observed_share_delta_gt_0: b.observedFrequency,
        })),
      };
    case "step-trace":
      return {
        columns: ["config", "problem_id", "step", "source", "decision", "text", "discarded_by", "discarded_text", "prm_draft", "prm_target", "router", "delta", "tokens_draft_accepted", "tokens_draft_discarded", "tokens_target"],
        rows: data.steps.map((s) => ({
          config: data.configId,
          problem_id: data.problemId,
          step: s.index,
          source: s.source,
          decision: s.decision,
          text: s.text,
          discarded_by: s.discarded?.by ?? null,
          discarded_text: s.discarded?.text ?? null,
          prm_draft: s.prmDraft,
          prm_target: s.prmTarget,
          router: s.router,
          delta: s.delta,
          tokens_draft_accepted: s.tokens.draftAccepted,
          tokens_draft_discarded: s.tokens.draftDiscarded,
          tokens_target: s.tokens.target,
        })),
      };
    case "compare":
      return {
        columns: ["config", "accuracy_a", "accuracy_b", "latency_ms_a", "latency_ms_b", "acceptance_rate_a", "acceptance_rate_b"],
        rows: data.rows.map((r) => ({
          config: r.configId,
          accuracy_a: r.accuracy[0],
          accuracy_b: r.accuracy[1],
          latency_ms_a: r.latencyMs[0],
          latency_ms_b: r.latencyMs[1],
          acceptance_rate_a: r.acceptanceRate[0],
          acceptance_rate_b: r.acceptanceRate[1],
        })),
      };
  }
}

export function plotCsv(data: PlotData | CompareData): string {
  const t = plotTable(data);
  return toCsv(t.rows, t.columns);
}
