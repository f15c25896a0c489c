/**
 * Plot 4: router score vs oracle Δ (one dot per step the router scored and the oracle judged), with
 * Spearman ρ and its bootstrap interval, and the calibration curve beside it.
 */
import { CartesianGrid, LabelList, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import type { DensityCell, RouterCalibrationData, RouterScatterData, ScatterPoint } from "../../shared/plots/types.ts";
import { ChartFrame, type ChartFrameProps } from "./ChartFrame.tsx";
import { fmtNum, fmtPct, WRITER_COLORS, type LegendItem } from "./theme.ts";
import { hovered, TipBox, type TipProps } from "./Tip.tsx";
import { niceTicks, tickFormatter } from "./ticks.ts";

function ScatterTip(props: TipProps<ScatterPoint>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={`${p.problemId ?? "step"}${p.stepIndex === null ? "" : `, step ${p.stepIndex}`}`}
      rows={[
        { label: "router score", value: fmtNum(p.score) },
        { label: "Δ = PRM(t) − PRM(d)", value: fmtNum(p.delta, 4) },
        { label: "label", value: p.label === 1 ? "escalate (Δ > 0)" : "keep draft (Δ ≤ 0)" },
      ]}
    />
  );
}

export function rhoText(d: RouterScatterData): string {
  const boots = d.resamples !== undefined && d.resamples !== 1000 ? `, ${d.resamples} resamples` : "";
  const ci = d.spearmanCI ? ` [${fmtNum(d.spearmanCI[0])}, ${fmtNum(d.spearmanCI[1])}] ${Math.round(d.spearmanCILevel * 100)}% CI${boots}` : " (no interval)";
  return `Spearman ρ = ${fmtNum(d.spearman)}${ci}; ROC-AUC ${fmtNum(d.auc)}; n = ${d.n.toLocaleString("en")} steps, ${fmtPct(d.escalateShare)} with Δ > 0.`;
}

/** Whose steps the pairs are: the router's scores from which configurations, Δ from which. */
export function sourceText(d: RouterScatterData): string {
  if (!d.configs) return "";
  const list = (xs: string[]) => (xs.length <= 3 ? xs.join(", ") : `${xs.slice(0, 2).join(", ")} and ${xs.length - 2} more`);
  return ` Router scores from the steps of ${list(d.configs.scores)}; Δ from ${list(d.configs.deltas)}.`;
}

/** How the pairs are drawn: every point (thinned past 4000), points spread sideways, or counts per cell. */
export type ScatterMode = "points" | "jitter" | "density";

/** The view a run opens on: counts per cell once points would hide each other. */
export function defaultScatterMode(d: RouterScatterData): ScatterMode {
  return d.density !== undefined && d.n > 1500 ? "density" : "points";
}

/** A fixed sideways offset in [-0.02, 0.02] per point (the same on every render and in exports). */
function jitterOf(p: ScatterPoint, i: number): number {
  let h = 2166136261;
  const key = `${p.problemId ?? ""}:${p.stepIndex ?? i}:${i}`;
  for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key.charCodeAt(k), 16777619);
  return (((h >>> 0) / 4294967295) * 2 - 1) * 0.02;
}

/** The y-axis fitted to Δ: from the smallest to the largest Δ, 0 always included. */
function deltaTicks(d: RouterScatterData): number[] {
  const range = d.deltaRange ?? (d.points.length > 0 ? [Math.min(...d.points.map((p) => p.delta)), Math.max(...d.points.map((p) => p.delta))] : [0, 1]);
  return niceTicks(Math.min(0, range[0]), Math.max(0, range[1]), 5);
}

interface CellPoint extends DensityCell {
  size: number;
}

