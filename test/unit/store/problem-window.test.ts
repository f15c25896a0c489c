/**
 * The trace viewer's list: a window of a configuration's problems read by range (problemWindow),
 * and the wrong problems' ids the aggregator stores per configuration (its own table, the count in the row). On the fixture run's
 * records repeated under new problem ids (40 problems per configuration).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { aggregateRun } from "../../../renderer/store/aggregate.ts";
import { importRun } from "../../../renderer/store/import-run.ts";
import { configRows, idListOf, problemCount, problemsOf, problemWindow } from "../../../renderer/store/queries.ts";
import { wrongList } from "../../../renderer/store/schema.ts";
import type { ProblemRecord } from "../../../shared/results.ts";
import { TINY_RUN, tinyRecords, tinySummary } from "../../helpers/run-fixture.ts";
import { freshDb, pagedLoader } from "../../helpers/store.ts";

const meta = JSON.parse(readFileSync(`${TINY_RUN}/run.json`, "utf8")) as Record<string, unknown>;
const DIR = "/runs/windowed";
const ROUNDS = 6; // 7 problems a round, 42 a configuration
const records: ProblemRecord[] = Array.from({ length: ROUNDS }, (_, r) => tinyRecords().map((x) => ({ ...x, problemId: `r${r}-${x.problemId}` }))).flat();
const CONFIG = "draft";
const ids = records
  .filter((r) => r.config.id === CONFIG)
  .map((r) => r.problemId)
  .sort();

async function stored() {
  const { db } = freshDb();
  const { load } = pagedLoader(DIR, meta, { ...tinySummary(), complete: true }, records, 50);
  await importRun(db, load);
  return db;
}

describe("a window of a configuration's problems", () => {
  it("from the first problem: `size` rows in key order, and the total", async () => {
    const db = await stored();
    const w = await problemWindow(db, DIR, CONFIG, { ids: null, start: null, around: null, lead: 5, size: 10 });
    expect(w.total).toBe(ids.length);
    expect(w.start).toBe(0);
    expect(w.rows.map((r) => r.problemId)).toEqual(ids.slice(0, 10));
    expect(w.rows.every((r) => r.configId === CONFIG && r.runId === DIR)).toBe(true);
  });

  it("opened on a linked problem: `lead` rows above it", async () => {
    const db = await stored();
    const target = ids[30]!;
    const w = await problemWindow(db, DIR, CONFIG, { ids: null, start: null, around: target, lead: 5, size: 10 });
    expect(w.start).toBe(25);
    expect(w.rows.map((r) => r.problemId)).toEqual(ids.slice(25, 35));
    // Near the top there are fewer rows above it than `lead`.
    const near = await problemWindow(db, DIR, CONFIG, { ids: null, start: null, around: ids[2]!, lead: 5, size: 4 });
    expect(near.start).toBe(0);
    expect(near.rows.map((r) => r.problemId)).toEqual(ids.slice(0, 4));
  });

  it("a given start wins over the linked problem; the last window is short; a start past the end is clamped", async () => {
    const db = await stored();
    const w = await problemWindow(db, DIR, CONFIG, { ids: null, start: 38, around: ids[3]!, lead: 5, size: 10 });
    expect(w.rows.map((r) => r.problemId)).toEqual(ids.slice(38));
    const past = await problemWindow(db, DIR, CONFIG, { ids: null, start: 500, around: null, lead: 5, size: 10 });
    expect(past.start).toBe(ids.length - 1);
    expect(past.rows.map((r) => r.problemId)).toEqual(ids.slice(-1));
  });

  it("over a filter's ids: their rows in key order, ids the configuration lacks left out", async () => {
    const db = await stored();
    const chosen = [ids[9]!, ids[1]!, ids[20]!, "zz-no-such-problem"];
    const w = await problemWindow(db, DIR, CONFIG, { ids: chosen, start: null, around: ids[20]!, lead: 1, size: 10 });
    expect(w.total).toBe(4);
    expect(w.start).toBe(1);
    expect(w.rows.map((r) => r.problemId)).toEqual([ids[9], ids[20]]);
  });

  it("a window of no rows reads none (IndexedDB's getAll would read them all for a count of 0), and problemCount counts", async () => {
    const db = await stored();
    expect(await problemWindow(db, DIR, CONFIG, { ids: null, start: 3, around: null, lead: 0, size: 0 })).toEqual({ rows: [], start: 3, total: ids.length });
    expect(await problemCount(db, DIR, CONFIG)).toBe(ids.length);
    expect(await problemCount(db, DIR, "nope")).toBe(0);
  });

  it("an unknown configuration is an empty window", async () => {
    const db = await stored();
    expect(await problemWindow(db, DIR, "nope", { ids: null, start: null, around: "x", lead: 5, size: 10 })).toEqual({ rows: [], start: 0, total: 0 });
  });
});

describe("the aggregator's wrong ids per configuration", () => {
  it("are exactly the configuration's problems graded wrong", async () => {
    const db = await stored();
    expect((await configRows(db, DIR)).every((c) => c.wrongCount === undefined)).toBe(true);
    expect(await idListOf(db, DIR, wrongList(CONFIG))).toBeNull();
    await aggregateRun(db, DIR);
    for (const c of await configRows(db, DIR)) {
      const wrong = (await problemsOf(db, DIR, c.configId)).filter((p) => !p.correct).map((p) => p.problemId);
      expect([...((await idListOf(db, DIR, wrongList(c.configId))) ?? [])].sort()).toEqual(wrong.sort());
      expect(c.wrongCount).toBe(wrong.length);
    }
    const draft = (await configRows(db, DIR)).find((c) => c.configId === CONFIG)!;
    expect(draft.wrongCount).toBe(records.filter((r) => r.config.id === CONFIG && !r.correct).length);
  });
});
