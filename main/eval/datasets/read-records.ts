import { parquetReadObjects } from "hyparquet";
import { WorkbenchError } from "../../../shared/errors.ts";
import { parseCsv } from "./csv.ts";
import { describeType, preview } from "./record-issue.ts";
import type { Container, DatasetRecord, JsonValue, LineError } from "./types.ts";

/** One record of a file and where it came from (see LineError for what `line` means). */
export interface SourceRecord {
  line: number;
  /** A JSON object, or anything else a JSON line held (reported as an error by the loader). */
  value: unknown;
}

export interface RecordsRead {
  container: Container;
  records: SourceRecord[];
  errors: LineError[];
}

const PARQUET_MAGIC = "PAR1";

/** The container a file's name announces, or undefined. */
export function containerFromName(path: string): Container | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".tsv")) return "tsv";
  if (lower.endsWith(".parquet") || lower.endsWith(".pq")) return "parquet";
  return undefined;
}

function isParquet(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(0, 4)) === PARQUET_MAGIC;
}

/**
 * The container of a file: Parquet by its magic bytes; JSON array / JSON Lines by the first
 * non-blank character (a `.json` file written by `datasets.to_json` is JSON Lines); CSV or TSV by
 * name. `override` forces one.
 */
export function detectContainer(path: string, bytes: Uint8Array, override?: Container): Container {
  if (override) return override;
  if (isParquet(bytes)) return "parquet";
  const byName = containerFromName(path);
  if (byName === "parquet") return "parquet"; // reported as a bad Parquet file by the reader
  if (byName === "csv" || byName === "tsv") return byName;
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("[")) return "json";
  if (head.startsWith("{")) return byName === "json" ? "json" : "jsonl";
  if (byName) return byName;
  return "csv";
}

/** Reads every record of a file's bytes. Throws WorkbenchError("bad-dataset") when nothing can be read. */
export async function readRecords(path: string, bytes: Uint8Array, container: Container): Promise<RecordsRead> {
  if (bytes.length === 0) {
    throw new WorkbenchError("bad-dataset", `${path}: expected a dataset file (JSONL, JSON, CSV or Parquet), found an empty file`);
  }
  switch (container) {
    case "parquet":
      return readParquet(path, bytes);
    case "csv":
    case "tsv":
      return readDelimited(path, decodeText(path, bytes), container);
    case "json":
      return readJson(path, decodeText(path, bytes));
    case "jsonl":
      return readJsonLines(path, decodeText(path, bytes));
  }
}

