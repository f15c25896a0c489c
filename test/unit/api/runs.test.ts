/** runs.list / runs.load on hand-made run folders: paging, a torn last line, a record that does not fit, unreadable run.json. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import type { ProblemRecord } from "../../../shared/results.ts";
import { listRuns, loadRun } from "../../../main/api/runs.ts";

const tmp = mkdtempSync(join(tmpdir(), "runs-api-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function record(i: number): ProblemRecord {
  return {
    config: { id: "draft", method: "draft", threshold: null },
    problemId: `p${i}`,
    level: 1,
    subject: null,
    steps: [],
    completion: "",
    extracted: "",
    correct: i % 2 === 0,
    correctStrict: false,
    stopReason: "eos",
    tokens: { draftAccepted: 1, draftDiscarded: 0, target: 0 },
    latencyMs: { draft: 1, target: 0, prm: 0, router: 0, overhead: 0, total: 1 },
    harnessMs: 1,
  };
}

function runJson(name: string, started: string) {
  return {
    mode: "cached",
    resolved: {
      name,
      models: { draft: { path: "/d" }, target: { path: "/t" }, prm: null, router: null },
      dataset: { path: "/x.jsonl" },
      configurations: [{ id: "draft", method: "draft", threshold: null }],
      decoding: { temperature: 0, maxSteps: 100, stop: ["\n\n"] },
      somethingNew: true,
    },
    models: { draft: { architecture: "A" }, target: { architecture: "B" }, prm: null, router: null },
    dataset: { path: "/x.jsonl", sha256: "ab", format: "custom", count: 7 },
    provenance: { createdAt: started },
    started,
  };
}

function makeRun(name: string, started: string, lines: string[], opts: { summary?: unknown; runJson?: string } = {}): string {
  const dir = join(tmp, "runs", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "run.json"), opts.runJson ?? JSON.stringify(runJson(name, started)));
  writeFileSync(join(dir, "journal.jsonl"), lines.join(""));
  if (opts.summary) writeFileSync(join(dir, "summary.json"), JSON.stringify(opts.summary));
  return dir;
}

const summary = { runs: [], speedupAtMatchedAccuracy: null, speedupDetail: null, cache: { stepsComputed: 0, stepsNaive: 0 }, problems: 7, complete: true };

describe("runs.load", () => {
  const good = Array.from({ length: 7 }, (_, i) => `${JSON.stringify({ record: record(i) })}\n`);
  const dir = makeRun("paged", "2025-01-02T00:00:00Z", good, { summary });

  it("pages through the journal in order, keeping run.json fields it does not know", async () => {
    const p1 = await loadRun(dir, 0, 3);
    expect(p1.records.map((r) => r.problemId)).toEqual(["p0", "p1", "p2"]);
    expect(p1).toMatchObject({ offset: 0, total: 7, nextOffset: 3, skipped: [] });
    expect((p1.run.resolved as Record<string, unknown>)["somethingNew"]).toBe(true);
    expect(p1.summary?.complete).toBe(true);
    const p3 = await loadRun(dir, 6, 3);
    expect(p3.records.map((r) => r.problemId)).toEqual(["p6"]);
    expect(p3.nextOffset).toBeNull();
  });

  it("reports a record that does not fit and a torn last line, and keeps the rest", async () => {
    const bad = { record: { ...record(1), stopReason: "teleported" } };
    const d = makeRun("damaged", "2025-01-01T00:00:00Z", [good[0] as string, `${JSON.stringify(bad)}\n`, "not json\n", good[3] as string, '{"record": {"config"']);
    const page = await loadRun(d);
    expect(page.records.map((r) => r.problemId)).toEqual(["p0", "p3"]);
    expect(page.total).toBe(4);
    expect(page.summary).toBeNull();
    expect(page.skipped.map((s) => s.line)).toEqual([2, 3, 5]);
    expect(page.skipped[0]?.reason).toMatch(/record\.stopReason/);
    expect(page.skipped[2]?.reason).toMatch(/cut short/);
  });

  it("typed errors: not a folder, no run.json, a run.json from another format", async () => {
    await expect(loadRun(join(tmp, "nothing"))).rejects.toMatchObject({ kind: "missing-file" });
    mkdirSync(join(tmp, "empty"), { recursive: true });
    await expect(loadRun(join(tmp, "empty"))).rejects.toThrow(/no run\.json/);
    const d = makeRun("old-format", "2024-01-01T00:00:00Z", [], { runJson: JSON.stringify({ mode: "cached", resolved: { name: 3 } }) });
    const err = (await loadRun(d).catch((e: unknown) => e)) as WorkbenchError;
    expect(err.kind).toBe("bad-config");
    expect(err.message).toMatch(/run\.json does not match/);
    expect(err.message).toMatch(/resolved\.name/);
  });
});

describe("runs.list", () => {
  it("lists run folders newest first, with counts, and says which could not be read", async () => {
    const runs = await listRuns(join(tmp, "runs"), (d) => d.endsWith("damaged"));
    expect(runs.map((r) => r.name)).toEqual(["paged", "damaged", "old-format"]);
    expect(runs[0]).toMatchObject({ complete: true, active: false, problems: 7, configurations: 1, records: 7, problem: null });
    expect(runs[1]).toMatchObject({ complete: false, active: true, records: 4 });
    expect(runs[2]?.problem).toMatch(/does not match/);
    expect(await listRuns(join(tmp, "no-such-folder"), () => false)).toEqual([]);
  });
});
