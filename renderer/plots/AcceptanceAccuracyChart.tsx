/**
 * Plot 1: acceptance rate vs accuracy, a line per method; the threshold shows on hover. Thresholds
 * that land on the same point are labelled there as a range ("τ 0.1–0.9") rather than stacked
 * invisibly.
 */
import { CartesianGrid, ReferenceDot, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { AcceptanceAccuracyData } from "../../shared/plots/types.ts";
import { wilsonInterval } from "../../shared/stats/wilson.ts";
import { ChartFrame, type ChartFrameProps } from "./ChartFrame.tsx";
import { fmtPct, METHOD_COLORS, METHOD_LABELS, RUN_DASH, RUN_SHAPES, type LegendItem } from "./theme.ts";
import { hovered, TipBox, type TipProps } from "./Tip.tsx";
import { accuracyTicks } from "./ticks.ts";

interface Point {
  x: number;
  y: number;
  title: string;
  threshold: number | null;
  problems: number | null;
  note?: string;
}

function AccTip(props: TipProps<Point>) {
  const p = hovered(props);
  if (!p) return null;
  const rows = [
    { label: "threshold", value: p.threshold === null ? "—" : String(p.threshold) },
    { label: "acceptance", value: fmtPct(p.x) },
    { label: "accuracy", value: fmtPct(p.y) },
  ];
  if (p.problems !== null) {
    const ci = wilsonInterval(Math.round(p.y * p.problems), p.problems);
    if (ci) rows.push({ label: "95 % (Wilson)", value: `[${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}] %` });
    rows.push({ label: "problems", value: String(p.problems) });
  }
  if (p.note) rows.push({ label: "note", value: p.note });
  return <TipBox title={p.title} rows={rows} />;
}

/**
 * How far above its point each overlap label sits: labels of points close together (within 6 % of
 * the axes) stack upwards instead of printing over each other.
 */
export function labelOffsets(points: readonly { x: number; y: number }[], yspan: number): number[] {
  return points.map((p, i) => {
    const near = points.slice(0, i).filter((q) => Math.abs(q.x - p.x) < 0.06 && Math.abs(q.y - p.y) < 0.06 * yspan).length;
    return 6 + 13 * near;
  });
}

export function runIndexOf(runIds: string[], runId: string): 0 | 1 {
  return runIds.indexOf(runId) === 1 ? 1 : 0;
}

export function AcceptanceAccuracyChart({ data, actions, height = 340 }: { data: AcceptanceAccuracyData; actions?: ChartFrameProps["actions"]; height?: number }) {
  const runIds = [...new Set([...data.series.map((s) => s.runId), ...data.references.map((r) => r.runId)])];
  const multi = runIds.length > 1;
  const legend: LegendItem[] = [];
  for (const s of data.series) {
    const k = runIndexOf(runIds, s.runId);
    legend.push({ label: `${multi ? `${s.runLabel}: ` : ""}${METHOD_LABELS[s.method]}`, color: METHOD_COLORS[s.method], mark: "line", dashed: k === 1 });
  }
  for (const r of data.references) {
    legend.push({ label: `${multi ? `${r.runLabel}: ` : ""}${METHOD_LABELS[r.method]}`, color: METHOD_COLORS[r.method], mark: r.method === "draft" ? "diamond" : "star" });
  }
  const ys = [...data.series.flatMap((s) => s.points.map((p) => p.accuracy)), ...data.references.map((r) => r.accuracy)];
  const y = accuracyTicks(ys);
  return (
    <ChartFrame
      plot="acceptance-accuracy"
      title="Acceptance rate vs accuracy"
      subtitle={`Accepted draft tokens / draft tokens generated, against accuracy (${data.grader === "strict" ? "strict grader" : "Qwen2.5-Math toolkit grader"}); one point per threshold — hover for it; thresholds that land on the same point are labelled with their range.`}
      legend={legend}
      empty={data.series.length === 0 && data.references.length === 0 ? "No configuration with finished problems yet." : null}
      actions={actions}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <ScatterChart margin={{ top: 20, right: 24, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" dataKey="x" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "acceptance rate", position: "insideBottom", offset: -16 }} />
          <YAxis type="number" dataKey="y" domain={y.domain} ticks={y.ticks} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "accuracy", angle: -90, position: "insideLeft", offset: 12 }} />
          <Tooltip content={<AccTip />} cursor={{ strokeDasharray: "3 3" }} />
          {data.series.map((s) => {
            const k = runIndexOf(runIds, s.runId);
            const shared = new Map(s.overlaps.flatMap((g) => g.configIds.map((id) => [id, g.label] as const)));
            const pts: Point[] = s.points.map((p) => ({
              x: p.acceptanceRate,
              y: p.accuracy,
              title: `${multi ? `${s.runLabel}: ` : ""}${p.configId}`,
              threshold: p.threshold,
              problems: p.problems,
              note: shared.has(p.configId) ? `same point as ${shared.get(p.configId)}` : undefined,
            }));
            return (
              <Scatter
                key={`${s.runId}/${s.method}`}
                name={`${s.runLabel} ${s.method}`}
                data={pts}
                fill={METHOD_COLORS[s.method]}
                shape={RUN_SHAPES[k]}
                line={{ stroke: METHOD_COLORS[s.method], strokeWidth: 2, strokeDasharray: RUN_DASH[k] }}
                lineJointType="linear"
                isAnimationActive={false}
              />
            );
          })}
          {(() => {
            const groups = data.series.flatMap((s) => s.overlaps.map((g) => ({ s, g })));
            const offsets = labelOffsets(groups.map(({ g }) => ({ x: g.acceptanceRate, y: g.accuracy })), y.domain[1] - y.domain[0]);
            return groups.map(({ s, g }, i) => (
              <ReferenceDot
                key={`${s.runId}/${s.method}/${g.label}`}
                x={g.acceptanceRate}
                y={g.accuracy}
                r={6}
                fill="none"
                stroke={METHOD_COLORS[s.method]}
                strokeWidth={1.5}
                label={{ value: `${multi ? `${s.runLabel}: ` : ""}${g.label}`, position: "top", offset: offsets[i], fill: METHOD_COLORS[s.method], fontSize: 11, fontWeight: 600 }}
              />
            ));
          })()}
          {data.references.map((r) => (
            <Scatter
              key={`${r.runId}/${r.method}`}
              name={`${r.runLabel} ${r.method}`}
              data={[{ x: r.acceptanceRate, y: r.accuracy, title: `${multi ? `${r.runLabel}: ` : ""}${METHOD_LABELS[r.method]}`, threshold: null, problems: null, note: r.acceptanceRateDefined === null ? "no draft tokens: drawn at 0" : undefined }]}
              fill={METHOD_COLORS[r.method]}
              shape={r.method === "draft" ? "diamond" : "star"}
              isAnimationActive={false}
            />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
