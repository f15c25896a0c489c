/**
 * The strict grader's rules (docs/grading.md, "strict"), one block per rule: what a careful grader
 * accepts and, next to it, the near miss it must reject. Conservative: when unsure, not equal.
 */
import { describe, expect, it } from "vitest";
import { grade } from "../../../../main/eval/grade/grade.ts";
import { exactValue, decimalToRational } from "../../../../main/eval/grade/exact-value.ts";
import { parseLatex } from "../../../../main/eval/grade/latex-value.ts";
import { strictNormalize } from "../../../../main/eval/grade/strict-normalize.ts";

const B = (x: string) => `So the final answer is $\\boxed{${x}}$.`;
const strict = (pred: string, gt: string, data = "math") => grade({ predText: pred, gt, dataName: data, grader: "strict" }).correct;

/** [boxed answer, ground truth, careful verdict] */
const RULES: Record<string, [string, string, boolean][]> = {
  "a percentage p% is p or p/100; no marker, no rescaling": [
    ["50\\%", "0.5", true], ["0.5", "50\\%", true], ["12.5\\%", "\\frac{1}{8}", true], ["\\frac18", "12.5\\%", true],
    ["50", "50\\%", true], ["40 \\text{ percent}", "0.4", true], ["50", "0.5", false], ["0.5", "50", false],
    ["2.5\\%", "0.25", false], ["25\\%", "\\frac15", false], ["5\\%", "50\\%", false],
  ],
  "a mixed number is its sum, also inside a percentage": [
    ["3\\frac{1}{2}", "\\frac72", true], ["-1\\frac{1}{2}", "-1.5", true], ["33\\frac{1}{3}\\%", "\\frac13", true],
    ["3\\frac{1}{2}", "\\frac32", false], ["2\\frac{x}{3}", "\\frac{2x}{3}", true], ["1\\frac{2}{3}", "1.6667", false],
  ],
  "units go; cents are hundredths of a dollar; degrees are pi/180 radians": [
    ["12\\,\\mathrm{m}", "12", true], ["12 m", "12", true], ["6\\,\\text{m}^2", "6", true], ["8 \\text{ in.}", "8", true],
    ["45 \\text{ cents}", "\\$0.45", true], ["\\$0.45", "45\\text{ cents}", true], ["90^\\circ", "\\frac{\\pi}{2}", true],
    ["\\cos 60^\\circ", "\\frac12", true], ["30^\\circ", "\\frac{\\pi}{3}", false], ["60", "\\frac{\\pi}{3}", false],
    ["100 \\text{ cm}", "1", false], ["2 t", "2", false],
  ],
  "\\pm is the set of both signs": [
    ["\\pm\\sqrt{2}", "\\sqrt2, -\\sqrt2", true], ["\\pm 3", "\\{3, -3\\}", true], ["3, -3", "\\pm 3", true],
    ["1 \\pm \\sqrt2", "1+\\sqrt2, 1-\\sqrt2", true], ["x = \\pm 2", "2,-2", true], ["\\pm 3", "3", false],
    ["\\pm 2", "2, -3", false],
  ],
  "a named value or function is its value; named values are a tuple in name order": [
    ["f(x) = 2x+1", "2x+1", true], ["2x+1", "f(x) = 2x+1", true], ["f^{-1}(x) = \\frac{x-1}{2}", "\\frac{x-1}{2}", true],
    ["x=2, y=-1", "(2,-1)", true], ["y = -1, x = 2", "(2,-1)", true], ["(x, y) = (2, -1)", "(2,-1)", true],
    ["x=-1, y=2", "(2,-1)", false], ["f(x) = 2x+2", "2x+1", false], ["x + y = 5", "5", false],
  ],
  "a column vector is its tuple": [
    ["\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", "(2,-1)", true], ["(2,-1)", "\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", true],
    ["\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", "(-1,2)", false], ["\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "(1,2,3,4)", false],
  ],
  "an inequality in one variable is its interval": [
    ["x<3", "(-\\infty, 3)", true], ["(-\\infty,3)", "x<3", true], ["3 > x", "(-\\infty,3)", true], ["-2<x<5", "(-2,5)", true],
    ["-2 \\le x < 5", "[-2,5)", true], ["x < -1 \\text{ or } x > 2", "(-\\infty,-1)\\cup(2,\\infty)", true],
    ["x<3", "(-\\infty,3]", false], ["-2 < x \\le 5", "[-2,5)", false], ["x > 1", "(-\\infty, 1)", false],
  ],
  "choices: letters in any case, (B) 12, multi-select in any order and separator": [
    ["b", "B", true], ["(B) 12", "B", true], ["\\text{(B) } 12", "B", true], ["B, D", "BD", true], ["DB", "BD", true],
    ["B \\text{ and } D", "BD", true], ["BD", "B", false], ["B", "BD", false], ["d", "B", false], ["A, B, C", "AC", false],
  ],
  "words: number words and DNE": [
    ["three", "3", true], ["\\text{twenty-one}", "21", true], ["DNE", "\\text{does not exist}", true],
    ["\\text{no}", "\\text{No}", true], ["three", "4", false], ["\\text{none}", "0", false], ["\\text{does not exist}", "0", false],
  ],
  "a numeral with a base subscript equals its digits, and only them": [
    ["1011_2", "1011_2", true], ["{1011}_2", "1011_2", true], ["1011_{2}", "1011_2", true], ["1011", "1011_2", true],
    ["11", "1011_2", false], ["1011_3", "1011_2", false], ["1101_2", "1011_2", false],
  ],
  "integers and rationals are compared exactly, however large": [
    ["2^{100}", "1267650600228229401496703205376", true], ["2^{64}-1", "18446744073709551615", true],
    ["2^{64}", "18446744073709551615", false], ["2^{100}-1", "2^{100}", false], ["20!", "2432902008176640000", true],
    ["2432902008176640001", "20!", false], ["1000000006", "1000000007", false], ["12345", "12346", false],
    ["0.3333", "\\frac13", false], ["\\sqrt[3]{8}", "2", true],
  ],
  "repeating decimals are the fractions they denote": [
    ["0.\\overline{3}", "\\frac13", true], ["0.1\\overline{6}", "\\frac16", true], ["0.\\overline{9}", "1", true],
    ["0.\\overline{3}", "0.3", false], ["0.\\overline{12}", "\\frac{12}{100}", false],
  ],
  "x \\ne c and |x - a| < c (or > c) are the unions of intervals they describe": [
    ["x \\neq 3", "(-\\infty,3)\\cup(3,\\infty)", true], ["(3,\\infty) \\cup (-\\infty,3)", "x \\ne 3", true],
    ["|x| \\le 4", "[-4,4]", true], ["|x-2| < 1", "(1,3)", true], ["|x+2| \\ge 1", "(-\\infty,-3]\\cup[-1,\\infty)", true],
    ["\\left| x \\right| > 3", "(-\\infty,-3)\\cup(3,\\infty)", true], ["\\lvert x \\rvert < 2", "(-2,2)", true],
    ["x \\ne 3", "(-\\infty,3)", false], ["|x| < 4", "[-4,4]", false], ["|x-2| < 1", "(-3,-1)", false],
    ["|x| > 3", "(-3,3)", false], ["x \\ne y", "(-\\infty,3)\\cup(3,\\infty)", false],
  ],
  "set-builder notation for a condition on one variable is the condition": [
    ["\\{x \\mid x \\ge 1\\}", "[1,\\infty)", true], ["\\{t : t < 0\\}", "(-\\infty,0)", true],
    ["\\{x \\in \\mathbb{R} \\mid -1 < x < 1\\}", "(-1,1)", true], ["\\{x \\mid x \\ge 1\\}", "(1,\\infty)", false],
    ["\\{x \\mid x > 1\\}", "\\{2, 3\\}", false],
  ],
  "Unicode mathematics is the LaTeX it stands for": [
    ["−7", "-7", true], ["[2, ∞)", "[2,\\infty)", true], ["4 × 5", "20", true], ["x ≥ 2", "[2,\\infty)", true],
    ["2π", "2\\pi", true], ["√3", "\\sqrt{3}", true], ["−7", "7", false], ["(2, ∞)", "[2,\\infty)", false],
  ],
  "a choice letter followed by a colon or full stop and the option's content is that letter": [
    ["D: \\sqrt{2}", "D", true], ["(A): 7", "A", true], ["B. 12", "B", true], ["D: \\sqrt{2}", "B", false],
  ],
  "\\cfrac is \\frac; a matrix environment in brackets is the matrix; a base in parentheses is the base": [
    ["\\cfrac{2}{3}", "\\frac{2}{3}", true], ["1+\\cfrac{1}{2}", "\\frac32", true], ["\\cfrac{2}{3}", "\\frac{3}{2}", false],
    ["\\left[\\begin{array}{cc} 1 & 0 \\\\ 2 & 1 \\end{array}\\right]", "\\begin{pmatrix} 1 & 0 \\\\ 2 & 1 \\end{pmatrix}", true],
    ["\\left(\\begin{array}{c} 5 \\\\ 6 \\end{array}\\right)", "(5,6)", true],
    ["\\left(\\begin{array}{c} 5 \\\\ 6 \\end{array}\\right)", "(6,5)", false],
    ["212_{(3)}", "212_3", true], ["212_{(3)}", "212_4", false],
  ],
  "the empty solution set has one spelling; a negative thin space is kerning": [
    ["\\varnothing", "\\text{No solutions}", true], ["\\text{no real solution}", "\\emptyset", true],
    ["\\{\\}", "\\text{no solution}", true], ["\\text{no solution}", "0", false], ["\\emptyset", "\\{0\\}", false],
    ["3,\\!141", "3141", true], ["2x\\!-\\!1", "2x-1", true], ["3,\\!141", "3.141", false],
  ],
  "a lower-case choice letter may stand in parentheses": [
    ["(b)", "B", true], ["(e)", "E", true], ["(b)", "D", false],
  ],
  "a number too large for a float is still a number, not infinity": [
    ["10^{400}", "\\infty", false], ["2^{2000}", "-\\infty", false], ["\\infty", "\\infty", true], ["-\\infty", "-\\infty", true],
    ["(10^{400}, \\infty)", "(10^{400}, \\infty)", true],
  ],
};

describe.each(Object.keys(RULES))("strict: %s", (rule) => {
  it.each(RULES[rule]!)("%s vs %s -> %s", (pred, gt, verdict) => {
    expect(strict(B(pred), gt)).toBe(verdict);
  });
});

describe("strict extraction", () => {
  it("takes the answer, not the explanation after it", () => {
    expect(strict("The answer is 12 because 3 \\times 4 = 12.", "12")).toBe(true);
    expect(strict("The answer is 12 because 3 + 4 = 7.", "7")).toBe(false);
    expect(strict("The answer is 8, which is the smallest such number.", "8")).toBe(true);
  });
  it("reads boxes that together form the answer as one list, and a corrected box as the last one", () => {
    expect(strict("The solutions are $\\boxed{2}$ and $\\boxed{3}$.", "3,2")).toBe(true);
    expect(strict("So $x = \\boxed{-1}$ or $x = \\boxed{4}$.", "-1, 4")).toBe(true);
    expect(strict("The solutions are $\\boxed{2}$ and $\\boxed{3}$.", "3")).toBe(false);
    expect(strict("First $\\boxed{5}$. Wait, that is wrong: it is $\\boxed{6}$.", "6")).toBe(true);
    expect(strict("First $\\boxed{5}$. Wait, that is wrong: it is $\\boxed{6}$.", "5,6")).toBe(false);
  });
  it("reads an unclosed box at the end when what it holds is complete", () => {
    expect(strict("so the answer is \\boxed{\\frac{1}{2}", "\\frac12")).toBe(true);
    expect(strict("so the answer is \\boxed{\\frac{1}{", "\\frac12")).toBe(false);
  });
  it("finds no answer in a completion cut off before one (no last-number fallback)", () => {
    expect(strict("First, 3 + 4 = 7. Then we multiply by", "7")).toBe(false);
    expect(strict("Step 1: 48 / 2 = 24\n\nStep 2: 48 + 24 =", "72")).toBe(false);
    expect(strict("To find the total we compute 3 \\times 4 = 12, then add 5 to get", "17")).toBe(false);
    // a finished sentence that states the result is an answer
    expect(strict("So she earns $18.00 per day.", "18", "gsm8k")).toBe(true);
    expect(strict("Adding 3 and 4 gives 7 apples in total", "7")).toBe(true);
  });
  it("reads the stated answer without markdown emphasis", () => {
    expect(strict("Counting all of them, the answer is **14**.", "14")).toBe(true);
    expect(strict("The final answer is __3/4__", "\\frac34")).toBe(true);
    expect(strict("Counting all of them, the answer is **14**.", "15")).toBe(false);
  });
  it("lets a later correction replace a stated answer, and only a finished one", () => {
    expect(strict("The answer is 20. Wait, I double counted the corner: it is 20 - 1 = 19.", "19")).toBe(true);
    expect(strict("The answer is 20. Wait, I double counted the corner: it is 20 - 1 = 19.", "20")).toBe(false);
    expect(strict("So the answer is 6, but that was a mistake; recounting gives 5.", "5")).toBe(true);
    // a check that confirms, or one cut off, leaves the stated answer
    expect(strict("The answer is 20. Actually, let me verify: 4 \\times 5 = 20. Yes.", "20")).toBe(true);
    expect(strict("The answer is 20. Wait, let me recount the", "20")).toBe(true);
    // a qualification after "but" is not the answer
    expect(strict("The answer is 11, but only when n is odd.", "11")).toBe(true);
  });
  it("reads a stated choice through the formatting around its letter", () => {
    expect(strict("Only the last one satisfies the bound. The right option is \\textbf{(E)}.", "E")).toBe(true);
    expect(strict("Comparing the three values, the answer is **(B)**", "B")).toBe(true);
    expect(strict("Only the last one satisfies the bound. The right option is \\textbf{(E)}.", "D")).toBe(false);
  });
  it("takes the letter a completion states when the box holds the option's value", () => {
    expect(strict("The value is 12, which is option (B).\n\n$\\boxed{12}$", "B")).toBe(true);
    expect(strict("The value is 12, which is option (B).\n\n$\\boxed{12}$", "C")).toBe(false);
  });
});

describe("strict normalisation and exact values", () => {
  it("writes each normalised form once", () => {
    expect(strictNormalize("12\\,000")).toBe("12000");
    expect(strictNormalize("10\\,\\%")).toBe("10%");
    expect(strictNormalize("45 \\text{ cents}")).toBe("45¢");
    expect(strictNormalize("90^{\\circ}")).toBe("90°");
    expect(strictNormalize("3\\frac{1}{2}")).toBe("\\frac{7}{2}");
    expect(strictNormalize("0.1\\overline{6}")).toBe("\\frac{1}{6}");
    expect(strictNormalize("\\text{twenty-one}")).toBe("21");
    expect(strictNormalize("{1011}_{2}")).toBe("1011_2");
    expect(strictNormalize("\\text{Does not exist}")).toBe("DNE");
  });
  it("evaluates integer expressions exactly with BigInt, and gives up on sizes it cannot hold", () => {
    expect(exactValue(parseLatex("2^{64}-1"))).toEqual({ n: 18446744073709551615n, d: 1n });
    expect(exactValue(parseLatex("\\frac{6}{4}"))).toEqual({ n: 3n, d: 2n });
    expect(exactValue(parseLatex("2^{2^{100}}"))).toBeNull();
    expect(exactValue(parseLatex("\\sqrt{2}"))).toBeNull();
    expect(decimalToRational("0.1(6)")).toEqual({ n: 1n, d: 6n });
  });
});
