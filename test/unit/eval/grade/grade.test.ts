import { describe, expect, it } from "vitest";
import { GRADER_VERSION, grade, gradeBoth } from "../../../../main/eval/grade/grade.ts";
import { CASES } from "./cases.ts";

const label = (s: string | number) => (typeof s === "number" ? String(s) : s.length > 60 ? `${s.slice(0, 57)}...` : s);

describe("grading cases table", () => {
  it("has at least 150 cases, and every disagreement between the graders says why", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    for (const c of CASES) {
      if (c.qwen !== c.strict) expect(c.toolkitWrong, `${c.pred} vs ${c.gt}`).toBeTruthy();
      else expect(c.toolkitWrong, `${c.pred} vs ${c.gt}`).toBeUndefined();
    }
    // the table exercises both verdicts of both graders in every category
    const categories = new Set(CASES.map((c) => c.category));
    expect(categories.size).toBeGreaterThanOrEqual(14);
  });
});

describe.each(CASES.map((c, k) => ({ ...c, k })))("case $k [$category]", (c) => {
  const input = { predText: c.pred, gt: c.gt, dataName: c.data ?? "math" };
  it(`qwen: ${label(c.pred.replace(/^Therefore, the final answer is /, ""))} vs ${label(c.gt)} -> ${c.qwen}`, () => {
    expect(grade({ ...input, grader: "qwen" }).correct).toBe(c.qwen);
  });
  it(`strict: -> ${c.strict}`, () => {
    expect(grade({ ...input, grader: "strict" }).correct).toBe(c.strict);
  });
});

describe("grade() / gradeBoth()", () => {
  it("returns plain data: the extracted answer, the normalised ground truth and the verdict", () => {
    const r = grade({ predText: "so $\\boxed{\\dfrac{1}{2}}$", gt: "0.5" });
    expect(r).toEqual({ extracted: "\\frac{1}{2}", gt: "0.5", correct: true });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("defaults to the qwen grader and the math dataset", () => {
    expect(grade({ predText: "\\boxed{12345}", gt: "12346" }).correct).toBe(true);
  });

  it("gradeBoth gives both verdicts", () => {
    const both = gradeBoth({ predText: "\\boxed{(1,2]}", gt: "[1,2)" });
    expect(both.qwen.correct).toBe(true);
    expect(both.strict.correct).toBe(false);
    expect(both.strict.extracted).toBe("(1,2]");
  });

  it("compares against an already parsed ground truth as is (the sweep passes the loader's parse_ground_truth output)", () => {
    // A MATH solution given as gt is parsed: its box is read.
    expect(grade({ predText: "so \\boxed{7}", gt: "It is \\boxed{7}." }).correct).toBe(true);
    // Already parsed: taken as it is, not parsed again.
    const r = grade({ predText: "so \\boxed{7}", gt: "7", gtIsParsed: true });
    expect(r).toMatchObject({ gt: "7", correct: true });
    expect(grade({ predText: "so \\boxed{7}", gt: "8", gtIsParsed: true }).correct).toBe(false);
  });

  it("names the toolkit commit it follows", () => {
    expect(GRADER_VERSION).toMatch(/^qwen25-math-eval@[0-9a-f]{40}\+wb\d+$/);
  });
});
