/**
 * Run folders as the app lists and opens them: run.json (resolved spec, models, dataset,
 * provenance) and one row per folder for the run history. run.json is read loosely — fields this
 * version does not know are kept, not rejected — but the fields the app relies on are checked.
 */
import { z } from "zod";
import { ConfigurationSchema, ProblemRecordSchema, SummaryFileSchema } from "./results.ts";

const ModelRefSchema = z.looseObject({ path: z.string() });

/** run.json's resolved spec: the fields the app reads, everything else kept as it is. */
export const ResolvedSpecSchema = z.looseObject({
  name: z.string(),
  models: z.looseObject({ draft: ModelRefSchema, target: ModelRefSchema, prm: ModelRefSchema.nullable(), router: ModelRefSchema.nullable() }),
  dataset: z.looseObject({ path: z.string() }),
  configurations: z.array(ConfigurationSchema),
  decoding: z.looseObject({ temperature: z.number(), maxSteps: z.number(), stop: z.array(z.string()) }),
});

/** What was detected about one model when the run started (CausalLM / StepScorer info, or a light router). */
export const RunModelInfoSchema = z.looseObject({
  architecture: z.string().optional(),
  provider: z.string().optional(),
});

export const RunMetaSchema = z.looseObject({
  mode: z.enum(["cached", "measure"]),
  resolved: ResolvedSpecSchema,
  models: z.looseObject({
    draft: RunModelInfoSchema,
    target: RunModelInfoSchema,
    prm: RunModelInfoSchema.nullable(),
    router: RunModelInfoSchema.nullable(),
  }),
  dataset: z.looseObject({ path: z.string(), sha256: z.string(), format: z.string(), count: z.number() }),
  provenance: z.looseObject({ createdAt: z.string() }),
  started: z.string(),
});
export type RunMeta = z.infer<typeof RunMetaSchema>;

/** One row of the run history (runs.list). */
export const RunListEntrySchema = z.object({
  /** Absolute path of the run folder. */
  dir: z.string(),
  /** The spec's name ("arith-steps"), or the folder name when run.json is unreadable. */
  name: z.string(),
  /** ISO time from run.json, or null. */
  started: z.string().nullable(),
  /** summary.json says the sweep finished every (configuration, problem) and none waits for a retry. */
  complete: z.boolean(),
  /** (configuration, problem) pairs that failed on a server (summary.json errors.backend): a resume runs them again. */
  failed: z.number().int().min(0),
  /** A sweep is writing this folder now (started from this app / server). */
  active: z.boolean(),
  /** Problems in the slice (from run.json), or null. */
  problems: z.number().nullable(),
  /** Configurations (method × threshold), or null. */
  configurations: z.number().nullable(),
  /** Finished (configuration, problem) records in journal.jsonl. */
  records: z.number(),
  /** Why the folder could not be read fully (unreadable run.json …), else null. */
  problem: z.string().nullable(),
});
export type RunListEntry = z.infer<typeof RunListEntrySchema>;

/** A journal line that could not be used: its 1-based line number and why. */
export const SkippedLineSchema = z.object({ line: z.number().int(), reason: z.string() });

/**
 * What the run's calibration.json priced each local model's calls at, in one number per role: the
 * median decode ms per token for a language model, the median ms per call for a scorer; null for a
 * role not calibrated (no such model, or one served over HTTP). Two runs of the same models priced
 * at different costs are not comparable on latency.
 */
export const CostSummarySchema = z.object({
  draft: z.number().nullable(),
  target: z.number().nullable(),
  prm: z.number().nullable(),
  router: z.number().nullable(),
});
export type CostSummary = z.infer<typeof CostSummarySchema>;

/** runs.load: a page of a run's records with the run's metadata and summary. */
export const RunPageSchema = z.object({
  dir: z.string(),
  run: RunMetaSchema,
  /** summary.json, or null while the sweep has not written one (running, or killed). */
  summary: SummaryFileSchema.nullable(),
  /** calibration.json in brief, or null when the folder has none (a --measure run times calls live). */
  costs: CostSummarySchema.nullable().optional(),
  /** Records [offset, offset + records.length) of journal.jsonl, in journal order. */
  records: z.array(ProblemRecordSchema),
  offset: z.number().int(),
  /** All records in the journal. */
  total: z.number().int(),
  /** Where the next page starts, or null after the last one. */
  nextOffset: z.number().int().nullable(),
  /** Lines of this page that were unreadable or did not match ProblemRecord (a torn last line after a crash …). */
  skipped: z.array(SkippedLineSchema),
});
export type RunPage = z.infer<typeof RunPageSchema>;
