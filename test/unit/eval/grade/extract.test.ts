import { describe, expect, it } from "vitest";
import {
  choiceAnswerClean,
  extractAnswer,
  findBox,
  groundTruthAnswer,
  gsm8kAnswer,
  lastBoxedContent,
  lastBoxedOnlyString,
  stripString,
} from "../../../../main/eval/grade/extract.ts";

// Expected values are what the toolkit's extract_answer / strip_string / choice_answer_clean
// (evaluation/parser.py) return for these inputs, including its surprises (unit words such as
// "a", "c", "d", "m" deleted, "and" deleted anywhere, "x=" deleted anywhere, word numbers read).

const EXTRACT: [string, string, string][] = [
  ["The answer is $\\boxed{\\dfrac{1}{2}}$.", "math", "\\frac{1}{2}"],
  ["\\boxed{\\frac{\\sqrt{3}}{2}} and later \\boxed{x^{2}}", "math", "x^{2}"],
  ["so \\boxed 7$ done", "math", "7"],
  ["\\boxed{\\frac{1}{2}", "math", "\\frac{1}{2}"],
  ["The answer is: 42.", "math", "42"],
  ["Therefore the final answer is 3/4", "math", "\\frac{3}{4}"],
  ["The final answer is $\\frac{5}{6}$. I hope it is correct.", "minerva_math", "\\frac{5}{6}"],
  ["The final answer is $5\\text{ m/s}$. I hope it is correct.", "minerva_math", "5"],
  ["In total 1,234,567 people and then -3.5 more", "math", "-3.5"],
  ["Janet sells 16 - 3 - 4 = 9 duck eggs.\n#### 18", "gsm8k", "18"],
  ["nothing to see here", "math", ""],
  ["The answer is (C)", "aqua", "C"],
  ["I think the choice is B. Actually the answer is D.", "mmlu_stem", "D"],
  ["答案是 12\n\n其他", "math", "12"],
  ["The answer is \n\n 5 apples\n", "math", "5"],
  ["\\boxed{x = 2 \\text{ or } x = 3}", "math", "x=2orx=3"],
  ["\\boxed{10\\%}", "math", "10"],
  ["\\boxed{\\$1,000.00}", "math", "1,000"],
  ["\\boxed{90^\\circ}", "math", "90"],
  ["\\boxed{\\left[ 0, \\frac{\\pi}{2} \\right)}", "math", "[0,\\frac{\\pi}{2})"],
  ["\\boxed{\\begin{array}{cc} 1 & 2 \\end{array}}", "math", "\\begin{pmatrix}1&2\\end{pmatrix}"],
  ["\\boxed{\\text{(A)}}", "math", "(A)"],
  ["\\boxed{twenty five}", "math", "25"],
  ["\\boxed{.5}", "math", "0.5"],
  ["the value is .75", "math", "0.75"],
  ["\\boxed{k = 12}", "math", "12"],
  ["\\boxed{3\\sqrt2}", "math", "3\\sqrt{2}"],
  ["\\boxed{\\frac34 + \\frac1{72}}", "math", "\\frac{3}{4}+\\frac{1}{72}"],
  ["\\boxed{5 \\text{ cm}^2}", "math", "5^2"],
  ["\\boxed{a + c + d}", "math", ""],
  ["\\boxed{1.50}", "math", "1.50"],
  ["\\boxed{2.0x}", "math", "2x"],
  ["\\boxed{\\infty}", "math", "\\infty"],
  ["\\boxed{(-\\infty, \\infty)}", "math", "(-\\infty,\\infty)"],
  ["\\boxed{\\emptyset}", "math", "{}"],
  ["\\boxed{3 + 4j}", "math", "3+4i"],
  ["\\boxed{\\{1, 2\\}}", "math", "{1,2}"],
  ["step 1 ки step 2 ки \\boxed{4} ки", "math", "4"],
];

