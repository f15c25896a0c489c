import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { WorkbenchError } from "../../../shared/errors.ts";
import { formatFromFields, formatFromPath } from "./detect.ts";
import { FORMATS } from "./formats.ts";
import { groundTruth } from "./ground-truth.ts";
import { detectMapping, resolveMapping } from "./mapping.ts";
import { questionText } from "./question.ts";
import { detectContainer, readRecords, type SourceRecord } from "./read-records.ts";
import { describeType, preview, RecordIssue } from "./record-issue.ts";
import type { Container, DatasetFormat, DatasetRecord, FieldMapping, LineError, LoadedDataset, PartialFieldMapping, Problem } from "./types.ts";

export interface LoadOptions {
  /** Read the file as this format instead of detecting it from its name and fields. */
  format?: DatasetFormat;
  /** Read the bytes as this container instead of detecting it. */
  container?: Container;
  /** Field names that replace the detected ones, role by role (`id: null`: number by position). */
  mapping?: PartialFieldMapping;
  /** Keep each record as `problem.raw` (off by default: sweeps need only the problem). */
  keepRaw?: boolean;
}

function isRecord(value: unknown): value is DatasetRecord {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every field name of the records, in order of first appearance. */
export function collectFields(records: readonly SourceRecord[]): string[] {
  const seen = new Set<string>();
  for (const { value } of records) if (isRecord(value)) for (const key of Object.keys(value)) seen.add(key);
  return [...seen];
}

/**
 * The format of a file: the one its path names (`math500/test.jsonl`) when the file has that
 * format's fields and most of the first records read well with its rule, else the one its fields
 * look like, else `custom`.
 */
export function detectFormat(path: string, fields: readonly string[], sample: readonly DatasetRecord[]): DatasetFormat {
  const named = formatFromPath(path);
  if (named !== undefined && fitsFormat(named, fields, sample)) return named;
  return formatFromFields(fields, sample);
}

function fitsFormat(format: DatasetFormat, fields: readonly string[], sample: readonly DatasetRecord[]): boolean {
  const found = detectMapping(format, fields);
  const spec = FORMATS[format].fields;
  if (found.question === undefined || found.answer === undefined || (spec.context !== undefined && found.context === undefined)) return false;
  const mapping: FieldMapping = { id: null, question: found.question, answer: found.answer, ...(found.context ? { context: found.context } : {}) };
  const { problems, errors } = toProblems(format, sample.map((value, i) => ({ line: i + 1, value })), mapping);
  return problems.length > errors.length;
}

function problemId(record: DatasetRecord, mapping: FieldMapping, index: number): string {
  if (mapping.id === null) return String(index);
  const value = record[mapping.id];
  if (typeof value === "number" || (typeof value === "string" && value.trim() !== "")) return String(value);
  if (value === undefined || value === null || value === "") throw new RecordIssue(`missing id field "${mapping.id}"`);
  throw new RecordIssue(`expected a string or number in id field "${mapping.id}", found ${describeType(value)} ${preview(value)}`);
}

function optionalScalar(record: DatasetRecord, field: string | undefined): string | number | undefined {
  if (field === undefined) return undefined;
  const value = record[field];
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") return value;
  return undefined;
}

/** Turns records into problems; each record that fails becomes a `{ line, reason }` instead. */
export function toProblems(
  format: DatasetFormat,
  records: readonly SourceRecord[],
  mapping: FieldMapping,
  keepRaw = false,
): { problems: Problem[]; errors: LineError[]; warnings: LineError[] } {
  const problems: Problem[] = [];
  const errors: LineError[] = [];
  const warnings: LineError[] = [];
  const firstLineOfId = new Map<string, number>();
  records.forEach(({ line, value }, index) => {
    try {
      if (!isRecord(value)) throw new RecordIssue(`expected a JSON object, found ${describeType(value)} ${preview(value)}`);
      const id = problemId(value, mapping, index);
      const seenOn = firstLineOfId.get(id);
      if (seenOn !== undefined) throw new RecordIssue(`duplicate id "${id}" (first on line ${seenOn})`);
      const answer = groundTruth(format, value[mapping.answer], mapping.answer);
      const question = questionText(format, value, mapping, answer);
      if (answer === "") {
        warnings.push({ line, reason: `the ground truth normalises to an empty string (from ${preview(value[mapping.answer])}); kept, as the toolkit keeps it` });
      }
      const source = value[mapping.answer];
      const first = Array.isArray(source) ? source[0] : source;
      const answerSource = typeof first === "string" ? first : JSON.stringify(first ?? null);
      const problem: Problem = { id, question, answer, answerSource };
      const level = optionalScalar(value, mapping.level);
      if (level !== undefined) problem.level = level;
      const subject = optionalScalar(value, mapping.subject);
      if (subject !== undefined) problem.subject = String(subject);
      if (keepRaw) problem.raw = value;
      firstLineOfId.set(id, line);
      problems.push(problem);
    } catch (err) {
      if (!(err instanceof RecordIssue)) throw err;
      errors.push({ line, reason: err.message });
    }
  });
  return { problems, errors, warnings };
}

/** Loads a dataset from bytes already read (`path` is used for detection and messages only). */
export async function parseDataset(bytes: Uint8Array, path: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const container = detectContainer(path, bytes, opts.container);
  const read = await readRecords(path, bytes, container);
  const fields = collectFields(read.records);
  if (fields.length === 0) {
    throw new WorkbenchError("bad-dataset", `${path}: expected records that are JSON objects, found none (first record: ${preview(read.records[0]?.value)})`);
  }
  const sample = read.records.slice(0, 20).map((r) => r.value).filter(isRecord);
  const format = opts.format ?? detectFormat(path, fields, sample);
  const mapping = resolveMapping(format, fields, opts.mapping, path);
  const { problems, errors, warnings } = toProblems(format, read.records, mapping, opts.keepRaw ?? false);
  return {
    format,
    container: read.container,
    path,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    count: problems.length,
    fields,
    mapping,
    problems,
    errors: [...read.errors, ...errors].sort((a, b) => a.line - b.line),
    warnings,
  };
}

/**
 * Loads a benchmark file (JSONL, JSON array, CSV/TSV, Parquet) into plain data. Bad records are
 * listed in `errors` and the rest load. Throws WorkbenchError "missing-file" when the path does
 * not exist and "bad-dataset" when the file cannot be read as a dataset at all.
 */
export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<LoadedDataset> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new WorkbenchError("missing-file", `dataset file not found: ${path} (expected a JSONL, JSON, CSV or Parquet file)`, { path });
    }
    if (code === "EISDIR") {
      throw new WorkbenchError("bad-dataset", `${path}: expected a dataset file, found a directory`, { path });
    }
    throw new WorkbenchError("bad-dataset", `${path}: cannot be read (${(err as Error).message})`, { path });
  }
  return parseDataset(bytes, path, opts);
}
