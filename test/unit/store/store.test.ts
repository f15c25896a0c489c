import { readFileSync } from "node:fs";
import Dexie from "dexie";
import { IDBKeyRange } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { aggregateRun } from "../../../renderer/store/aggregate.ts";
import { importRun } from "../../../renderer/store/import-run.ts";
import { configRows, configsOfProblem, countSteps, deleteRun, idListOf, listRuns, problemRecord, problemsOf, routerScatterOf, runSummaries } from "../../../renderer/store/queries.ts";
import { ALL_ARBITRAGE, DISAGREE_LIST, openWorkbenchDb, SCHEMA_V1, SCHEMA_V2, wrongList } from "../../../renderer/store/schema.ts";
import { RouterPairJoin, routerPairsFromRecords } from "../../../shared/plots/router-pairs.ts";
import { routerReport } from "../../../shared/router-metrics/index.ts";
import type { ProblemRecord } from "../../../shared/results.ts";
import { TINY_RUN, tinyRecords, tinySummary } from "../../helpers/run-fixture.ts";
import { freshDb, pagedLoader } from "../../helpers/store.ts";

const meta = JSON.parse(readFileSync(`${TINY_RUN}/run.json`, "utf8")) as Record<string, unknown>;
const records = tinyRecords();
const summary = { ...tinySummary(), complete: true };
const DIR = "/runs/tiny";

async function importTiny(db = freshDb().db, pageSize = 10) {
  const { load, calls } = pagedLoader(DIR, meta, summary, records, pageSize);
  const progress: number[] = [];
  const run = await importRun(db, load, { chunkSize: 7, onProgress: (p) => progress.push(p.recordsDone) });
  return { db, run: run!, calls, progress };
}

describe("import", () => {
  it("writes every record page by page and reassembles it unchanged", async () => {
    const { db, run, calls, progress } = await importTiny();
    expect(calls).toEqual(Array.from({ length: Math.ceil(records.length / 10) }, (_, i) => i * 10));
    expect(run.status).toBe("ready");
    expect(run.counts).toEqual({ configs: 13, problems: records.length, steps: records.reduce((a, r) => a + r.steps.length, 0) });
    expect(progress.at(-1)).toBe(records.length);
    expect(await countSteps(db)).toBe(run.counts.steps);
    expect(await db.stepBlocks.count()).toBe(records.filter((r) => r.steps.length > 0).length);
    for (const r of [records[0]!, records.find((x) => x.config.id === "rsd@0.5")!, records.find((x) => x.error)!]) {
      expect(await problemRecord(db, DIR, r.config.id, r.problemId)).toEqual(r);
    }
  });

  it("queries by run and configuration, in the run's configuration order", async () => {
    const { db } = await importTiny();
    const configs = await configRows(db, DIR);
    expect(configs.map((c) => c.configId)).toEqual((meta.resolved as { configurations: { id: string }[] }).configurations.map((c) => c.id));
    expect(configs.find((c) => c.configId === "rsd@0.3")!.summary).toEqual(summary.runs.find((c) => c.id === "rsd@0.3"));
    const problems = await problemsOf(db, DIR, "arbitrage@0.4");
    expect(problems.map((p) => p.problemId).sort()).toEqual(records.filter((r) => r.config.id === "arbitrage@0.4").map((r) => r.problemId).sort());
    const all = await configsOfProblem(db, DIR, "tiny-00");
    expect(all).toHaveLength(13);
    const run = (await listRuns(db))[0]!;
    expect(runSummaries(run)!.configs).toEqual(summary.runs);
  });

  it("re-importing replaces the run instead of mixing two copies; two runs stay apart", async () => {
    const { db } = await importTiny();
    await importTiny(db, 25);
    const { load } = pagedLoader("/runs/other", meta, summary, records.slice(0, 13), 100);
    await importRun(db, load);
    expect((await listRuns(db)).map((r) => r.id).sort()).toEqual(["/runs/other", DIR]);
    expect(await db.problems.where("runId").equals(DIR).count()).toBe(records.length);
    expect(await db.problems.where("runId").equals("/runs/other").count()).toBe(13);
  });

  it("deleting a run deletes its configurations, problems, steps, scatters and id lists, and nothing else", async () => {
    const { db } = await importTiny();
    const { load } = pagedLoader("/runs/other", meta, summary, records, 100);
    await importRun(db, load);
    await aggregateRun(db, DIR);
    await aggregateRun(db, "/runs/other");
    const otherScatters = await db.routerScatters.where("runId").equals("/runs/other").count();
    expect(otherScatters).toBeGreaterThan(1);
    await deleteRun(db, DIR);
    expect(await db.runs.get(DIR)).toBeUndefined();
    for (const t of [db.configs, db.problems, db.stepBlocks, db.routerScatters, db.idLists]) expect(await t.where("runId").equals(DIR).count()).toBe(0);
    expect(await db.routerScatters.where("runId").equals("/runs/other").count()).toBe(otherScatters);
    expect(await db.idLists.where("runId").equals("/runs/other").count()).toBe(14);
    expect(await db.problems.where("runId").equals("/runs/other").count()).toBe(records.length);
    expect(await countSteps(db, "/runs/other")).toBeGreaterThan(0);
  });

  it("a cancelled import leaves nothing behind", async () => {
    const { db } = freshDb();
    const ctrl = new AbortController();
    const { load } = pagedLoader(DIR, meta, summary, records, 10);
    const run = await importRun(db, load, { chunkSize: 5, signal: ctrl.signal, onProgress: (p) => p.stepsWritten >= 20 && ctrl.abort() });
    expect(run).toBeNull();
    expect(await db.runs.count()).toBe(0);
    expect(await db.stepBlocks.count()).toBe(0);
  });

  it("a page that fails to load removes the partial copy and rethrows", async () => {
    const { db } = freshDb();
    const { load } = pagedLoader(DIR, meta, summary, records, 10);
    const failing = async (offset: number) => {
      if (offset >= 30) throw new Error("the server went away");
      return load(offset);
    };
    await expect(importRun(db, failing)).rejects.toThrow(/went away/);
    expect(await db.runs.count()).toBe(0);
    expect(await db.problems.count()).toBe(0);
  });
});

