/**
 * What a router sees when it decides on a draft step: the context and the candidate as text (for
 * ONNX routers, which read them through their own tokenizer) and the draft-side numbers that cost
 * nothing extra at run time (for the light router). No field needs the target model.
 */
import type { StepSource } from "../engine/scorer-input.ts";
import type { DraftFeatures, RouterRow } from "./router-rows.ts";

export interface RouterInput {
  question: string;
  /** The accepted steps, then the candidate draft step last. */
  steps: string[];
  /** Who wrote each entry of `steps`; the candidate's entry is 0 (the draft). */
  sources: StepSource[];
  /** The candidate's token statistics under the draft model; null when they were not recorded. */
  draftFeatures: DraftFeatures | null;
  /** The PRM's score of the candidate; null when no PRM is configured. */
  prmDraft: number | null;
  /** 0-based position of the candidate step in the solution. */
  stepIndex: number;
}

/** A router as a sweep calls it: (context, draft step) → a score in [0, 1]; escalate when score >= τ. */
export interface RouterModel {
  /** A short label for tables and reports: the folder's or file's base name. */
  readonly name: string;
  readonly kind: "onnx" | "light";
  score(input: RouterInput): Promise<{ score: number; ms: number }>;
  dispose(): Promise<void>;
}

/** A held-out row as the router would have met it while generating. */
export function rowToInput(row: RouterRow): RouterInput {
  return {
    question: row.question,
    steps: [...row.contextSteps, row.draftStep],
    sources: [...row.contextSources, 0],
    draftFeatures: row.draftFeatures,
    prmDraft: row.prmDraft,
    stepIndex: row.stepIndex,
  };
}
