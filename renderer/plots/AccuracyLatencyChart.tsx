/**
 * Plot 2, two views of the same data. "Accuracy vs latency": dots for every configuration (faded
 * when off its method's frontier), lines for the frontiers (baselines included), and the matched
 * point: RSD's and Arbitrage's latencies at the stated accuracy joined by a segment labelled with
 * the speedup and its 95 % interval, a whisker for the stated accuracy's interval. "Speedup vs
 * accuracy": the speedup curve of Arbitrage (and the oracle) over RSD with its bootstrap band.
 */
import { useState } from "react";
import { Area, CartesianGrid, ComposedChart, Line, ReferenceDot, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatInterval } from "../../shared/metrics/headline-text.ts";
import type { AccuracyLatencyData, MatchedAccuracy } from "../../shared/plots/types.ts";
import { runIndexOf } from "./AcceptanceAccuracyChart.tsx";
import { ChartFrame, type ChartFrameProps } from "./ChartFrame.tsx";
import { fmtMs, fmtPct, METHOD_COLORS, METHOD_LABELS, OFF_FRONTIER_OPACITY, RUN_DASH, RUN_SHAPES, type LegendItem } from "./theme.ts";
import { hovered, TipBox, type TipProps } from "./Tip.tsx";
import { accuracyTicks, niceTicks, tickFormatter } from "./ticks.ts";

interface Point {
  x: number;
  y: number;
  title: string;
  threshold: number | null;
  ci: [number, number] | null;
  problems: number;
  note?: string;
}

const pctInterval = (ci: [number, number] | null) => (ci === null ? "—" : `[${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}] %`);

function LatTip(props: TipProps<Point>) {
  const p = hovered(props);
  if (!p) return null;
  const rows = [
    { label: "threshold", value: p.threshold === null ? "—" : String(p.threshold) },
    { label: "mean latency", value: fmtMs(p.x) },
    { label: "accuracy", value: fmtPct(p.y) },
    { label: "95 % (Wilson)", value: pctInterval(p.ci) },
    { label: "problems", value: String(p.problems) },
  ];
  if (p.note) rows.push({ label: "note", value: p.note });
  return <TipBox title={p.title} rows={rows} />;
}

/** The subtitle: the headline sentence of each run (Arbitrage over RSD), or why there is none. */
export function speedupText(data: AccuracyLatencyData): string {
  const arb = data.matched.filter((m) => m.candidate === "arbitrage");
  const multi = arb.length + data.unmatched.length > 1;
  const parts = [
    ...arb.map((m) => `${multi ? `${m.runLabel}: ` : ""}${m.text}${m.intervalNote && m.ci95 === null ? ` (${m.intervalNote})` : ""}`),
    ...data.unmatched.map((u) => `${multi ? `${u.runLabel}: ` : ""}no speedup at matched accuracy: ${u.reason}`),
  ];
  return parts.join("; ") || "no speedup at matched accuracy";
}

/** "2.10× [1.6–2.5]" — the label on the matched segment. */
export function matchedLabel(m: MatchedAccuracy): string {
  return `${m.speedup.toFixed(2)}×${m.ci95 ? ` ${formatInterval(m.ci95)}` : ""}`;
}

type View = "latency" | "curve";

