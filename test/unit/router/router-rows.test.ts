/** Reading `generate` rows: what is accepted, and the line-numbered reason for what is not. */
import { describe, expect, it } from "vitest";
import { parseRouterRows } from "../../../main/router/router-rows.ts";
import { rowToInput } from "../../../main/router/router-input.ts";
import { routerText } from "../../../main/router/router-text.ts";

const GOOD = {
  problem_id: "arith-test-0007",
  data_name: "arith-steps",
  level: 3,
  question: "What is 2+3*4?",
  step_index: 2,
  context_steps: ["3*4 = 12.", "2 + 12 = 14."],
  context_sources: [0, 1],
  draft_step: "The answer is 14.",
  target_step: "So the answer is \\boxed{14}.",
  prm_draft: 0.5,
  prm_target: 0.75,
  delta: 0.25,
  label: 1,
  draft_features: { tokens: 23, meanLogprob: -0.08, minLogprob: -1.9, meanEntropy: 0.21 },
};

function line(patch: Record<string, unknown>): string {
  return JSON.stringify({ ...GOOD, ...patch });
}

describe("parseRouterRows", () => {
  it("reads a row as the sweep writes it, and the snake_case features of the format doc", () => {
    const snake = { tokens: 23, mean_logprob: -0.08, min_logprob: -1.9, mean_entropy: 0.21 };
    const { rows, bad } = parseRouterRows([line({}), "", line({ draft_features: snake })].join("\n"));
    expect(bad).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([1, 3]);
    expect(rows[0]).toMatchObject({ problemId: "arith-test-0007", level: 3, stepIndex: 2, delta: 0.25, label: 1, prmDraft: 0.5 });
    expect(rows[1]?.draftFeatures).toEqual(rows[0]?.draftFeatures);
    expect(rows[0]?.draftFeatures).toEqual({ tokens: 23, meanLogprob: -0.08, minLogprob: -1.9, meanEntropy: 0.21 });
  });

  it("optional fields may be absent: no features, no PRM scores, no label, no level", () => {
    const { rows, bad } = parseRouterRows(
      JSON.stringify({ question: "q", step_index: 0, context_steps: [], context_sources: [], draft_step: "d", delta: 0 }),
    );
    expect(bad).toEqual([]);
    expect(rows[0]).toMatchObject({ draftFeatures: null, prmDraft: null, targetStep: null, level: null, label: 0, problemId: null });
  });

  it("tolerates rounding: scores and Δ rounded separately, a label taken before Δ was rounded to 0", () => {
    const { rows, bad } = parseRouterRows(
      [
        line({ prm_draft: 0.123456, prm_target: 0.623457, delta: 0.500002 }),
        line({ prm_draft: 0.5, prm_target: 0.5, delta: 0, label: 1 }),
        line({ prm_draft: 0.5, prm_target: 0.5001, delta: 0.0001, label: 0 }),
        line({ label: 2 }),
      ].join("\n"),
    );
    expect(rows.map((r) => [r.line, r.label])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    expect(bad.map((b) => b.line)).toEqual([3, 4]);
    expect(bad[1]?.reason).toBe(`"label" must be 0 or 1, found 2`);
  });

  it("reports each unusable line with its number and reason, and keeps the rest", () => {
    const text = [
      line({}),
      "{ oops",
      line({ delta: "0.25" }),
      line({ label: 0 }),
      line({ context_sources: [0] }),
      line({ delta: 0.3 }),
      line({ step_index: -1 }),
      line({ draft_features: { tokens: 3 } }),
      "[1, 2]",
      line({ context_sources: [0, 2] }),
    ].join("\n");
    const { rows, bad } = parseRouterRows(text);
    expect(rows.map((r) => r.line)).toEqual([1]);
    expect(bad.map((b) => b.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(bad[0]?.reason).toMatch(/not valid JSON/);
    expect(bad[1]?.reason).toBe(`"delta" must be a finite number, found a string`);
    expect(bad[2]?.reason).toMatch(/"label" 0 disagrees with delta 0.25/);
    expect(bad[3]?.reason).toMatch(/"context_sources" has 1 entries but "context_steps" has 2/);
    expect(bad[4]?.reason).toMatch(/"delta" 0.3 is not prm_target − prm_draft = 0.25/);
    expect(bad[5]?.reason).toMatch(/non-negative integer/);
    expect(bad[6]?.reason).toMatch(/draft_features.meanLogprob" \(or "mean_logprob"\)/);
    expect(bad[7]?.reason).toBe("expected a JSON object, found a list");
    expect(bad[8]?.reason).toMatch(/0 \(draft\) \/ 1 \(target\)/);
  });
});

describe("a row as router input and as training text", () => {
  const row = parseRouterRows(line({})).rows[0]!;

  it("the candidate comes last and is the draft's", () => {
    const input = rowToInput(row);
    expect(input.steps).toEqual(["3*4 = 12.", "2 + 12 = 14.", "The answer is 14."]);
    expect(input.sources).toEqual([0, 1, 0]);
    expect(input).toMatchObject({ prmDraft: 0.5, stepIndex: 2, question: "What is 2+3*4?" });
  });

  it("annotated text: question line, then each step with its author and the step end", () => {
    expect(routerText(row)).toBe("What is 2+3*4?\nModel 0: 3*4 = 12.\nModel 1: 2 + 12 = 14.\nModel 0: The answer is 14.\n");
    expect(routerText(row, { annotate: false, stepEnd: "\n\n" })).toBe("What is 2+3*4?\n3*4 = 12.\n\n2 + 12 = 14.\n\nThe answer is 14.\n\n");
    expect(routerText({ ...row, contextSteps: [], contextSources: [] }, { questionSuffix: " " })).toBe("What is 2+3*4? Model 0: The answer is 14.\n");
  });
});