describe("aggregation", () => {
  it("computes the router scatter from stored steps as shared/plots does from the journal", async () => {
    const { db } = await importTiny();
    const agg = await aggregateRun(db, DIR);
    expect(agg.state).toBe("ready");
    const pairs = routerPairsFromRecords(records);
    const report = routerReport(pairs, { threshold: 0.5, seed: 0, resamples: 1000, bins: 10 });
    expect(agg.routerScatter!.n).toBe(pairs.length);
    expect(agg.routerScatter!.spearman).toBe(report.spearman);
    expect(agg.routerScatter!.spearmanCI).toEqual(report.spearmanCI);
    expect(agg.routerScatter!.router).toBe("router");
    expect((await db.runs.get(DIR))!.aggregates.state).toBe("ready");
  });

  it("stores each Arbitrage configuration's scatter apart from the rows; the one read for a configuration holds that configuration's own pairs", async () => {
    const { db } = await importTiny();
    await aggregateRun(db, DIR);
    const join = new RouterPairJoin();
    for (const r of records) join.add(r);
    const arbitrage = (await configRows(db, DIR)).filter((c) => c.method === "arbitrage");
    expect(arbitrage.map((c) => c.configId)).toEqual(["arbitrage@0", "arbitrage@0.4", "arbitrage@0.5", "arbitrage@1"]);
    const views = new Set<string>();
    const key = (p: { problemId?: string | null; stepIndex?: number | null; score: number; delta: number }) => `${p.problemId}|${p.stepIndex}|${p.score}|${p.delta}`;
    for (const c of arbitrage) {
      const own = join.pairs(c.configId);
      const data = (await routerScatterOf(db, DIR, c.configId))!;
      expect(data.n).toBe(own.length);
      expect(c.routerSteps).toBe(own.length);
      // Few enough pairs that every one is drawn: the same (problem, step, score, Δ) as the join's.
      expect(data.points.map(key).sort()).toEqual(own.map(key).sort());
      views.add(own.map(key).sort().join(","));
    }
    // The configurations' own views differ (a scatter stored under the wrong key would show here).
    expect(views.size).toBeGreaterThan(1);
    expect((await routerScatterOf(db, DIR, ALL_ARBITRAGE))!.n).toBe(join.pairs().length);
    expect(await routerScatterOf(db, DIR, "rsd@0.5")).toBeNull();
    // The rows that screens list and live queries re-read carry sizes only.
    for (const c of await db.configs.where("runId").equals(DIR).toArray()) {
      expect(Object.keys(c).sort()).toEqual(["configId", "method", "order", "runId", "summary", "threshold", "wrongCount", ...(c.method === "arbitrage" ? ["routerSteps"] : [])].sort());
    }
    const run = (await db.runs.get(DIR))!;
    expect(run.aggregates).toEqual({ state: "ready", routerSteps: join.pairs().length, disagreeCount: run.aggregates.disagreeCount, routerNote: null, error: null });
    expect(await idListOf(db, DIR, DISAGREE_LIST)).toHaveLength(run.aggregates.disagreeCount!);
  });

  it("a second analysis of the run replaces the first one's scatters and lists", async () => {
    const { db } = await importTiny();
    await db.routerScatters.put({ runId: DIR, configId: "arbitrage@gone", data: (await aggregateRun(db, DIR)).routerScatter! });
    await db.idLists.put({ runId: DIR, list: wrongList("gone"), ids: ["x"] });
    await aggregateRun(db, DIR);
    expect(await routerScatterOf(db, DIR, "arbitrage@gone")).toBeNull();
    expect(await idListOf(db, DIR, wrongList("gone"))).toBeNull();
    expect(await db.routerScatters.where("runId").equals(DIR).count()).toBe(5);
  });

  it("summarises a run that has no summary.json with shared/metrics", async () => {
    const { db } = freshDb();
    const { load } = pagedLoader(DIR, meta, null, records, 40);
    await importRun(db, load);
    expect((await db.runs.get(DIR))!.summary).toBeNull();
    await aggregateRun(db, DIR);
    const run = (await db.runs.get(DIR))!;
    expect(run.summarySource).toBe("computed");
    for (const c of summary.runs) {
      const got = run.summary!.runs.find((x) => x.id === c.id)!;
      expect(got.accuracy).toBeCloseTo(c.accuracy, 12);
      expect(got.acceptanceRate ?? -1).toBeCloseTo(c.acceptanceRate ?? -1, 12);
      expect(got.latencyMs.mean).toBeCloseTo(c.latencyMs.mean, 9);
    }
    expect(run.summary!.speedupAtMatchedAccuracy).toBeCloseTo(summary.speedupAtMatchedAccuracy!, 9);
    expect(run.summary!.problems).toBe(summary.problems);
  });

  it("says why there is no scatter when no Arbitrage step meets an oracle step", async () => {
    const { db } = freshDb();
    const only = records.filter((r) => r.config.method === "rsd" || r.config.method === "draft");
    await importRun(db, pagedLoader(DIR, meta, summary, only, 100).load);
    const agg = await aggregateRun(db, DIR);
    expect(agg.routerScatter).toBeNull();
    expect(agg.routerNote).toMatch(/needs an Arbitrage configuration/);
  });
});

