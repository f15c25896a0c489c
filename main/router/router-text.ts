/**
 * The text an arbitrage-router ONNX scorer reads for a (context, candidate) pair, written out for
 * training: question + question suffix, then each step (optionally prefixed "Model 0: " for the
 * draft, "Model 1: " for the target; the candidate is always the draft's) followed by the step
 * end — the delimiter's last character, since the scorer appends the last token of the encoded
 * delimiter after each step (main/engine/scorer-input.ts). For a tokenizer that encodes the
 * concatenation as the concatenation of the pieces (as the demo's character tokenizer does), a
 * router trained on this text sees exactly the token ids it will see inside a sweep.
 */
import type { RouterRow } from "./router-rows.ts";

export interface RouterTextOptions {
  /** "Model 0:/1:" prefixes (default true); the ablation without them sets false. */
  annotate?: boolean;
  /** Appended after each step (default "\n"). */
  stepEnd?: string;
  /** Appended after the question (default "\n", the arbitrage-router convention's question_suffix). */
  questionSuffix?: string;
}

export function routerText(
  row: Pick<RouterRow, "question" | "contextSteps" | "contextSources" | "draftStep">,
  opts: RouterTextOptions = {},
): string {
  const annotate = opts.annotate ?? true;
  const stepEnd = opts.stepEnd ?? "\n";
  let text = row.question + (opts.questionSuffix ?? "\n");
  const steps = [...row.contextSteps, row.draftStep];
  steps.forEach((step, k) => {
    const who = k === steps.length - 1 ? 0 : (row.contextSources[k] ?? 0);
    text += (annotate ? `Model ${who}: ${step}` : step) + stepEnd;
  });
  return text;
}
