/**
 * Answer extraction as the Qwen2.5-Math toolkit does it (`extract_answer`, `find_box`,
 * `choice_answer_clean`, the ground-truth post-processing of `parse_ground_truth`), plus the
 * Hendrycks-style `last_boxed_only_string` helper (\boxed or \fbox) for reading dataset solutions.
 */
import { stripString } from "./strip-string.ts";
import { PY_DIGIT, pyLstripChars, pyRstripChars, pyStr, pyStrip, pyStripChars, replaceAll } from "./py-compat.ts";

export { stripString } from "./strip-string.ts";

/** Datasets answered with a letter (A-E); the toolkit extracts the letter instead of a value. */
export const CHOICE_DATASETS = ["mmlu_stem", "sat_math", "aqua", "gaokao2023"] as const;
/** Datasets whose answers are not unit-stripped (and whose ground truth is not re-normalised). */
export const STRIP_EXCEPTIONS = ["carp_en", "minerva_math"] as const;

const LETTER = /(?<![\p{L}\p{N}_])(A|B|C|D|E)(?![\p{L}\p{N}_])/gu;

/** The letters A-E that stand alone as words (Python's \b(A|B|C|D|E)\b on the upper-cased text). */
function standaloneLetters(text: string): string[] {
  return [...text.toUpperCase().matchAll(LETTER)].map((m) => m[1]!);
}

/**
 * The brace-matched text after the last "boxed" (the toolkit's `find_box`). `\boxed 5` (no brace)
 * gives the text up to the next "$". An unclosed brace gives everything after it.
 */
export function findBox(predStr: string): string {
  const parts = predStr.split("boxed");
  const ans = parts[parts.length - 1]!;
  if (ans === "") return "";
  if (ans[0] === "{") return braceContent(ans, 0);
  return pyStrip(ans.split("$")[0]!);
}

/** Text inside the brace group opening at `open` (nested braces kept); to the end if unclosed. */
function braceContent(s: string, open: number): string {
  let depth = 1;
  let out = "";
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) break;
    }
    out += c;
  }
  return out;
}

/**
 * The last `\boxed{...}` or `\fbox{...}` of `s`, including the command and its braces, or null
 * when there is none or its brace never closes. `\boxed 5` (no brace, as in MATH solutions) gives
 * `\boxed 5` up to the next "$".
 */
export function lastBoxedOnlyString(s: string): string | null {
  const boxed = s.lastIndexOf("\\boxed");
  const fbox = s.lastIndexOf("\\fbox");
  const idx = Math.max(boxed, fbox);
  if (idx < 0) return null;
  const cmd = idx === boxed ? "\\boxed" : "\\fbox";
  const after = s.slice(idx + cmd.length);
  if (after.startsWith(" ")) return `${cmd} ${pyStrip(after.split("$")[0]!)}`;
  let depth = 0;
  for (let i = idx; i < s.length; i++) {
    if (s[i] === "{") depth++;
    else if (s[i] === "}") {
      depth--;
      if (depth === 0) return s.slice(idx, i + 1);
    }
  }
  return null;
}

/** The content of the last \boxed{...} / \fbox{...} (braces removed), or null when there is none. */
export function lastBoxedContent(s: string): string | null {
  const box = lastBoxedOnlyString(s);
  if (box === null) return null;
  for (const cmd of ["\\boxed ", "\\fbox "]) if (box.startsWith(cmd)) return box.slice(cmd.length);
  for (const cmd of ["\\boxed{", "\\fbox{"]) if (box.startsWith(cmd) && box.endsWith("}")) return box.slice(cmd.length, -1);
  return null;
}

/** GSM8K's ground truth: the text after "####" (null when the answer has none). */
export function gsm8kAnswer(answer: string): string | null {
  const parts = answer.split("####");
  if (parts.length < 2) return null;
  return pyStrip(parts[1]!);
}

/** The toolkit's choice_answer_clean (parser.py): the letter a multiple-choice completion picks. */
export function choiceAnswerClean(predText: string): string {
  let pred = pyStripChars(predText, "\n");
  const triggers = ["choice is", "answer is"];
  if (triggers.some((t) => pred.split(t).length - 1 > 1)) pred = pred.split("\n\n")[0]!;
  const pieces = pred.split(/choice is|answer is/);
  const answerFlag = pieces.length > 1;
  if (answerFlag) pred = pieces[pieces.length - 1]!;
  pred = pyLstripChars(pyStripChars(pyRstripChars(pyRstripChars(pyStripChars(pred, "\n"), "."), "/"), " "), ":");
  const letters = standaloneLetters(pred);
  const candidates = letters.length > 0 ? letters : [pyStripChars(pyStrip(pred), ".")];
  let choice = answerFlag ? candidates[0]! : candidates[candidates.length - 1]!;
  choice = pyRstripChars(pyRstripChars(choice, "."), "/");
  return choice;
}

