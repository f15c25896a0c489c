/** datasets.preview: read a benchmark file as a sweep would and show the mapping, first problems and bad lines. */
import { resolve } from "node:path";
import type { z } from "zod";
import { METHODS } from "../../shared/api/contracts.ts";
import type { DatasetPreview } from "../../shared/api/schemas/inspect.ts";
import { FORMATS, loadDataset } from "../eval/datasets/index.ts";

type Input = z.output<(typeof METHODS)["datasets.preview"]["input"]>;

/** Bad lines sent back at most; the count says how many there are. */
const MAX_LINES = 200;

export async function previewDataset(raw: unknown): Promise<DatasetPreview> {
  const input: Input = METHODS["datasets.preview"].input.parse(raw);
  const path = resolve(input.path);
  const ds = await loadDataset(path, {
    ...(input.format ? { format: input.format } : {}),
    ...(input.mapping ? { mapping: input.mapping } : {}),
  });
  const m = ds.mapping;
  return {
    path: ds.path,
    format: ds.format,
    container: ds.container,
    sha256: ds.sha256,
    count: ds.count,
    fields: ds.fields,
    mapping: {
      id: m.id,
      question: m.question,
      answer: m.answer,
      ...(m.context ? { context: m.context } : {}),
      ...(m.level ? { level: m.level } : {}),
      ...(m.subject ? { subject: m.subject } : {}),
    },
    groundTruth: FORMATS[ds.format].groundTruth,
    problems: ds.problems.slice(0, input.limit ?? 5).map((p) => ({ id: p.id, question: p.question, answer: p.answer, level: p.level ?? null, subject: p.subject ?? null })),
    errors: ds.errors.slice(0, MAX_LINES),
    errorCount: ds.errors.length,
    warnings: ds.warnings.slice(0, MAX_LINES),
    warningCount: ds.warnings.length,
  };
}