const STRIP: [string, string][] = [
  ["\\dfrac{1}{2}", "\\frac{1}{2}"],
  ["  7.  ", "7"],
  ["1\\!000", "1000"],
  ["\\left( 1, 2 \\right)", "(1,2)"],
  ["5\\text{ cm}", "5"],
  ["\\text{yes}", "yes"],
  ["x=5", "5"],
  ["ab=5", "5"],
  ["\\frac12", "\\frac{1}{2}"],
  ["\\frac1{72}", "\\frac{1}{72}"],
  ["\\frac{72}1", "\\frac{72}1"],
  ["\\frac1", "\\frac1"],
  ["3/4", "\\frac{3}{4}"],
  ["-1/2", "\\frac{-1}{2}"],
  ["+1/2", "+1/2"],
  ["01/2", "01/2"],
  ["\\sqrt{2}/2", "\\frac{\\sqrt{2}}{2}"],
  ["\\sqrt5", "\\sqrt{5}"],
  ["0.500", "0.500"],
  ["1.05", "1.05"],
  ["3.000x", "3x"],
  ["007", "7"],
  ["one hundred twenty three", "123"],
  ["point five", "0.5"],
  ["5 apples", "5"],
  ["the monkey", "the"],
  ["2 hours", "2"],
  ["a.m.", "0."],
  ["\\emptyset", "{}"],
  ["inf", "\\infty"],
  ["infinity", "\\infty"],
  ["-\\infty", "-\\infty"],
  ["x\\in[1,2]", "[1,2]"],
  ["y\\to 0", "0"],
  ["10\\%", "10"],
  ["\\$20", "20"],
  ["\\mbox{ units}12", "12"],
  ["1 and 2", "12"],
  ["\\mathbf{v}", "{v}"],
  ["\\neq", "\\ne"],
  ["\\leq", "\\le"],
  ["\\begin{bmatrix}1\\end{bmatrix}", "\\begin{pmatrix}1\\end{pmatrix}"],
  ["{.5}", "{0.5}"],
  [" .5", "0.5"],
  ["\\{1\\}", "{1}"],
  ["pi r 2", "pir2"],
  ["\\text{Monday}", "Monday"],
  ["\\text{Monday} and \\text{Tuesday}", "MondayTuesday"],
  ["3j", "3i"],
  ["ij", "ij"],
  ["12:00 p . m", "12:00"],
  ["m", "m"],
  ["5 m", "5"],
  ["5m", "5m"],
];

const CHOICE: [string, string][] = [
  ["The answer is (C).", "C"],
  ["(A) or (B)", "B"],
  ["I choose D", "D"],
  ["the choice is b", "B"],
  ["answer is E. The answer is A.\n\nMore", "A"],
  ["nothing", "nothing"],
];

describe("extractAnswer (the toolkit's extract_answer)", () => {
  it.each(EXTRACT)("%j (%s) -> %j", (text, dataName, expected) => {
    expect(extractAnswer(text, dataName)).toBe(expected);
  });
});

describe("stripString (the toolkit's strip_string)", () => {
  it.each(STRIP)("%j -> %j", (input, expected) => {
    expect(stripString(input)).toBe(expected);
  });
  it("skips unit words for carp_en / minerva_math", () => {
    expect(stripString("5 m", { skipUnit: true })).toBe("5m");
    expect(stripString("5 m")).toBe("5");
  });
});

describe("choiceAnswerClean (multiple-choice letters)", () => {
  it.each(CHOICE)("%j -> %j", (input, expected) => {
    expect(choiceAnswerClean(input)).toBe(expected);
  });
});

describe("boxed helpers", () => {
  it("findBox takes the last box with nested braces", () => {
    expect(findBox("\\boxed{1} then \\boxed{\\frac{a}{\\sqrt{b}}} end")).toBe("\\frac{a}{\\sqrt{b}}");
    expect(findBox("\\boxed 12$ more")).toBe("12");
    expect(findBox("no box")).toBe("no box");
  });
  it("lastBoxedOnlyString handles \\boxed and \\fbox, whichever comes last", () => {
    expect(lastBoxedOnlyString("a \\boxed{1} b \\fbox{{2}} c")).toBe("\\fbox{{2}}");
    expect(lastBoxedOnlyString("a \\fbox{2} b \\boxed{x^{2}} c")).toBe("\\boxed{x^{2}}");
    expect(lastBoxedOnlyString("so \\boxed 5$.")).toBe("\\boxed 5");
    expect(lastBoxedOnlyString("\\boxed{unclosed")).toBeNull();
    expect(lastBoxedOnlyString("none")).toBeNull();
  });
  it("lastBoxedContent strips the command and braces", () => {
    expect(lastBoxedContent("The answer is $\\boxed{\\{1,2\\}}$")).toBe("\\{1,2\\}");
    expect(lastBoxedContent("\\fbox{7}")).toBe("7");
    expect(lastBoxedContent("nothing")).toBeNull();
  });
});

describe("ground truth as parse_ground_truth leaves it", () => {
  it("reads GSM8K's #### answer", () => {
    expect(gsm8kAnswer("She makes 9 * 2 = $18.\n#### 18")).toBe("18");
    expect(gsm8kAnswer("no marker")).toBeNull();
    expect(groundTruthAnswer("She makes $18.\n#### 18", "gsm8k")).toBe("18");
  });
  it("normalises MATH answers and solutions alike", () => {
    expect(groundTruthAnswer("\\dfrac{1}{2}", "math")).toBe("\\frac{1}{2}");
    expect(groundTruthAnswer("so the answer is $\\boxed{\\dfrac{1}{2}}$.", "math")).toBe("\\frac{1}{2}");
  });
  it("strips OlympiadBench's dollars and prints numbers the way Python does", () => {
    expect(groundTruthAnswer("$\\frac{1}{2}$", "olympiadbench")).toBe("\\frac{1}{2}");
    expect(groundTruthAnswer(8.0, "svamp")).toBe("8");
    expect(groundTruthAnswer(0.25, "svamp")).toBe("0.25");
  });
  it("keeps minerva_math answers' units (no unit deletion)", () => {
    expect(groundTruthAnswer("5 m", "minerva_math")).toBe("5m");
  });
});
