/**
 * Plot 2: mean latency per problem (x) against accuracy (y), one line per method, with each
 * method's frontier (its configurations that do not escalate every step, plus the draft and target
 * baselines) and the speedup of Arbitrage over RSD at matched accuracy: the two latencies at the
 * stated accuracy, drawn as a horizontal segment, and the speedup curve over accuracies with its
 * bootstrap band (the chart's second view).
 *
 * The point estimates come from shared/metrics' matchedEstimate on the configurations' summaries —
 * for the toolkit grader the very numbers summary.json holds; the intervals come from summary.json
 * (computed from the per-problem records, shared/stats/matched-bootstrap.ts).
 */
import { CANDIDATE_NAMES, describeHeadline } from "../metrics/headline-text.ts";
import { escalatesEveryStep, headlineSelection, matchedEstimate, type MatchedCandidate } from "../metrics/matched-accuracy.ts";
import { THRESHOLD_METHODS, type ConfigSummary, type MatchedAccuracyBase } from "../results.ts";
import { accuracyLatencyFrontier } from "../stats/matched-accuracy.ts";
import { wilsonInterval } from "../stats/wilson.ts";
import { referencePoints, type AccuracyOptions } from "./acceptance-accuracy.ts";
import { accuracyOf, asList, type RunSummaries } from "./run-input.ts";
import type { AccuracyLatencyData, LatencyPoint, LatencySeries, MatchedAccuracy } from "./types.ts";

/** The points the headline uses: configurations with finished problems and a positive latency. */
function plottable(c: ConfigSummary): boolean {
  return c.problems > 0 && c.latencyMs.mean > 0;
}

function latencyPoint(c: ConfigSummary, grader: "qwen" | "strict"): LatencyPoint {
  const accuracy = accuracyOf(c, grader);
  return {
    configId: c.id,
    threshold: c.threshold,
    latencyMs: c.latencyMs.mean,
    accuracy,
    accuracyCi95: wilsonInterval(Math.round(accuracy * c.problems), c.problems),
    problems: c.problems,
    escalatesEveryStep: escalatesEveryStep(c),
  };
}

function matchedOf(run: RunSummaries, configs: ConfigSummary[], candidate: MatchedCandidate, grader: "qwen" | "strict"): MatchedAccuracy | null {
  const e = matchedEstimate(configs, candidate, grader);
  if (e === null) return null;
  const stored: MatchedAccuracyBase | null = (candidate === "arbitrage" ? run.headline?.matchedAccuracy : run.headline?.oracleMatchedAccuracy) ?? null;
  // The stored intervals belong to the toolkit grader's estimate: use them only with it, and only
  // when the summary was computed by this definition (an older summary.json may differ).
  const same = grader === "qwen" && stored !== null && stored.speedup === e.stated.speedup && stored.curve.length === e.curve.length;
  const intervalNote = same
    ? null
    : grader === "strict"
      ? "intervals are computed for the toolkit grader's accuracy only"
      : run.headline === undefined || stored === null
        ? "the run's summary.json has no intervals (it predates them, or the run has not finished)"
        : "the run's summary.json was computed by an older definition of the headline";
  const m: MatchedAccuracy = {
    runId: run.runId,
    runLabel: run.runLabel,
    candidate,
    speedup: e.stated.speedup,
    accuracy: e.stated.accuracy,
    rsdLatencyMs: e.stated.baselineLatency,
    candidateLatencyMs: e.stated.candidateLatency,
    ci95: same ? stored.ci95 : null,
    accuracyCi95: same ? stored.accuracyCi95 : null,
    problems: same ? stored.problems : null,
    resamples: same ? stored.resamples : null,
    intervalNote,
    range: e.range,
    curve: e.curve.map((p, i) => ({ accuracy: p.accuracy, speedup: p.speedup, ci95: same ? (stored.curve[i]?.ci95 ?? null) : null })),
    text: "",
  };
  m.text = describeHeadline({ candidate: CANDIDATE_NAMES[candidate], accuracy: m.accuracy, speedup: m.speedup, ci95: m.ci95, problems: m.problems, rsdMs: m.rsdLatencyMs, candidateMs: m.candidateLatencyMs });
  return m;
}

export function accuracyLatency(input: RunSummaries | readonly RunSummaries[], options: AccuracyOptions = {}): AccuracyLatencyData {
  const grader = options.grader ?? "qwen";
  const series: LatencySeries[] = [];
  const matched: AccuracyLatencyData["matched"] = [];
  const unmatched: AccuracyLatencyData["unmatched"] = [];
  for (const run of asList(input)) {
    const baselines = run.configs.filter((c) => (c.method === "draft" || c.method === "target") && plottable(c)).map((c) => latencyPoint(c, grader));
    for (const method of THRESHOLD_METHODS) {
      const points: LatencyPoint[] = run.configs
        .filter((c) => c.method === method && plottable(c))
        .map((c) => latencyPoint(c, grader))
        .sort((a, b) => a.latencyMs - b.latencyMs);
      if (points.length === 0) continue;
      const onFrontier = [...points.filter((p) => !p.escalatesEveryStep), ...baselines];
      const frontier = accuracyLatencyFrontier(onFrontier.map((p) => ({ ...p, latency: p.latencyMs }))).map(({ latency: _latency, ...p }) => p);
      series.push({ runId: run.runId, runLabel: run.runLabel, method, points, frontier });
    }

    // With the strict grader the same construction runs on strict accuracies.
    const configs = run.configs;
    const arbitrage = matchedOf(run, configs, "arbitrage", grader);
    if (arbitrage === null) {
      const s = headlineSelection(configs, "arbitrage");
      const why =
        s.baseline.length === 0 && s.candidate.length === 0 && s.excluded.length > 0
          ? "every RSD and Arbitrage configuration escalates every step"
          : "the run lacks RSD or Arbitrage configurations with finished problems";
      unmatched.push({ runId: run.runId, runLabel: run.runLabel, reason: why });
    } else matched.push(arbitrage);
    const oracle = matchedOf(run, configs, "oracle", grader);
    if (oracle !== null) matched.push(oracle);
  }
  return { kind: "accuracy-latency", grader, series, references: referencePoints(input, grader), matched, unmatched };
}
