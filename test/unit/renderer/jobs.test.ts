import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createApiClient, type Transport, type WireEvent } from "../../../shared/api/index.ts";
import { calibrationEta, etaSeconds, formatEta, Jobs } from "../../../renderer/app/jobs.ts";
import { countSteps } from "../../../renderer/store/queries.ts";
import { TINY_RUN, tinyRecords, tinySummary } from "../../helpers/run-fixture.ts";
import { freshDb } from "../../helpers/store.ts";

/** A main side in memory: answers from `handlers`, records calls, and emits events on demand. */
function fakeMain(handlers: Record<string, (input: unknown) => unknown>) {
  const calls: { method: string; input: unknown }[] = [];
  const subscribers = new Set<(e: WireEvent) => void>();
  const transport: Transport = {
    invoke: async (method, input) => {
      calls.push({ method, input });
      const h = handlers[method];
      return h ? { ok: true, value: h(input) } : { ok: false, error: { kind: "internal", message: `no fake for ${method}` } };
    },
    subscribe: (h) => {
      subscribers.add(h);
      return () => subscribers.delete(h);
    },
  };
  return { api: createApiClient(transport), calls, emit: (e: WireEvent) => subscribers.forEach((s) => s(e)) };
}

const meta = JSON.parse(readFileSync(`${TINY_RUN}/run.json`, "utf8")) as Record<string, unknown>;
const records = tinyRecords();
const summary = { ...tinySummary(), complete: true };

