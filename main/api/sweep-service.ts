/**
 * The sweeps the app or the server started: each runs in its own worker (JobHost), and everything
 * it reports becomes a sweep.* event tagged with its run id and the next sequence number of that
 * run. Progress is sent at most every `progressIntervalMs` per run (the last state is never
 * dropped), so a fast sweep cannot flood a browser with events.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { WorkbenchError, toErrorRecord } from "../../shared/errors.ts";
import type { ActiveSweep, EventName, EventPayload } from "../../shared/api/contracts.ts";
import type { JobHost } from "../jobs/job-host.ts";
import type { SweepResult } from "../jobs/worker-protocol.ts";
import { failedProblemsLine } from "../jobs/failed-problems.ts";
import type { EventBus } from "./event-bus.ts";
import { requireSpec } from "./spec-check.ts";

export interface StartRequest {
  spec: Record<string, unknown>;
  out?: string;
  resume?: boolean;
  measure?: boolean;
}

interface Running {
  info: ActiveSweep;
  started: number;
  cancel(): void;
  pendingProgress: ReturnType<typeof setTimeout> | null;
  lastProgressAt: number;
  latest: { done: number; total: number; current: string | null } | null;
}

/** A folder name from a spec name and the start time: "arith-steps-2025-01-31T10-22-05". */
function runFolderName(name: string, now: Date): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "sweep";
  return `${slug}-${now.toISOString().slice(0, 19).replace(/:/g, "-")}`;
}

export class SweepService {
  private readonly running = new Map<string, Running>();
  private readonly progressIntervalMs: number;

  constructor(
    private readonly host: JobHost,
    private readonly bus: EventBus,
    private readonly opts: { runsDir: string; cwd: string; progressIntervalMs?: number },
  ) {
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
  }

  active(): ActiveSweep[] {
    return [...this.running.values()].map((r) => ({ ...r.info }));
  }

  isActive(dir: string): boolean {
    const abs = resolve(dir);
    return [...this.running.values()].some((r) => r.info.out === abs);
  }

  cancel(runId: string): boolean {
    const r = this.running.get(runId);
    if (!r) return false;
    if (r.info.phase !== "cancelling") {
      r.info.phase = "cancelling";
      this.emitProgress(r, true);
      r.cancel();
    }
    return true;
  }

  /** Validates, picks the run folder, starts the worker; returns before the sweep has loaded anything. */
  start(req: StartRequest): { runId: string; out: string } {
    const { resolved } = requireSpec(req.spec, this.opts.cwd);
    const out = resolve(this.opts.cwd, req.out ?? resolved.out ?? join(this.opts.runsDir, runFolderName(resolved.name, new Date())));
    if (this.isActive(out)) throw new WorkbenchError("usage", `a sweep is already writing ${out}; wait for it or cancel it`, { out });
    if (!req.resume && existsSync(join(out, "journal.jsonl"))) {
      throw new WorkbenchError("usage", `the run folder ${out} already holds results (journal.jsonl); resume it, or choose another folder`, { out });
    }
    const runId = randomUUID();
    const started = Date.now();
    const job = this.host.run<SweepResult>(
      { kind: "sweep", spec: { ...resolved, out }, specAsGiven: req.spec, outDir: out, resume: Boolean(req.resume), measure: Boolean(req.measure) },
      {
        onEvent: (e) => {
          const r = this.running.get(runId);
          if (!r) return;
          if (e.type === "log") this.emit("sweep.log", r, { line: e.line });
          else if (e.type === "phase") {
            if (r.info.phase === "starting") r.info.phase = e.phase;
            // While calibrating, done and total count its rounds (the client's ETA for the phase).
            if (e.rounds && r.info.phase === "calibrating") r.latest = { done: e.rounds.done, total: e.rounds.total, current: null };
            this.emitProgress(r, e.rounds === undefined || e.rounds.done === e.rounds.total);
          } else if (e.type === "started") {
            if (r.info.phase === "starting" || r.info.phase === "calibrating") r.info.phase = "running";
            r.latest = { done: e.done, total: e.total, current: null };
            this.emitProgress(r, true);
          } else if (e.type === "progress") {
            if (r.info.phase === "starting" || r.info.phase === "calibrating") r.info.phase = "running";
            r.latest = { done: e.done, total: e.total, current: e.current };
            this.emitProgress(r, e.done === e.total);
          }
        },
      },
    );
    const running: Running = {
      info: { runId, out, name: resolved.name, startedAt: new Date(started).toISOString(), phase: "starting", done: 0, total: 0, current: null, seq: 0 },
      started,
      cancel: () => job.cancel(),
      pendingProgress: null,
      lastProgressAt: 0,
      latest: null,
    };
    this.running.set(runId, running);
    this.emitProgress(running, true);
    job.result.then(
      (res) =>
        this.end(running, {
          status: res.complete ? "complete" : res.cancelled ? "cancelled" : "problems-failed",
          summary: res.summary,
          error: null,
          ...(res.failed.pairs > 0 ? { failed: { problems: res.failed.problems, of: res.failed.of, pairs: res.failed.pairs, line: failedProblemsLine(res.failed) ?? "" } } : {}),
        }),
      (err: unknown) => {
        const error = toErrorRecord(err);
        this.end(running, { status: error.kind === "cancelled" ? "cancelled" : "failed", summary: null, error });
      },
    );
    return { runId, out };
  }

  /** Kills every running sweep (shutdown). Their run folders stay resumable. */
  killAll(): void {
    this.host.killAll();
  }

  private emit<E extends "sweep.progress" | "sweep.log" | "sweep.end">(name: E, r: Running, rest: Omit<EventPayload<E>, "runId" | "seq">): void {
    r.info.seq += 1;
    this.bus.emit(name as EventName, { runId: r.info.runId, seq: r.info.seq, ...rest } as EventPayload<E>);
  }

  private emitProgress(r: Running, force: boolean): void {
    if (r.latest) {
      r.info.done = r.latest.done;
      r.info.total = r.latest.total;
      r.info.current = r.latest.current;
    }
    const now = Date.now();
    const send = () => {
      r.pendingProgress = null;
      r.lastProgressAt = Date.now();
      this.emit("sweep.progress", r, { phase: r.info.phase, done: r.info.done, total: r.info.total, current: r.info.current, elapsedMs: Date.now() - r.started });
    };
    if (force || now - r.lastProgressAt >= this.progressIntervalMs) {
      if (r.pendingProgress) clearTimeout(r.pendingProgress);
      send();
    } else if (!r.pendingProgress) {
      r.pendingProgress = setTimeout(send, this.progressIntervalMs - (now - r.lastProgressAt));
    }
  }

  private end(r: Running, outcome: Pick<EventPayload<"sweep.end">, "status" | "summary" | "error" | "failed">): void {
    // The latest progress goes out before the end, never after it (the client drops post-end events).
    if (r.pendingProgress) this.emitProgress(r, true);
    this.running.delete(r.info.runId);
    this.emit("sweep.end", r, { out: r.info.out, ...outcome });
  }
}
