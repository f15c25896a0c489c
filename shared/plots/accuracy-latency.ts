/**
 * Plot 2: mean latency per problem (x) against accuracy (y), one line per method, with each
 * method's frontier and the speedup of Arbitrage over RSD at matched accuracy: the two latencies
 * at the highest accuracy both reach, drawn as a horizontal segment between the two curves.
 *
 * The headline number is shared/metrics' arbitrageSpeedup, the very function that wrote
 * summary.json; the grid along the matched range comes from shared/stats with the same points.
 */
import { arbitrageSpeedup } from "../metrics/summarize.ts";
import { THRESHOLD_METHODS, type ConfigSummary } from "../results.ts";
import { accuracyLatencyFrontier, speedupAtMatchedAccuracy } from "../stats/index.ts";
import { referencePoints, type AccuracyOptions } from "./acceptance-accuracy.ts";
import { accuracyOf, asList, type RunSummaries } from "./run-input.ts";
import type { AccuracyLatencyData, LatencyPoint, LatencySeries } from "./types.ts";

/** The points arbitrageSpeedup uses: configurations with finished problems and a positive latency. */
function plottable(c: ConfigSummary): boolean {
  return c.problems > 0 && c.latencyMs.mean > 0;
}

export function accuracyLatency(input: RunSummaries | readonly RunSummaries[], options: AccuracyOptions = {}): AccuracyLatencyData {
  const grader = options.grader ?? "qwen";
  const series: LatencySeries[] = [];
  const matched: AccuracyLatencyData["matched"] = [];
  const unmatched: AccuracyLatencyData["unmatched"] = [];
  for (const run of asList(input)) {
    for (const method of THRESHOLD_METHODS) {
      const points: LatencyPoint[] = run.configs
        .filter((c) => c.method === method && plottable(c))
        .map((c) => ({ configId: c.id, threshold: c.threshold, latencyMs: c.latencyMs.mean, accuracy: accuracyOf(c, grader) }))
        .sort((a, b) => a.latencyMs - b.latencyMs);
      if (points.length === 0) continue;
      const frontier = accuracyLatencyFrontier(points.map((p) => ({ ...p, latency: p.latencyMs }))).map(
        ({ latency: _latency, ...p }) => p,
      );
      series.push({ runId: run.runId, runLabel: run.runLabel, method, points, frontier });
    }

    const tag = { runId: run.runId, runLabel: run.runLabel };
    // The speedup is defined on the toolkit grader's accuracy (summary.json); with the strict
    // grader the same construction runs on strict accuracies.
    const configs = grader === "strict" ? run.configs.map((c) => ({ ...c, accuracy: c.accuracyStrict })) : run.configs;
    const head = arbitrageSpeedup(configs);
    const pts = (m: string) => configs.filter((c) => c.method === m && plottable(c)).map((c) => ({ accuracy: c.accuracy, latency: c.latencyMs.mean }));
    const full = speedupAtMatchedAccuracy(pts("rsd"), pts("arbitrage"));
    if (head === null || head.detail === null || full === null) {
      const hasBoth = pts("rsd").length > 0 && pts("arbitrage").length > 0;
      unmatched.push({ ...tag, reason: hasBoth ? "RSD's and Arbitrage's accuracy ranges do not overlap" : "the run lacks RSD or Arbitrage configurations" });
      continue;
    }
    matched.push({
      ...tag,
      speedup: head.speedup,
      accuracy: head.detail.accuracy,
      rsdLatencyMs: head.detail.rsdLatencyMs,
      arbitrageLatencyMs: head.detail.arbitrageLatencyMs,
      range: full.range,
      grid: full.grid,
    });
  }
  return { kind: "accuracy-latency", grader, series, references: referencePoints(input, grader), matched, unmatched };
}
