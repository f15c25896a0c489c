import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { WorkbenchError } from "../../../shared/errors.ts";
import { labelBalance } from "../../../shared/stats/index.ts";
import { hfParquet, hfRecords } from "../../router/hf-dataset.ts";
import { describeBadLines, readRouterRows } from "../../router/router-rows.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, requireOption } from "../parse-args.ts";

const usage = `usage: arbitrage router-data --in FILE.jsonl --out DIR [--no-annotations] [--step-end TEXT]
                            [--question-suffix TEXT] [--split-name NAME]

Converts generate rows (docs/router-data.md) into a Hugging Face datasets-ready table for training
a router with your usual trainer (docs/router-training.md): DIR/NAME.jsonl and DIR/NAME.parquet,
one record per step with

  text         the router's input: question + question suffix, then each context step and the
               draft's candidate step, each prefixed "Model 0: " (draft) or "Model 1: " (target)
               and followed by the step end — as the arbitrage-router scorer builds it
  label        1 if the target's step scored higher (Δ > 0), else 0
  delta        Δ = PRM(target step) − PRM(draft step)
  question, steps, sources
               the pieces of text: the context steps then the candidate (no prefixes, no step
               ends) and who wrote each (0 draft, 1 target; the candidate 0) — for a BPE tokenizer,
               encode them piece by piece as the scorer does (docs/router-training.md)
  problem_id, data_name, level, step_index, prm_draft, prm_target, draft_step, target_step

  --no-annotations       leave out the "Model 0:/1:" prefixes (the paper's ablation)
  --step-end TEXT        text after each step (default "\\n": the last character of the "\\n\\n"
                         delimiter, which the scorer appends after each step); escapes such as
                         \\n and \\t are read as in JSON
  --question-suffix TEXT text after the question (default "\\n")
  --split-name NAME      file name stem (default "train"; e.g. "test" for held-out data)`;

/** "\\n" typed on a command line means a newline here, as in the JSON of config.json. */
function unescape(value: string, flag: string): string {
  if (!value.includes("\\")) return value;
  try {
    return JSON.parse(`"${value.replace(/"/g, '\\"')}"`) as string;
  } catch {
    throw new WorkbenchError("usage", `${flag}: cannot read the escapes in ${JSON.stringify(value)} (use JSON escapes such as \\n)`);
  }
}

export const routerDataCommand: Command = {
  name: "router-data",
  summary: "convert generate rows into a Hugging Face datasets-ready JSONL + Parquet for router training",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        in: { type: "string" },
        out: { type: "string" },
        "no-annotations": { type: "boolean" },
        "step-end": { type: "string" },
        "question-suffix": { type: "string" },
        "split-name": { type: "string" },
      },
      usage,
    );
    const inPath = resolve(io.cwd, requireOption(values.in, "--in", usage));
    const outDir = resolve(io.cwd, requireOption(values.out, "--out", usage));
    const stepEnd = unescape(values["step-end"] ?? "\n", "--step-end");
    const questionSuffix = unescape(values["question-suffix"] ?? "\n", "--question-suffix");
    const name = values["split-name"] ?? "train";
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new WorkbenchError("usage", `--split-name expects a plain file name stem, found "${name}"`);
    const annotate = values["no-annotations"] !== true;

    const data = readRouterRows(inPath);
    if (data.bad.length > 0) {
      write(io.stderr, `${inPath}: skipped ${data.bad.length} line(s) that do not fit the generate format:`);
      for (const l of describeBadLines(data.bad)) write(io.stderr, `  ${l}`);
    }
    if (data.rows.length === 0) throw new WorkbenchError("bad-dataset", `${inPath} holds no usable router rows`);
    const jsonlPath = join(outDir, `${name}.jsonl`);
    if (jsonlPath === inPath) throw new WorkbenchError("usage", `--out ${outDir} would overwrite the input ${inPath}; choose another folder or --split-name`);

    const records = hfRecords(data.rows, { annotate, stepEnd, questionSuffix });
    const parquet = hfParquet(records); // built before anything is written: no half-written pair
    mkdirSync(outDir, { recursive: true });
    writeFileSync(jsonlPath, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const parquetPath = join(outDir, `${name}.parquet`);
    writeFileSync(parquetPath, parquet);

    const lb = labelBalance(records.map((r) => r.label));
    write(io.stdout, `${records.length} records (${lb.escalate} label 1, ${lb.accept} label 0), ${annotate ? "with" : "without"} Model 0:/1: annotations, step end ${JSON.stringify(stepEnd)}`);
    write(io.stdout, `wrote ${jsonlPath}`);
    write(io.stdout, `wrote ${parquetPath}`);
    return 0;
  },
};
