import type { Problem } from "../../main/eval/datasets/types.ts";

/** Problems without `answerSource` (the raw answer text), for tests about the parsed fields. */
export function withoutSource(problems: readonly Problem[]): Omit<Problem, "answerSource">[] {
  return problems.map(({ answerSource: _source, ...rest }) => rest);
}
