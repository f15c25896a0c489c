import { z } from "zod";

/** How the records of a file are stored. */
export const CONTAINERS = ["jsonl", "json", "csv", "tsv", "parquet"] as const;
export type Container = (typeof CONTAINERS)[number];

/**
 * The benchmark layouts of the Qwen2.5-Math evaluation toolkit, by the names its `data_name` uses,
 * plus `custom`: any other file, read through a field mapping.
 */
export const DATASET_FORMATS = [
  "math500",
  "math",
  "olympiadbench",
  "gsm8k",
  "aime24",
  "amc23",
  "minerva_math",
  "svamp",
  "asdiv",
  "custom",
] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
export const DatasetFormatSchema = z.enum(DATASET_FORMATS);

/**
 * Which field of a record holds what. `id: null` numbers the problems by their position (0-based),
 * as the toolkit does with `idx` when a file has none. `context` is a text that goes before the
 * question (SVAMP's `Body`, ASDiv's `body`).
 */
export const FieldMappingSchema = z.strictObject({
  id: z.string().min(1).nullable(),
  question: z.string().min(1),
  answer: z.string().min(1),
  context: z.string().min(1).optional(),
  level: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
});
export type FieldMapping = z.infer<typeof FieldMappingSchema>;

/** What a caller may override; the rest is auto-detected (or taken from the format). */
export const PartialFieldMappingSchema = FieldMappingSchema.partial();
export type PartialFieldMapping = z.infer<typeof PartialFieldMappingSchema>;

/** A JSON value as read from a dataset file (Parquet integers arrive as numbers or strings). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type DatasetRecord = Record<string, JsonValue>;

export interface Problem {
  /** Unique within the dataset. */
  id: string;
  /** The text put into the prompt template. */
  question: string;
  /** The ground truth, derived as the toolkit's `parse_ground_truth` does (already normalised). */
  answer: string;
  /**
   * The answer field as written in the file (a list's first item), before any normalisation: what
   * the strict grader reads, since the toolkit's normalisation can eat parts of an answer.
   */
  answerSource: string;
  level?: string | number;
  subject?: string;
  /** The record as read from the file, when `keepRaw` was asked for. */
  raw?: DatasetRecord;
}

/**
 * A record that could not become a problem. `line` is the 1-based line in a text file (JSONL, CSV:
 * the line where the record starts) or the 1-based record number (JSON array, Parquet).
 */
export interface LineError {
  line: number;
  reason: string;
}

export interface LoadedDataset {
  format: DatasetFormat;
  container: Container;
  path: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  /** Number of problems loaded (bad records excluded). */
  count: number;
  /** Every field name seen in the records, in order of first appearance. */
  fields: string[];
  mapping: FieldMapping;
  problems: Problem[];
  errors: LineError[];
  /**
   * Problems that loaded but deserve a look: a ground truth that normalises to "" (the toolkit
   * keeps those, so they are kept). Same `{ line, reason }` form as errors.
   */
  warnings: LineError[];
  /** Present when the problems are a slice of the file. */
  slice?: SliceSpec;
}

export const SliceSpecSchema = z.union([
  z.strictObject({ ids: z.array(z.string().min(1)).min(1) }),
  z.strictObject({
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).optional(),
  }),
]);
export type SliceSpec = z.infer<typeof SliceSpecSchema>;

/** How a sweep spec names its benchmark: a file, optionally its format, a mapping and a slice. */
export const DatasetRefSchema = z.strictObject({
  path: z.string().min(1),
  format: DatasetFormatSchema.optional(),
  mapping: PartialFieldMappingSchema.optional(),
  slice: SliceSpecSchema.optional(),
});
export type DatasetRef = z.infer<typeof DatasetRefSchema>;
