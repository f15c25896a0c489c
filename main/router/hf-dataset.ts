/**
 * `generate` rows → a Hugging Face datasets-ready table for the paper's router recipe: one record
 * per step with the annotated text the arbitrage-router scorer reads (router-text.ts), the label
 * y = 1[Δ > 0] and Δ itself, plus identity columns for grouping. The same records go to JSONL
 * (`load_dataset("json", …)`) and to Parquet (`load_dataset("parquet", …)`).
 */
import { parquetWriteBuffer, schemaFromColumnData, type ColumnSource, type SchemaElement } from "hyparquet-writer";
import { routerText, type RouterTextOptions } from "./router-text.ts";
import type { RouterRow } from "./router-rows.ts";

export interface HfRecord {
  text: string;
  label: 0 | 1;
  delta: number;
  /** The pieces of `text`, for trainers whose tokenizer must encode them one by one as the scorer does. */
  question: string;
  /** Context steps then the candidate, without annotations or step ends. */
  steps: string[];
  /** Who wrote each of `steps` (0 draft, 1 target); the candidate's entry is 0. */
  sources: (0 | 1)[];
  problem_id: string | null;
  data_name: string | null;
  level: number | string | null;
  step_index: number;
  prm_draft: number | null;
  prm_target: number | null;
  draft_step: string;
  target_step: string | null;
}

export function hfRecords(rows: readonly RouterRow[], opts: RouterTextOptions = {}): HfRecord[] {
  return rows.map((r) => ({
    text: routerText(r, opts),
    label: r.label,
    delta: r.delta,
    question: r.question,
    steps: [...r.contextSteps, r.draftStep],
    sources: [...r.contextSources, 0],
    problem_id: r.problemId,
    data_name: r.dataName,
    level: r.level,
    step_index: r.stepIndex,
    prm_draft: r.prmDraft,
    prm_target: r.prmTarget,
    draft_step: r.draftStep,
    target_step: r.targetStep,
  }));
}

/**
 * Parquet columns with fixed types, so every file of a dataset has the same schema: label and
 * step_index INT64 (as pandas and datasets write Python ints), Δ and PRM scores DOUBLE, text
 * STRING, steps LIST<STRING> and sources LIST<INT32>. `level` is INT64 when every level is an
 * integer (or null), else STRING.
 */
export function hfParquet(records: readonly HfRecord[]): Uint8Array {
  const col = <K extends keyof HfRecord>(k: K) => records.map((r) => r[k]);
  const levels = col("level");
  const intLevels = levels.every((l) => l === null || (typeof l === "number" && Number.isInteger(l)));
  const columnData: ColumnSource[] = [
    { name: "text", data: col("text"), type: "STRING", nullable: false },
    { name: "label", data: records.map((r) => BigInt(r.label)), type: "INT64", nullable: false },
    { name: "delta", data: col("delta"), type: "DOUBLE", nullable: false },
    { name: "question", data: col("question"), type: "STRING", nullable: false },
    { name: "steps", data: col("steps") },
    { name: "sources", data: col("sources") },
    { name: "problem_id", data: col("problem_id"), type: "STRING" },
    { name: "data_name", data: col("data_name"), type: "STRING" },
    intLevels
      ? { name: "level", data: levels.map((l) => (l === null ? null : BigInt(l as number))), type: "INT64" }
      : { name: "level", data: levels.map((l) => (l === null ? null : String(l))), type: "STRING" },
    { name: "step_index", data: records.map((r) => BigInt(r.step_index)), type: "INT64", nullable: false },
    { name: "prm_draft", data: col("prm_draft"), type: "DOUBLE" },
    { name: "prm_target", data: col("prm_target"), type: "DOUBLE" },
    { name: "draft_step", data: col("draft_step"), type: "STRING", nullable: false },
    { name: "target_step", data: col("target_step"), type: "STRING" },
  ];
  const schema = schemaOf(columnData);
  // With an explicit schema the writer takes the columns' data only.
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData.map(({ name, data }) => ({ name, data })), schema }));
}

/** Element type of the list columns; every other column's schema comes from its declared type. */
const LIST_ELEMENTS: Record<string, SchemaElement> = {
  steps: { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  sources: { name: "element", type: "INT32", repetition_type: "REQUIRED" },
};

/**
 * The file's schema, with steps and sources as standard three-level LIST columns (what pyarrow
 * and datasets read as list<string> / list<int32>); left to inference they would be JSON text.
 */
function schemaOf(columnData: ColumnSource[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: "root", num_children: columnData.length }];
  for (const c of columnData) {
    const element = LIST_ELEMENTS[c.name];
    if (element) {
      schema.push(
        { name: c.name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        element,
      );
    } else {
      schema.push(...schemaFromColumnData({ columnData: [c] }).slice(1));
    }
  }
  return schema;
}
