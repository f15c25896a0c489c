/**
 * Plot 2: mean latency per problem vs accuracy. Dots: every configuration; lines: each method's
 * frontier; the horizontal segment: RSD's and Arbitrage's latencies at the highest accuracy both
 * reach, labelled with the speedup.
 */
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { AccuracyLatencyData } from "../../shared/plots/types.ts";
import { runIndexOf } from "./AcceptanceAccuracyChart.tsx";
import { ChartFrame, type ChartFrameProps } from "./ChartFrame.tsx";
import { fmtMs, fmtPct, METHOD_COLORS, METHOD_LABELS, RUN_DASH, RUN_SHAPES, type LegendItem } from "./theme.ts";
import { hovered, TipBox, type TipProps } from "./Tip.tsx";
import { niceTicks, tickFormatter } from "./ticks.ts";

interface Point {
  x: number;
  y: number;
  title: string;
  threshold: number | null;
}

function LatTip(props: TipProps<Point>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={p.title}
      rows={[
        { label: "threshold", value: p.threshold === null ? "—" : String(p.threshold) },
        { label: "mean latency", value: fmtMs(p.x) },
        { label: "accuracy", value: fmtPct(p.y) },
      ]}
    />
  );
}

export function speedupText(data: AccuracyLatencyData): string {
  if (data.matched.length === 0) return data.unmatched.map((u) => `${data.unmatched.length > 1 ? `${u.runLabel}: ` : ""}${u.reason}`).join("; ") || "no speedup";
  return data.matched
    .map((m) => `${data.matched.length > 1 ? `${m.runLabel}: ` : ""}Arbitrage is ${m.speedup.toFixed(2)}× faster than RSD at ${fmtPct(m.accuracy)} accuracy (${fmtMs(m.rsdLatencyMs)} vs ${fmtMs(m.arbitrageLatencyMs)})`)
    .join("; ");
}

export function AccuracyLatencyChart({ data, actions, height = 340 }: { data: AccuracyLatencyData; actions?: ChartFrameProps["actions"]; height?: number }) {
  const runIds = [...new Set([...data.series.map((s) => s.runId), ...data.references.map((r) => r.runId)])];
  const multi = runIds.length > 1;
  const legend: LegendItem[] = data.series.map((s) => ({
    label: `${multi ? `${s.runLabel}: ` : ""}${METHOD_LABELS[s.method]}`,
    color: METHOD_COLORS[s.method],
    mark: "line",
    dashed: runIndexOf(runIds, s.runId) === 1,
  }));
  for (const r of data.references) legend.push({ label: `${multi ? `${r.runLabel}: ` : ""}${METHOD_LABELS[r.method]}`, color: METHOD_COLORS[r.method], mark: r.method === "draft" ? "diamond" : "star" });
  if (data.matched.length > 0) legend.push({ label: "matched accuracy: RSD → Arbitrage", color: "#0f172a", mark: "line", dashed: true });

  const xs = [...data.series.flatMap((s) => s.points.map((p) => p.latencyMs)), ...data.references.map((r) => r.latencyMs)];
  const ys = [...data.series.flatMap((s) => s.points.map((p) => p.accuracy)), ...data.references.map((r) => r.accuracy)];
  const yMin = Math.max(0, Math.floor((Math.min(...ys, 1) - 0.05) * 10) / 10);
  const yMax = Math.min(1, Math.ceil((Math.max(...ys, 0) + 0.05) * 10) / 10);
  const xTicks = niceTicks(0, Math.max(...xs, 1e-3) * 1.05);
  const xFmt = tickFormatter(xTicks, " ms");
  return (
    <ChartFrame
      plot="accuracy-latency"
      title="Accuracy vs mean latency per problem"
      subtitle={speedupText(data)}
      legend={legend}
      empty={xs.length === 0 ? "No configuration with finished problems yet." : null}
      actions={actions}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <ScatterChart margin={{ top: 8, right: 24, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" dataKey="x" domain={[0, xTicks.at(-1) ?? 1]} ticks={xTicks} tickFormatter={xFmt} label={{ value: "mean latency per problem", position: "insideBottom", offset: -16 }} />
          <YAxis type="number" dataKey="y" domain={[yMin, yMax]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "accuracy", angle: -90, position: "insideLeft", offset: 12 }} />
          <Tooltip content={<LatTip />} cursor={{ strokeDasharray: "3 3" }} />
          {data.series.map((s) => {
            const k = runIndexOf(runIds, s.runId);
            const name = (id: string) => `${multi ? `${s.runLabel}: ` : ""}${id}`;
            return [
              <Scatter
                key={`${s.runId}/${s.method}/frontier`}
                name={`${s.runLabel} ${s.method} frontier`}
                data={s.frontier.map((p) => ({ x: p.latencyMs, y: p.accuracy, title: name(p.configId), threshold: p.threshold }))}
                fill={METHOD_COLORS[s.method]}
                shape={RUN_SHAPES[k]}
                line={{ stroke: METHOD_COLORS[s.method], strokeWidth: 2, strokeDasharray: RUN_DASH[k] }}
                isAnimationActive={false}
              />,
              <Scatter
                key={`${s.runId}/${s.method}/points`}
                name={`${s.runLabel} ${s.method}`}
                data={s.points.map((p) => ({ x: p.latencyMs, y: p.accuracy, title: name(p.configId), threshold: p.threshold }))}
                fill={METHOD_COLORS[s.method]}
                fillOpacity={0.45}
                shape={RUN_SHAPES[k]}
                isAnimationActive={false}
              />,
            ];
          })}
          {data.references.map((r) => (
            <Scatter
              key={`${r.runId}/${r.method}`}
              name={`${r.runLabel} ${r.method}`}
              data={[{ x: r.latencyMs, y: r.accuracy, title: `${multi ? `${r.runLabel}: ` : ""}${METHOD_LABELS[r.method]}`, threshold: null }]}
              fill={METHOD_COLORS[r.method]}
              shape={r.method === "draft" ? "diamond" : "star"}
              isAnimationActive={false}
            />
          ))}
          {data.matched.map((m) => (
            <ReferenceLine
              key={`${m.runId}/matched`}
              segment={[
                { x: m.rsdLatencyMs, y: m.accuracy },
                { x: m.arbitrageLatencyMs, y: m.accuracy },
              ]}
              stroke="#0f172a"
              strokeWidth={2}
              strokeDasharray="5 3"
              label={{ value: `${m.speedup.toFixed(2)}×`, position: "insideBottomLeft", dy: -10, fill: "#0f172a", fontSize: 13, fontWeight: 600 }}
            />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
