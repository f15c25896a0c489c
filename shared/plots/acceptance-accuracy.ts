/**
 * Plot 1: acceptance rate (x) against accuracy (y), one line per threshold method, a point per
 * threshold, with the draft alone and the target alone as reference points.
 */
import { formatThreshold, THRESHOLD_METHODS } from "../results.ts";
import { wilsonInterval } from "../stats/wilson.ts";
import type { AcceptanceAccuracyData, AcceptancePoint, AcceptanceSeries, OverlapGroup, ReferencePoint } from "./types.ts";
import { accuracyOf, asList, type RunSummaries } from "./run-input.ts";

export interface AccuracyOptions {
  /** Accuracy by the toolkit's grader (default) or the strict one. */
  grader?: "qwen" | "strict";
}

export function referencePoints(input: RunSummaries | readonly RunSummaries[], grader: "qwen" | "strict" = "qwen"): ReferencePoint[] {
  const refs: ReferencePoint[] = [];
  for (const run of asList(input)) {
    for (const c of run.configs) {
      if ((c.method !== "draft" && c.method !== "target") || c.problems === 0) continue;
      refs.push({
        runId: run.runId,
        runLabel: run.runLabel,
        method: c.method,
        configId: c.id,
        acceptanceRate: c.method === "draft" ? (c.acceptanceRate ?? 1) : (c.acceptanceRate ?? 0),
        acceptanceRateDefined: c.acceptanceRate,
        accuracy: accuracyOf(c, grader),
        accuracyCi95: wilsonInterval(Math.round(accuracyOf(c, grader) * c.problems), c.problems),
        problems: c.problems,
        latencyMs: c.latencyMs.mean,
      });
    }
  }
  return refs;
}

/**
 * Points of one series (sorted by threshold) that coincide exactly: the same configurations'
 * outcome at several thresholds (e.g. every τ from 0.1 to 0.9 escalates the same steps).
 */
export function overlapGroups(symbol: string, points: readonly AcceptancePoint[]): OverlapGroup[] {
  const byPlace = new Map<string, number[]>();
  points.forEach((p, i) => {
    const key = `${p.acceptanceRate}\u0000${p.accuracy}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), i]);
  });
  const groups: OverlapGroup[] = [];
  for (const idx of byPlace.values()) {
    if (idx.length < 2) continue;
    const members = idx.map((i) => points[i] as AcceptancePoint);
    const thresholds = members.map((p) => p.threshold);
    const contiguous = idx.every((v, k) => k === 0 || v === (idx[k - 1] as number) + 1);
    const label = contiguous
      ? `${symbol} ${formatThreshold(thresholds[0] as number)}–${formatThreshold(thresholds[thresholds.length - 1] as number)}`
      : `${symbol} ${thresholds.map(formatThreshold).join(", ")}`;
    const first = members[0] as AcceptancePoint;
    groups.push({ acceptanceRate: first.acceptanceRate, accuracy: first.accuracy, thresholds, configIds: members.map((p) => p.configId), label });
  }
  return groups;
}

export function acceptanceAccuracy(input: RunSummaries | readonly RunSummaries[], options: AccuracyOptions = {}): AcceptanceAccuracyData {
  const grader = options.grader ?? "qwen";
  const series: AcceptanceSeries[] = [];
  const omitted: AcceptanceAccuracyData["omitted"] = [];
  for (const run of asList(input)) {
    for (const method of THRESHOLD_METHODS) {
      const points: AcceptanceSeries["points"] = [];
      for (const c of run.configs) {
        if (c.method !== method || c.threshold === null) continue;
        if (c.problems === 0) {
          omitted.push({ configId: c.id, reason: "no problem finished" });
          continue;
        }
        if (c.acceptanceRate === null) {
          omitted.push({ configId: c.id, reason: "no draft token was generated" });
          continue;
        }
        points.push({ configId: c.id, threshold: c.threshold, acceptanceRate: c.acceptanceRate, accuracy: accuracyOf(c, grader), problems: c.problems });
      }
      if (points.length === 0) continue;
      points.sort((a, b) => a.threshold - b.threshold);
      series.push({ runId: run.runId, runLabel: run.runLabel, method, points, overlaps: overlapGroups(method === "rsd" ? "δ" : "τ", points) });
    }
  }
  return { kind: "acceptance-accuracy", grader, series, references: referencePoints(input, grader), omitted };
}
