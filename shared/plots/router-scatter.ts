/**
 * Plot 4: router score (x) against oracle Δ (y), with Spearman ρ and its bootstrap interval, and
 * the calibration curve (reliability bins of the score against y = 1[Δ > 0]). Every number comes
 * from shared/router-metrics' routerReport — the one the CLI's router-eval prints.
 */
import { routerReport } from "../router-metrics/index.ts";
import type { KeyedPair } from "./router-pairs.ts";
import type { RouterScatterData, RunTag, ScatterPoint } from "./types.ts";

export interface RouterScatterOptions {
  /** τ of the decision metrics (default 0.5). */
  threshold?: number;
  /** Seed and replicates of the bootstrap interval (defaults 0 and 1000, as router-eval). */
  seed?: number;
  resamples?: number;
  bins?: number;
  /** Most points drawn (default 4000): a scatter of 500k dots is unreadable and slow to draw. */
  maxPoints?: number;
}

/** An evenly spaced subset of `n` indices, deterministic, always including the first and last. */
function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return xs.slice();
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(xs[Math.round((k * (xs.length - 1)) / (max - 1))] as T);
  return out;
}

export function routerScatter(
  pairs: readonly KeyedPair[],
  tag: RunTag & { source: RouterScatterData["source"]; router: string },
  options: RouterScatterOptions = {},
): RouterScatterData {
  const report = routerReport(pairs, {
    threshold: options.threshold ?? 0.5,
    seed: options.seed ?? 0,
    resamples: options.resamples ?? 1000,
    bins: options.bins ?? 10,
  });
  const points: ScatterPoint[] = thin(pairs, options.maxPoints ?? 4000).map((p) => ({
    score: p.score,
    delta: p.delta,
    label: p.delta > 0 ? 1 : 0,
    problemId: p.problemId,
    stepIndex: p.stepIndex,
  }));
  return {
    kind: "router-scatter",
    runId: tag.runId,
    runLabel: tag.runLabel,
    source: tag.source,
    router: tag.router,
    n: report.n,
    points,
    pointsShown: points.length,
    spearman: report.spearman,
    spearmanCI: report.spearmanCI,
    spearmanCILevel: report.spearmanCILevel,
    auc: report.auc,
    ece: report.ece,
    threshold: report.threshold,
    escalateShare: report.labelBalance.escalateShare,
    calibration: report.reliability,
  };
}
