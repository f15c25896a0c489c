/**
 * Plot 4: router score (x) against oracle Δ (y), with Spearman ρ and its bootstrap interval, and
 * the calibration curve (reliability bins of the score against y = 1[Δ > 0]). Every number comes
 * from shared/router-metrics' routerReport — the one the CLI's router-eval prints.
 */
import { routerReport } from "../router-metrics/index.ts";
import { eceOfBins, equalCountBins } from "../stats/calibration.ts";
import type { KeyedPair } from "./router-pairs.ts";
import type { DensityCell, RouterCalibrationData, RouterScatterData, RunTag, ScatterPoint } from "./types.ts";

export interface RouterScatterOptions {
  /** τ of the decision metrics (default 0.5). */
  threshold?: number;
  /** Seed and replicates of the bootstrap interval (defaults 0 and 1000, as router-eval). */
  seed?: number;
  resamples?: number;
  bins?: number;
  /** Most points drawn (default 4000): a scatter of 500k dots is unreadable and slow to draw. */
  maxPoints?: number;
  /** Cells of the density grid along the score and Δ axes (defaults 20 and 16). */
  densityCells?: [number, number];
  /** Which configurations' steps the pairs come from, said in the plot. */
  configs?: { scores: string[]; deltas: string[] };
}

/**
 * Every pair counted on an nx × ny grid over score [0, 1] (or the scores' range when outside it) and
 * the Δ range, per label. Only non-empty cells are returned.
 */
export function densityCells(pairs: readonly KeyedPair[], nx: number, ny: number): DensityCell[] {
  if (pairs.length === 0) return [];
  let sLo = 0;
  let sHi = 1;
  let dLo = Infinity;
  let dHi = -Infinity;
  for (const p of pairs) {
    sLo = Math.min(sLo, p.score);
    sHi = Math.max(sHi, p.score);
    dLo = Math.min(dLo, p.delta);
    dHi = Math.max(dHi, p.delta);
  }
  if (dHi - dLo < 1e-9) {
    dLo -= 0.5;
    dHi += 0.5;
  }
  const w = (sHi - sLo) / nx;
  const h = (dHi - dLo) / ny;
  const counts = new Map<number, number>();
  for (const p of pairs) {
    const i = Math.min(nx - 1, Math.floor((p.score - sLo) / w));
    const j = Math.min(ny - 1, Math.floor((p.delta - dLo) / h));
    const key = ((p.delta > 0 ? 1 : 0) * ny + j) * nx + i;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const cells: DensityCell[] = [];
  for (const [key, count] of counts) {
    const i = key % nx;
    const j = Math.floor(key / nx) % ny;
    const label = Math.floor(key / (nx * ny)) === 1 ? 1 : 0;
    cells.push({ score: sLo + (i + 0.5) * w, delta: dLo + (j + 0.5) * h, width: w, height: h, label, count });
  }
  return cells.sort((a, b) => a.label - b.label || a.score - b.score || a.delta - b.delta);
}

/** The calibration plot's data, for export: the adaptive bins when there are, else the equal-width ones. */
export function routerCalibration(d: RouterScatterData): RouterCalibrationData {
  const adaptive = d.adaptiveCalibration ?? null;
  const bins = adaptive ?? d.calibration ?? [];
  return {
    kind: "router-calibration",
    runId: d.runId,
    runLabel: d.runLabel,
    router: d.router,
    binning: adaptive !== null ? "equal-count" : "equal-width",
    n: d.n,
    ece: adaptive !== null ? eceOfBins(adaptive) : d.ece,
    bins,
  };
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
  const inUnit = pairs.every((p) => p.score >= 0 && p.score <= 1);
  const [nx, ny] = options.densityCells ?? [20, 16];
  let dLo = Infinity;
  let dHi = -Infinity;
  for (const p of pairs) {
    dLo = Math.min(dLo, p.delta);
    dHi = Math.max(dHi, p.delta);
  }
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
    resamples: report.bootstrap.resamples,
    auc: report.auc,
    ece: report.ece,
    threshold: report.threshold,
    escalateShare: report.labelBalance.escalateShare,
    calibration: report.reliability,
    density: densityCells(pairs, nx, ny),
    deltaRange: pairs.length === 0 ? null : [dLo, dHi],
    adaptiveCalibration: inUnit
      ? equalCountBins(
          pairs.map((p) => p.score),
          pairs.map((p) => (p.delta > 0 ? 1 : 0)),
          // About ten steps a bin at least (fewer bins for few pairs), never fewer than two bins.
          { bins: Math.max(2, Math.min(options.bins ?? 10, Math.floor(pairs.length / 10))) },
        )
      : null,
    ...(options.configs ? { configs: options.configs } : {}),
  };
}
