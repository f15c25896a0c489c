/** Plot 5 for a chosen configuration and problem, read from the store. */
import { memo, useMemo } from "react";
import { stepTrace } from "../../shared/plots/step-trace.ts";
import { useApp } from "../app/context.tsx";
import { useLive } from "../app/live.ts";
import { ExportButtons } from "../export/ExportButtons.tsx";
import { StepTraceChart } from "../plots/StepTrace.tsx";
import { problemRecord } from "../store/queries.ts";

/**
 * Memoised, and its chart data too: the chooser above it re-renders after every page an import
 * stores, and without them each of those renders drew the step trace again (recharts recomputes a
 * chart given new data), hundreds of times in a large import.
 */
export const TracePanel = memo(function TracePanel({ runId, configId, problemId }: { runId: string; configId: string; problemId: string }) {
  const { db } = useApp();
  const record = useLive(() => problemRecord(db, runId, configId, problemId), [db, runId, configId, problemId], undefined as Awaited<ReturnType<typeof problemRecord>> | undefined);
  const data = useMemo(() => (record ? stepTrace(record) : null), [record]);
  if (record === undefined) return <p className="hint">loading…</p>;
  if (record === null || data === null) return <p className="empty">No record of {problemId} under {configId} in this run.</p>;
  return <StepTraceChart data={data} actions={(get) => <ExportButtons get={get} data={data} name={`trace-${configId}-${problemId}`} />} />;
});
