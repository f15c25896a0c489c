/**
 * An import cut off midway (a tab closed: nothing deletes the partial copy) leaves a row that says
 * how far it got; resuming continues from there and ends with the same store as an import in one go.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importRun, type RunPageInput } from "../../../renderer/store/import-run.ts";
import { countSteps, problemRecord } from "../../../renderer/store/queries.ts";
import { TINY_RUN, tinyRecords, tinySummary } from "../../helpers/run-fixture.ts";
import { freshDb, pagedLoader } from "../../helpers/store.ts";

const meta = JSON.parse(readFileSync(`${TINY_RUN}/run.json`, "utf8")) as Record<string, unknown>;
const records = tinyRecords();
const summary = { ...tinySummary(), complete: true };
const DIR = "/runs/tiny";
const steps = records.reduce((a, r) => a + r.steps.length, 0);

/** Serves pages until `stopAt`, then never answers again (the tab is gone). */
function cutOffLoader(stopAt: number) {
  const { load } = pagedLoader(DIR, meta, summary, records, 20);
  return (offset: number): Promise<RunPageInput> => (offset >= stopAt ? new Promise<RunPageInput>(() => undefined) : load(offset));
}

async function settle(until: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await until()); i++) await new Promise((r) => setTimeout(r, 5));
}

describe("resuming an import", () => {
  it("stores the run's row and summary before any record, then records how far it got after every page", async () => {
    const { db } = freshDb();
    const stored: string[] = [];
    void importRun(db, cutOffLoader(40), { onStored: (run) => stored.push(`${run.status}:${run.summary?.runs.length}`) });
    await settle(async () => (await db.runs.get(DIR))?.progress?.journalLines === 40);
    expect(stored).toEqual(["importing:13"]);
    const row = (await db.runs.get(DIR))!;
    expect(row.status).toBe("importing");
    expect(row.progress).toEqual({ journalLines: 40, recordsTotal: records.length });
    expect(row.counts.problems).toBe(40);
    expect(await db.problems.where("runId").equals(DIR).count()).toBe(40);
  });

  it("continues from the journal line it reached and ends where a whole import ends", async () => {
    const { db } = freshDb();
    void importRun(db, cutOffLoader(60));
    await settle(async () => (await db.runs.get(DIR))?.progress?.journalLines === 60);
    const { load, calls } = pagedLoader(DIR, meta, summary, records, 20);
    const run = await importRun(db, load, { resume: true });
    // One probe of the folder (offset 0), then only the pages after line 60.
    expect(calls).toEqual([0, 60, 80]);
    expect(run!.status).toBe("ready");
    expect(run!.counts).toEqual({ configs: 13, problems: records.length, steps });
    expect(await countSteps(db, DIR)).toBe(steps);
    expect(await db.problems.where("runId").equals(DIR).count()).toBe(records.length);
    for (const r of [records[0]!, records[59]!, records.at(-1)!]) expect(await problemRecord(db, DIR, r.config.id, r.problemId)).toEqual(r);
  });

  it("imports from the start when there is nothing to resume (no row, or a finished one)", async () => {
    const { db } = freshDb();
    const first = pagedLoader(DIR, meta, summary, records, 50);
    await importRun(db, first.load, { resume: true });
    expect(first.calls).toEqual([0, 50]);
    const again = pagedLoader(DIR, meta, summary, records, 50);
    const run = await importRun(db, again.load, { resume: true });
    expect(again.calls).toEqual([0, 50]);
    expect(run!.counts.problems).toBe(records.length);
  });
});
