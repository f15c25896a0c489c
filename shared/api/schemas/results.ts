/**
 * zod mirrors of shared/results.ts: what a run folder holds, checked when a run is opened from disk
 * (a folder made by another version, or edited by hand, fails with the field that is wrong instead
 * of breaking a plot later). The compile-time checks at the bottom keep each schema and its
 * TypeScript type in step: changing one without the other does not type-check.
 */
import { z } from "zod";
import { METHODS } from "../../results.ts";
import type { ComponentMs, ConfigSummary, Configuration, MatchedAccuracy, OracleMatchedAccuracy, ProblemRecord, StepRecord, SweepSummary, TokenCounts } from "../../results.ts";
import { ErrorRecordSchema } from "../envelope.ts";

export const MethodSchema = z.enum(METHODS);

export const ConfigurationSchema = z.object({
  id: z.string(),
  method: MethodSchema,
  threshold: z.number().nullable(),
});

export const TokenCountsSchema = z.object({
  draftAccepted: z.number(),
  draftDiscarded: z.number(),
  target: z.number(),
});

export const ComponentMsSchema = z.object({
  draft: z.number(),
  target: z.number(),
  prm: z.number(),
  router: z.number(),
  overhead: z.number(),
});

const LmStopReasonSchema = z.enum(["stop", "eos", "max-tokens", "context-full"]);

export const StepRecordSchema = z.object({
  index: z.number().int(),
  source: z.enum(["draft", "target"]),
  text: z.string(),
  draftText: z.string().nullable(),
  targetText: z.string().nullable(),
  decision: z.enum(["accept", "escalate", "draft-only", "target-only"]),
  tokens: TokenCountsSchema,
  prmDraft: z.number().nullable(),
  prmTarget: z.number().nullable(),
  router: z.number().nullable(),
  delta: z.number().nullable(),
  ms: ComponentMsSchema,
  stop: LmStopReasonSchema,
});

export const ProblemRecordSchema = z.object({
  config: ConfigurationSchema,
  problemId: z.string(),
  level: z.union([z.string(), z.number()]).nullable(),
  subject: z.string().nullable(),
  steps: z.array(StepRecordSchema),
  completion: z.string(),
  extracted: z.string(),
  correct: z.boolean(),
  correctStrict: z.boolean(),
  stopReason: z.enum(["eos", "no-delimiter", "context-full", "max-steps", "max-tokens", "error"]),
  tokens: TokenCountsSchema,
  latencyMs: ComponentMsSchema.extend({ total: z.number() }),
  harnessMs: z.number(),
  error: ErrorRecordSchema.optional(),
});

export const ConfigSummarySchema = z.object({
  id: z.string(),
  method: MethodSchema,
  threshold: z.number().nullable(),
  problems: z.number(),
  errors: z.number(),
  accuracy: z.number(),
  accuracyStrict: z.number(),
  acceptanceRate: z.number().nullable(),
  targetStepShare: z.number(),
  latencyMs: z.object({ mean: z.number(), draft: z.number(), target: z.number(), prm: z.number(), router: z.number(), overhead: z.number() }),
  tokens: TokenCountsSchema,
  tokensPerSecond: z.number(),
  meanSteps: z.number(),
});

const IntervalSchema = z.tuple([z.number(), z.number()]).nullable();

const MatchedBaseSchema = z.object({
  accuracy: z.number(),
  accuracyCi95: IntervalSchema,
  speedup: z.number(),
  ci95: IntervalSchema,
  problems: z.number(),
  resamples: z.number(),
  rsdMs: z.number(),
  excluded: z.array(z.string()),
  curve: z.array(z.object({ accuracy: z.number(), speedup: z.number(), ci95: IntervalSchema })),
  targetOnly: z.boolean().optional(),
});
export const MatchedAccuracySchema = MatchedBaseSchema.extend({ arbitrageMs: z.number() });
export const OracleMatchedAccuracySchema = MatchedBaseSchema.extend({ oracleMs: z.number() });

export const SweepSummarySchema = z.object({
  runs: z.array(ConfigSummarySchema),
  // Absent in summaries written before the intervals existed: read as null.
  matchedAccuracy: MatchedAccuracySchema.nullable().default(null),
  oracleMatchedAccuracy: OracleMatchedAccuracySchema.nullable().default(null),
  speedupAtMatchedAccuracy: z.number().nullable(),
  speedupDetail: z.object({ accuracy: z.number(), rsdLatencyMs: z.number(), arbitrageLatencyMs: z.number() }).nullable(),
  cache: z.object({ stepsComputed: z.number(), stepsNaive: z.number() }),
  problems: z.number(),
});

/** summary.json as the runner writes it: the summary plus whether the sweep finished. */
export const SummaryFileSchema = SweepSummarySchema.extend({
  complete: z.boolean().optional(),
  /** Records with an error, by error kind (main/jobs/failed-problems.ts); absent in older run folders. */
  errors: z.record(z.string(), z.number().int().min(0)).optional(),
});
export type SummaryFile = z.infer<typeof SummaryFileSchema>;

// ---- compile-time agreement with shared/results.ts (both directions) ----
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
export type _SchemaAgreement = [
  Check<Same<z.infer<typeof ConfigurationSchema>, Configuration>>,
  Check<Same<z.infer<typeof TokenCountsSchema>, TokenCounts>>,
  Check<Same<z.infer<typeof ComponentMsSchema>, ComponentMs>>,
  Check<Same<z.infer<typeof StepRecordSchema>, StepRecord>>,
  Check<Same<z.infer<typeof ProblemRecordSchema>, ProblemRecord>>,
  Check<Same<z.infer<typeof ConfigSummarySchema>, ConfigSummary>>,
  Check<Same<z.infer<typeof SweepSummarySchema>, SweepSummary>>,
  Check<Same<z.infer<typeof MatchedAccuracySchema>, MatchedAccuracy>>,
  Check<Same<z.infer<typeof OracleMatchedAccuracySchema>, OracleMatchedAccuracy>>,
];
