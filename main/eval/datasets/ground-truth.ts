/**
 * Ground truth as the Qwen2.5-Math toolkit's `parse_ground_truth` (evaluation/parser.py) derives
 * it for each dataset, using the grader's own extraction and normalisation so that both sides of a
 * comparison went through the same code.
 */
import { extractAnswer, STRIP_EXCEPTIONS, stripString } from "../grade/extract.ts";
import { pyStr, pyStrip, pyStripChars, replaceAll } from "../grade/py-compat.ts";
import { describeType, preview, RecordIssue } from "./record-issue.ts";
import type { DatasetFormat, JsonValue } from "./types.ts";

function isStripException(format: DatasetFormat): boolean {
  return (STRIP_EXCEPTIONS as readonly string[]).includes(format);
}

function requireText(value: JsonValue | undefined, field: string): string {
  if (typeof value === "string") return value;
  throw new RecordIssue(`expected text in field "${field}", found ${describeType(value)}${value === undefined ? "" : ` ${preview(value)}`}`);
}

function requireScalar(value: JsonValue | undefined, field: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return pyStr(value);
  throw new RecordIssue(`expected a string or a number in field "${field}", found ${describeType(value)}${value === undefined ? "" : ` ${preview(value)}`}`);
}

/** MATH / MATH500 / Minerva: extract_answer on the solution (last \boxed{}, else the toolkit's fallbacks). */
function fromSolution(value: JsonValue | undefined, field: string, format: DatasetFormat): string {
  return extractAnswer(requireText(value, field), format);
}

/** GSM8K: `gt_cot, gt_ans = answer.split("####")` — exactly one "####". */
function fromGsm8k(value: JsonValue | undefined, field: string): string {
  const text = requireText(value, field);
  const parts = text.split("####");
  if (parts.length !== 2) {
    throw new RecordIssue(`expected exactly one "####" before the final answer in field "${field}", found ${parts.length - 1}`);
  }
  return parts[1]!;
}

/** OlympiadBench: `final_answer[0].strip("$")`. */
function fromFinalAnswerList(value: JsonValue | undefined, field: string): string {
  let first: JsonValue | undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RecordIssue(`expected at least one answer in the list "${field}", found an empty list`);
    first = value[0];
  } else if (typeof value === "string" && !value.trimStart().startsWith("[")) {
    first = value; // a CSV export may hold the single answer as plain text
  } else {
    throw new RecordIssue(`expected a list of answers in field "${field}", found ${describeType(value)}${value === undefined ? "" : ` ${preview(value)}`}`);
  }
  return pyStripChars(requireScalar(first, `${field}[0]`), "$");
}

/** ASDiv: `re.sub(r"\(.*?\)", "", answer)` — "9 (apples)" gives "9 ". */
function fromAsdiv(value: JsonValue | undefined, field: string): string {
  return requireScalar(value, field).replace(/\(.*?\)/g, "");
}

/**
 * A file of unknown format: a \boxed{} in the answer is extracted as for MATH, a GSM8K-style
 * "####" answer is split, a list gives its first item (as OlympiadBench), anything else is taken
 * as it is (as AIME24 / AMC23).
 */
function fromAnyAnswer(value: JsonValue | undefined, field: string): string {
  if (Array.isArray(value)) return fromFinalAnswerList(value, field);
  const text = requireScalar(value, field);
  if (text.includes("boxed")) return extractAnswer(text, "math");
  if (text.includes("####")) return fromGsm8k(text, field);
  return text;
}

function rawGroundTruth(format: DatasetFormat, value: JsonValue | undefined, field: string): string {
  switch (format) {
    case "math500":
    case "math":
    case "minerva_math":
      return fromSolution(value, field, format);
    case "gsm8k":
      return fromGsm8k(value, field);
    case "olympiadbench":
      return fromFinalAnswerList(value, field);
    case "asdiv":
      return fromAsdiv(value, field);
    case "svamp":
    case "aime24":
    case "amc23":
      return requireScalar(value, field);
    case "custom":
      return fromAnyAnswer(value, field);
  }
}

/**
 * The ground-truth answer of one record: the dataset's rule, then the toolkit's post-processing
 * (strip_string; for Minerva only \neq/\leq/\geq shortened). Throws RecordIssue when the field is
 * missing, empty or of the wrong type.
 *
 * The result may be empty where the toolkit's is: MATH500's `\boxed{\text{east}}` loses "east"
 * to strip_string's unit list. The toolkit keeps such problems (an empty prediction then matches),
 * so they are kept here too, and the loader lists them as warnings.
 */
export function groundTruth(format: DatasetFormat, value: JsonValue | undefined, field: string): string {
  if (value === undefined) throw new RecordIssue(`missing answer field "${field}"`);
  if (value === null || (typeof value === "string" && pyStrip(value) === "")) throw new RecordIssue(`empty answer field "${field}"`);
  const raw = rawGroundTruth(format, value, field);
  return isStripException(format)
    ? replaceAll(replaceAll(replaceAll(raw, "\\neq", "\\ne"), "\\leq", "\\le"), "\\geq", "\\ge")
    : stripString(raw);
}
