import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureIO as io } from "../../../helpers/cli-capture.ts";
import { main } from "../../../../main/cli/index.ts";

describe("arbitrage grade", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "grade-cli-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = [
    JSON.stringify({ pred_text: "So the answer is $\\boxed{\\dfrac{1}{2}}$.", gt: "0.5" }),
    "{this is not json",
    JSON.stringify({ pred_text: "Natalia sold 72 clips.\n#### 72", gt: 72, data_name: "gsm8k", id: "q2" }),
    "",
    JSON.stringify({ pred_text: "\\boxed{(1,2]}", gt: "[1,2)" }),
    JSON.stringify({ gt: "3" }),
  ];

  it("grades each line, marks malformed lines with an error, and prints a summary", async () => {
    writeFileSync(join(dir, "in.jsonl"), lines.join("\n") + "\n");
    const cli = io(dir);
    const code = await main(["grade", "--in", "in.jsonl", "--out", "out.jsonl"], cli);
    expect(code).toBe(0);
    const out = readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatchObject({ gt: "0.5", extracted: "\\frac{1}{2}", correct: true });
    expect(out[1]!.error).toMatch(/line 2: not valid JSON/);
    expect(out[1]!.correct).toBeUndefined();
    expect(out[2]).toMatchObject({ id: "q2", gt: 72, data_name: "gsm8k", extracted: "72", correct: true });
    expect(out[3]).toMatchObject({ extracted: "(1,2]", correct: true });
    expect(out[4]!.error).toMatch(/line 6: "pred_text" must be a string, found nothing/);
    expect(cli.err()).toMatch(/n=5 correct=3 accuracy=1\.0000 errors=2/);
  });

  it("--grader strict gives the careful verdicts", async () => {
    writeFileSync(join(dir, "in.jsonl"), lines.join("\n"));
    const cli = io(dir);
    expect(await main(["grade", "--in", "in.jsonl", "--out", "strict.jsonl", "--grader", "strict"], cli)).toBe(0);
    const out = readFileSync(join(dir, "strict.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((r) => r.correct)).toEqual([true, undefined, true, false, undefined]);
    expect(cli.err()).toMatch(/with strict: n=5 correct=2 accuracy=0\.6667 errors=2/);
  });

  it("grades 10 000 completions with a progress line that ends at 10000/10000", async () => {
    const many = Array.from({ length: 10_000 }, (_, k) =>
      JSON.stringify({ pred_text: `Step ${k}: ${k} + 1 = ${k + 1}.\n\nSo the answer is $\\boxed{${k % 3 === 0 ? k + 1 : k}}$.`, gt: String(k + 1) }),
    );
    writeFileSync(join(dir, "many.jsonl"), many.join("\n"));
    const cli = io(dir);
    expect(await main(["grade", "--in", "many.jsonl", "--out", "many-out.jsonl"], cli)).toBe(0);
    expect(readFileSync(join(dir, "many-out.jsonl"), "utf8").trim().split("\n")).toHaveLength(10_000);
    expect(cli.err()).toMatch(/grading with qwen: 10000\/10000 \(100%\) in \d+\.\ds/);
    expect(cli.err()).toMatch(/n=10000 correct=3334 accuracy=0\.3334 errors=0/);
  }, 120_000);

  it("rejects a missing input file and an unknown grader as user errors", async () => {
    const cli = io(dir);
    expect(await main(["grade", "--in", "nope.jsonl", "--out", "o.jsonl"], cli)).toBe(1);
    expect(cli.err()).toMatch(/missing-file: input file not found/);
    writeFileSync(join(dir, "in.jsonl"), lines[0]!);
    const cli2 = io(dir);
    expect(await main(["grade", "--in", "in.jsonl", "--out", "o.jsonl", "--grader", "lenient"], cli2)).toBe(2);
    expect(cli2.err()).toMatch(/--grader expects one of qwen, strict, found "lenient"/);
    const cli3 = io(dir);
    expect(await main(["grade", "--out", "o.jsonl"], cli3)).toBe(2);
    expect(cli3.err()).toMatch(/missing required option --in/);
  });
});