describe("migration 1 → 2", () => {
  it("regroups v1's step rows into one block per problem, backfills run counts and adds the [runId+problemId] index", async () => {
    const { factory } = freshDb("unused");
    const deps = { indexedDB: factory, IDBKeyRange };
    // A database as version 1 of the app left it.
    const v1 = new Dexie("migrate", deps);
    v1.version(1).stores(SCHEMA_V1);
    await v1.open();
    const r0 = records[0]!;
    await v1.table("runs").put({ id: DIR, dir: DIR, name: "tiny", startedAt: null, importedAt: "2025-01-01T00:00:00.000Z", status: "ready", complete: true, meta, summary, summarySource: "file", spec: null, skipped: [], aggregates: { state: "pending", routerScatter: null, routerNote: null, error: null } });
    await v1.table("configs").bulkPut([{ runId: DIR, configId: "draft", method: "draft", threshold: null, order: 0, summary: null }, { runId: DIR, configId: "target", method: "target", threshold: null, order: 1, summary: null }]);
    const problem = { runId: DIR, configId: r0.config.id, problemId: r0.problemId, stepCount: r0.steps.length };
    await v1.table("problems").bulkPut([problem, { ...problem, configId: "target" }]);
    // Written out of order: the upgrade must put each block's steps in index order.
    const v1Steps = r0.steps.map((s) => ({ ...s, runId: DIR, configId: r0.config.id, problemId: r0.problemId }));
    await v1.table("steps").bulkPut([...v1Steps].reverse());
    await v1.table("steps").bulkPut(r0.steps.map((s) => ({ ...s, runId: DIR, configId: "target", problemId: r0.problemId, text: `t${s.index}` })));
    await expect(v1.table("problems").where("[runId+problemId]").equals([DIR, r0.problemId]).count()).rejects.toThrow(/runId\+problemId/);
    v1.close();

    const db = openWorkbenchDb("migrate", deps);
    await db.open();
    expect(db.verno).toBe(3);
    expect((await db.runs.get(DIR))!.counts).toEqual({ configs: 2, problems: 2, steps: 2 * r0.steps.length });
    expect(await db.problems.where("[runId+problemId]").equals([DIR, r0.problemId]).count()).toBe(2);
    expect((await db.stepBlocks.get([DIR, r0.config.id, r0.problemId]))!.steps).toEqual(r0.steps);
    expect((await db.stepBlocks.get([DIR, "target", r0.problemId]))!.steps.map((s) => s.text)).toEqual(r0.steps.map((s) => `t${s.index}`));
    expect(db.tables.map((t) => t.name).sort()).toEqual(["configs", "idLists", "problems", "routerScatters", "runs", "stepBlocks"]);
    db.close();
  });
});

