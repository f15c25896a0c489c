/** Plot 5 for a chosen configuration and problem, read from the store. */
import { stepTrace } from "../../shared/plots/step-trace.ts";
import { useApp } from "../app/context.tsx";
import { useLive } from "../app/live.ts";
import { ExportButtons } from "../export/ExportButtons.tsx";
import { StepTraceChart } from "../plots/StepTrace.tsx";
import { problemRecord } from "../store/queries.ts";

export function TracePanel({ runId, configId, problemId }: { runId: string; configId: string; problemId: string }) {
  const { db } = useApp();
  const record = useLive(() => problemRecord(db, runId, configId, problemId), [db, runId, configId, problemId], undefined as Awaited<ReturnType<typeof problemRecord>> | undefined);
  if (record === undefined) return <p className="hint">loading…</p>;
  if (record === null) return <p className="empty">No record of {problemId} under {configId} in this run.</p>;
  const data = stepTrace(record);
  return <StepTraceChart data={data} actions={(get) => <ExportButtons get={get} data={data} name={`trace-${configId}-${problemId}`} />} />;
}
