/**
 * Long jobs the UI follows: sweeps running on the main side (driven by sweep.* events) and run
 * imports into the store (driven here). A small external store read with useSyncExternalStore, so
 * every screen sees the same progress. A sweep that ends is imported into the store by itself:
 * its plots are one click away.
 */
import { useSyncExternalStore } from "react";
import type { ActiveSweep, ApiClient, EventPayload } from "../../shared/api/index.ts";
import type { WorkbenchDb } from "../store/schema.ts";
import { importRunFolder } from "./importer.ts";

export interface SweepJob {
  runId: string;
  out: string;
  name: string;
  phase: "starting" | "calibrating" | "running" | "cancelling";
  /** When this page saw the calibration begin (Date.now(); the label counts from it), or null. */
  calibratingSince: number | null;
  /** The sweep's elapsed ms when this page first saw it calibrating: the calibration ETA's start (done and total count its rounds then). */
  calibrationFrom: number | null;
  calibrationDoneAtFrom: number;
  /** "problems-failed": every pair ran, some failed on a server; resuming runs them again. */
  status: "running" | "complete" | "cancelled" | "problems-failed" | "failed";
  done: number;
  total: number;
  current: string | null;
  elapsedMs: number;
  /** Progress samples (elapsed ms, done) since this page saw the sweep: the ETA's rate. */
  firstSample: { elapsedMs: number; done: number } | null;
  error: string | null;
  log: string[];
  /** The spec as given, when this page started it (resume sends it again). */
  spec: Record<string, unknown> | null;
}

export interface ImportJob {
  dir: string;
  status: "importing" | "aggregating" | "done" | "failed" | "cancelled";
  recordsDone: number;
  recordsTotal: number;
  stepsWritten: number;
  startedAt: number;
  /** Records stored when this import (or its resumption) began, and ms since then: the ETA's rate. */
  firstSample: { elapsedMs: number; done: number } | null;
  elapsedMs: number;
  error: string | null;
  cancel: () => void;
}

/** The import's ETA, at the rate records have been stored since it started. */
export function importEta(job: Pick<ImportJob, "recordsDone" | "recordsTotal" | "elapsedMs" | "firstSample">): number | null {
  return etaSeconds({ done: job.recordsDone, total: job.recordsTotal, elapsedMs: job.elapsedMs, firstSample: job.firstSample });
}

export interface JobsState {
  sweeps: SweepJob[];
  imports: ImportJob[];
}

/**
 * Seconds the calibration has left: its remaining timing rounds at the pace of those seen so far
 * (done and total count rounds while the phase is "calibrating"); null before a round has ended.
 */
export function calibrationEta(job: Pick<SweepJob, "phase" | "done" | "total" | "elapsedMs" | "calibrationFrom" | "calibrationDoneAtFrom">): number | null {
  if (job.phase !== "calibrating" || job.calibrationFrom === null || job.total === 0 || job.done >= job.total) return null;
  const rounds = job.done - job.calibrationDoneAtFrom;
  const dt = job.elapsedMs - job.calibrationFrom;
  if (rounds <= 0 || dt <= 0) return null;
  return ((job.total - job.done) * dt) / rounds / 1000;
}

