/** Benchmarks: the Qwen2.5-Math toolkit's formats and any JSONL / JSON / CSV / Parquet file, as plain data. */
export { loadDataset, parseDataset, detectFormat, toProblems, collectFields, type LoadOptions } from "./load.ts";
export { selectProblems, sliceDataset } from "./slice.ts";
export { datasetReport, formatDatasetReport, type DatasetReport } from "./report.ts";
export { resolveMapping, detectMapping } from "./mapping.ts";
export { groundTruth } from "./ground-truth.ts";
export { questionText } from "./question.ts";
export { parseCsv } from "./csv.ts";
export { formatFromPath, formatFromFields } from "./detect.ts";
export { FORMATS } from "./formats.ts";
export * from "./types.ts";