describe("migration 2 → 3", () => {
  it("moves the scatters and id lists out of the run and configuration rows, which keep their sizes", async () => {
    const { factory } = freshDb("unused");
    const deps = { indexedDB: factory, IDBKeyRange };
    // The analysis as version 2 stored it, computed by today's aggregator and spread back into the rows.
    const { db: scratch } = await importTiny();
    const computed = await aggregateRun(scratch, DIR);
    const scatterOf = async (id: string) => (await routerScatterOf(scratch, DIR, id))!;
    const wrongOf = async (id: string) => (await idListOf(scratch, DIR, wrongList(id)))!;
    const disagree = (await idListOf(scratch, DIR, DISAGREE_LIST))!;
    const v2 = new Dexie("migrate", deps);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2);
    await v2.open();
    const base = (await scratch.runs.get(DIR))!;
    const { routerSteps: _s, disagreeCount: _d, ...light } = base.aggregates;
    // A run as version 2 wrote it (scatters in its configurations' rows) and an older one (in its own row).
    await v2.table("runs").put({ ...base, aggregates: { ...light, routerScatter: computed.routerScatter, problemsDisagree: disagree } });
    await v2.table("runs").put({ ...base, id: "/runs/older", dir: "/runs/older", aggregates: { ...light, routerScatter: computed.routerScatter, routerScatterByConfig: { "arbitrage@0.4": await scatterOf("arbitrage@0.4") } } });
    for (const c of await configRows(scratch, DIR)) {
      const { routerSteps: _r, wrongCount: _w, ...row } = c;
      await v2.table("configs").put({ ...row, ...(c.routerSteps !== undefined ? { routerScatter: await scatterOf(c.configId) } : {}), wrongIds: await wrongOf(c.configId) });
      await v2.table("configs").put({ ...row, runId: "/runs/older" });
    }
    v2.close();

    const db = openWorkbenchDb("migrate", deps);
    await db.open();
    expect(db.verno).toBe(3);
    expect(await db.runs.get(DIR)).toEqual(base);
    expect(await configRows(db, DIR)).toEqual(await configRows(scratch, DIR));
    for (const c of await configRows(db, DIR)) {
      expect(await idListOf(db, DIR, wrongList(c.configId))).toEqual(await wrongOf(c.configId));
      expect(await routerScatterOf(db, DIR, c.configId)).toEqual(await routerScatterOf(scratch, DIR, c.configId));
    }
    expect(await routerScatterOf(db, DIR, ALL_ARBITRAGE)).toEqual(computed.routerScatter);
    expect(await idListOf(db, DIR, DISAGREE_LIST)).toEqual(disagree);
    // The older row: its per-configuration scatter moved, its configuration told its size.
    const older = (await db.runs.get("/runs/older"))!;
    expect(older.aggregates).toEqual({ state: "ready", routerSteps: computed.routerScatter!.n, routerNote: null, error: null });
    expect(await routerScatterOf(db, "/runs/older", "arbitrage@0.4")).toEqual(await scatterOf("arbitrage@0.4"));
    expect((await db.configs.get(["/runs/older", "arbitrage@0.4"]))!.routerSteps).toBe((await scatterOf("arbitrage@0.4")).n);
    expect((await db.configs.get(["/runs/older", "arbitrage@0.5"]))!.routerSteps).toBeUndefined();
    expect(await idListOf(db, "/runs/older", DISAGREE_LIST)).toBeNull();
    db.close();
  });
});

