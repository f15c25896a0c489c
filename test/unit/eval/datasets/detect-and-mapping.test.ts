/** Format detection (name, then fields), the field mapping (auto-detected, overridable) and custom files. */
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isWorkbenchError } from "../../../../shared/errors.ts";
import { formatFromFields, formatFromPath } from "../../../../main/eval/datasets/detect.ts";
import { loadDataset } from "../../../../main/eval/datasets/load.ts";
import { withoutSource } from "../../../helpers/problems.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/datasets/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "datasets-detect-"));

describe("format from a path", () => {
  it.each([
    ["data/math500/test.jsonl", "math500"],
    ["/x/MATH-500.csv", "math500"],
    ["gsm8k-test.parquet", "gsm8k"],
    ["/data/minerva_math/test.jsonl", "minerva_math"],
    ["evaluation/data/math/test.jsonl", "math"],
    ["olympiadbench/test.json", "olympiadbench"],
    ["aime24.jsonl", "aime24"],
    ["AMC23_test.jsonl", "amc23"],
    ["svamp/test.jsonl", "svamp"],
    ["asdiv.jsonl", "asdiv"],
  ])("%s -> %s", (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });

  it("the file name wins over its folders, and unrelated names give nothing", () => {
    expect(formatFromPath("/home/me/math-notes/gsm8k.jsonl")).toBe("gsm8k");
    expect(formatFromPath("/home/me/mathematics/questions.jsonl")).toBeUndefined();
    expect(formatFromPath("assets/datasets/arith-steps/test.jsonl")).toBeUndefined();
  });
});

describe("format from fields", () => {
  it("recognises each toolkit layout by its field names", () => {
    expect(formatFromFields(["id", "question", "final_answer", "solution"], [])).toBe("olympiadbench");
    expect(formatFromFields(["Answer", "Question", "Equation", "Body", "ID"], [])).toBe("svamp");
    expect(formatFromFields(["body", "question", "answer", "formula"], [])).toBe("asdiv");
    expect(formatFromFields(["question", "answer"], [{ question: "q", answer: "so 3\n#### 3" }])).toBe("gsm8k");
    expect(formatFromFields(["problem", "solution", "answer", "level", "type", "unique_id"], [])).toBe("math500");
    expect(formatFromFields(["problem", "level", "type", "solution"], [])).toBe("math");
  });

  it("anything else is custom (an AIME-style file reads its answer field, as the toolkit's aime24 rule)", () => {
    expect(formatFromFields(["id", "problem", "solution", "answer", "url"], [])).toBe("custom");
    expect(formatFromFields(["question", "answer"], [{ question: "q", answer: "3" }])).toBe("custom");
  });

  it("a file named like a format but without its fields is detected by its fields instead", async () => {
    const path = join(tmp, "gsm8k-lookalike.jsonl");
    writeFileSync(path, `${JSON.stringify({ problem: "p", solution: "\\boxed{5}", answer: "5", unique_id: "u1" })}\n`);
    const ds = await loadDataset(path);
    expect(ds.format).toBe("math500");
    expect(ds.problems[0]!.answer).toBe("5");
  });

  it("toolkit files under neutral names are recognised by their fields", async () => {
    const cases: [string, string][] = [
      ["gsm8k.jsonl", "gsm8k"],
      ["olympiadbench.jsonl", "olympiadbench"],
      ["svamp.jsonl", "svamp"],
      ["asdiv.jsonl", "asdiv"],
      ["math500.jsonl", "math500"],
      ["math.jsonl", "math"],
    ];
    for (const [file, format] of cases) {
      const copy = join(tmp, `renamed-${file.replace(/[^a-z]/g, "")}-x.jsonl`);
      copyFileSync(fixture(file), copy);
      expect((await loadDataset(copy)).format, file).toBe(format);
    }
  });
});