function CellTip(props: TipProps<CellPoint>) {
  const c = hovered(props);
  if (!c) return null;
  return (
    <TipBox
      title={`${c.count.toLocaleString("en")} steps with ${c.label === 1 ? "Δ > 0" : "Δ ≤ 0"}`}
      rows={[
        { label: "router score", value: `${fmtNum(c.score - c.width / 2)} – ${fmtNum(c.score + c.width / 2)}` },
        { label: "Δ", value: `${fmtNum(c.delta - c.height / 2, 3)} – ${fmtNum(c.delta + c.height / 2, 3)}` },
      ]}
    />
  );
}

export function RouterScatterChart({ data, actions, height = 320, mode = defaultScatterMode(data) }: { data: RouterScatterData; actions?: ChartFrameProps["actions"]; height?: number; mode?: ScatterMode }) {
  const density = mode === "density" && data.density !== undefined;
  const legend: LegendItem[] = [
    { label: "Δ > 0: the target's step scores higher", color: WRITER_COLORS.target, mark: "dot" },
    { label: "Δ ≤ 0: keep the draft", color: WRITER_COLORS.draft, mark: "dot" },
    { label: `τ = ${data.threshold}`, color: "#64748b", mark: "line", dashed: true },
  ];
  const yTicks = deltaTicks(data);
  const yFmt = tickFormatter(yTicks);
  const drawn = density
    ? ` Density: every step counted in ${data.density!.length} cells, a dot's area ∝ its count (largest ${Math.max(...data.density!.map((c) => c.count)).toLocaleString("en")}).`
    : `${data.pointsShown < data.n ? ` ${data.pointsShown.toLocaleString("en")} of ${data.n.toLocaleString("en")} points drawn.` : ""}${mode === "jitter" ? " Points spread sideways by up to ±0.02 to show piles; hover for the exact score." : ""}`;
  const subtitle = `${rhoText(data)}${sourceText(data)}${drawn}`;
  const xDomain: [number, number] = mode === "jitter" ? [-0.03, 1.03] : [0, 1];
  const xTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  let body;
  if (density) {
    const cells = data.density!;
    const maxCount = Math.max(1, ...cells.map((c) => c.count));
    const pos = cells.filter((c) => c.label === 1);
    const neg = cells.filter((c) => c.label === 0);
    body = (
      <ScatterChart margin={{ top: 8, right: 24, bottom: 28, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis type="number" dataKey="score" domain={xDomain} ticks={xTicks} label={{ value: "router score", position: "insideBottom", offset: -16 }} />
        <YAxis type="number" dataKey="delta" domain={[yTicks[0] as number, yTicks.at(-1) as number]} ticks={yTicks} tickFormatter={yFmt} width={72} label={{ value: "oracle Δ", angle: -90, position: "insideLeft", offset: 0 }} />
        <ZAxis type="number" dataKey="count" domain={[0, maxCount]} range={[6, 520]} />
        <Tooltip content={<CellTip />} />
        <ReferenceLine y={0} stroke="#94a3b8" />
        <ReferenceLine x={data.threshold} stroke="#64748b" strokeDasharray="5 3" />
        <Scatter name="Δ > 0" data={pos} fill={WRITER_COLORS.target} fillOpacity={0.55} isAnimationActive={false} />
        <Scatter name="Δ ≤ 0" data={neg} fill={WRITER_COLORS.draft} fillOpacity={0.55} isAnimationActive={false} />
      </ScatterChart>
    );
  } else {
    const pts = mode === "jitter" ? data.points.map((p, i) => ({ ...p, x: p.score + jitterOf(p, i) })) : data.points.map((p) => ({ ...p, x: p.score }));
    body = (
      <ScatterChart margin={{ top: 8, right: 24, bottom: 28, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis type="number" dataKey="x" domain={xDomain} ticks={xTicks} allowDataOverflow label={{ value: "router score", position: "insideBottom", offset: -16 }} />
        <YAxis type="number" dataKey="delta" domain={[yTicks[0] as number, yTicks.at(-1) as number]} ticks={yTicks} tickFormatter={yFmt} width={72} label={{ value: "oracle Δ", angle: -90, position: "insideLeft", offset: 0 }} />
        <Tooltip content={<ScatterTip />} />
        <ReferenceLine y={0} stroke="#94a3b8" />
        <ReferenceLine x={data.threshold} stroke="#64748b" strokeDasharray="5 3" />
        <Scatter name="Δ > 0" data={pts.filter((p) => p.label === 1)} fill={WRITER_COLORS.target} fillOpacity={0.7} isAnimationActive={false} />
        <Scatter name="Δ ≤ 0" data={pts.filter((p) => p.label === 0)} fill={WRITER_COLORS.draft} fillOpacity={0.7} isAnimationActive={false} />
      </ScatterChart>
    );
  }
  return (
    <ChartFrame plot="router-scatter" title={`Router score vs oracle Δ — ${data.router}`} subtitle={subtitle} legend={legend} empty={data.n === 0 ? "No (router score, Δ) pairs." : null} actions={actions}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        {body}
      </ResponsiveContainer>
    </ChartFrame>
  );
}

interface BinPoint {
  x: number;
  y: number;
  count: number;
  lower: number;
  upper: number;
}

function BinTip(props: TipProps<BinPoint>) {
  const b = hovered(props);
  if (!b) return null;
  return (
    <TipBox
      title={`scores ${fmtNum(b.lower)} – ${fmtNum(b.upper)}`}
      rows={[
        { label: "mean score", value: fmtNum(b.x) },
        { label: "observed Δ > 0", value: fmtPct(b.y) },
        { label: "steps", value: String(b.count) },
      ]}
    />
  );
}

/** The calibration curve from its bins (shared/plots routerCalibration: equal-count bins when the run has them). */
export function CalibrationChart({ data, actions, height = 320 }: { data: RouterCalibrationData; actions?: ChartFrameProps["actions"]; height?: number }) {
  const points: BinPoint[] = data.bins
    .filter((b) => b.count > 0 && b.meanPredicted !== null && b.observedFrequency !== null)
    .map((b) => ({ x: b.meanPredicted as number, y: b.observedFrequency as number, count: b.count, lower: b.lower, upper: b.upper }));
  const legend: LegendItem[] = [
    { label: "observed share of Δ > 0 per score bin (label: steps in it)", color: "#059669", mark: "line" },
    { label: "perfect calibration", color: "#94a3b8", mark: "line", dashed: true },
  ];
  const how =
    data.binning === "equal-count"
      ? `${points.length} ${points.length === 1 ? "bin" : "bins"} of about ${Math.round(data.n / Math.max(1, points.length)).toLocaleString("en")} steps each (equal-count; equal scores share a bin)`
      : `${points.length} non-empty equal-width ${points.length === 1 ? "bin" : "bins"}`;
  return (
    <ChartFrame
      plot="router-calibration"
      title="Router calibration"
      subtitle={`Reliability of the router score against y = 1[Δ > 0]: ${how}; ECE ${fmtNum(data.ece)}.`}
      legend={legend}
      empty={data.bins.length === 0 ? "Scores outside [0, 1] or no pairs: no calibration curve." : null}
      actions={actions}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <ScatterChart margin={{ top: 16, right: 24, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" dataKey="x" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} label={{ value: "mean router score in bin", position: "insideBottom", offset: -16 }} />
          <YAxis type="number" dataKey="y" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "observed Δ > 0", angle: -90, position: "insideLeft", offset: 12 }} />
          <Tooltip content={<BinTip />} />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#94a3b8" strokeDasharray="5 3" />
          <Scatter name="bins" data={points} fill="#059669" line={{ stroke: "#059669", strokeWidth: 2 }} isAnimationActive={false}>
            <LabelList dataKey="count" position="top" fontSize={10} fill="#475569" formatter={(v: unknown) => Number(v).toLocaleString("en")} />
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
