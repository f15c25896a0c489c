/**
 * Grading cases written by hand, by category, adversarially: each is a completion and a dataset
 * answer with the verdict a careful mathematician gives (`human`). They were written before the
 * graders were run on them, from what the Qwen2.5-Math toolkit and a careful grader would say,
 * not from what this project's code does. The toolkit's own verdicts on them are recorded in
 * bench/toolkit-verdicts-written.jsonl (bench/qwen_toolkit_runner.py on these cases, toolkit at
 * the commit in GRADER_VERSION, sympy 1.12).
 *
 * About a third of the cases (chosen by a hash of the case, see `heldOut`) were set aside while
 * the graders were being fixed: the bench reports agreement on them separately, as the figure
 * that was not tuned for.
 */

export interface WrittenCase {
  category: string;
  pred: string;
  gt: string;
  data?: string;
  /** The careful verdict. */
  human: boolean;
  /** Why, where the verdict is not obvious. */
  why?: string;
}

const B = (x: string) => `Therefore, the final answer is $\\boxed{${x}}$.`;
const c = (category: string, pred: string, gt: string, human: boolean, why?: string, data?: string): WrittenCase => ({
  category,
  pred,
  gt,
  human,
  ...(why ? { why } : {}),
  ...(data ? { data } : {}),
});

