import { WorkbenchError } from "../../../shared/errors.ts";
import { QUESTION_PLACEHOLDER } from "./spec.ts";

/**
 * A user's template: every `{question}` replaced by the question, everything else (other braces,
 * `\boxed{}`) left as written. Throws WorkbenchError("bad-spec") for a template without `{question}`.
 */
export function customPrompt(template: string, question: string): string {
  if (!template.includes(QUESTION_PLACEHOLDER)) {
    throw new WorkbenchError("bad-spec", `expected a custom prompt template containing ${QUESTION_PLACEHOLDER}, found ${JSON.stringify(template.length > 80 ? `${template.slice(0, 79)}…` : template)}`);
  }
  return template.split(QUESTION_PLACEHOLDER).join(question);
}
