/** Compare's warnings (different problems, different calibrations of one model) and its paired latency bars. */
import { describe, expect, it } from "vitest";
import { compareRuns, compareWarnings, type RunFacts } from "../../../shared/plots/compare.ts";
import { tinySummary } from "../../helpers/run-fixture.ts";

const models = { draft: "/m/draft", target: "/m/target", prm: "/m/prm", router: "/m/router" };
const facts = (over: Partial<RunFacts>): RunFacts => ({ label: "A", problemIds: ["p1", "p2"], models, costs: { draft: 0.2, target: 0.5, prm: 3, router: 2 }, ...over });

describe("compare warnings", () => {
  it("says nothing for two runs of the same problems priced alike (within 20 %)", () => {
    expect(compareWarnings(facts({}), facts({ label: "B", problemIds: ["p2", "p1"], costs: { draft: 0.22, target: 0.45, prm: 3.3, router: 2 } }))).toEqual([]);
  });

  it("counts the problems in both runs and in each alone", () => {
    const w = compareWarnings(facts({ problemIds: ["p1", "p2", "p3"] }), facts({ label: "B", problemIds: ["p2", "p3", "p4", "p5"] }));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^The runs cover different problems: 2 in both, 1 only in A, 2 only in B\./);
  });

  it("flags the same model priced differently, and not different models", () => {
    const w = compareWarnings(facts({}), facts({ label: "B", costs: { draft: 0.2, target: 0.2, prm: 3, router: 2 } }));
    expect(w).toEqual([expect.stringMatching(/^The same target model was priced differently: 0\.500 vs 0\.200 ms per decoded token/)]);
    const otherTarget = { ...models, target: "/m/bigger-target" };
    expect(compareWarnings(facts({}), facts({ label: "B", models: otherTarget, costs: { draft: 0.2, target: 0.2, prm: 3, router: 2 } }))).toEqual([]);
    // No calibration (a --measure run) or problems not known yet: nothing to say.
    expect(compareWarnings(facts({ costs: null, problemIds: null }), facts({ label: "B", costs: { draft: 9, target: 9, prm: 9, router: 9 } }))).toEqual([]);
  });
});

describe("compare latency bars", () => {
  it("puts each configuration's two bars side by side, in the first run's order", () => {
    const s = tinySummary();
    const a = { runId: "a", runLabel: "A", configs: s.runs };
    const b = { runId: "b", runLabel: "B", configs: [...s.runs].reverse() };
    const bars = compareRuns(a, b).latencyBreakdown.bars;
    const withProblems = s.runs.filter((c) => c.problems > 0).map((c) => c.id);
    expect(bars.map((x) => `${x.runId}:${x.configId}`)).toEqual(withProblems.flatMap((id) => [`a:${id}`, `b:${id}`]));
  });
});
