/** What the setup screen shows about a chosen model folder or dataset file. */
import { z } from "zod";

export const MODEL_ROLES = ["draft", "target", "prm", "router"] as const;
export const ModelRoleSchema = z.enum(MODEL_ROLES);
export type ModelRole = z.infer<typeof ModelRoleSchema>;

const Common = {
  role: ModelRoleSchema,
  /** Absolute path of the folder (or light-router file). */
  path: z.string(),
};

/** A causal language model (draft or target): CausalLM.info. `contextLength` null: not declared. */
export const LmInspectionSchema = z.object({
  kind: z.literal("lm"),
  ...Common,
  onnxPath: z.string(),
  architecture: z.string(),
  layers: z.number(),
  kvHeads: z.number(),
  headDim: z.number(),
  kvType: z.enum(["float32", "float16"]),
  vocabSize: z.number(),
  tokenizerVocabSize: z.number(),
  contextLength: z.number().nullable(),
  hasPositionIds: z.boolean(),
  eosTokenIds: z.array(z.number()),
  hasChatTemplate: z.boolean(),
  provider: z.string(),
  /** Why the requested execution provider was not used. */
  providerFallback: z.string().nullable(),
});

/** A step scorer (PRM, or an ONNX router): StepScorer.info with its convention. */
export const ScorerInspectionSchema = z.object({
  kind: z.literal("scorer"),
  ...Common,
  onnxPath: z.string(),
  architecture: z.string(),
  /** skywork-prm | qwen-prm | math-shepherd | arbitrage-router */
  convention: z.string(),
  head: z.enum(["sigmoid", "softmax", "token-pair"]),
  select: z.enum(["step-ends", "last"]),
  output: z.string(),
  outputShape: z.array(z.union([z.number(), z.string()])),
  contextLength: z.number().nullable(),
  provider: z.string(),
  providerFallback: z.string().nullable(),
});

/** A light router (.json file trained by `arbitrage train-router`): no ONNX graph. */
export const LightRouterInspectionSchema = z.object({
  kind: z.literal("light-router"),
  ...Common,
  name: z.string(),
});

export const ModelInspectionSchema = z.discriminatedUnion("kind", [LmInspectionSchema, ScorerInspectionSchema, LightRouterInspectionSchema]);
export type ModelInspection = z.infer<typeof ModelInspectionSchema>;

export const DATASET_FORMAT_NAMES = ["math500", "math", "olympiadbench", "gsm8k", "aime24", "amc23", "minerva_math", "svamp", "asdiv", "custom"] as const;
export const DatasetFormatNameSchema = z.enum(DATASET_FORMAT_NAMES);

export const FieldMappingSchema = z.object({
  id: z.string().nullable(),
  question: z.string(),
  answer: z.string(),
  context: z.string().optional(),
  level: z.string().optional(),
  subject: z.string().optional(),
});

/** Field names a user picks; the rest is detected (same shape as a sweep spec's dataset.mapping). */
export const PartialMappingSchema = z.strictObject({
  id: z.string().min(1).nullable().optional(),
  question: z.string().min(1).optional(),
  answer: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  level: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
});

export const LineErrorSchema = z.object({ line: z.number().int(), reason: z.string() });

export const DatasetPreviewSchema = z.object({
  path: z.string(),
  format: DatasetFormatNameSchema,
  container: z.enum(["jsonl", "json", "csv", "tsv", "parquet"]),
  sha256: z.string(),
  /** Problems that loaded. */
  count: z.number().int(),
  /** Every field name seen, in order of first appearance. */
  fields: z.array(z.string()),
  mapping: FieldMappingSchema,
  /** How this format's ground truth is read (e.g. "\\boxed{} in solution"). */
  groundTruth: z.string(),
  /** The first problems, as the sweep would see them. */
  problems: z.array(z.object({ id: z.string(), question: z.string(), answer: z.string(), level: z.union([z.string(), z.number()]).nullable(), subject: z.string().nullable() })),
  /** Unreadable lines/records (the first 200), and how many there are in all. */
  errors: z.array(LineErrorSchema),
  errorCount: z.number().int(),
  warnings: z.array(LineErrorSchema),
  warningCount: z.number().int(),
});
export type DatasetPreview = z.infer<typeof DatasetPreviewSchema>;
