import { FORMATS } from "./formats.ts";
import type { LineError, LoadedDataset } from "./types.ts";

/** What `arbitrage dataset FILE --json` prints: enough to check a file before a long sweep. */
export interface DatasetReport {
  format: string;
  count: number;
  mapping: { id: string | null; question: string; answer: string };
  errors: LineError[];
  first: { id: string; question: string; answer: string } | null;
}

export function datasetReport(ds: LoadedDataset): DatasetReport {
  const first = ds.problems[0];
  return {
    format: ds.format,
    count: ds.count,
    mapping: { id: ds.mapping.id, question: ds.mapping.question, answer: ds.mapping.answer },
    errors: ds.errors.map((e) => ({ line: e.line, reason: e.reason })),
    first: first ? { id: first.id, question: first.question, answer: first.answer } : null,
  };
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, " ⏎ ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** The same report for people: file facts, the mapping, the first problem, then the bad lines. */
export function formatDatasetReport(ds: LoadedDataset, opts: { maxErrors?: number } = {}): string {
  const maxErrors = opts.maxErrors ?? 20;
  const m = ds.mapping;
  const roles = [
    `id=${m.id ?? "(position)"}`,
    `question=${m.question}`,
    ...(m.context ? [`context=${m.context}`] : []),
    `answer=${m.answer}`,
    ...(m.level ? [`level=${m.level}`] : []),
    ...(m.subject ? [`subject=${m.subject}`] : []),
  ];
  const lines = [
    `file:         ${ds.path}`,
    `format:       ${ds.format} (${ds.container})`,
    `sha256:       ${ds.sha256}`,
    `problems:     ${ds.count}`,
    `fields:       ${ds.fields.join(", ")}`,
    `mapping:      ${roles.join("  ")}`,
    `ground truth: ${FORMATS[ds.format].groundTruth}`,
    `bad lines:    ${ds.errors.length}`,
    ...(ds.warnings.length > 0 ? [`warnings:     ${ds.warnings.length}`] : []),
  ];
  const first = ds.problems[0];
  if (first) {
    lines.push("", "first problem:", `  id:       ${first.id}`, `  question: ${clip(first.question, 160)}`, `  answer:   ${first.answer}`);
  }
  const unit = ds.container === "json" || ds.container === "parquet" ? "record" : "line";
  if (ds.errors.length > 0) {
    lines.push("", "bad lines:");
    for (const e of ds.errors.slice(0, maxErrors)) lines.push(`  ${unit} ${e.line}: ${e.reason}`);
    if (ds.errors.length > maxErrors) lines.push(`  … and ${ds.errors.length - maxErrors} more (use --json for all)`);
  }
  if (ds.warnings.length > 0) {
    lines.push("", "warnings:");
    for (const w of ds.warnings.slice(0, maxErrors)) lines.push(`  ${unit} ${w.line}: ${w.reason}`);
    if (ds.warnings.length > maxErrors) lines.push(`  … and ${ds.warnings.length - maxErrors} more`);
  }
  return lines.join("\n");
}
