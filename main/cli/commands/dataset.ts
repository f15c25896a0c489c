import { resolve } from "node:path";
import { WorkbenchError } from "../../../shared/errors.ts";
import { datasetReport, formatDatasetReport } from "../../eval/datasets/report.ts";
import { loadDataset } from "../../eval/datasets/load.ts";
import { DATASET_FORMATS, DatasetFormatSchema, type PartialFieldMapping } from "../../eval/datasets/types.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs } from "../parse-args.ts";

const ROLES = ["id", "question", "answer", "context", "level", "subject"] as const;

const usage = `usage: arbitrage dataset FILE [--format NAME] [--map ROLE=FIELD ...] [--json]

Loads a benchmark file and reports its format, size, fields, the field mapping used, the first
problem with its ground truth, and every line that could not be read.

  FILE              JSONL, JSON array, CSV/TSV or Parquet
  --format NAME     read it as NAME, one of: ${DATASET_FORMATS.join(", ")}
                    (default: detected from the file name and fields)
  --map ROLE=FIELD  read ROLE from column FIELD; ROLE: ${ROLES.join(", ")};
                    repeatable; "id=" numbers problems by position
  --json            print { format, count, mapping, errors, first } as JSON

Exit status: 0 when the file loaded (even with bad lines), 1 when it could not be read.`;

function parseMap(entries: string[]): PartialFieldMapping | undefined {
  if (entries.length === 0) return undefined;
  const mapping: PartialFieldMapping = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    const role = eq < 0 ? entry : entry.slice(0, eq);
    if (eq < 0 || !(ROLES as readonly string[]).includes(role)) {
      throw new WorkbenchError("usage", `--map expects ROLE=FIELD with ROLE one of ${ROLES.join(", ")}, found "${entry}"\n\n${usage}`);
    }
    const field = entry.slice(eq + 1);
    if (role === "id") mapping.id = field === "" ? null : field;
    else if (field === "") throw new WorkbenchError("usage", `--map ${role}= needs a field name\n\n${usage}`);
    else mapping[role as Exclude<(typeof ROLES)[number], "id">] = field;
  }
  return mapping;
}

export const datasetCommand: Command = {
  name: "dataset",
  summary: "check a benchmark file: format, size, field mapping, ground truth, bad lines",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { format: { type: "string" }, map: { type: "string", multiple: true }, json: { type: "boolean" } },
      usage,
      true,
    );
    if (positionals.length !== 1) {
      throw new WorkbenchError("usage", `expected one FILE, found ${positionals.length === 0 ? "none" : positionals.join(" ")}\n\n${usage}`);
    }
    let format;
    if (values.format !== undefined) {
      const parsed = DatasetFormatSchema.safeParse(values.format);
      if (!parsed.success) {
        throw new WorkbenchError("usage", `--format expects one of ${DATASET_FORMATS.join(", ")}, found "${values.format}"`);
      }
      format = parsed.data;
    }
    const path = resolve(io.cwd, positionals[0]!);
    const mapping = parseMap(values.map ?? []);
    const ds = await loadDataset(path, { ...(format ? { format } : {}), ...(mapping ? { mapping } : {}) });
    write(io.stdout, values.json ? JSON.stringify(datasetReport(ds), null, 2) : formatDatasetReport(ds));
    return 0;
  },
};
