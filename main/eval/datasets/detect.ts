import type { DatasetFormat } from "./types.ts";

/** Most specific first: "minerva_math" and "math500" before "math". */
const NAME_ORDER: DatasetFormat[] = ["minerva_math", "olympiadbench", "math500", "gsm8k", "aime24", "amc23", "svamp", "asdiv", "math"];

/**
 * The toolkit format a path names, looking at the file name first and then each folder up
 * (`data/math500/test.jsonl`, `gsm8k-test.parquet`, `MATH-500.csv`, `minerva_math.jsonl`).
 */
export function formatFromPath(path: string): DatasetFormat | undefined {
  const segments = path.split(/[\\/]+/).filter((s) => s !== "");
  const base = segments.pop();
  if (base !== undefined) segments.push(base.replace(/\.[^.]*$/, ""));
  for (const segment of segments.reverse()) {
    const tokens = segment.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== "");
    const words = new Set(tokens);
    for (let i = 0; i + 1 < tokens.length; i++) words.add(tokens[i]! + tokens[i + 1]!);
    for (const name of NAME_ORDER) {
      if (words.has(name.replace(/_/g, ""))) return name;
    }
  }
  return undefined;
}

/**
 * The toolkit format a set of records looks like, from its field names (and, for GSM8K, the
 * "####" in its answers). Files with `problem` + `solution` + `answer` + `unique_id` or `level`
 * (MATH500 and the project's demo benchmark) are math500: their ground truth comes from the
 * solution's \boxed{}. Anything else (AIME/AMC files included) is `custom`, read from its answer
 * field, which gives the toolkit's aime24/amc23 ground truth.
 */
export function formatFromFields(fields: readonly string[], sample: readonly Record<string, unknown>[]): DatasetFormat {
  const has = (...names: string[]) => names.every((n) => fields.includes(n));
  if (has("final_answer") && (has("question") || has("problem"))) return "olympiadbench";
  if (has("Body", "Question", "Answer")) return "svamp";
  if (has("body", "question", "answer", "formula")) return "asdiv";
  if (has("question", "answer") && sample.some((r) => typeof r["answer"] === "string" && r["answer"].includes("####"))) return "gsm8k";
  if (has("problem", "solution", "answer") && (has("unique_id") || has("level"))) return "math500";
  if (has("problem", "solution") && !has("answer")) return "math";
  return "custom";
}