const LAST_NUMBER = new RegExp(`-?${PY_DIGIT}*\\.?${PY_DIGIT}+`, "gu");

/** Every number the toolkit's last-number fallback sees (commas removed first). */
function numbersIn(text: string): string[] {
  return [...replaceAll(text, ",", "").matchAll(LAST_NUMBER)].map((m) => m[0]);
}

/** The raw answer span of a completion, before the shared clean-up (the toolkit's branches). */
function rawAnswer(predStr: string, useLastNumber: boolean): string {
  if (predStr.includes("final answer is $") && predStr.includes("$. I hope")) {
    // minerva_math's few-shot format
    const tail = predStr.slice(predStr.indexOf("final answer is $") + "final answer is $".length);
    return pyStrip(tail.split("$. I hope")[0]!);
  }
  if (predStr.includes("boxed")) return findBox(predStr);
  if (predStr.includes("he answer is")) return pyStrip(lastPiece(predStr, "he answer is"));
  if (predStr.includes("final answer is")) return pyStrip(lastPiece(predStr, "final answer is"));
  if (predStr.includes("答案是")) {
    const after = predStr.slice(predStr.indexOf("答案是") + "答案是".length);
    return pyStrip(pyStrip(after).split("\n\n")[0]!);
  }
  if (!useLastNumber) return "";
  const nums = numbersIn(predStr);
  return nums.length > 0 ? nums[nums.length - 1]! : "";
}

function lastPiece(s: string, sep: string): string {
  const parts = s.split(sep);
  return parts[parts.length - 1]!;
}

/** The toolkit's extract_answer: the normalised final answer of a model's completion. */
export function extractAnswer(predText: string, dataName = "math", useLastNumber = true): string {
  const predStr = replaceAll(predText, "\u043a\u0438", "");
  if ((CHOICE_DATASETS as readonly string[]).includes(dataName)) return choiceAnswerClean(predStr);

  let pred = rawAnswer(predStr, useLastNumber);

  if (dataName === "sat_math" || dataName === "aqua" || dataName.includes("mmlu")) {
    const letters = standaloneLetters(pred);
    pred = letters.length > 0 ? letters[letters.length - 1]! : pyStripChars(pyStrip(pred), ".");
  }
  return cleanExtracted(pred, dataName);
}

/** The clean-up extract_answer applies to every raw answer span, then strip_string. */
function cleanExtracted(raw: string, dataName: string): string {
  let pred = raw.replace(/\n\s*/gu, "");
  if (pred !== "" && pred[0] === ":") pred = pred.slice(1);
  if (pred !== "" && pred[pred.length - 1] === ".") pred = pred.slice(0, -1);
  if (pred !== "" && pred[pred.length - 1] === "/") pred = pred.slice(0, -1);
  return stripString(pred, { skipUnit: (STRIP_EXCEPTIONS as readonly string[]).includes(dataName) });
}

/**
 * The prediction as the toolkit's pipeline grades it: extract_answer, then strip_string once more
 * (math_eval.run_execute does that), then the multiple-choice repairs math_eval makes when the
 * ground truth is a letter.
 */
export function extractPrediction(predText: string, gt: string, dataName = "math"): string {
  let pred = stripString(extractAnswer(predText, dataName), {
    skipUnit: (STRIP_EXCEPTIONS as readonly string[]).includes(dataName),
  });
  const letters = ["A", "B", "C", "D", "E"];
  const isMultiChoice = (s: string) => [...s].every((c) => letters.includes(c));
  if (letters.includes(gt) && !letters.includes(pred)) {
    pred = choiceAnswerClean(predText);
  } else if (isMultiChoice(gt) && !isMultiChoice(pred)) {
    pred = [...pred].filter((c) => letters.includes(c)).join("");
  }
  return pred;
}

/**
 * A dataset's answer as the toolkit's parse_ground_truth leaves it, given the answer itself
 * (MATH: the boxed content of the solution; GSM8K: the text after "####" or the whole answer;
 * OlympiadBench: final_answer[0]). Numbers are printed the way Python prints them.
 */
export function groundTruthAnswer(gt: unknown, dataName = "math"): string {
  let text = pyStr(gt);
  if (dataName === "olympiadbench") text = pyStripChars(text, "$");
  if (dataName === "gsm8k") text = gsm8kAnswer(text) ?? text;
  if (dataName === "math" || dataName === "minerva_math") {
    // given the whole solution, read its boxed answer as parse_ground_truth does
    return text.includes("boxed") ? extractAnswer(text, dataName) : cleanExtracted(text, dataName);
  }
  if ((STRIP_EXCEPTIONS as readonly string[]).includes(dataName)) {
    return replaceAll(replaceAll(replaceAll(text, "\\neq", "\\ne"), "\\leq", "\\le"), "\\geq", "\\ge");
  }
  return stripString(text);
}
