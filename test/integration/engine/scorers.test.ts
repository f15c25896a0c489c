/**
 * Each scorer convention reads the same numbers as a PyTorch reference computed by the fixture
 * builder (tools/make-test-fixtures), from an input built independently in Python.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StepScorer } from "../../../main/engine/scorer.ts";
import type { StepSource } from "../../../main/engine/scorer-input.ts";
import { buildScorerInput } from "../../../main/engine/scorer-input.ts";
import { fixtureModel, maxAbsDiff } from "../../helpers/fixtures.ts";

interface Case {
  question: string;
  steps: string[];
  sources: StepSource[];
  input_ids: number[];
  scores: number[];
}

describe.each([
  ["skywork-prm: value head + sigmoid at each step end", "prm-skywork"],
  ["skywork-prm on a backbone export: last_hidden_state + JSON value head", "prm-hidden"],
  ["qwen-prm: chat template, 2-class softmax at <extra_0>", "prm-qwen"],
  ["math-shepherd: +/- token logits at the ки tag", "prm-shepherd"],
  ["arbitrage-router: Model 0/1 annotations, 2 labels at the last position", "router"],
])("%s", (_label, name) => {
  const dir = fixtureModel(name);
  const cases = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Case[];

  it("builds the same input ids as the reference", async () => {
    const scorer = await StepScorer.load(dir);
    for (const c of cases) {
      const input = buildScorerInput(scorer.tokenizer, scorer.info.scorer, c.question, c.steps, c.sources);
      expect(input.ids).toEqual(c.input_ids);
    }
    await scorer.dispose();
  });

  it("gives the reference scores within 1e-4, each in [0, 1]", async () => {
    const scorer = await StepScorer.load(dir);
    for (const c of cases) {
      const r = await scorer.score(c.question, c.steps, { sources: c.sources });
      const got = scorer.info.scorer.select === "last" ? [r.score] : r.stepScores;
      expect(maxAbsDiff(got, c.scores)).toBeLessThan(1e-4);
      for (const s of got) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }
      expect(r.tokens).toBe(c.input_ids.length);
    }
    await scorer.dispose();
  });
});

describe("router annotations", () => {
  it("change the score when an earlier step was written by the other model", async () => {
    const router = await StepScorer.load(fixtureModel("router"));
    const steps = ["First 3*4 = 12.", "Then 2 + 12 = 14."];
    const byDraft = await router.score("What is 2+3*4?", steps, { sources: [0, 0] });
    const byTarget = await router.score("What is 2+3*4?", steps, { sources: [1, 0] });
    expect(byDraft.score).not.toBeCloseTo(byTarget.score, 6);
    await router.dispose();
  });
});
