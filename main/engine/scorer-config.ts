/**
 * The `step_scorer` key of a scorer's config.json (docs/model-folders.md): which convention builds
 * its input, which output it reads, where, and through which head. A convention fills in defaults;
 * every other field overrides one. Unknown keys are rejected, so a typo is an error, not a silent
 * default.
 */
import { z } from "zod";
import { WorkbenchError } from "../../shared/errors.ts";

export const SCORER_CONVENTIONS = ["skywork-prm", "qwen-prm", "math-shepherd", "arbitrage-router"] as const;
export type ScorerConvention = (typeof SCORER_CONVENTIONS)[number];

export const StepScorerConfigSchema = z.strictObject({
  convention: z.enum(SCORER_CONVENTIONS),
  output: z.string().min(1).optional(),
  step_delimiter: z.string().min(1).optional(),
  add_bos: z.boolean().optional(),
  question_suffix: z.string().optional(),
  step_tag: z.string().min(1).optional(),
  annotate: z.boolean().optional(),
  select: z.enum(["step-ends", "last"]).optional(),
  head: z.enum(["sigmoid", "softmax", "token-pair"]).optional(),
  positive_index: z.number().int().min(0).optional(),
  token_pair: z.tuple([z.string().min(1), z.string().min(1)]).optional(),
  head_weights: z.string().min(1).optional(),
  system_prompt: z.string().optional(),
});
export type StepScorerConfig = z.infer<typeof StepScorerConfigSchema>;

/** Every field decided: what the scorer actually does. Plain data, stored with runs. */
export interface ResolvedScorerConfig {
  convention: ScorerConvention;
  output: string;
  stepDelimiter: string;
  addBos: boolean;
  questionSuffix: string;
  stepTag: string | null;
  annotate: boolean;
  select: "step-ends" | "last";
  head: "sigmoid" | "softmax" | "token-pair";
  positiveIndex: number;
  tokenPair: [string, string];
  headWeights: string | null;
  systemPrompt: string;
}

const QWEN_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";

const PRESETS: Record<ScorerConvention, Omit<ResolvedScorerConfig, "convention" | "headWeights">> = {
  "skywork-prm": {
    output: "values", stepDelimiter: "\n\n", addBos: true, questionSuffix: "\n", stepTag: null,
    annotate: false, select: "step-ends", head: "sigmoid", positiveIndex: 1, tokenPair: ["+", "-"], systemPrompt: QWEN_SYSTEM,
  },
  "qwen-prm": {
    output: "logits", stepDelimiter: "\n\n", addBos: false, questionSuffix: "", stepTag: "<extra_0>",
    annotate: false, select: "step-ends", head: "softmax", positiveIndex: 1, tokenPair: ["+", "-"], systemPrompt: QWEN_SYSTEM,
  },
  "math-shepherd": {
    output: "logits", stepDelimiter: "\n\n", addBos: false, questionSuffix: " ", stepTag: "ки",
    annotate: false, select: "step-ends", head: "token-pair", positiveIndex: 0, tokenPair: ["+", "-"], systemPrompt: "",
  },
  "arbitrage-router": {
    output: "logits", stepDelimiter: "\n\n", addBos: false, questionSuffix: "\n", stepTag: null,
    annotate: false, select: "last", head: "softmax", positiveIndex: 1, tokenPair: ["+", "-"], systemPrompt: QWEN_SYSTEM,
  },
};

export function resolveScorerConfig(raw: unknown, where: string): ResolvedScorerConfig {
  if (raw === undefined) {
    throw new WorkbenchError(
      "bad-model",
      `${where} has no "step_scorer" key: a PRM or router must declare how its score is read, e.g. {"step_scorer": {"convention": "skywork-prm"}} (conventions: ${SCORER_CONVENTIONS.join(", ")}; see docs/model-folders.md)`,
    );
  }
  const parsed = StepScorerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `step_scorer${i.path.length ? "." + i.path.join(".") : ""}: ${i.message}`);
    throw new WorkbenchError("bad-config", `${where}: invalid step_scorer — ${issues.join("; ")}`);
  }
  const c = parsed.data;
  const p = PRESETS[c.convention];
  return {
    convention: c.convention,
    output: c.output ?? p.output,
    stepDelimiter: c.step_delimiter ?? p.stepDelimiter,
    addBos: c.add_bos ?? p.addBos,
    questionSuffix: c.question_suffix ?? p.questionSuffix,
    stepTag: c.step_tag ?? p.stepTag,
    annotate: c.annotate ?? p.annotate,
    select: c.select ?? p.select,
    head: c.head ?? p.head,
    positiveIndex: c.positive_index ?? p.positiveIndex,
    tokenPair: c.token_pair ?? p.tokenPair,
    headWeights: c.head_weights ?? null,
    systemPrompt: c.system_prompt ?? p.systemPrompt,
  };
}
