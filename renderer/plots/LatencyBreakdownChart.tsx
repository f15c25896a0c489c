/** Plot 3: mean latency per problem of each configuration, stacked by component. */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BreakdownBar, LatencyBreakdownData } from "../../shared/plots/types.ts";
import { ChartFrame, type ChartFrameProps } from "./ChartFrame.tsx";
import { COMPONENT_COLORS, fmtMs, type LegendItem } from "./theme.ts";
import { hovered, TipBox, type TipProps } from "./Tip.tsx";
import { niceTicks, tickFormatter } from "./ticks.ts";

function BarTip(props: TipProps<BreakdownBar>) {
  const b = hovered(props);
  if (!b) return null;
  return (
    <TipBox
      title={b.label}
      rows={[
        ...(["draft", "router", "prm", "target", "overhead"] as const).map((c) => ({ label: c, value: fmtMs(b[c]) })),
        { label: "total", value: fmtMs(b.total) },
      ]}
    />
  );
}

const COMPONENT_LABELS = { draft: "draft", router: "router", prm: "PRM", target: "target", overhead: "overhead" } as const;

export function LatencyBreakdownChart({ data, actions }: { data: LatencyBreakdownData; actions?: ChartFrameProps["actions"] }) {
  const legend: LegendItem[] = data.components.map((c) => ({ label: COMPONENT_LABELS[c], color: COMPONENT_COLORS[c], mark: "square" }));
  const height = Math.max(200, 40 + data.bars.length * 26);
  const xTicks = niceTicks(0, Math.max(1e-3, ...data.bars.map((b) => b.total)) * 1.02);
  const xFmt = tickFormatter(xTicks, " ms");
  const labelWidth = Math.min(220, 16 + Math.max(0, ...data.bars.map((b) => b.label.length)) * 7);
  return (
    <ChartFrame
      plot="latency-breakdown"
      title="Latency breakdown"
      subtitle="Mean time per problem spent in each component, per configuration (the method's own calls only)."
      legend={legend}
      empty={data.bars.length === 0 ? "No configuration with finished problems yet." : null}
      actions={actions}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <BarChart data={data.bars} layout="vertical" margin={{ top: 4, right: 24, bottom: 24, left: 8 }} barCategoryGap={4}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" domain={[0, xTicks.at(-1) ?? 1]} ticks={xTicks} tickFormatter={xFmt} label={{ value: "mean latency per problem", position: "insideBottom", offset: -14 }} />
          <YAxis type="category" dataKey="label" width={labelWidth} interval={0} tick={{ fontSize: 12 }} />
          <Tooltip content={<BarTip />} cursor={{ fill: "#f1f5f9" }} />
          {data.components.map((c) => (
            <Bar key={c} dataKey={c} stackId="ms" fill={COMPONENT_COLORS[c]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