describe("field mapping", () => {
  it("is auto-detected for custom CSV columns (id, question, answer, level, subject)", async () => {
    const ds = await loadDataset(fixture("quoted.csv"));
    expect(ds.format).toBe("custom");
    expect(ds.mapping).toEqual({ id: "qid", question: "prompt", answer: "target", level: "difficulty", subject: "category" });
  });

  it("is auto-detected for a JSON array, with answers normalised ($3$ -> 3, 0.75 from a number)", async () => {
    const ds = await loadDataset(fixture("array.json"));
    expect(ds.container).toBe("json");
    expect(ds.mapping).toEqual({ id: "id", question: "question", answer: "answer", level: "difficulty", subject: "topic" });
    expect(ds.problems.map((p) => [p.id, p.answer, p.level, p.subject])).toEqual([
      ["a", "5", 1, "arithmetic"],
      ["b", "3", 1, "arithmetic"],
      ["c", "0.75", 2, "decimals"],
    ]);
    expect(ds.errors).toEqual([{ line: 3, reason: 'expected a JSON object, found a string "not a record"' }]);
  });

  it("reads a Hugging Face JSON export (JSON Lines under a .json name); boxed and #### answers are extracted", async () => {
    const ds = await loadDataset(fixture("hf-export.json"));
    expect(ds.container).toBe("jsonl");
    expect(ds.mapping).toMatchObject({ id: "uid", question: "instruction", answer: "output" });
    expect(ds.problems.map((p) => [p.id, p.question, p.answer])).toEqual([
      ["10", "Add 2 and 5.", "7"],
      ["11", "Multiply 3 by 4.", "12"],
    ]);
  });

  it("fails with the file's fields listed when question/answer cannot be found", async () => {
    const err = await loadDataset(fixture("unmapped.csv")).catch((e: unknown) => e);
    expect(isWorkbenchError(err, "bad-dataset")).toBe(true);
    expect((err as Error).message).toContain("expected a question field");
    expect((err as Error).message).toContain('"Q", "A_text", "notes"');
  });

  it("can be given by the caller; an id of null numbers problems by position", async () => {
    const ds = await loadDataset(fixture("unmapped.csv"), { mapping: { question: "Q", answer: "A_text" } });
    expect(ds.mapping).toEqual({ id: null, question: "Q", answer: "A_text" });
    expect(withoutSource(ds.problems)).toEqual([
      { id: "0", question: "What is 10 - 4?", answer: "6" },
      { id: "1", question: "What is 2 to the power 5?", answer: "32" },
    ]);
  });

  it("overrides the detected mapping role by role, keeping the rest", async () => {
    const ds = await loadDataset(fixture("array.json"), { mapping: { id: null, subject: "question" } });
    expect(ds.mapping).toEqual({ id: null, question: "question", answer: "answer", level: "difficulty", subject: "question" });
    expect(ds.problems.map((p) => p.id)).toEqual(["0", "1", "3"]); // positions in the file; record 3 was bad
  });

  it("rejects a mapping that names a field the file does not have", async () => {
    const err = await loadDataset(fixture("gsm8k.jsonl"), { mapping: { answer: "target" } }).catch((e: unknown) => e);
    expect(isWorkbenchError(err, "bad-dataset")).toBe(true);
    expect((err as Error).message).toContain('names field "target" for answer');
  });

  it("a --format override reads other column names with that format's rule", async () => {
    const path = join(tmp, "renamed-gsm.csv");
    writeFileSync(path, 'n,prompt,target\n1,"Add 1 and 2.","1 + 2 = 3\n#### 3"\n');
    const ds = await loadDataset(path, { format: "gsm8k", mapping: { id: "n", question: "prompt", answer: "target" } });
    expect(ds.format).toBe("gsm8k");
    expect(withoutSource(ds.problems)).toEqual([{ id: "1", question: "Add 1 and 2.", answer: "3" }]);
  });

  it("a --format override whose fields are missing fails and says which field it expected", async () => {
    const err = await loadDataset(fixture("gsm8k.jsonl"), { format: "svamp" }).catch((e: unknown) => e);
    expect(isWorkbenchError(err, "bad-dataset")).toBe(true);
    expect((err as Error).message).toContain('expected a context field for format svamp ("Body" or "body")');
  });
});