/** A synthetic run: `problems` problems × `configs` configurations × `steps` steps each. */
function syntheticRecords(problems: number, configs: string[], steps: number): ProblemRecord[] {
  const base = records.find((r) => r.config.id === "arbitrage@0.4" && r.steps.length > 0)!;
  const out: ProblemRecord[] = [];
  for (const id of configs) {
    for (let p = 0; p < problems; p++) {
      out.push({
        ...base,
        config: { id, method: "arbitrage", threshold: Number(id.split("@")[1]) },
        problemId: `syn-${p}`,
        steps: Array.from({ length: steps }, (_, i) => ({ ...base.steps[i % base.steps.length]!, index: i, text: `step ${i} of ${p}` })),
      });
    }
  }
  return out;
}

describe("a large import", () => {
  // The size: 500,000 step records (about 20 s here on fake-indexeddb, a pure-JS IndexedDB;
  // STORE_BENCH_STEPS changes it). Chromium's own IndexedDB is measured in test/e2e/store-import.
  it("writes 500,000 steps in chunks that let timers run in between (time printed, not asserted)", async () => {
    const STEPS = Number(process.env.STORE_BENCH_STEPS ?? 500_000);
    const configs = ["arbitrage@0", "arbitrage@0.25", "arbitrage@0.5", "arbitrage@0.75", "arbitrage@1"];
    const stepsPer = 10;
    const synthetic = syntheticRecords(Math.ceil(STEPS / configs.length / stepsPer), configs, stepsPer);
    const total = synthetic.reduce((a, r) => a + r.steps.length, 0);
    expect(total).toBeGreaterThanOrEqual(STEPS);
    const synMeta = { ...meta, resolved: { ...(meta.resolved as object), name: "synthetic", configurations: configs.map((id) => ({ id, method: "arbitrage", threshold: Number(id.split("@")[1]) })) } };
    const { db } = freshDb();
    // A timer armed before the import: it can only fire if the import yields to the event loop.
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 5);
    let progressCalls = 0;
    const t0 = performance.now();
    const run = await importRun(db, pagedLoader("/runs/synthetic", synMeta, null, synthetic, 10_000).load, { onProgress: () => progressCalls++ });
    const ms = performance.now() - t0;
    clearInterval(timer);
    console.log(
      `store import: ${total.toLocaleString("en")} steps (${synthetic.length.toLocaleString("en")} problems) in ${(ms / 1000).toFixed(1)} s ` +
        `= ${Math.round(total / (ms / 1000)).toLocaleString("en")} steps/s on fake-indexeddb; timer ticks during import: ${ticks}, longest gap ${maxGap.toFixed(0)} ms`,
    );
    expect(run!.counts.steps).toBe(total);
    expect(await countSteps(db, "/runs/synthetic")).toBe(total);
    expect(await db.stepBlocks.where("[runId+configId]").equals(["/runs/synthetic", "arbitrage@0.5"]).count()).toBe(synthetic.length / configs.length);
    expect(progressCalls).toBeGreaterThanOrEqual(total / 1000);
    expect(ticks).toBeGreaterThan(10);
  }, 600_000);
});