function runsLoad(input: unknown) {
  const { dir, offset = 0, limit = 1000 } = input as { dir: string; offset?: number; limit?: number };
  const page = records.slice(offset, offset + limit);
  const next = offset + page.length;
  return { dir, run: meta, summary, records: page, offset, total: records.length, nextOffset: next < records.length ? next : null, skipped: [] };
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe("ETA", () => {
  it("extrapolates the rate seen since the first sample, and waits for one second of it", () => {
    const first = { elapsedMs: 1000, done: 0 };
    expect(etaSeconds({ done: 5, total: 10, elapsedMs: 6000, firstSample: first })).toBe(5);
    expect(etaSeconds({ done: 1, total: 10, elapsedMs: 1500, firstSample: first })).toBeNull();
    expect(etaSeconds({ done: 10, total: 10, elapsedMs: 9000, firstSample: first })).toBeNull();
    expect(formatEta(5)).toBe("5 s left");
    expect(formatEta(125)).toBe("2 min 5 s left");
    expect(formatEta(null)).toBe("estimating…");
  });
});

describe("jobs", () => {
  it("follows a sweep's events in order, then imports its run folder into the store", async () => {
    const main = fakeMain({ "sweeps.active": () => ({ sweeps: [] }), "runs.load": runsLoad, "sweeps.cancel": () => ({ cancelled: true }) });
    const { db } = freshDb();
    const jobs = new Jobs(main.api, db);
    jobs.start();
    const spec = { name: "tiny", models: {}, dataset: {}, methods: [] };
    jobs.addSweep({ runId: "r1", out: "/runs/r1", name: "tiny", spec });
    const progress = (seq: number, done: number, elapsedMs: number) =>
      main.emit({ name: "sweep.progress", payload: { runId: "r1", seq, phase: "running", done, total: 10, current: `p${done}`, elapsedMs } });
    progress(1, 0, 1000);
    progress(2, 5, 6000);
    progress(1, 9, 9000); // stale: dropped by the client
    let job = jobs.snapshot().sweeps[0]!;
    expect([job.done, job.current]).toEqual([5, "p5"]);
    expect(etaSeconds(job)).toBe(5);

    await jobs.cancelSweep("r1");
    expect(main.calls.find((c) => c.method === "sweeps.cancel")!.input).toEqual({ runId: "r1" });
    expect(jobs.snapshot().sweeps[0]!.phase).toBe("cancelling");

    main.emit({ name: "sweep.end", payload: { runId: "r1", seq: 4, out: "/runs/r1", status: "cancelled", summary, error: null } });
    job = jobs.snapshot().sweeps[0]!;
    expect(job.status).toBe("cancelled");
    await until(() => jobs.snapshot().imports[0]?.status === "done", "the import");
    const run = await db.runs.get("/runs/r1");
    expect(run!.spec).toEqual(spec); // what Resume sends back
    expect(run!.aggregates.state).toBe("ready");
    expect(await countSteps(db, "/runs/r1")).toBe(records.reduce((a, r) => a + r.steps.length, 0));
    const pages = main.calls.filter((c) => c.method === "runs.load").map((c) => (c.input as { offset: number }).offset);
    expect(pages).toEqual([0]);
    jobs.stop();
  });

  it("ends a sweep whose problems failed on a server as such, with the CLI's line, and still imports what it has", async () => {
    const main = fakeMain({ "sweeps.active": () => ({ sweeps: [] }), "runs.load": runsLoad });
    const { db } = freshDb();
    const jobs = new Jobs(main.api, db);
    jobs.start();
    jobs.addSweep({ runId: "r2", out: "/runs/r2", name: "tiny", spec: null });
    const line = "2 of 7 problems failed (backend): run again with --resume to retry them";
    main.emit({ name: "sweep.end", payload: { runId: "r2", seq: 1, out: "/runs/r2", status: "problems-failed", summary, error: null, failed: { problems: 2, of: 7, pairs: 2, line } } });
    const job = jobs.snapshot().sweeps[0]!;
    expect([job.status, job.error]).toEqual(["problems-failed", line]);
    await until(() => jobs.snapshot().imports[0]?.status === "done", "the import");
    jobs.stop();
  });

  it("reports a failed import with the main side's error", async () => {
    const main = fakeMain({ "sweeps.active": () => ({ sweeps: [] }) });
    const { db } = freshDb();
    const jobs = new Jobs(main.api, db);
    expect(await jobs.importRun("/nowhere")).toBe(false);
    const imp = jobs.snapshot().imports[0]!;
    expect(imp.status).toBe("failed");
    expect(imp.error).toContain("no fake for runs.load");
  });

  it("shows a calibrating sweep as such, and a resumed sweep in place of the one it continues", async () => {
    const main = fakeMain({ "sweeps.active": () => ({ sweeps: [] }), "runs.load": runsLoad });
    const { db } = freshDb();
    const jobs = new Jobs(main.api, db);
    jobs.start();
    jobs.addSweep({ runId: "r1", out: "/runs/r1", name: "tiny", spec: null });
    main.emit({ name: "sweep.progress", payload: { runId: "r1", seq: 1, phase: "calibrating", done: 0, total: 0, current: null, elapsedMs: 500 } });
    let job = jobs.snapshot().sweeps[0]!;
    expect(job.phase).toBe("calibrating");
    expect(job.calibratingSince).not.toBeNull();
    expect(calibrationEta(job)).toBeNull(); // no round timed yet
    // Rounds: 2 of 9 done 2 s after the phase began → 7 left at 1 s each.
    main.emit({ name: "sweep.progress", payload: { runId: "r1", seq: 2, phase: "calibrating", done: 2, total: 9, current: null, elapsedMs: 2500 } });
    job = jobs.snapshot().sweeps[0]!;
    expect(calibrationEta(job)).toBeCloseTo(7, 6);
    main.emit({ name: "sweep.progress", payload: { runId: "r1", seq: 3, phase: "running", done: 1, total: 10, current: "p1", elapsedMs: 4000 } });
    job = jobs.snapshot().sweeps[0]!;
    expect(calibrationEta(job)).toBeNull(); // not calibrating any more
    expect([job.phase, job.done]).toEqual(["running", 1]);
    main.emit({ name: "sweep.end", payload: { runId: "r1", seq: 4, out: "/runs/r1", status: "cancelled", summary, error: null } });
    await until(() => jobs.snapshot().imports[0]?.status === "done", "the import");
    // Resume: a new sweep writing the same folder takes the stopped one's place.
    jobs.addSweep({ runId: "r2", out: "/runs/r1", name: "tiny", spec: null });
    expect(jobs.snapshot().sweeps.map((s) => [s.runId, s.status])).toEqual([["r2", "running"]]);
    jobs.stop();
  });

  it("knows an import's size as soon as the run's row is stored, before any record", async () => {
    const main = fakeMain({ "sweeps.active": () => ({ sweeps: [] }), "runs.load": runsLoad });
    const { db } = freshDb();
    const jobs = new Jobs(main.api, db);
    let atStored: { recordsDone: number; recordsTotal: number } | null = null;
    await jobs.importRun("/runs/r9", null, {
      onStored: () => {
        const j = jobs.liveImport("/runs/r9")!;
        atStored = { recordsDone: j.recordsDone, recordsTotal: j.recordsTotal };
      },
    });
    expect(atStored).toEqual({ recordsDone: 0, recordsTotal: records.length });
    expect(jobs.liveImport("/runs/r9")).toBeNull();
    expect(jobs.snapshot().imports[0]!.status).toBe("done");
  });
});
