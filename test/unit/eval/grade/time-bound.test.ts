import { describe, expect, it } from "vitest";
import { gradeBoth } from "../../../../main/eval/grade/grade.ts";
import { mathEqualQwen } from "../../../../main/eval/grade/math-equal-qwen.ts";
import { Budget } from "../../../../main/eval/grade/budget.ts";

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe("every comparison is bounded in time", () => {
  gradeBoth({ predText: "\\boxed{1}", gt: "1" }); // warm-up outside the timed cases

  const pathological: [string, string][] = [
    ["power tower", "\\boxed{2^{2^{2^{2^{2^{100}}}}}}"],
    ["huge factorial", "\\boxed{(10^{100})!}"],
    ["deep nesting", `\\boxed{${"\\sqrt{".repeat(400)}2${"}".repeat(400)}}`],
    ["long sum", `\\boxed{${Array.from({ length: 3000 }, (_, k) => `x_{${k}}`).join("+")}}`],
    ["long tuple", `\\boxed{(${Array.from({ length: 2000 }, (_, k) => `\\frac{${k}}{7}`).join(",")})}`],
    ["long matrix", `\\boxed{\\begin{pmatrix}${Array.from({ length: 300 }, () => "1&2&3").join("\\\\")}\\end{pmatrix}}`],
    ["unbalanced", `\\boxed{${"(".repeat(5000)}`],
    ["long text", `${"step ".repeat(50000)}\\boxed{7}`],
  ];
  it.each(pathological)("%s returns within 1 s", (_name, predText) => {
    for (const grader of ["qwen", "strict"] as const) {
      const gt = predText.includes("pmatrix") ? predText.slice(8, -1) : "7";
      const { ms } = timed(() => gradeBoth({ predText, gt }));
      expect(ms, grader).toBeLessThan(1000);
    }
  });

  it("an exhausted budget means not equal", () => {
    const spent = new Budget(-1);
    expect(mathEqualQwen("x^2+2x+1", "(x+1)^2", { budget: spent })).toBe(false);
    expect(mathEqualQwen("x^2+2x+1", "(x+1)^2")).toBe(true);
  });
});
