/** Colours and marks shared by every chart, its legend and its exported SVG. */
import type { Method } from "../../shared/results.ts";
import type { LatencyComponent } from "../../shared/plots/types.ts";

export const WRITER_COLORS = { draft: "#2563eb", target: "#ea580c" } as const;

export const METHOD_COLORS: Record<Method, string> = {
  draft: "#2563eb",
  target: "#ea580c",
  rsd: "#7c3aed",
  arbitrage: "#059669",
  oracle: "#475569",
  generate: "#a16207",
};

export const METHOD_LABELS: Record<Method, string> = {
  draft: "draft only",
  target: "target only",
  rsd: "RSD (PRM ≥ δ keeps the draft)",
  arbitrage: "Arbitrage (router ≥ τ escalates)",
  oracle: "Arbitrage oracle (Δ > τ escalates)",
  generate: "generate",
};

export const COMPONENT_COLORS: Record<LatencyComponent, string> = {
  draft: "#2563eb",
  router: "#059669",
  prm: "#7c3aed",
  target: "#ea580c",
  overhead: "#94a3b8",
};

/** Compare: the second run is drawn dashed with triangles. */
export const RUN_SHAPES = ["circle", "triangle"] as const;
export const RUN_DASH = [undefined, "6 4"] as const;

export const CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export interface LegendItem {
  label: string;
  color: string;
  /** How the mark is drawn in the legend. */
  mark: "line" | "dot" | "square" | "diamond" | "star";
  dashed?: boolean;
  /** Drawn faded (e.g. configurations off the frontier, an interval's band). */
  opacity?: number;
}

/** How faded the points off a frontier are drawn (chart, legend and exported SVG alike). */
export const OFF_FRONTIER_OPACITY = 0.35;

export const fmtPct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)} %`);
export const fmtNum = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits));
export const fmtMs = (x: number | null | undefined): string =>
  x === null || x === undefined ? "—" : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x >= 100 ? 0 : 1)} ms`;
