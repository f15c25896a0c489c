/** A bad line never stops the rest; a file that cannot be read at all is a typed error saying why. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isWorkbenchError, type ErrorKind } from "../../../../shared/errors.ts";
import { loadDataset } from "../../../../main/eval/datasets/load.ts";
import { withoutSource } from "../../../helpers/problems.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/datasets/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "datasets-bad-"));

function write(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

async function failure(path: string): Promise<{ kind: ErrorKind; message: string }> {
  const err = await loadDataset(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWorkbenchError(err)) throw new Error(`expected a WorkbenchError, got ${String(err)}`);
  return { kind: err.kind, message: err.message };
}

describe("bad lines", () => {
  it("are reported with their line numbers while every good line loads", async () => {
    const ds = await loadDataset(fixture("bad-lines.jsonl"));
    expect(ds.format).toBe("math500");
    expect(ds.problems.map((p) => [p.id, p.answer])).toEqual([
      ["bad/1", "4"],
      ["bad/5", "10"],
      ["bad/9", "12"],
    ]);
    expect(ds.count).toBe(3);
    expect(ds.errors.map((e) => e.line)).toEqual([2, 3, 5, 7, 8, 9]); // line 4 is blank: skipped
    const reasons = Object.fromEntries(ds.errors.map((e) => [e.line, e.reason]));
    expect(reasons[2]).toMatch(/^not valid JSON: /);
    expect(reasons[3]).toBe('expected a JSON object, found a list ["not","an","object"]');
    expect(reasons[5]).toBe('missing answer field "solution"');
    expect(reasons[7]).toBe('duplicate id "bad/5" (first on line 6)');
    expect(reasons[8]).toBe('expected text in question field "problem", found a number 42');
    expect(reasons[9]).toBe('empty question in field "problem"');
  });

  it("GSM8K answers without exactly one #### are bad lines", async () => {
    const path = write(
      "gsm8k.jsonl",
      [
        { question: "One?", answer: "so\n#### 1" },
        { question: "Two?", answer: "no marker 2" },
        { question: "Three?", answer: "#### 3 #### 3" },
        { question: "Four?", answer: "" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const ds = await loadDataset(path, { format: "gsm8k" });
    expect(ds.problems.map((p) => p.answer)).toEqual(["1"]);
    expect(ds.errors).toEqual([
      { line: 2, reason: 'expected exactly one "####" before the final answer in field "answer", found 0' },
      { line: 3, reason: 'expected exactly one "####" before the final answer in field "answer", found 2' },
      { line: 4, reason: 'empty answer field "answer"' },
    ]);
  });

  it("OlympiadBench records need a non-empty final_answer list", async () => {
    const path = write(
      "olympiadbench.jsonl",
      [
        { id: 1, question: "Q1", final_answer: ["$7$"] },
        { id: 2, question: "Q2", final_answer: [] },
        { id: 3, question: "Q3", final_answer: { a: 1 } },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const ds = await loadDataset(path);
    expect(ds.problems.map((p) => p.answer)).toEqual(["7"]);
    expect(ds.errors).toEqual([
      { line: 2, reason: 'expected at least one answer in the list "final_answer", found an empty list' },
      { line: 3, reason: 'expected a list of answers in field "final_answer", found an object {"a":1}' },
    ]);
  });

  it("a ground truth that normalises to empty is kept (as the toolkit keeps it) and listed as a warning", async () => {
    // strip_string deletes "east" as a unit word: \boxed{\text{east}} gives ""
    const path = write("math500-east.jsonl", JSON.stringify({ problem: "Which way?", solution: "Facing $\\boxed{\\text{east}}$.", answer: "\\text{east}", level: 1, unique_id: "e" }));
    const ds = await loadDataset(path);
    expect(withoutSource(ds.problems)).toEqual([{ id: "e", question: "Which way?", answer: "", level: 1 }]);
    expect(ds.errors).toEqual([]);
    expect(ds.warnings).toHaveLength(1);
    expect(ds.warnings[0]!.line).toBe(1);
    expect(ds.warnings[0]!.reason).toContain("normalises to an empty string");
  });
});

describe("files that cannot be read at all", () => {
  it("a missing path is missing-file", async () => {
    const f = await failure(join(tmp, "nope.jsonl"));
    expect(f.kind).toBe("missing-file");
    expect(f.message).toContain("nope.jsonl");
  });

  it("a directory, an empty file, or a file with no JSON line is bad-dataset, saying what was expected", async () => {
    mkdirSync(join(tmp, "folder.jsonl"));
    expect(await failure(join(tmp, "folder.jsonl"))).toEqual({ kind: "bad-dataset", message: expect.stringContaining("expected a dataset file, found a directory") });
    expect(await failure(write("empty.jsonl", ""))).toEqual({ kind: "bad-dataset", message: expect.stringContaining("found an empty file") });
    expect(await failure(write("blank.jsonl", "\n\n  \n"))).toEqual({ kind: "bad-dataset", message: expect.stringContaining("found only blank lines") });
    const csvInJsonl = await failure(write("table.jsonl", "{bad\n{worse\n"));
    expect(csvInJsonl.kind).toBe("bad-dataset");
    expect(csvInJsonl.message).toContain("expected JSON Lines (one JSON object per line), found no line that parses as JSON");
  });

  it("records that are not objects, a broken JSON array, non-UTF-8 bytes and a fake Parquet file are bad-dataset", async () => {
    expect((await failure(write("numbers.jsonl", "1\n2\n"))).message).toContain("expected records that are JSON objects");
    expect((await failure(write("broken.json", '[{"question": "a", '))).message).toContain("expected a JSON array of records, found text that is not JSON");
    expect((await failure(write("latin1.jsonl", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).message).toContain("expected UTF-8 text");
    expect((await failure(write("fake.parquet", "question,answer\nq,1\n"))).message).toContain('expected a Parquet file (starting and ending with "PAR1")');
  });

  it("a CSV with only a header, or repeated column names, is bad-dataset", async () => {
    const onlyOne = await failure(write("one-col.csv", "question\nwhat?\n"));
    expect(onlyOne.message).toContain("at least a question and an answer column");
    const dup = await failure(write("dup.csv", "question,answer,answer\nq,1,2\n"));
    expect(dup.message).toContain('found "answer" twice');
  });
});
