/** JobHost against real child processes that answer, fail, crash, exit early, hang or ignore cancel. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import { forkWorker } from "../../../main/jobs/fork-channel.ts";
import { JobHost, type JobEvent } from "../../../main/jobs/job-host.ts";
import type { WorkerTask } from "../../../main/jobs/worker-protocol.ts";

const FIXTURE = fileURLToPath(new URL("../../fixtures/workers/misbehave.ts", import.meta.url));
const TASK: WorkerTask = { kind: "call", method: "datasets.preview", input: { path: "/x" } };

function host(behaviour: string, opts: ConstructorParameters<typeof JobHost>[1] = {}) {
  return new JobHost(forkWorker({ entry: FIXTURE, args: [behaviour], output: null }), opts);
}

async function rejection(p: Promise<unknown>): Promise<WorkbenchError> {
  const err = await p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkbenchError);
  return err as WorkbenchError;
}

describe("JobHost with real child processes", () => {
  it("sends the task after ready, streams events, resolves with the result", async () => {
    const h = host("echo");
    const events: JobEvent[] = [];
    const value = await h.run(TASK, { onEvent: (e) => events.push(e) }).result;
    expect(value).toEqual({ echo: TASK });
    expect(events).toEqual([
      { type: "progress", done: 1, total: 2, current: "a" },
      { type: "log", line: "hello" },
    ]);
  });

  it("rejects with the worker's typed error", async () => {
    const err = await rejection(host("error").run(TASK).result);
    expect(err.kind).toBe("bad-model");
    expect(err.message).toBe("no graph here");
    expect(err.details).toEqual({ path: "/m" });
  });

  it("settles once: later results, errors and the exit code are ignored", async () => {
    const job = host("double").run(TASK);
    await expect(job.result).resolves.toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // let the late messages and exit(1) arrive
    await expect(job.result).resolves.toBe(1);
  });

  it("a crashing worker becomes an internal error with its exit code and last output", async () => {
    const h = host("crash");
    const err = await rejection(h.run(TASK).result);
    expect(err.kind).toBe("internal");
    expect(err.message).toMatch(/exited with code 3/);
    expect(err.message).toContain("something broke in the worker");
    expect(err.details?.["exitCode"]).toBe(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.running).toBe(0);
  });

  it("exit code 0 before answering is an error too, not a silent success", async () => {
    const err = await rejection(host("exit-0").run(TASK).result);
    expect(err.kind).toBe("internal");
    expect(err.message).toMatch(/exited \(code 0\) without answering/);
  });

  it("an uncaught exception and a SIGKILL (the out-of-memory killer) are errors for that task only", async () => {
    const thrown = await rejection(host("throw").run(TASK).result);
    expect(thrown.message).toMatch(/exited with code 1/);
    expect(thrown.message).toContain("uncaught in worker");
    const killed = await rejection(host("sigkill").run(TASK).result);
    expect(killed.message).toMatch(/killed by SIGKILL/);
    expect(killed.details?.["signal"]).toBe("SIGKILL");
  });

  it("times out a task that never answers, and kills its worker", async () => {
    const h = host("hang");
    const err = await rejection(h.run(TASK, { timeoutMs: 1500 }).result);
    expect(err.message).toMatch(/did not answer within 2 s|did not answer within 1 s/);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.running).toBe(0);
  });

  it("times out a worker that never says ready", async () => {
    const h = host("never-ready", { readyTimeoutMs: 3000 });
    const err = await rejection(h.run(TASK).result);
    expect(err.message).toMatch(/did not start within 3 s/);
  });

  it("cancel reaches the worker, which answers with what it did", async () => {
    const h = host("cancel-aware");
    const events: JobEvent[] = [];
    const job = h.run(TASK, {
      onEvent: (e) => {
        events.push(e);
        if (e.type === "progress") job.cancel();
      },
    });
    await expect(job.result).resolves.toEqual({ cancelled: true });
    expect(events.map((e) => e.type)).toEqual(["progress", "log"]);
  });

  it("a worker that ignores cancel is killed after the grace period: cancelled", async () => {
    const h = host("ignore-cancel", { cancelGraceMs: 300 });
    const job = h.run(TASK);
    setTimeout(() => job.cancel(), 1500);
    const err = await rejection(job.result);
    expect(err.kind).toBe("cancelled");
  });

  it("a missing worker entry fails its task, not the host", async () => {
    const h = new JobHost(forkWorker({ entry: "/nonexistent/worker.js", output: null }));
    const err = await rejection(h.run(TASK).result);
    expect(err.kind).toBe("internal");
  });
});