function ViewSwitch({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  return (
    <div className="view-switch" role="group" aria-label="view">
      <button className={`small${view === "latency" ? " active" : ""}`} aria-pressed={view === "latency"} data-view="latency" onClick={() => onChange("latency")}>
        accuracy vs latency
      </button>
      <button className={`small${view === "curve" ? " active" : ""}`} aria-pressed={view === "curve"} data-view="curve" onClick={() => onChange("curve")}>
        speedup vs accuracy
      </button>
    </div>
  );
}

export function AccuracyLatencyChart({ data, actions, height = 340, initialView = "latency" }: { data: AccuracyLatencyData; actions?: ChartFrameProps["actions"]; height?: number; initialView?: View }) {
  const [view, setView] = useState<View>(initialView);
  const hasCurve = data.matched.length > 0;
  const shown: View = hasCurve ? view : "latency";
  const frame = shown === "latency" ? latencyView(data, height) : curveView(data, height);
  return (
    <ChartFrame plot="accuracy-latency" title={frame.title} subtitle={frame.subtitle} legend={frame.legend} empty={frame.empty} actions={actions}>
      {hasCurve ? <ViewSwitch view={shown} onChange={setView} /> : null}
      <div data-view-shown={shown}>{frame.chart}</div>
    </ChartFrame>
  );
}

interface Frame {
  title: string;
  subtitle: string;
  legend: LegendItem[];
  empty: string | null;
  chart: React.ReactNode;
}

function latencyView(data: AccuracyLatencyData, height: number): Frame {
  const runIds = [...new Set([...data.series.map((s) => s.runId), ...data.references.map((r) => r.runId)])];
  const multi = runIds.length > 1;
  const arb = data.matched.filter((m) => m.candidate === "arbitrage");
  const legend: LegendItem[] = data.series.map((s) => ({
    label: `${multi ? `${s.runLabel}: ` : ""}${METHOD_LABELS[s.method]}`,
    color: METHOD_COLORS[s.method],
    mark: "line",
    dashed: runIndexOf(runIds, s.runId) === 1,
  }));
  for (const r of data.references) legend.push({ label: `${multi ? `${r.runLabel}: ` : ""}${METHOD_LABELS[r.method]}`, color: METHOD_COLORS[r.method], mark: r.method === "draft" ? "diamond" : "star" });
  if (data.series.some((s) => s.points.length > s.frontier.filter((p) => p.threshold !== null).length)) {
    legend.push({ label: "faded: off the frontier (incl. configurations that escalate every step)", color: "#475569", mark: "dot", opacity: OFF_FRONTIER_OPACITY });
  }
  if (arb.length > 0) legend.push({ label: "matched accuracy: RSD → Arbitrage, speedup [95 % interval]", color: "#0f172a", mark: "line", dashed: true });
  if (arb.some((m) => m.accuracyCi95 !== null)) legend.push({ label: "95 % interval of the stated accuracy", color: "#0f172a", mark: "line" });

  const xs = [...data.series.flatMap((s) => s.points.map((p) => p.latencyMs)), ...data.references.map((r) => r.latencyMs)];
  const ys = [...data.series.flatMap((s) => s.points.map((p) => p.accuracy)), ...data.references.map((r) => r.accuracy), ...arb.flatMap((m) => m.accuracyCi95 ?? [])];
  const y = accuracyTicks(ys);
  const xTicks = niceTicks(0, Math.max(...xs, 1e-3) * 1.05);
  const xFmt = tickFormatter(xTicks, " ms");
  const chart = (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
      {/* The top margin leaves room for the matched label above a segment at 100 % (also in the exported SVG). */}
      <ScatterChart margin={{ top: 30, right: 24, bottom: 28, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis type="number" dataKey="x" domain={[0, xTicks.at(-1) ?? 1]} ticks={xTicks} tickFormatter={xFmt} label={{ value: "mean latency per problem", position: "insideBottom", offset: -16 }} />
        <YAxis type="number" dataKey="y" domain={y.domain} ticks={y.ticks} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "accuracy", angle: -90, position: "insideLeft", offset: 12 }} />
        <Tooltip content={<LatTip />} cursor={{ strokeDasharray: "3 3" }} />
        {data.series.map((s) => {
          const k = runIndexOf(runIds, s.runId);
          const name = (id: string) => `${multi ? `${s.runLabel}: ` : ""}${id}`;
          const on = new Set(s.frontier.map((p) => p.configId));
          const toPoint = (p: (typeof s.points)[number]): Point => ({
            x: p.latencyMs,
            y: p.accuracy,
            title: name(p.configId),
            threshold: p.threshold,
            ci: p.accuracyCi95,
            problems: p.problems,
            note: p.escalatesEveryStep ? "escalates every step: left out of the frontier" : on.has(p.configId) ? undefined : "off the frontier",
          });
          return [
            <Scatter
              key={`${s.runId}/${s.method}/frontier`}
              name={`${s.runLabel} ${s.method} frontier`}
              data={s.frontier.map((p) => ({ x: p.latencyMs, y: p.accuracy }))}
              fill={METHOD_COLORS[s.method]}
              shape={() => <g />}
              line={{ stroke: METHOD_COLORS[s.method], strokeWidth: 2, strokeDasharray: RUN_DASH[k] }}
              isAnimationActive={false}
              tooltipType="none"
            />,
            <Scatter
              key={`${s.runId}/${s.method}/on`}
              name={`${s.runLabel} ${s.method}`}
              data={s.points.filter((p) => on.has(p.configId)).map(toPoint)}
              fill={METHOD_COLORS[s.method]}
              shape={RUN_SHAPES[k]}
              isAnimationActive={false}
            />,
            <Scatter
              key={`${s.runId}/${s.method}/off`}
              name={`${s.runLabel} ${s.method} off the frontier`}
              data={s.points.filter((p) => !on.has(p.configId)).map(toPoint)}
              fill={METHOD_COLORS[s.method]}
              fillOpacity={OFF_FRONTIER_OPACITY}
              shape={RUN_SHAPES[k]}
              isAnimationActive={false}
            />,
          ];
        })}
        {data.references.map((r) => (
          <Scatter
            key={`${r.runId}/${r.method}`}
            name={`${r.runLabel} ${r.method}`}
            data={[{ x: r.latencyMs, y: r.accuracy, title: `${multi ? `${r.runLabel}: ` : ""}${METHOD_LABELS[r.method]}`, threshold: null, ci: r.accuracyCi95, problems: r.problems }]}
            fill={METHOD_COLORS[r.method]}
            shape={r.method === "draft" ? "diamond" : "star"}
            isAnimationActive={false}
          />
        ))}
        {arb.flatMap((m) => [
          m.accuracyCi95 ? (
            <ReferenceLine
              key={`${m.runId}/matched-ci`}
              segment={[
                { x: m.candidateLatencyMs, y: m.accuracyCi95[0] },
                { x: m.candidateLatencyMs, y: m.accuracyCi95[1] },
              ]}
              stroke="#0f172a"
              strokeWidth={1.5}
            />
          ) : null,
          <ReferenceLine
            key={`${m.runId}/matched`}
            segment={[
              { x: m.rsdLatencyMs, y: m.accuracy },
              { x: m.candidateLatencyMs, y: m.accuracy },
            ]}
            stroke="#0f172a"
            strokeWidth={2}
            strokeDasharray="5 3"
            label={{ value: matchedLabel(m), position: "insideBottomLeft", dy: -10, fill: "#0f172a", fontSize: 13, fontWeight: 600 }}
          />,
          <ReferenceDot key={`${m.runId}/matched-arb`} x={m.candidateLatencyMs} y={m.accuracy} r={4} fill="#0f172a" stroke="#ffffff" />,
          <ReferenceDot key={`${m.runId}/matched-rsd`} x={m.rsdLatencyMs} y={m.accuracy} r={4} fill="#ffffff" stroke="#0f172a" />,
        ])}
      </ScatterChart>
    </ResponsiveContainer>
  );
  return { title: "Accuracy vs mean latency per problem", subtitle: speedupText(data), legend, empty: xs.length === 0 ? "No configuration with finished problems yet." : null, chart };
}

interface CurveRow {
  x: number;
  [key: string]: number | [number, number] | undefined;
}

function CurveTip(props: TipProps<CurveRow> & { series: { key: string; label: string }[] }) {
  const row = hovered(props);
  if (!row) return null;
  const rows = props.series.flatMap((s) => {
    const v = row[`s${s.key}`];
    if (typeof v !== "number") return [];
    const band = row[`b${s.key}`];
    return [{ label: s.label, value: `${v.toFixed(2)}×${Array.isArray(band) ? ` ${formatInterval(band)}` : ""}` }];
  });
  return <TipBox title={`at ${fmtPct(row.x)} accuracy`} rows={rows} />;
}

function curveView(data: AccuracyLatencyData, height: number): Frame {
  const multi = new Set(data.matched.map((m) => m.runId)).size > 1;
  const runIds = [...new Set(data.matched.map((m) => m.runId))];
  const series = data.matched.map((m, i) => ({
    key: String(i),
    m,
    label: `${multi ? `${m.runLabel}: ` : ""}${m.candidate === "arbitrage" ? "Arbitrage" : "oracle"} over RSD`,
    color: METHOD_COLORS[m.candidate],
    dash: RUN_DASH[runIndexOf(runIds, m.runId)],
  }));
  const rows: CurveRow[] = [];
  for (const s of series) {
    for (const p of s.m.curve) {
      const row: CurveRow = { x: p.accuracy, [`s${s.key}`]: p.speedup };
      if (p.ci95) row[`b${s.key}`] = p.ci95;
      rows.push(row);
    }
  }
  rows.sort((a, b) => a.x - b.x);
  const legend: LegendItem[] = series.flatMap((s) => [
    { label: s.label, color: s.color, mark: "line" as const, dashed: s.dash !== undefined },
    ...(s.m.curve.some((p) => p.ci95 !== null) ? [{ label: `${s.label}: 95 % band`, color: s.color, mark: "square" as const, opacity: 0.2 }] : []),
  ]);
  const values = [1, ...series.flatMap((s) => s.m.curve.flatMap((p) => [p.speedup, ...(p.ci95 ?? [])]))];
  const yTicks = niceTicks(Math.max(0, Math.min(...values) * 0.95), Math.max(...values) * 1.05);
  const yFmt = tickFormatter(yTicks, "×");
  const x = accuracyTicks(rows.map((r) => r.x), 0);
  const n = [...new Set(data.matched.map((m) => m.problems).filter((p) => p !== null))];
  const notes = [...new Set(data.matched.map((m) => m.intervalNote).filter((t) => t !== null))];
  const subtitle =
    "RSD's mean latency / the candidate's on the frontiers (baselines included) at each accuracy, from the draft's accuracy to the stated one; above 1× the candidate is faster. " +
    (n.length > 0 ? `Band: 95 % bootstrap interval over ${n.join(" / ")} problems.` : "") +
    (notes.length > 0 ? ` ${notes.join("; ")}.` : "");
  const chart = (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
      <ComposedChart data={rows} margin={{ top: 30, right: 24, bottom: 28, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis type="number" dataKey="x" domain={[Math.min(...rows.map((r) => r.x)), Math.max(...rows.map((r) => r.x))]} ticks={x.ticks.filter((t) => t >= Math.min(...rows.map((r) => r.x)) - 1e-9)} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "accuracy", position: "insideBottom", offset: -16 }} allowDataOverflow />
        <YAxis type="number" domain={[yTicks[0] ?? 0, yTicks.at(-1) ?? 2]} ticks={yTicks} tickFormatter={yFmt} label={{ value: "speedup over RSD", angle: -90, position: "insideLeft", offset: 12 }} />
        <Tooltip content={<CurveTip series={series} />} />
        <ReferenceLine y={1} stroke="#94a3b8" strokeDasharray="4 3" label={{ value: "1× (as fast as RSD)", position: "insideTopRight", fill: "#64748b", fontSize: 11 }} />
        {series.map((s) => (
          <Area key={`b${s.key}`} dataKey={`b${s.key}`} stroke="none" fill={s.color} fillOpacity={0.2} connectNulls isAnimationActive={false} activeDot={false} />
        ))}
        {series.map((s) => (
          <Line key={`s${s.key}`} dataKey={`s${s.key}`} stroke={s.color} strokeWidth={2} strokeDasharray={s.dash} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
        ))}
        {series
          .filter((s) => s.m.candidate === "arbitrage")
          .map((s) => (
            // The stated accuracy is the curve's right end: the label goes to its left, inside the plot.
            <ReferenceDot key={`stated${s.key}`} x={s.m.accuracy} y={s.m.speedup} r={4} fill="#0f172a" stroke="#ffffff" label={{ value: matchedLabel(s.m), position: "left", fill: "#0f172a", fontSize: 12, fontWeight: 600 }} />
          ))}
      </ComposedChart>
    </ResponsiveContainer>
  );
  return { title: "Speedup over RSD vs accuracy", subtitle, legend, empty: rows.length === 0 ? "No speedup curve: the run lacks RSD or Arbitrage configurations." : null, chart };
}
