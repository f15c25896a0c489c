/**
 * Plot 5: one problem's steps. The chart: a bar per step, its tokens coloured by who wrote the kept
 * step, with the discarded candidate's tokens hatched grey on top. The list: each step's text, the
 * scores behind its decision, and the discarded candidate struck through.
 */
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StepTraceData, TraceStep } from "../../shared/plots/types.ts";
import { ChartFrame, type ChartFrameProps } from "./ChartFrame.tsx";
import { fmtMs, fmtNum, WRITER_COLORS, type LegendItem } from "./theme.ts";
import { hovered, TipBox, type TipProps } from "./Tip.tsx";

interface StepBar {
  step: number;
  kept: number;
  discarded: number;
  source: TraceStep["source"];
  s: TraceStep;
}

function scoreRows(s: TraceStep) {
  const rows: { label: string; value: string }[] = [];
  if (s.prmDraft !== null) rows.push({ label: "PRM(draft)", value: fmtNum(s.prmDraft) });
  if (s.prmTarget !== null) rows.push({ label: "PRM(target)", value: fmtNum(s.prmTarget) });
  if (s.delta !== null) rows.push({ label: "Δ", value: fmtNum(s.delta, 4) });
  if (s.router !== null) rows.push({ label: "router", value: fmtNum(s.router) });
  return rows;
}

function StepTip(props: TipProps<StepBar>) {
  const b = hovered(props);
  if (!b) return null;
  return (
    <TipBox
      title={`step ${b.step}: ${b.source} (${b.s.decision})`}
      rows={[{ label: "kept tokens", value: String(b.kept) }, { label: "discarded tokens", value: String(b.discarded) }, ...scoreRows(b.s)]}
    />
  );
}

export function traceTitle(d: StepTraceData): string {
  return `${d.problemId} under ${d.configId}: ${d.correct ? "correct" : "wrong"} (answer ${d.extracted === "" ? "none" : d.extracted})`;
}

export function StepTraceChart({ data, actions, height = 220 }: { data: StepTraceData; actions?: ChartFrameProps["actions"]; height?: number }) {
  const bars: StepBar[] = data.steps.map((s) => ({
    step: s.index,
    kept: s.source === "draft" ? s.tokens.draftAccepted : s.tokens.target,
    discarded: s.tokens.draftDiscarded,
    source: s.source,
    s,
  }));
  const legend: LegendItem[] = [
    { label: "kept step by the draft", color: WRITER_COLORS.draft, mark: "square" },
    { label: "kept step by the target", color: WRITER_COLORS.target, mark: "square" },
    { label: "discarded draft tokens", color: "#cbd5e1", mark: "square" },
  ];
  return (
    <ChartFrame
      plot="step-trace"
      title={`Step trace — ${traceTitle(data)}`}
      subtitle={`${data.counts.draft} ${data.counts.draft === 1 ? "step" : "steps"} by the draft, ${data.counts.target} by the target, ${data.counts.discardedDraft} draft ${data.counts.discardedDraft === 1 ? "step" : "steps"} discarded; latency ${fmtMs(data.latencyMs.total)}; stop: ${data.stopReason}.`}
      legend={legend}
      empty={data.steps.length === 0 ? (data.error ? `No steps: ${data.error}` : "No steps.") : null}
      actions={actions}
      footer={<StepList data={data} />}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <BarChart data={bars} margin={{ top: 4, right: 24, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="step" label={{ value: "step", position: "insideBottom", offset: -14 }} />
          <YAxis label={{ value: "tokens", angle: -90, position: "insideLeft", offset: 12 }} />
          <Tooltip content={<StepTip />} cursor={{ fill: "#f1f5f9" }} />
          <Bar dataKey="kept" stackId="t" isAnimationActive={false}>
            {bars.map((b) => (
              <Cell key={b.step} fill={WRITER_COLORS[b.source]} />
            ))}
          </Bar>
          <Bar dataKey="discarded" stackId="t" fill="#cbd5e1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function StepList({ data }: { data: StepTraceData }) {
  if (data.steps.length === 0) return null;
  return (
    <ol className="step-list">
      {data.steps.map((s) => (
        <li key={s.index} className={`step step-${s.source}`} data-source={s.source}>
          <div className="step-head">
            <span className={`badge badge-${s.source}`}>{s.source}</span>
            <span className="decision">{s.decision}</span>
            {scoreRows(s).map((r) => (
              <span key={r.label} className="score">
                {r.label} {r.value}
              </span>
            ))}
          </div>
          {s.discarded ? (
            <del className={`discarded discarded-${s.discarded.by}`} title={`${s.discarded.by}'s candidate, not kept`}>
              {s.discarded.text}
            </del>
          ) : null}
          <p className="step-text">{s.text}</p>
        </li>
      ))}
    </ol>
  );
}
