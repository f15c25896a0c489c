import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { once } from "node:events";
import { WorkbenchError } from "../../../shared/errors.ts";
import { GRADERS, GRADER_VERSION, type GraderName, grade } from "../../eval/grade/grade.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, requireOption } from "../parse-args.ts";
import { progressReporter } from "../../router/progress.ts";

const usage = `usage: arbitrage grade --in FILE.jsonl --out FILE.jsonl [--grader qwen|strict]

Grades model completions against ground truths, one JSON object a line.

  --in FILE      input lines: { "pred_text": completion, "gt": dataset answer,
                 "data_name"?: dataset name in the toolkit's sense, default "math" }
  --out FILE     output lines: the input fields plus "extracted" and "correct" (boolean);
                 a line that cannot be graded gets "error" instead
  --grader NAME  qwen (default): the Qwen2.5-Math evaluation toolkit's verdicts;
                 strict: mathematically careful verdicts

Prints a progress line while grading (in place on a terminal, every few seconds
otherwise) and a summary (n, correct, accuracy, errors) to stderr. Grader: ${GRADER_VERSION}.`;

/** Non-empty lines of a file, counted as a stream (the progress line's total). */
async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const line of createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity })) {
    if (line.trim() !== "") count++;
  }
  return count;
}

interface InputLine {
  pred_text: string;
  gt: string | number;
  data_name?: string;
}

/** Why a parsed line cannot be graded, or null when it can. */
function invalid(rec: unknown): string | null {
  if (rec === null || typeof rec !== "object" || Array.isArray(rec)) return "expected a JSON object";
  const r = rec as Record<string, unknown>;
  if (typeof r.pred_text !== "string") return `"pred_text" must be a string, found ${describe(r.pred_text)}`;
  if (typeof r.gt !== "string" && typeof r.gt !== "number") return `"gt" must be a string or a number, found ${describe(r.gt)}`;
  if (r.data_name !== undefined && typeof r.data_name !== "string") return `"data_name" must be a string, found ${describe(r.data_name)}`;
  return null;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  return Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

export const gradeCommand: Command = {
  name: "grade",
  summary: "grade completions against ground truths (Qwen2.5-Math toolkit or strict verdicts)",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      { in: { type: "string" }, out: { type: "string" }, grader: { type: "string" } },
      usage,
    );
    const inPath = resolve(io.cwd, requireOption(values.in, "--in", usage));
    const outPath = resolve(io.cwd, requireOption(values.out, "--out", usage));
    const grader = (values.grader ?? "qwen") as GraderName;
    if (!(GRADERS as readonly string[]).includes(grader)) {
      throw new WorkbenchError("usage", `--grader expects one of ${GRADERS.join(", ")}, found "${values.grader}"\n\n${usage}`);
    }
    if (!existsSync(inPath)) throw new WorkbenchError("missing-file", `input file not found: ${inPath}`);
    if (resolve(inPath) === resolve(outPath)) throw new WorkbenchError("usage", `--out must differ from --in (${inPath})`);

    const total = await countLines(inPath);
    const progress = progressReporter(io.stderr, `grading with ${grader}`);
    const out = createWriteStream(outPath, { encoding: "utf8" });
    const lines = createInterface({ input: createReadStream(inPath, { encoding: "utf8" }), crlfDelay: Infinity });
    let n = 0;
    let correct = 0;
    let errors = 0;
    let lineNo = 0;
    for await (const raw of lines) {
      lineNo++;
      if (raw.trim() === "") continue;
      if (io.signal.aborted) break;
      n++;
      let result: Record<string, unknown>;
      let rec: unknown;
      try {
        rec = JSON.parse(raw);
      } catch (err) {
        rec = undefined;
        result = { line: lineNo, error: `line ${lineNo}: not valid JSON (${err instanceof Error ? err.message : String(err)})` };
      }
      if (rec !== undefined) {
        const why = invalid(rec);
        if (why !== null) {
          const base = rec !== null && typeof rec === "object" && !Array.isArray(rec) ? (rec as Record<string, unknown>) : { value: rec };
          result = { ...base, error: `line ${lineNo}: ${why}` };
        } else {
          const r = rec as InputLine;
          const v = grade({ predText: r.pred_text, gt: r.gt, dataName: r.data_name ?? "math", grader });
          result = { ...(rec as Record<string, unknown>), extracted: v.extracted, correct: v.correct };
          if (v.correct) correct++;
        }
      }
      if (result!.error !== undefined) errors++;
      if (!out.write(`${JSON.stringify(result!)}\n`)) await once(out, "drain");
      progress.update(n, total);
    }
    out.end();
    await once(out, "finish");
    const graded = n - errors;
    const accuracy = graded > 0 ? correct / graded : 0;
    write(io.stderr, `graded ${n} lines with ${grader}: n=${n} correct=${correct} accuracy=${accuracy.toFixed(4)} errors=${errors}`);
    if (io.signal.aborted) throw new WorkbenchError("cancelled", `stopped after ${n} lines; ${outPath} holds them`);
    return 0;
  },
};