function decodeText(path: string, bytes: Uint8Array): string {
  if (isParquet(bytes)) {
    throw new WorkbenchError("bad-dataset", `${path}: expected a text file, found a Parquet file (its name or --format says otherwise)`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new WorkbenchError("bad-dataset", `${path}: expected UTF-8 text, found bytes that are not UTF-8`);
  }
}

function firstLines(text: string, n = 1): string {
  return preview(text.split(/\r?\n/).slice(0, n).join("\n"), 80);
}

export function readJsonLines(path: string, text: string): RecordsRead {
  const records: SourceRecord[] = [];
  const errors: LineError[] = [];
  const lines = text.split("\n");
  let nonBlank = 0;
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    nonBlank++;
    try {
      records.push({ line: i + 1, value: JSON.parse(line) as unknown });
    } catch (err) {
      errors.push({ line: i + 1, reason: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
  if (nonBlank === 0) {
    throw new WorkbenchError("bad-dataset", `${path}: expected JSON Lines (one JSON object per line), found only blank lines`);
  }
  if (records.length === 0) {
    throw new WorkbenchError(
      "bad-dataset",
      `${path}: expected JSON Lines (one JSON object per line), found no line that parses as JSON (line ${errors[0]?.line}: ${errors[0]?.reason}; it starts ${firstLines(lines[(errors[0]?.line ?? 1) - 1] ?? "")})`,
    );
  }
  return { container: "jsonl", records, errors };
}

/** A JSON array of records, or an object holding exactly one such array (`{"data": [...]}`). */
export function readJson(path: string, text: string): RecordsRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // `datasets.to_json` writes JSON Lines under a .json name.
    if (text.trimStart().startsWith("{")) return readJsonLines(path, text);
    throw new WorkbenchError(
      "bad-dataset",
      `${path}: expected a JSON array of records, found text that is not JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  let list: unknown[];
  if (Array.isArray(parsed)) {
    list = parsed;
  } else if (parsed !== null && typeof parsed === "object") {
    const arrays = Object.entries(parsed).filter(([, v]) => Array.isArray(v) && v.some((x) => x !== null && typeof x === "object" && !Array.isArray(x)));
    if (arrays.length === 1) {
      list = arrays[0]![1] as unknown[];
    } else if (arrays.length === 0) {
      // A one-record JSON Lines file parses as a single object.
      return { container: "jsonl", records: [{ line: 1, value: parsed }], errors: [] };
    } else {
      throw new WorkbenchError(
        "bad-dataset",
        `${path}: expected a JSON array of records, found an object with ${arrays.length} arrays of records (${arrays.map(([k]) => k).join(", ")}); convert it to one array or JSON Lines`,
      );
    }
  } else {
    throw new WorkbenchError("bad-dataset", `${path}: expected a JSON array of records, found ${describeType(parsed)}`);
  }
  if (list.length === 0) throw new WorkbenchError("bad-dataset", `${path}: expected a JSON array of records, found an empty array`);
  return { container: "json", records: list.map((value, i) => ({ line: i + 1, value })), errors: [] };
}

export function readDelimited(path: string, text: string, container: "csv" | "tsv"): RecordsRead {
  const { rows, errors } = parseCsv(text, container === "tsv" ? "\t" : ",");
  const header = rows[0];
  if (!header) {
    throw new WorkbenchError("bad-dataset", `${path}: expected a ${container.toUpperCase()} header line naming the columns, found no records`);
  }
  const names = header.values.map((name, i) => (name.trim() === "" ? `column_${i + 1}` : name.trim()));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new WorkbenchError("bad-dataset", `${path}: expected distinct column names in the header, found "${name}" twice`);
    }
    seen.add(name);
  }
  if (names.length < 2) {
    throw new WorkbenchError(
      "bad-dataset",
      `${path}: expected a ${container.toUpperCase()} header with at least a question and an answer column, found ${names.length} column (${firstLines(text)})`,
    );
  }
  const records: SourceRecord[] = [];
  for (const row of rows.slice(1)) {
    if (row.values.length !== names.length) {
      errors.push({ line: row.line, reason: `expected ${names.length} fields (as in the header), found ${row.values.length}` });
      continue;
    }
    const record: DatasetRecord = {};
    names.forEach((name, i) => {
      record[name] = row.values[i]!;
    });
    records.push({ line: row.line, value: record });
  }
  errors.sort((a, b) => a.line - b.line);
  return { container, records, errors };
}

/** Parquet values made JSON-safe: 64-bit integers, dates and raw bytes become numbers or strings. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (x) => toJsonValue(x));
  if (typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  return String(value);
}

export async function readParquet(path: string, bytes: Uint8Array): Promise<RecordsRead> {
  if (!isParquet(bytes) || new TextDecoder().decode(bytes.subarray(bytes.length - 4)) !== PARQUET_MAGIC) {
    throw new WorkbenchError("bad-dataset", `${path}: expected a Parquet file (starting and ending with "PAR1"), found other bytes`);
  }
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new WorkbenchError("bad-dataset", `${path}: expected a readable Parquet file, found one hyparquet cannot read (${msg})`);
  }
  if (rows.length === 0) throw new WorkbenchError("bad-dataset", `${path}: expected records, found a Parquet file with no rows`);
  return {
    container: "parquet",
    records: rows.map((row, i) => ({ line: i + 1, value: toJsonValue(row) })),
    errors: [],
  };
}
