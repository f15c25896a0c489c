/** The Electron utilityProcess adapter, driven through JobHost with an EventEmitter fake of UtilityProcess. */
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import { JobHost } from "../../../main/jobs/job-host.ts";
import { utilityWorker, type UtilityFork, type UtilityProcessLike } from "../../../main/jobs/utility-channel.ts";
import type { WorkerTask } from "../../../main/jobs/worker-protocol.ts";

const TASK: WorkerTask = { kind: "call", method: "models.inspect", input: { path: "/m", role: "draft" } };

/** A fake utility process: records what the parent posts and lets a script answer like a worker would. */
class FakeUtility extends EventEmitter implements UtilityProcessLike {
  readonly posted: unknown[] = [];
  readonly stderr = new PassThrough();
  killed = false;
  pid = 4242;
  constructor(private readonly onPost: (msg: unknown, self: FakeUtility) => void) {
    super();
    // A utility process posts "ready" once it has loaded its module.
    setTimeout(() => this.emit("message", { type: "ready" }), 5);
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
    queueMicrotask(() => this.onPost(message, this));
  }
  kill(): boolean {
    this.killed = true;
    setTimeout(() => this.emit("exit", 15), 5);
    return true;
  }
}

function fakeFork(onPost: (msg: unknown, self: FakeUtility) => void) {
  const made: { path: string; options: unknown; proc: FakeUtility }[] = [];
  const fork: UtilityFork = (path, _args, options) => {
    const proc = new FakeUtility(onPost);
    made.push({ path, options, proc });
    return proc;
  };
  return { fork, made };
}

describe("utilityWorker (Electron adapter)", () => {
  it("forks the given entry, waits for ready, posts the task and resolves with the result", async () => {
    const { fork, made } = fakeFork((msg, self) => {
      if ((msg as { type: string }).type === "task") {
        self.emit("message", { type: "progress", done: 0, total: 1, current: "loading" });
        self.emit("message", { type: "result", value: { ok: 1 } });
        self.emit("exit", 0);
      }
    });
    const host = new JobHost(utilityWorker(fork, "/app/dist/app/worker.js"));
    const events: unknown[] = [];
    await expect(host.run(TASK, { onEvent: (e) => events.push(e) }).result).resolves.toEqual({ ok: 1 });
    expect(made).toHaveLength(1);
    expect(made[0]?.path).toBe("/app/dist/app/worker.js");
    expect(made[0]?.proc.posted).toEqual([{ type: "task", task: TASK }]);
    expect(events).toEqual([{ type: "progress", done: 0, total: 1, current: "loading" }]);
  });

  it("an exit before the answer (a crash, out of memory) is a typed error carrying stderr", async () => {
    const { fork } = fakeFork((msg, self) => {
      if ((msg as { type: string }).type === "task") {
        self.stderr.write("FATAL ERROR: Reached heap limit Allocation failed\n");
        setTimeout(() => self.emit("exit", 134), 10);
      }
    });
    const host = new JobHost(utilityWorker(fork, "/w.js"));
    const err = (await host.run(TASK).result.catch((e: unknown) => e)) as WorkbenchError;
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.kind).toBe("internal");
    expect(err.message).toMatch(/exited with code 134/);
    expect(err.message).toContain("Reached heap limit");
  });

  it("cancel is posted to the child; a child that does not stop is killed after the grace period", async () => {
    const { fork, made } = fakeFork(() => {});
    const host = new JobHost(utilityWorker(fork, "/w.js"), { cancelGraceMs: 50 });
    const job = host.run(TASK);
    await new Promise((r) => setTimeout(r, 20));
    job.cancel();
    const err = (await job.result.catch((e: unknown) => e)) as WorkbenchError;
    expect(err.kind).toBe("cancelled");
    expect(made[0]?.proc.posted).toEqual([{ type: "task", task: TASK }, { type: "cancel" }]);
    expect(made[0]?.proc.killed).toBe(true);
  });

  it("stray messages are not taken for an answer, and nothing is posted after exit", async () => {
    const { fork, made } = fakeFork((msg, self) => {
      if ((msg as { type: string }).type === "task") {
        self.emit("message", "hello");
        self.emit("message", { type: "bogus", value: 1 });
        self.emit("exit", 0);
      }
    });
    const host = new JobHost(utilityWorker(fork, "/w.js"));
    const job = host.run(TASK);
    const err = (await job.result.catch((e: unknown) => e)) as WorkbenchError;
    expect(err.message).toMatch(/code 0\) without answering/);
    job.cancel();
    expect(made[0]?.proc.posted).toHaveLength(1);
  });
});
