/**
 * What a job worker does with each kind of task. Runs inside the worker process only. Each kind
 * imports its code when it runs: a model inspection should not wait for the graders (mathjs, the
 * compute engine) that only a sweep needs.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { ChildMessage, SweepResult, WorkerTask } from "./worker-protocol.ts";

export interface TaskContext {
  signal: AbortSignal;
  emit(msg: ChildMessage): void;
}

export async function runWorkerTask(task: WorkerTask, ctx: TaskContext): Promise<unknown> {
  switch (task.kind) {
    case "sweep": {
      const { runSweep } = await import("./sweep.ts");
      const outcome = await runSweep(task.spec, {
        outDir: task.outDir,
        resume: task.resume,
        measure: task.measure,
        signal: ctx.signal,
        specAsGiven: task.specAsGiven,
        onStart: (s) => ctx.emit({ type: "started", ...s }),
        onProgress: (p) => ctx.emit({ type: "progress", done: p.done, total: p.total, current: p.current }),
        onLog: (line) => ctx.emit({ type: "log", line }),
        onPhase: (phase, rounds) => ctx.emit(rounds ? { type: "phase", phase, rounds } : { type: "phase", phase }),
      });
      // Records stay on disk (journal.jsonl): the parent reads pages of them on demand.
      const result: SweepResult = { outDir: outcome.outDir, summary: outcome.summary, complete: outcome.complete, cancelled: outcome.cancelled, failed: outcome.failed };
      return result;
    }
    case "call":
      if (task.method === "models.inspect") return (await import("../api/model-inspect.ts")).inspectModel(task.input);
      if (task.method === "datasets.preview") return (await import("../api/dataset-preview.ts")).previewDataset(task.input);
      if (task.method === "runs.report") return (await import("../api/run-report.ts")).runReport(task.input as { dir: string });
      throw new WorkbenchError("internal", `the job worker has no call ${JSON.stringify((task as { method: unknown }).method)}`);
    default:
      throw new WorkbenchError("internal", `the job worker got a task of unknown kind ${JSON.stringify((task as { kind: unknown }).kind)}`);
  }
}