export const WRITTEN_CASES: WrittenCase[] = [
  // -- thin spaces and other LaTeX spacing ---------------------------------------------------
  c("spacing", B("12\\,000"), "12000", true, "\\, as a thousands separator"),
  c("spacing", B("1\\,234\\,567"), "1234567", true),
  c("spacing", B("5\\,\\text{cm}"), "5", true),
  c("spacing", B("12\\,\\mathrm{m}"), "12", true),
  c("spacing", B("3\\;\\text{kg}"), "3", true),
  c("spacing", B("4\\ \\text{units}"), "4", true),
  c("spacing", B("10\\,\\%"), "10", true),
  c("spacing", B("2\\,\\sqrt{3}"), "2\\sqrt{3}", true),
  c("spacing", B("x\\,=\\,5"), "5", true),
  c("spacing", B("12\\,001"), "12000", false),
  c("spacing", B("3\\!\\cdot\\!4"), "12", true),
  c("spacing", B("7~\\text{days}"), "7", true),
  c("spacing", B("\\frac{1}{2}\\,\\text{hour}"), "\\frac12", true),
  c("spacing", B("6\\,\\text{m}^2"), "6", true),
  c("spacing", B("100\\,\\text{cm}"), "1", false, "a conversion the grader cannot know was asked for"),
  c("spacing", B("\\quad 42"), "42", true),
  c("spacing", B("3\\,456\\,789"), "3456780", false),
  c("spacing", B("\\frac{3}{4}\\,\\pi"), "\\frac{3\\pi}{4}", true),

  // -- juxtaposition: n(n+1) and friends -------------------------------------------------------
  c("products", B("n(n+1)"), "n^2+n", true),
  c("products", B("x(x-1)"), "x^2-x", true),
  c("products", B("2(n+1)"), "2n+2", true),
  c("products", B("a(b+c)"), "ab+ac", true),
  c("products", B("(n+1)n"), "n^2+n", true),
  c("products", B("\\frac{n(n-1)}{2}"), "\\frac{n^2-n}{2}", true),
  c("products", B("k(k+2)"), "k^2+2k", true),
  c("products", B("x(x+1)(x+2)"), "x^3+3x^2+2x", true),
  c("products", B("n(n+1)"), "n(n+1)", true),
  c("products", B("n(n+2)"), "n^2+n", false),
  c("products", B("3(x+1)"), "3x+3", true),
  c("products", B("(x+1)(x-1)"), "x^2-1", true),
  c("products", B("r(1+r)"), "r+r^2", true),
  c("products", B("x^2y"), "yx^2", true),
  c("products", B("\\frac{1}{2}x"), "\\frac{x}{2}", true),
  c("products", B("2x(x-3)"), "2x^2-6x", true),
  c("products", B("x(x-3)"), "x^2+3x", false),
  c("products", B("n(2n-1)"), "2n^2-n", true),

  // -- scientific notation ------------------------------------------------------------------------
  c("scientific", B("1.5e3"), "1500", true),
  c("scientific", B("1.5e3"), "1.5\\times10^3", true),
  c("scientific", B("1.5\\times 10^3"), "1500", true),
  c("scientific", B("6.02\\times10^{23}"), "6.02 \\times 10^{23}", true),
  c("scientific", B("6.02e23"), "6.02\\times10^{23}", true),
  c("scientific", B("2e-3"), "0.002", true),
  c("scientific", B("2\\times10^{-3}"), "0.002", true),
  c("scientific", B("3 \\cdot 10^5"), "300000", true),
  c("scientific", B("3.0e5"), "300000", true),
  c("scientific", B("1.2\\times10^{4}"), "1200", false),
  c("scientific", B("1.5E3"), "1500", true),
  c("scientific", B("2.5 \\times 10^{-4}"), "0.00025", true),
  c("scientific", B("10^{-2}"), "0.01", true),
  c("scientific", B("4e"), "4e", true),
  c("scientific", B("2e"), "2e^{1}", true),
  c("scientific", B("5.4\\times10^{6}"), "5400000", true),
  c("scientific", B("5.4\\times10^{6}"), "540000", false),
  c("scientific", B("1.5e3"), "\\frac{3000}{2}", true),
  c("scientific", B("7e2"), "700", true),
  c("scientific", B("3\\times10^{8}"), "3e8", true),

  // -- matrices and vectors -----------------------------------------------------------------------
  c("matrices", B("\\begin{pmatrix} 0.333 \\\\ 0.667 \\end{pmatrix}"), "\\begin{pmatrix} \\frac{1}{3} \\\\ \\frac{2}{3} \\end{pmatrix}", false, "rounded entries are not the exact ones"),
  c("matrices", B("\\begin{pmatrix} 0.5 & 0 \\\\ 0 & 0.25 \\end{pmatrix}"), "\\begin{pmatrix} \\frac12 & 0 \\\\ 0 & \\frac14 \\end{pmatrix}", true),
  c("matrices", B("\\begin{pmatrix} 1.414 \\\\ 1 \\end{pmatrix}"), "\\begin{pmatrix} \\sqrt{2} \\\\ 1 \\end{pmatrix}", false),
  c("matrices", B("\\begin{bmatrix} 2 & 1 \\\\ 0 & 3 \\end{bmatrix}"), "\\begin{pmatrix} 2 & 1 \\\\ 0 & 3 \\end{pmatrix}", true),
  c("matrices", B("\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}"), "(2,-1)", true, "a column vector is the tuple of its entries"),
  c("matrices", B("(2,-1)"), "\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", true),
  c("matrices", B("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"), "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}", false),
  c("matrices", B("\\begin{pmatrix} \\frac{2}{4} & 1 \\end{pmatrix}"), "\\begin{pmatrix} \\frac12 & 1 \\end{pmatrix}", true),
  c("matrices", B("\\begin{pmatrix} 3 \\\\ 4 \\end{pmatrix}"), "\\begin{pmatrix} 3 \\\\ 4 \\\\ 0 \\end{pmatrix}", false),
  c("matrices", B("\\begin{pmatrix} -\\frac{1}{3} \\\\ \\frac{2}{3} \\end{pmatrix}"), "\\begin{pmatrix} -1/3 \\\\ 2/3 \\end{pmatrix}", true),
  c("matrices", B("\\begin{pmatrix} 0.3333 \\\\ 2 \\end{pmatrix}"), "\\begin{pmatrix} \\frac13 \\\\ 2 \\end{pmatrix}", false),
  c("matrices", B("\\begin{pmatrix} 0.12 \\\\ 0.5 \\end{pmatrix}"), "\\begin{pmatrix} 0.125 \\\\ 0.5 \\end{pmatrix}", false),
  c("matrices", B("\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}"), "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", true),
  c("matrices", B("\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}"), "(-1,2)", false),
  c("matrices", B("\\begin{pmatrix} x \\\\ 2x \\end{pmatrix}"), "\\begin{pmatrix} x \\\\ x+x \\end{pmatrix}", true),
  c("matrices", B("\\begin{pmatrix} \\sqrt{2}/2 \\\\ \\sqrt{2}/2 \\end{pmatrix}"), "\\begin{pmatrix} \\frac{1}{\\sqrt2} \\\\ \\frac{1}{\\sqrt2} \\end{pmatrix}", true),

  // -- percentages ---------------------------------------------------------------------------------
  c("percent", B("50\\%"), "0.5", true),
  c("percent", B("0.5"), "50\\%", true),
  c("percent", B("12.5\\%"), "\\frac{1}{8}", true),
  c("percent", B("\\frac18"), "12.5\\%", true),
  c("percent", B("50"), "50\\%", true, "the number of percent asked for"),
  c("percent", B("25\\%"), "\\frac{1}{4}", true),
  c("percent", B("25\\%"), "\\frac{1}{5}", false),
  c("percent", B("0.25"), "25\\%", true),
  c("percent", B("2.5\\%"), "0.25", false),
  c("percent", B("40 percent"), "0.4", true),
  c("percent", B("150\\%"), "1.5", true),
  c("percent", B("50"), "0.5", false, "no percent sign on either side: 50 is not 0.5"),
  c("percent", B("0.5"), "50", false, "no percent sign on either side"),
  c("percent", B("12.5\\%"), "0.125", true),
  c("percent", B("33\\frac{1}{3}\\%"), "\\frac13", true, "a mixed number inside a percentage"),
  c("percent", B("1\\frac{1}{3}\\%"), "\\frac{1}{75}", true),
  c("percent", B("20\\%"), "20", true),
  c("percent", B("20\\%"), "2", false),
  c("percent", B("\\frac{3}{4}"), "75\\%", true),
  c("percent", B("75"), "\\frac{3}{4}", false),

  // -- mixed numbers --------------------------------------------------------------------------------
  c("mixed", B("3\\frac{1}{2}"), "\\frac{7}{2}", true),
  c("mixed", B("3 \\frac12"), "3.5", true),
  c("mixed", B("2\\tfrac{3}{4}"), "\\frac{11}{4}", true),
  c("mixed", B("-1\\frac{1}{2}"), "-\\frac32", true),
  c("mixed", B("3\\frac{1}{2}"), "\\frac{3}{2}", false),
  c("mixed", B("\\frac{7}{2}"), "3\\frac{1}{2}", true),
  c("mixed", B("5\\frac{1}{4} \\text{ feet}"), "\\frac{21}{4}", true),
  c("mixed", B("2\\frac{x}{3}"), "\\frac{2x}{3}", true, "not a mixed number: a letter is no digit"),
  c("mixed", B("1\\frac{2}{3}"), "1.6667", false),
  c("mixed", B("4\\frac{1}{2}"), "4.5", true),

  // -- units, money, angles ---------------------------------------------------------------------------
  c("units", B("12 m"), "12", true),
  c("units", B("12 \\text{ meters}"), "12", true),
  c("units", B("45 \\text{ cents}"), "\\$0.45", true),
  c("units", B("\\$0.45"), "45 \\text{ cents}", true),
  c("units", B("45\\text{ cents}"), "0.45", true),
  c("units", B("90^\\circ"), "\\frac{\\pi}{2}", true),
  c("units", B("\\frac{\\pi}{3}"), "60^\\circ", true),
  c("units", B("30^\\circ"), "\\frac{\\pi}{3}", false),
  c("units", B("60"), "\\frac{\\pi}{3}", false, "no degree sign: 60 radians is not pi/3"),
  c("units", B("5 \\text{ cm}^2"), "5", true),
  c("units", B("3 \\text{ hours}"), "180", false),
  c("units", B("7 \\mathrm{~km}"), "7", true),
  c("units", B("20 \\text{ mph}"), "20", true),
  c("units", B("16\\text{ ft}^2"), "16", true),
  c("units", B("6 \\text{ square units}"), "6", true),
  c("units", B("8 \\text{ in.}"), "8", true),
  c("units", B("\\$1,250"), "1250", true),
  c("units", B("\\$12.50"), "12.5", true),
  c("units", B("12.50 \\text{ dollars}"), "12.5", true),
  c("units", B("9 \\text{ m}"), "90", false),
  c("units", B("45^\\circ"), "45", true),
  c("units", B("135^{\\circ}"), "\\frac{3\\pi}{4}", true),

  // -- plus-minus -------------------------------------------------------------------------------------
  c("plusminus", B("\\pm\\sqrt{2}"), "\\sqrt{2}, -\\sqrt{2}", true),
  c("plusminus", B("\\pm 3"), "3, -3", true),
  c("plusminus", B("\\pm 3"), "-3,3", true),
  c("plusminus", B("\\pm 3"), "\\{3,-3\\}", true),
  c("plusminus", B("3, -3"), "\\pm 3", true),
  c("plusminus", B("\\pm 3"), "3", false),
  c("plusminus", B("1 \\pm \\sqrt{2}"), "1+\\sqrt{2}, 1-\\sqrt{2}", true),
  c("plusminus", B("\\frac{-1 \\pm \\sqrt{5}}{2}"), "\\frac{-1+\\sqrt5}{2}, \\frac{-1-\\sqrt5}{2}", true),
  c("plusminus", B("x = \\pm 2"), "2, -2", true),
  c("plusminus", B("\\pm 2"), "\\pm 2", true),
  c("plusminus", B("\\pm 2"), "2, -3", false),
  c("plusminus", B("\\pm\\frac{1}{2}"), "\\frac12,-\\frac12", true),
  c("plusminus", B("2 \\pm i"), "2+i, 2-i", true),
  c("plusminus", B("1 \\pm \\sqrt{3}"), "1+\\sqrt{2}, 1-\\sqrt{2}", false),

  // -- functions, equations, named values ---------------------------------------------------------------
  c("named", B("f(x) = 2x+1"), "2x+1", true),
  c("named", B("2x+1"), "f(x)=2x+1", true),
  c("named", B("g(x) = x^2"), "x^2", true),
  c("named", B("f^{-1}(x) = \\frac{x-1}{2}"), "\\frac{x-1}{2}", true),
  c("named", B("p(x) = x^2 - 1"), "(x-1)(x+1)", true),
  c("named", B("f(x) = 2x+2"), "2x+1", false),
  c("named", B("y = 3x - 2"), "3x-2", true),
  c("named", B("x=2, y=-1"), "(2,-1)", true),
  c("named", B("x = 2, y = -1"), "(2, -1)", true),
  c("named", B("x=-1, y=2"), "(2,-1)", false),
  c("named", B("a = 3, b = 4"), "(3,4)", true),
  c("named", B("x=2 \\text{ and } y=-1"), "(2,-1)", true),
  c("named", B("x = 5"), "5", true),
  c("named", B("n = 12"), "12", true),
  c("named", B("P(x) = x^3 - x"), "x^3-x", true),
  c("named", B("(x, y) = (2, -1)"), "(2,-1)", true),
  c("named", B("y = 2x + 1"), "y=2x-1", false),
  c("named", B("h(t) = -16t^2 + 64t"), "-16t^2+64t", true),

  // -- inequalities against intervals --------------------------------------------------------------------------
  c("inequalities", B("x<3"), "(-\\infty, 3)", true),
  c("inequalities", B("(-\\infty, 3)"), "x<3", true),
  c("inequalities", B("x \\le 3"), "(-\\infty, 3]", true),
  c("inequalities", B("x<3"), "(-\\infty, 3]", false),
  c("inequalities", B("-2<x<5"), "(-2,5)", true),
  c("inequalities", B("-2 \\le x < 5"), "[-2,5)", true),
  c("inequalities", B("-2 < x \\le 5"), "[-2,5)", false),
  c("inequalities", B("x > 1"), "(1, \\infty)", true),
  c("inequalities", B("x \\geq 1"), "[1,\\infty)", true),
  c("inequalities", B("x>1"), "(-\\infty,1)", false),
  c("inequalities", B("3 > x"), "(-\\infty,3)", true),
  c("inequalities", B("x < -1 \\text{ or } x > 2"), "(-\\infty,-1)\\cup(2,\\infty)", true),
  c("inequalities", B("x \\in (-2, 5)"), "(-2,5)", true),
  c("inequalities", B("[-3, 3]"), "-3 \\le x \\le 3", true),
  c("inequalities", B("x \\ge 0"), "[0,\\infty)", true),
  c("inequalities", B("0 < x < 1"), "(0,1]", false),
  c("inequalities", B("x\\leq -2"), "(-\\infty,-2]", true),

  // -- intervals with infinity ----------------------------------------------------------------------------------
  c("intervals", B("(-\\infty, -2) \\cup (2, \\infty)"), "(-\\infty,-2)\\cup(2,\\infty)", true),
  c("intervals", B("(2, \\infty) \\cup (-\\infty, -2)"), "(-\\infty,-2)\\cup(2,\\infty)", true),
  c("intervals", B("(-\\infty, -2] \\cup [2, \\infty)"), "(-\\infty,-2)\\cup(2,\\infty)", false),
  c("intervals", B("[0, \\infty)"), "[0,+\\infty)", true),
  c("intervals", B("(-\\infty, 5]"), "(-\\infty,5)", false),
  c("intervals", B("(-\\infty,\\infty)"), "(-\\infty, \\infty)", true),
  c("intervals", B("\\mathbb{R}"), "(-\\infty,\\infty)", true),
  c("intervals", B("(1, \\infty)"), "[1, \\infty)", false),
  c("intervals", B("[1, \\infty)"), "[1,\\infty)", true),
  c("intervals", B("\\left[ \\frac{1}{2}, 3 \\right)"), "[0.5, 3)", true),
  c("intervals", B("(0, \\infty)"), "(0,\\infty)", true),
  c("intervals", B("(-\\infty, 0)"), "(0,\\infty)", false),
  c("intervals", B("[2,5]"), "[2,5)", false),
  c("intervals", B("(-1, 1)"), "(-1,1)", true),

  // -- multiple choice ------------------------------------------------------------------------------------------------
  c("choice", B("b"), "B", true),
  c("choice", B("(B) 12"), "B", true),
  c("choice", B("\\text{(B) } 12"), "B", true),
  c("choice", B("B, D"), "BD", true),
  c("choice", B("D, B"), "BD", true),
  c("choice", B("DB"), "BD", true),
  c("choice", B("B \\text{ and } D"), "BD", true),
  c("choice", B("BD"), "B", false),
  c("choice", B("B"), "BD", false),
  c("choice", B("(C)"), "C", true),
  c("choice", B("C"), "\\text{(C)}", true),
  c("choice", "Checking each option, the answer is (B) 12.", "B", true),
  c("choice", "The value is 12, which is option (B).\n\n$\\boxed{12}$", "B", true, "the completion states its letter; the box holds that option's value"),
  c("choice", B("E"), "B", false),
  c("choice", "Option (A) fails the test, so the answer is $\\boxed{C}$.", "C", true),
  c("choice", B("A, C"), "AC", true),
  c("choice", B("A, B, C"), "AC", false),
  c("choice", B("\\textbf{(D)}"), "D", true),
  c("choice", B("d"), "B", false),

  // -- words and synonyms ------------------------------------------------------------------------------------------------
  c("words", B("DNE"), "\\text{does not exist}", true),
  c("words", B("\\text{does not exist}"), "DNE", true),
  c("words", B("three"), "3", true),
  c("words", B("\\text{three}"), "3", true),
  c("words", B("twelve"), "12", true),
  c("words", B("\\text{twenty-one}"), "21", true),
  c("words", B("\\text{one hundred}"), "100", true),
  c("words", B("three"), "4", false),
  c("words", B("\\text{none}"), "0", false),
  c("words", B("\\text{yes}"), "\\text{Yes}", true),
  c("words", B("\\text{True}"), "\\text{true}", true),
  c("words", B("\\text{does not exist}"), "0", false),
  c("words", B("\\infty"), "\\text{infinity}", true),
  c("words", B("\\text{seven}"), "7", true),
  c("words", B("\\text{No}"), "\\text{Yes}", false),

  // -- extraction --------------------------------------------------------------------------------------------------------
  c("extraction", "The answer is 12 because 3 \\times 4 = 12.", "12", true),
  c("extraction", "The answer is 12 because 3 + 4 = 7 and 7 + 5 = 12.", "12", true),
  c("extraction", "The answer is 12 because 3 + 4 = 7 and 7 + 5 = 12.", "7", false),
  c("extraction", "The answer is 15, since 3 \\cdot 5 = 15.", "15", true),
  c("extraction", "The answer is 9 since 2 + 7 = 9", "9", true),
  c("extraction", "The answer is $x=4$ because the other root is extraneous.", "4", true),
  c("extraction", "The solutions are $\\boxed{2}$ and $\\boxed{3}$.", "2,3", true, "several boxes that together form the set answer"),
  c("extraction", "The solutions are $\\boxed{2}$ and $\\boxed{3}$.", "3,2", true),
  c("extraction", "The solutions are $\\boxed{2}$ and $\\boxed{3}$.", "3", false),
  c("extraction", "So $x = \\boxed{-1}$ or $x = \\boxed{4}$.", "-1, 4", true),
  c("extraction", "First I got $\\boxed{5}$. Wait, that is wrong: recomputing gives $\\boxed{6}$.", "6", true, "a corrected box: the last one counts"),
  c("extraction", "First I got $\\boxed{5}$. Wait, that is wrong: recomputing gives $\\boxed{6}$.", "5,6", false),
  c("extraction", "Putting it together, the answer is \\boxed{\\frac{1}{2}", "\\frac12", true, "an unclosed box at the end of the completion"),
  c("extraction", "Putting it together, the answer is \\boxed{\\frac{1}{", "\\frac12", false, "cut off inside the answer"),
  c("extraction", "Let's compute step by step. First, 3 + 4 = 7. Then we multiply by", "7", false, "cut off before any final answer"),
  c("extraction", "To find the total, we first compute 3 \\times 4 = 12, then add 5 to get", "17", false, "cut off before any final answer"),
  c("extraction", "Step 1: 48 / 2 = 24\n\nStep 2: 48 + 24 =", "72", false, "cut off before any final answer"),
  c("extraction", "We need the sum of the roots. By Vieta, the sum is", "5", false, "cut off before any final answer"),
  c("extraction", "The final answer is: 42", "42", true),
  c("extraction", "**Final Answer**\n\n42", "42", true),
  c("extraction", "The answer is $\\boxed{5}$ dollars.", "5", true),
  c("extraction", "So she earns $18.00 per day.", "18", true, "a finished sentence that states the result", "gsm8k"),
  c("extraction", "She has 18 dollars left.\n#### 18", "18", true, undefined, "gsm8k"),
  c("extraction", "The answer is \\$1,080.", "1080", true, undefined, "gsm8k"),
  c("extraction", "Each box holds 6 eggs, so 4 boxes hold 24 eggs. Then she uses 3, leaving", "21", false, "cut off before any final answer", "gsm8k"),
  c("extraction", "The answer is 5. Next, we verify that 6 works too.", "5", true),
  c("extraction", "Thus the area is $\\boxed{16\\pi}$ square units.", "16\\pi", true),

  // -- base subscripts --------------------------------------------------------------------------------------------------------
  c("bases", B("1011_2"), "1011_2", true),
  c("bases", B("{1011}_2"), "1011_2", true),
  c("bases", B("1011_{2}"), "1011_2", true),
  c("bases", B("1011"), "1011_2", true, "the digits asked for, base left implicit"),
  c("bases", B("11"), "1011_2", false, "the value in base 10 is not the base-2 numeral asked for"),
  c("bases", B("1101_2"), "1011_2", false),
  c("bases", B("2516_8"), "2516_8", true),
  c("bases", B("2516_{8}"), "2516_8", true),
  c("bases", B("2517_8"), "2516_8", false),
  c("bases", B("A3_{16}"), "A3_{16}", true),
  c("bases", B("10110_2"), "1011_2", false),
  c("bases", B("{123}_4"), "123_4", true),

  // -- big integers -------------------------------------------------------------------------------------------------------------
  c("bigint", B("2^{100}"), "1267650600228229401496703205376", true),
  c("bigint", B("1267650600228229401496703205375"), "2^{100}", false),
  c("bigint", B("2^{64}"), "18446744073709551615", false),
  c("bigint", B("18446744073709551616"), "2^{64}", true),
  c("bigint", B("2^{64}-1"), "18446744073709551615", true),
  c("bigint", B("12345678901234567890"), "12345678901234567891", false),
  c("bigint", B("10^{18}+1"), "1000000000000000001", true),
  c("bigint", B("10^{18}"), "1000000000000000001", false),
  c("bigint", B("3^{40}"), "12157665459056928801", true),
  c("bigint", B("20!"), "2432902008176640000", true),
  c("bigint", B("2432902008176640001"), "20!", false),
  c("bigint", B("1,000,000,007"), "1000000007", true),
  c("bigint", B("1000000006"), "1000000007", false),
  c("bigint", B("2^{100}-1"), "2^{100}", false),
  c("bigint", B("123456"), "123457", false),

  // -- sets ----------------------------------------------------------------------------------------------------------------------
  c("sets", B("\\{1,2,3\\}"), "\\{3,2,1\\}", true),
  c("sets", B("\\{1,2\\}"), "\\{1,2,3\\}", false),
  c("sets", B("1, 2, 3"), "\\{1,2,3\\}", true),
  c("sets", B("\\{-1, \\frac{1}{2}\\}"), "\\{\\frac12,-1\\}", true),
  c("sets", B("\\emptyset"), "\\varnothing", true),
  c("sets", B("\\{\\}"), "\\emptyset", true),
  c("sets", B("\\{0\\}"), "\\emptyset", false),
  c("sets", B("\\{1, 1, 2\\}"), "\\{1,2\\}", true),
  c("sets", B("\\{2\\}"), "2", true),
  c("sets", B("x = 1 \\text{ or } x = 2"), "1, 2", true),
  c("sets", B("\\{\\sqrt{2}, -\\sqrt{2}\\}"), "\\{-\\sqrt2, \\sqrt2\\}", true),
  c("sets", B("\\{1, 3\\}"), "\\{1, 2\\}", false),

  // -- complex numbers ----------------------------------------------------------------------------------------------------------------
  c("complex", B("3+4i"), "4i+3", true),
  c("complex", B("3+4i"), "3-4i", false),
  c("complex", B("\\frac{1}{2} + \\frac{\\sqrt{3}}{2}i"), "\\frac{1+i\\sqrt{3}}{2}", true),
  c("complex", B("2i"), "\\sqrt{-4}", true),
  c("complex", B("-1"), "i^2", true),
  c("complex", B("1-i"), "\\frac{2}{1+i}", true),
  c("complex", B("5"), "|3+4i|", true),
  c("complex", B("0.5+0.866i"), "\\frac12+\\frac{\\sqrt3}{2}i", false),
  c("complex", B("2 - 3i"), "2-3i", true),
  c("complex", B("(1+i)^2"), "2i", true),
  c("complex", B("-i"), "i", false),
  c("complex", B("\\frac{3}{5}-\\frac{4}{5}i"), "\\frac{3-4i}{5}", true),

  // -- repeating decimals ---------------------------------------------------------------------------------------------------------------
  c("repeating", B("0.\\overline{3}"), "\\frac13", true),
  c("repeating", B("0.\\overline{142857}"), "\\frac{1}{7}", true),
  c("repeating", B("0.1\\overline{6}"), "\\frac16", true),
  c("repeating", B("0.\\overline{3}"), "0.3", false),
  c("repeating", B("1.\\overline{6}"), "\\frac53", true),
  c("repeating", B("\\frac{1}{3}"), "0.\\overline{3}", true),
  c("repeating", B("0.\\overline{12}"), "\\frac{4}{33}", true),
  c("repeating", B("0.\\overline{12}"), "\\frac{12}{100}", false),
  c("repeating", B("0.\\overline{9}"), "1", true),
  c("repeating", B("2.\\overline{27}"), "\\frac{25}{11}", true),

  // -- rounded and exact values --------------------------------------------------------------------------------------------------------------
  c("exactness", B("\\frac{\\sqrt{6}}{3}"), "\\sqrt{\\frac23}", true),
  c("exactness", B("\\sqrt{12}"), "3.4641", false),
  c("exactness", B("\\frac{1}{\\sqrt{3}}"), "\\frac{\\sqrt3}{3}", true),
  c("exactness", B("\\binom{10}{3}"), "120", true),
  c("exactness", B("{10 \\choose 3}"), "120", true),
  c("exactness", B("\\frac{\\pi}{4}"), "45^\\circ", true),
  c("exactness", B("-\\frac{1}{2}"), "\\frac{-1}{2}", true),
  c("exactness", B("\\frac{-1}{2}"), "-0.5", true),
  c("exactness", B("3.14"), "\\pi", false),
  c("exactness", B("0.6667"), "\\frac23", false),
  c("exactness", B("\\sqrt[3]{8}"), "2", true),
  c("exactness", B("|-3|"), "3", true),
  c("exactness", B("\\sin x"), "\\sin(x)", true),
  c("exactness", B("a_1 + a_2"), "a_2+a_1", true),
  c("exactness", B("1/2"), "0.5", true),
  c("exactness", B("\\frac{22}{7}"), "\\pi", false),
  c("exactness", B("2.718"), "e", false),
  c("exactness", B("e^{2}"), "e^2", true),
  c("exactness", B("\\ln(e^3)"), "3", true),
  c("exactness", B("12345"), "12346", false),
];

/** FNV-1a of the case: a stable, content-based choice of the held-out third. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) {
    h ^= s.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The cases set aside while the graders were fixed (about one in three). */
export function heldOut(x: WrittenCase): boolean {
  return hash(`${x.pred}\u0000${x.gt}\u0000${x.data ?? "math"}`) % 3 === 0;
}
