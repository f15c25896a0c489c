/**
 * Each Qwen2.5-Math toolkit format loads by name, and its ground truth is what the toolkit's
 * `parse_ground_truth` gives for the same record (the expected values below were produced by the
 * toolkit's own parser.py on these fixture files). Questions are `parse_question`'s.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../../../main/eval/datasets/load.ts";
import type { DatasetFormat } from "../../../../main/eval/datasets/types.ts";
import { withoutSource } from "../../../helpers/problems.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/datasets/${name}`, import.meta.url));

async function answers(file: string, format?: DatasetFormat) {
  const ds = await loadDataset(fixture(file), format ? { format } : {});
  expect(ds.errors).toEqual([]);
  return ds;
}

describe("toolkit formats: ground truth as parse_ground_truth derives it", () => {
  it("math500: the last \\boxed{} of the solution, not the answer field", async () => {
    const ds = await answers("math500.jsonl");
    expect(ds.format).toBe("math500");
    expect(ds.problems.map((p) => p.answer)).toEqual([
      "\\frac{3}{4}", // \dfrac -> \frac
      "\\frac{\\sqrt{3}}{2}", // nested braces inside the box
      "12", // the last of two boxes; "\$" removed; the answer field says "12.0"
      "3", // "x=3" loses its "x="
    ]);
    expect(ds.mapping).toEqual({ id: "unique_id", question: "problem", answer: "solution", level: "level", subject: "subject" });
    expect(withoutSource(ds.problems)[0]).toEqual({
      id: "test/prealgebra/9001.json",
      question: "Write $\\frac{6}{8}$ in lowest terms.",
      answer: "\\frac{3}{4}",
      level: 1,
      subject: "Prealgebra",
    });
  });

  it("keeps the answer field as written, for the strict grader (the toolkit's normalisation can eat parts of it)", async () => {
    const ds = await answers("math500.jsonl");
    expect(ds.problems[0]?.answerSource).toBe("Both 6 and 8 are even, so $\\frac{6}{8} = \\boxed{\\dfrac{3}{4}}$.");
    const olympiad = await answers("olympiadbench.jsonl");
    for (const p of olympiad.problems) expect(typeof p.answerSource).toBe("string");
  });

  it("math: the boxed answer, with a trailing \\text{} unit and \\left/\\right removed", async () => {
    const ds = await answers("math.jsonl");
    expect(ds.format).toBe("math");
    expect(ds.problems.map((p) => p.answer)).toEqual(["20", "(-2,2)"]);
    expect(ds.problems.map((p) => [p.id, p.level, p.subject])).toEqual([
      ["0", "Level 1", "Prealgebra"], // no id field: numbered by position, as the toolkit's idx
      ["1", "Level 2", "Algebra"],
    ]);
  });

  it("minerva_math: boxed answer with unit words kept and no second normalisation pass", async () => {
    const ds = await answers("minerva_math.jsonl");
    expect(ds.format).toBe("minerva_math");
    expect(ds.problems.map((p) => p.answer)).toEqual(["30degree", "x\\le3"]);
    // the same records read as MATH lose the unit word
    const asMath = await answers("minerva_math.jsonl", "math");
    expect(asMath.problems[0]!.answer).toBe("30");
  });

  it('gsm8k: the text after "####", normalised (thousands separators are kept, as the toolkit keeps them)', async () => {
    const ds = await answers("gsm8k.jsonl");
    expect(ds.format).toBe("gsm8k");
    expect(ds.problems.map((p) => p.answer)).toEqual(["7", "1,250", "-3"]);
    expect(ds.problems.map((p) => p.id)).toEqual(["0", "1", "2"]);
  });

  it("olympiadbench: final_answer[0] with $ stripped (later answers in the list are ignored)", async () => {
    const ds = await answers("olympiadbench.jsonl");
    expect(ds.format).toBe("olympiadbench");
    expect(ds.problems.map((p) => p.answer)).toEqual(["\\frac{5}{2}", "2"]);
    expect(ds.problems.map((p) => [p.id, p.subject])).toEqual([
      ["9101", "Algebra"],
      ["9102", "Number Theory"],
    ]);
  });

  it("aime24: the answer field (a digit string like 033 becomes 33 through word2number)", async () => {
    const ds = await answers("aime24.jsonl");
    expect(ds.format).toBe("aime24");
    expect(ds.problems.map((p) => p.answer)).toEqual(["33", "12"]);
  });

  it("amc23: numeric answers printed as Python prints floats, then normalised", async () => {
    const ds = await answers("amc23.jsonl");
    expect(ds.format).toBe("amc23");
    // 27.0 -> "27.0" -> "27"; 0.00001 -> "1e-05" (Python's repr); 3.5 stays
    expect(ds.problems.map((p) => p.answer)).toEqual(["27", "1e-05", "3.5"]);
  });

  it("svamp: Body (with a period added) + Question; numeric Answer", async () => {
    const ds = await answers("svamp.jsonl");
    expect(ds.format).toBe("svamp");
    expect(ds.problems.map((p) => [p.id, p.question, p.answer, p.subject])).toEqual([
      ["chal-9001", "There are 290 plums sorted into 2 equal groups. How big is each group?", "145", "Common-Division"],
      ["chal-9002", "Two friends share 1 liter of juice equally. How many liters does each friend get?", "0.5", "Common-Division"],
    ]);
    expect(ds.mapping.context).toBe("Body");
  });

  it('asdiv: body + question; "(units)" removed from the answer; yes/no answers mark the question', async () => {
    const ds = await answers("asdiv.jsonl");
    expect(ds.format).toBe("asdiv");
    expect(ds.problems.map((p) => [p.question, p.answer])).toEqual([
      ["Seven pears and two plums are in a bowl. How many fruits are in the bowl?", "9"],
      ["A pie is cut into 4 equal slices and 3 are eaten. What fraction of the pie was eaten?", "\\frac{3}{4}"],
      ["Is 10 an even number? Answer yes or no. (Yes or No)", "yes"],
    ]);
  });

  it("the project's demo benchmark layout (MATH500 fields, `type` as subject) loads as math500", async () => {
    const ds = await answers("arith-demo.jsonl");
    expect(ds.format).toBe("math500");
    expect(ds.mapping).toEqual({ id: "unique_id", question: "problem", answer: "solution", level: "level", subject: "type" });
    expect(withoutSource(ds.problems)).toEqual([
      { id: "arith/0", question: "Compute $12 + 30 - 7$.", answer: "35", level: 1, subject: "arithmetic" },
      { id: "arith/1", question: "Compute $6 \\times 7 - 2$.", answer: "40", level: 2, subject: "arithmetic" },
    ]);
  });

  it("reports file facts: container, field list, sha256 of the bytes, count", async () => {
    const ds = await answers("gsm8k.jsonl");
    expect(ds.container).toBe("jsonl");
    expect(ds.fields).toEqual(["question", "answer", "idx"]);
    expect(ds.count).toBe(3);
    expect(ds.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ds.problems[0]!.raw).toBeUndefined();
    const withRaw = await loadDataset(fixture("gsm8k.jsonl"), { keepRaw: true });
    expect(withRaw.problems[0]!.raw).toMatchObject({ idx: 0, answer: "He has 3 + 4 = <<3+4=7>>7 marbles.\n#### 7" });
    expect(withRaw.sha256).toBe(ds.sha256);
  });
});