/** Seconds left at the rate seen so far; null until two samples a second apart exist. */
export function etaSeconds(job: Pick<SweepJob, "done" | "total" | "elapsedMs" | "firstSample">): number | null {
  const s = job.firstSample;
  if (s === null || job.done >= job.total || job.total === 0) return null;
  const dt = job.elapsedMs - s.elapsedMs;
  const dd = job.done - s.done;
  if (dd <= 0 || dt < 1000) return null;
  return ((job.total - job.done) * dt) / dd / 1000;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return "estimating…";
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s left`;
  return `${Math.floor(m / 60)} h ${m % 60} min left`;
}

export class Jobs {
  private state: JobsState = { sweeps: [], imports: [] };
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly specs = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly api: ApiClient,
    private readonly db: WorkbenchDb,
  ) {}

  /** Listens to sweep events and picks up sweeps already running (a reload mid-sweep). */
  start(): void {
    this.unsubscribe.push(
      this.api.on("sweep.progress", (p) => this.onProgress(p)),
      this.api.on("sweep.log", (p) => this.patchSweep(p.runId, (j) => ({ log: [...j.log.slice(-49), p.line] }))),
      this.api.on("sweep.end", (p) => this.onEnd(p)),
    );
    this.api.sweeps
      .active({})
      .then(({ sweeps }) => sweeps.forEach((s) => this.adopt(s)))
      .catch((err: unknown) => console.error("sweeps.active failed", err));
  }

  stop(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): JobsState => this.state;

  private set(next: JobsState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }

  private adopt(s: ActiveSweep): void {
    if (this.state.sweeps.some((j) => j.runId === s.runId)) return;
    this.addSweep({ runId: s.runId, out: s.out, name: s.name, spec: this.specs.get(s.runId) ?? null });
    this.patchSweep(s.runId, () => ({ phase: s.phase, done: s.done, total: s.total, current: s.current }));
  }

  addSweep(init: { runId: string; out: string; name: string; spec: Record<string, unknown> | null }): void {
    if (init.spec) this.specs.set(init.runId, init.spec);
    const job: SweepJob = { ...init, phase: "starting", calibratingSince: null, calibrationFrom: null, calibrationDoneAtFrom: 0, status: "running", done: 0, total: 0, current: null, elapsedMs: 0, firstSample: null, error: null, log: [] };
    // A resumed run replaces the row of the sweep it continues (same folder, stopped or failed).
    const kept = this.state.sweeps.filter((j) => j.runId !== init.runId && !(init.out !== "" && j.out === init.out && j.status !== "running"));
    this.set({ ...this.state, sweeps: [job, ...kept] });
  }

  private patchSweep(runId: string, patch: (j: SweepJob) => Partial<SweepJob>): void {
    if (!this.state.sweeps.some((j) => j.runId === runId)) return;
    this.set({ ...this.state, sweeps: this.state.sweeps.map((j) => (j.runId === runId ? { ...j, ...patch(j) } : j)) });
  }

  private onProgress(p: EventPayload<"sweep.progress">): void {
    if (!this.state.sweeps.some((j) => j.runId === p.runId)) {
      this.addSweep({ runId: p.runId, out: "", name: p.runId, spec: null });
    }
    this.patchSweep(p.runId, (j) => ({
      phase: p.phase,
      calibratingSince: p.phase === "calibrating" ? (j.calibratingSince ?? Date.now()) : j.calibratingSince,
      // Seen with rounds already done (a page opened mid-calibration), the rate counts from that sample on.
      calibrationFrom: p.phase === "calibrating" && j.calibrationFrom === null ? p.elapsedMs : j.calibrationFrom,
      calibrationDoneAtFrom: p.phase === "calibrating" && j.calibrationFrom === null ? p.done : j.calibrationDoneAtFrom,
      done: p.done,
      total: p.total,
      current: p.current,
      elapsedMs: p.elapsedMs,
      // The rate starts at the first sample with work under way (a resumed run starts at done > 0).
      firstSample: j.firstSample ?? (p.phase === "running" && p.total > 0 ? { elapsedMs: p.elapsedMs, done: p.done } : null),
    }));
  }

  private onEnd(p: EventPayload<"sweep.end">): void {
    const error = p.error ? `${p.error.kind}: ${p.error.message}` : (p.failed?.line ?? null);
    this.patchSweep(p.runId, (j) => ({ status: p.status, out: p.out || j.out, error, current: null }));
    const job = this.state.sweeps.find((j) => j.runId === p.runId);
    // Whatever finished is worth plotting, a cancelled run's finished problems included.
    if (p.status !== "failed" || (p.summary?.runs.length ?? 0) > 0) {
      void this.importRun(p.out || job?.out || "", job?.spec ?? this.specs.get(p.runId) ?? null);
    }
  }

  async cancelSweep(runId: string): Promise<void> {
    this.patchSweep(runId, () => ({ phase: "cancelling" }));
    await this.api.sweeps.cancel({ runId });
  }

  dismissSweep(runId: string): void {
    this.set({ ...this.state, sweeps: this.state.sweeps.filter((j) => j.runId !== runId) });
  }

  private patchImport(dir: string, patch: Partial<ImportJob>): void {
    this.set({ ...this.state, imports: this.state.imports.map((j) => (j.dir === dir ? { ...j, ...patch } : j)) });
  }

  /** The import of `dir` this page is running now, if any. */
  liveImport(dir: string): ImportJob | null {
    return this.state.imports.find((j) => j.dir === dir && (j.status === "importing" || j.status === "aggregating")) ?? null;
  }

  /**
   * Imports (or re-imports) a run folder into the store; resolves when it is stored and aggregated.
   * `resume` continues an import a closed tab cut off; `onStored` is called once the run's row is
   * stored (its plots can be shown while the records arrive).
   */
  async importRun(dir: string, spec: Record<string, unknown> | null = null, opts: { resume?: boolean; onStored?: (runId: string) => void } = {}): Promise<boolean> {
    if (dir === "" || this.liveImport(dir) !== null) return false;
    const ctrl = new AbortController();
    const startedAt = Date.now();
    const job: ImportJob = {
      dir,
      status: "importing",
      recordsDone: 0,
      recordsTotal: 0,
      stepsWritten: 0,
      startedAt,
      firstSample: null,
      elapsedMs: 0,
      error: null,
      cancel: () => ctrl.abort(),
    };
    this.set({ ...this.state, imports: [job, ...this.state.imports.filter((j) => j.dir !== dir)] });
    try {
      const run = await importRunFolder(this.api, this.db, dir, {
        spec,
        resume: opts.resume === true,
        signal: ctrl.signal,
        onProgress: (p) => {
          const elapsedMs = Date.now() - startedAt;
          const current = this.state.imports.find((j) => j.dir === dir);
          this.patchImport(dir, {
            recordsDone: p.recordsDone,
            recordsTotal: p.recordsTotal,
            stepsWritten: p.stepsWritten,
            elapsedMs,
            // The rate starts at the first report (a resumed import starts with records already stored).
            firstSample: current?.firstSample ?? { elapsedMs, done: p.recordsDone },
          });
        },
        onStored: ({ runId, ...counts }) => {
          // The journal's size is known from the first page: the label says "0 of N" from the start.
          this.patchImport(dir, counts);
          opts.onStored?.(runId);
        },
        onAggregating: () => this.patchImport(dir, { status: "aggregating" }),
      });
      this.patchImport(dir, { status: run === null ? "cancelled" : "done" });
      return run !== null;
    } catch (err) {
      this.patchImport(dir, { status: "failed", error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  dismissImport(dir: string): void {
    this.set({ ...this.state, imports: this.state.imports.filter((j) => j.dir !== dir) });
  }
}

export function useJobs(jobs: Jobs): JobsState {
  return useSyncExternalStore(jobs.subscribe, jobs.snapshot);
}
