/**
 * The qwen grader reproduces what sympy's LaTeX parser does inside the toolkit's symbolic_equal
 * (docs/grading.md, "qwen: the toolkit's parser"). Each verdict below is the real toolkit's
 * (bench/qwen_toolkit_runner.py, toolkit at the commit in GRADER_VERSION, sympy 1.12), not ours.
 */
import { describe, expect, it } from "vitest";
import { grade } from "../../../../main/eval/grade/grade.ts";
import { sympyLexical } from "../../../../main/eval/grade/math-equal-qwen.ts";

const B = (x: string) => `Therefore, the final answer is $\\boxed{${x}}$.`;

/** [behaviour, boxed answer, ground truth, the toolkit's verdict] */
const TOOLKIT: [string, string, string, boolean][] = [
  ["spacing", "12\\,000", "12000", true],
  ["spacing", "12\\,001", "12000", true],
  ["spacing", "12\\,100", "12000", false],
  ["spacing", "3\\quad 4", "34", true],
  ["spacing", "\\frac{3}{4}\\,\\pi", "\\frac{3\\pi}{4}", true],
  ["spacing", "2\\;\\sqrt{3}", "2\\sqrt{3}", true],
  ["spacing", "5\\!\\cdot\\!4", "20", true],
  ["application", "n(n+1)", "n^2+n", false],
  ["application", "n(n+1)", "n(1+n)", true],
  ["application", "2(n+1)", "2n+2", true],
  ["application", "(n+1)n", "n^2+n", true],
  ["application", "x^2(x+1)", "x^3+x^2", true],
  ["application", "\\pi(2)", "2\\pi", false],
  ["application", "a(b+c)", "ab+ac", false],
  ["application", "\\frac{k(k+1)}{2}", "\\frac{k^2+k}{2}", false],
  ["euler", "1.5e3", "1500", true],
  ["euler", "1.5e3", "1.5\\times10^3", false],
  ["euler", "6.02e23", "6.02\\times10^{23}", false],
  ["euler", "2e", "2e^{1}", true],
  ["euler", "1.5e3", "4.5e", true],
  ["overline", "0.1\\overline{6}", "\\frac16", false],
  ["overline", "0.1\\overline{6}", "0.6", true],
  ["subscript", "\\log_3 27", "3", false],
  ["subscript", "\\log_2 8", "3", true],
  ["subscript", "\\log_{32}7", "\\log_3 27", true],
  ["subscript", "\\log_{3} 27", "3", true],
  ["subscript", "\\log_{10} 1000", "3", true],
  ["subscript", "a_1+a_2", "a_2+a_1", true],
  ["lexer", "3,\\  5, 7", "3, 5, 7", false],
  ["lexer", "0\\ ", "0", false],
  ["lexer", "(-\\sqrt{3}, \\sqrt{3})\\,", "(-\\sqrt{3}, \\sqrt{3})", true],
  ["unicode", "90°", "90", false],
  ["unicode", "45°", "45", false],
  ["unicode", "−5", "-5", false],
  ["unicode", "x−1", "x-1", false],
  ["unicode", "3×4", "12", false],
  ["unicode", "½", "0.5", false],
  ["unicode", "π", "\\pi", false],
  ["overflow", "2^{2023}", "2^{2023}-1", true],
  ["overflow", "5^{500}", "5^{500}+3", true],
  ["overflow", "\\frac{2^{2000}}{3}", "\\frac{2^{2000}}{3}+1", true],
  ["overflow", "2^{1100}", "2^{1200}", true],
  ["overflow", "-10^{400}", "-10^{401}", true],
  ["overflow", "10^{400}", "\\infty", true],
  ["overflow", "-2^{2023}", "2^{2023}", false],
  ["overflow", "2^{1000}", "2^{1001}", false],
  ["matrix", "\\begin{pmatrix} 0.333 \\\\ 0.667 \\end{pmatrix}", "\\begin{pmatrix} \\frac{1}{3} \\\\ \\frac{2}{3} \\end{pmatrix}", false],
  ["matrix", "\\begin{pmatrix} 0.333 \\\\ 1 \\end{pmatrix}", "\\begin{pmatrix} 1/3 \\\\ 1 \\end{pmatrix}", true],
  ["matrix", "\\begin{pmatrix} 0.5 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} \\frac{1}{2} \\\\ 2 \\end{pmatrix}", true],
];

const WHY: Record<string, string> = {
  spacing: "sympy's lexer skips \\, \\; \\quad \\! like whitespace, and a number is a run of DIGIT tokens, so digits separated only by skipped text join",
  application: "a letter or command symbol directly followed by ( is a function application (LaTeX.g4: func)",
  euler: "e after a digit is the letter e (a symbol), not an exponent: 1.5e3 is 1.5*e*3; Python's float() still reads 1.5e3 when both sides are numbers",
  overline: "\\overline is complex conjugation (FUNC_OVERLINE), not a repeating decimal",
  lexer:
    "a backslash before anything but a letter or a symbol token is a lexer error; it fails the parse when the lexer reaches it (inside what is read, or in the look-ahead after a comma)",
  unicode: "the lexer's alphabet is ASCII: any other character (°, −, ×, ½, π) is a lexer error, so the parse fails",
  overflow:
    "the last test is float(N(a)) against float(N(b)): beyond the float range both are inf, and math.isclose(inf, inf) is True (signs kept)",
  subscript: "a subscript atom is one letter or a whole number; \\log_{b} x is log(x, b)",
  matrix: "latex2sympy reads matrices; the toolkit tries the text with \\\\ halved first, which mangles a row break followed by a command; entries are compared rounded to 3 decimals",
};

describe.each(Object.keys(WHY))("qwen reproduces sympy's parse_latex: %s", (behaviour) => {
  it.each(TOOLKIT.filter((c) => c[0] === behaviour))(`${WHY[behaviour]}: %#`, (_b, pred, gt, verdict) => {
    expect(grade({ predText: B(pred), gt, grader: "qwen" }).correct, `${pred} vs ${gt}`).toBe(verdict);
  });
});

describe("sympyLexical: what the lexer makes of the text before the grammar reads it", () => {
  it("skips spacing commands and joins digits across them", () => {
    expect(sympyLexical("12\\,000")).toBe("12000");
    expect(sympyLexical("3\\quad 4")).toBe("34");
    expect(sympyLexical("\\left(x\\right)")).toBe("(x)");
    expect(sympyLexical("x^6+\\,x^5")).toBe("x^6+x^5");
    expect(sympyLexical("11,111,111,10\\;0")).toBe("11111111100");
    expect(sympyLexical("\\pi r")).toBe("\\pi r");
  });
  it("reads e after a digit as a factor", () => {
    expect(sympyLexical("1.5e3")).toBe("1.5\\cdot e\\cdot 3");
    expect(sympyLexical("2e")).toBe("2\\cdot e");
  });
  it("takes a whole number as a subscript and keeps a base of 10", () => {
    expect(sympyLexical("\\log_327")).toBe("\\log_{32}7");
    expect(sympyLexical("\\log_28x")).toBe("\\log_{28}x");
    expect(sympyLexical("x_12")).toBe("x_{12}");
    expect(sympyLexical("\\log_{10}1000")).toBe("\\lg1000");
  });
});
