/**
 * Plot 4: router score vs oracle Δ (one dot per step the router scored and the oracle judged), with
 * Spearman ρ and its bootstrap interval, and the calibration curve beside it.
 */
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { RouterScatterData, ScatterPoint } from "../../shared/plots/types.ts";
import type { ReliabilityBin } from "../../shared/stats/index.ts";
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
  const ci = d.spearmanCI ? ` [${fmtNum(d.spearmanCI[0])}, ${fmtNum(d.spearmanCI[1])}] ${Math.round(d.spearmanCILevel * 100)}% CI` : " (no interval)";
  const shown = d.pointsShown < d.n ? `; ${d.pointsShown} of ${d.n} points drawn` : "";
  return `Spearman ρ = ${fmtNum(d.spearman)}${ci}; ROC-AUC ${fmtNum(d.auc)}; n = ${d.n} steps, ${fmtPct(d.escalateShare)} with Δ > 0${shown}.`;
}

export function RouterScatterChart({ data, actions, height = 320 }: { data: RouterScatterData; actions?: ChartFrameProps["actions"]; height?: number }) {
  const legend: LegendItem[] = [
    { label: "Δ > 0: the target's step scores higher", color: WRITER_COLORS.target, mark: "dot" },
    { label: "Δ ≤ 0: keep the draft", color: WRITER_COLORS.draft, mark: "dot" },
    { label: `τ = ${data.threshold}`, color: "#64748b", mark: "line", dashed: true },
  ];
  const deltas = data.points.map((p) => p.delta);
  const span = Math.max(1e-6, ...deltas.map(Math.abs));
  const half = niceTicks(0, span * 1.05, 3);
  const top = half.at(-1) ?? 1;
  const yTicks = [...half.slice(1).reverse().map((v) => -v), ...half];
  const yFmt = tickFormatter(yTicks);
  return (
    <ChartFrame plot="router-scatter" title={`Router score vs oracle Δ — ${data.router}`} subtitle={rhoText(data)} legend={legend} empty={data.n === 0 ? "No (router score, Δ) pairs." : null} actions={actions}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <ScatterChart margin={{ top: 8, right: 24, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" dataKey="score" domain={[0, 1]} label={{ value: "router score", position: "insideBottom", offset: -16 }} />
          <YAxis type="number" dataKey="delta" domain={[-top, top]} ticks={yTicks} tickFormatter={yFmt} width={72} label={{ value: "oracle Δ", angle: -90, position: "insideLeft", offset: 0 }} />
          <Tooltip content={<ScatterTip />} />
          <ReferenceLine y={0} stroke="#94a3b8" />
          <ReferenceLine x={data.threshold} stroke="#64748b" strokeDasharray="5 3" />
          <Scatter name="Δ > 0" data={data.points.filter((p) => p.label === 1)} fill={WRITER_COLORS.target} fillOpacity={0.7} isAnimationActive={false} />
          <Scatter name="Δ ≤ 0" data={data.points.filter((p) => p.label === 0)} fill={WRITER_COLORS.draft} fillOpacity={0.7} isAnimationActive={false} />
        </ScatterChart>
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
      title={`scores in [${b.lower.toFixed(2)}, ${b.upper.toFixed(2)})`}
      rows={[
        { label: "mean score", value: fmtNum(b.x) },
        { label: "observed Δ > 0", value: fmtPct(b.y) },
        { label: "steps", value: String(b.count) },
      ]}
    />
  );
}

export function CalibrationChart({ data, actions, height = 320 }: { data: RouterScatterData; actions?: ChartFrameProps["actions"]; height?: number }) {
  const bins: ReliabilityBin[] = data.calibration ?? [];
  const points: BinPoint[] = bins.filter((b) => b.count > 0).map((b) => ({ x: b.meanPredicted as number, y: b.observedFrequency as number, count: b.count, lower: b.lower, upper: b.upper }));
  const legend: LegendItem[] = [
    { label: "observed share of Δ > 0 per score bin", color: "#059669", mark: "line" },
    { label: "perfect calibration", color: "#94a3b8", mark: "line", dashed: true },
  ];
  return (
    <ChartFrame
      plot="router-calibration"
      title="Router calibration"
      subtitle={`Reliability bins of the router score against y = 1[Δ > 0]; ECE ${fmtNum(data.ece)}.`}
      legend={legend}
      empty={data.calibration === null ? "Scores outside [0, 1]: not probabilities, no calibration curve." : points.length === 0 ? "No pairs." : null}
      actions={actions}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <ScatterChart margin={{ top: 8, right: 24, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" dataKey="x" domain={[0, 1]} label={{ value: "mean router score in bin", position: "insideBottom", offset: -16 }} />
          <YAxis type="number" dataKey="y" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "observed Δ > 0", angle: -90, position: "insideLeft", offset: 12 }} />
          <Tooltip content={<BinTip />} />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#94a3b8" strokeDasharray="5 3" />
          <Scatter name="bins" data={points} fill="#059669" line={{ stroke: "#059669", strokeWidth: 2 }} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
