/** `arbitrage dataset FILE [--format NAME] [--map ROLE=FIELD] [--json]`: the report a user checks before a sweep. */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { datasetCommand } from "../../../../main/cli/commands/dataset.ts";
import { main } from "../../../../main/cli/index.ts";

const fixtures = fileURLToPath(new URL("../../../fixtures/datasets/", import.meta.url));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const io = {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    cwd: fixtures,
    env: {},
    signal: new AbortController().signal,
  };
  const code = await main(["dataset", ...argv], io, [datasetCommand]);
  return { code, out, err };
}

describe("arbitrage dataset", () => {
  it("--json prints exactly { format, count, mapping, errors, first }", async () => {
    const { code, out } = await run("gsm8k.jsonl", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      format: "gsm8k",
      count: 3,
      mapping: { id: "idx", question: "question", answer: "answer" },
      errors: [],
      first: { id: "0", question: "Tom has 3 red marbles and 4 blue marbles. How many marbles does he have?", answer: "7" },
    });
  });

  it("exits 0 for a file with bad lines and lists each one", async () => {
    const { code, out } = await run("bad-lines.jsonl", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(out) as { count: number; errors: { line: number; reason: string }[] };
    expect(report.count).toBe(3);
    expect(report.errors.map((e) => e.line)).toEqual([2, 3, 5, 7, 8, 9]);
  });

  it("prints a human-readable report by default", async () => {
    const { code, out } = await run("math500.jsonl");
    expect(code).toBe(0);
    expect(out).toContain("format:       math500 (jsonl)");
    expect(out).toContain("problems:     4");
    expect(out).toContain("mapping:      id=unique_id  question=problem  answer=solution  level=level  subject=subject");
    expect(out).toContain("answer:   \\frac{3}{4}");
    expect(out).toContain("bad lines:    0");
  });

  it("--format and --map override detection", async () => {
    const { code, out } = await run("unmapped.csv", "--map", "question=Q", "--map", "answer=A_text", "--map", "id=", "--format", "custom", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ format: "custom", count: 2, mapping: { id: null, question: "Q", answer: "A_text" }, first: { id: "0", answer: "6" } });
  });

  it("exits non-zero, saying why, when the file cannot be read", async () => {
    const missing = await run("no-such-file.jsonl", "--json");
    expect(missing.code).toBe(1);
    expect(missing.out).toBe("");
    expect(missing.err).toContain("missing-file: dataset file not found");
    const unmapped = await run("unmapped.csv");
    expect(unmapped.code).toBe(1);
    expect(unmapped.err).toContain("bad-dataset");
    expect(unmapped.err).toContain("--map question=FIELD");
  });

  it("rejects an unknown format, a bad --map and a missing FILE as usage errors", async () => {
    expect((await run("gsm8k.jsonl", "--format", "mmlu")).code).toBe(2);
    expect((await run("gsm8k.jsonl", "--map", "answer")).err).toContain("--map expects ROLE=FIELD");
    expect((await run()).code).toBe(2);
  });
});
