/**
 * Runs tasks in worker processes and settles each exactly once: with the worker's result, its
 * typed error, its exit before answering (a crash, an out-of-memory kill, or exit code 0 without a
 * reply), a timeout, or a spawn failure — whichever comes first; later messages and exits of that
 * worker are ignored. A worker that misbehaves costs its own task, never the process hosting it.
 *
 * One worker per task: a sweep gets its own heap and its crash touches no other run.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { ErrorRecord } from "../../shared/errors.ts";
import type { ChildChannel, SpawnWorker } from "./child-channel.ts";
import { asChildMessage } from "./worker-protocol.ts";
import type { ChildMessage, WorkerTask } from "./worker-protocol.ts";

/** Progress-type messages a task streams before it settles. */
export type JobEvent = Exclude<ChildMessage, { type: "ready" } | { type: "result" } | { type: "error" }>;

export interface RunOptions {
  onEvent?: (event: JobEvent) => void;
  /** Whole-task limit in ms (default none: a sweep takes as long as it takes). */
  timeoutMs?: number;
}

export interface JobHostOptions {
  /** How long a worker may take to load and say "ready" (default 60 s: tsx + onnxruntime on a busy machine). */
  readyTimeoutMs?: number;
  /** After cancel(), how long a worker may take to stop by itself before it is killed (default 60 s). */
  cancelGraceMs?: number;
}

export interface Job<T> {
  /** Settles exactly once. Rejects with a WorkbenchError. */
  readonly result: Promise<T>;
  /** Asks the worker to stop (a sweep stops after its current problem and writes what is done). */
  cancel(): void;
  /** Ends the worker at once; the result rejects with "cancelled" unless it had settled. */
  kill(): void;
}

function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `was killed by ${signal}${signal === "SIGKILL" ? " (out of memory, or killed by the system)" : ""}`;
  if (code === null) return "could not be started";
  return code === 0 ? "exited (code 0) without answering" : `exited with code ${code}`;
}

export class JobHost {
  private readonly readyTimeoutMs: number;
  private readonly cancelGraceMs: number;
  private readonly live = new Set<ChildChannel>();

  constructor(
    private readonly spawn: SpawnWorker,
    options: JobHostOptions = {},
  ) {
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.cancelGraceMs = options.cancelGraceMs ?? 60_000;
  }

  /** Workers running now. */
  get running(): number {
    return this.live.size;
  }

  run<T = unknown>(task: WorkerTask, options: RunOptions = {}): Job<T> {
    let settled = false;
    let child: ChildChannel | null = null;
    let readyTimer: ReturnType<typeof setTimeout> | undefined;
    let taskTimer: ReturnType<typeof setTimeout> | undefined;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let cancelRequested = false;
    let ready = false;
    let resolveFn!: (v: T) => void;
    let rejectFn!: (e: WorkbenchError) => void;
    const result = new Promise<T>((res, rej) => {
      resolveFn = res;
      rejectFn = rej;
    });

    const settle = (outcome: { value: T } | { error: WorkbenchError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(readyTimer);
      clearTimeout(taskTimer);
      clearTimeout(graceTimer);
      if ("value" in outcome) resolveFn(outcome.value);
      else rejectFn(outcome.error);
    };
    const fail = (kind: ErrorRecord["kind"], message: string, details?: Record<string, unknown>) =>
      settle({ error: new WorkbenchError(kind, message, details) });
    const killChild = () => {
      child?.kill();
    };
    const what = task.kind === "sweep" ? "the sweep worker" : `the worker for ${task.method}`;

    try {
      child = this.spawn();
    } catch (err) {
      fail("internal", `${what} could not be started: ${(err as Error).message}`);
      return { result, cancel: () => {}, kill: () => {} };
    }
    const ch = child;
    this.live.add(ch);

    ch.onMessage((raw) => {
      const msg = asChildMessage(raw);
      if (msg === null || settled) return;
      switch (msg.type) {
        case "ready":
          if (ready) return;
          ready = true;
          clearTimeout(readyTimer);
          ch.send({ type: "task", task });
          if (cancelRequested) ch.send({ type: "cancel" });
          return;
        case "result":
          settle({ value: msg.value as T });
          return;
        case "error":
          settle({ error: new WorkbenchError(msg.error.kind, msg.error.message, msg.error.details) });
          return;
        default:
          options.onEvent?.(msg);
      }
    });

    ch.onExit((code, signal) => {
      this.live.delete(ch);
      if (settled) return;
      if (cancelRequested) {
        fail("cancelled", `${what} was stopped before it finished (${describeExit(code, signal)}); what it finished is in its run folder`, { exitCode: code, signal });
        return;
      }
      const stderr = ch.stderrTail().trim();
      fail("internal", `${what} ${describeExit(code, signal)}${stderr ? `; its last output:\n${stderr.split("\n").slice(-15).join("\n")}` : ""}`, {
        exitCode: code,
        signal,
        ...(stderr ? { stderr } : {}),
      });
    });

    readyTimer = setTimeout(() => {
      if (ready || settled) return;
      fail("internal", `${what} did not start within ${Math.round(this.readyTimeoutMs / 1000)} s`, { timeoutMs: this.readyTimeoutMs });
      killChild();
    }, this.readyTimeoutMs);
    readyTimer.unref?.();

    if (options.timeoutMs !== undefined) {
      const ms = options.timeoutMs;
      taskTimer = setTimeout(() => {
        fail("internal", `${what} did not answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}; it was stopped`, { timeoutMs: ms });
        killChild();
      }, ms);
      taskTimer.unref?.();
    }

    return {
      result,
      cancel: () => {
        if (settled || cancelRequested) return;
        cancelRequested = true;
        if (ready) ch.send({ type: "cancel" });
        graceTimer = setTimeout(killChild, this.cancelGraceMs);
        graceTimer.unref?.();
      },
      kill: () => {
        if (!settled) cancelRequested = true;
        killChild();
      },
    };
  }

  /** Kills every worker still running (server shutdown, app quit). */
  killAll(): void {
    for (const ch of this.live) ch.kill();
  }
}
