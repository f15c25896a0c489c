/**
 * The grading entry point: plain data in, plain data out. `qwen` reproduces the Qwen2.5-Math
 * evaluation toolkit's verdicts (published numbers were graded that way); `strict` is the
 * mathematically careful grader. Sweeps record both.
 */
import { Budget, DEFAULT_BUDGET_MS } from "./budget.ts";
import { extractPrediction, groundTruthAnswer } from "./extract.ts";
import { extractAnswerStrict, groundTruthStrict, statedChoice } from "./extract-strict.ts";
import { warmUp } from "./latex-value.ts";
import { mathEqualQwen } from "./math-equal-qwen.ts";
import { mathEqualStrict } from "./math-equal-strict.ts";

/** The toolkit commit whose evaluation/parser.py and grader.py this reimplements, and our revision. */
export const TOOLKIT_COMMIT = "a45202bd16f1ec06f433442dc1152d0074773465";
export const GRADER_VERSION = `qwen25-math-eval@${TOOLKIT_COMMIT}+wb2`;

export const GRADERS = ["qwen", "strict"] as const;
export type GraderName = (typeof GRADERS)[number];

export interface GradeInput {
  /** A model's full completion. */
  predText: string;
  /** The dataset's answer (a number is read the way Python prints it). */
  gt: string | number;
  /**
   * `gt` is already the toolkit's parsed ground truth (the dataset loader's `problem.answer`), so the
   * qwen grader compares against it as is, as the toolkit does after `parse_ground_truth`.
   */
  gtIsParsed?: boolean;
  /** Dataset name in the toolkit's sense (math, gsm8k, olympiadbench, minerva_math, ...). Default "math". */
  dataName?: string;
  grader?: GraderName;
  /** Time budget for the comparison in ms (default 500); an exhausted budget means "not equal". */
  budgetMs?: number;
}

export interface GradeResult {
  /** The answer read from the completion, normalised as the grader compares it. */
  extracted: string;
  /** The ground truth, normalised as the grader compares it. */
  gt: string;
  correct: boolean;
}

export interface GradeBothResult {
  qwen: GradeResult;
  strict: GradeResult;
}

export function grade(input: GradeInput): GradeResult {
  const dataName = input.dataName ?? "math";
  warmUp();
  const budgetMs = input.budgetMs ?? DEFAULT_BUDGET_MS;
  if ((input.grader ?? "qwen") === "strict") {
    const gt = groundTruthStrict(input.gt, dataName);
    let extracted = extractAnswerStrict(input.predText, dataName);
    // a letter is asked for and the box holds the option's value: the letter the completion states
    if (/^[A-E]$/.test(gt) && !/^\(?[A-Ea-e]\)?(?:\s|$)/.test(extracted)) extracted = statedChoice(input.predText) ?? extracted;
    const budget = new Budget(budgetMs);
    return { extracted, gt, correct: safely(() => mathEqualStrict(extracted, gt, budget)) };
  }
  const gt = input.gtIsParsed ? String(input.gt) : groundTruthAnswer(input.gt, dataName);
  const extracted = extractPrediction(input.predText, gt, dataName);
  const budget = new Budget(budgetMs);
  return { extracted, gt, correct: safely(() => mathEqualQwen(extracted, gt, { budget })) };
}

export function gradeBoth(input: Omit<GradeInput, "grader">): GradeBothResult {
  return { qwen: grade({ ...input, grader: "qwen" }), strict: grade({ ...input, grader: "strict" }) };
}

/** A comparison that throws is a comparison that failed: "not equal", as the toolkit's except clauses. */
function safely(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}
