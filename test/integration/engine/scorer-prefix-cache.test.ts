/**
 * A scorer whose graph takes a past (the demo PRM and routers) keeps the KV cache of its previous
 * input and reruns only from the last step end the two share. Like the LM's cache, it is an
 * optimisation, never a change of result: every score equals the whole-input score, whatever was
 * scored before — through the call order the step loop makes (candidate, replacement, next step).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reusablePrefix, StepScorer } from "../../../main/engine/scorer.ts";
import { calibrateScorer, estimateScorerMs } from "../../../main/speculation/cost-calibration.ts";
import type { StepSource } from "../../../main/engine/scorer-input.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const problems = readFileSync(`${root}assets/datasets/arith-steps/test.jsonl`, "utf8")
  .trim()
  .split("\n")
  .slice(0, 4)
  .map((l) => JSON.parse(l) as { problem: string; solution: string });

describe.each([["demo-prm"], ["demo-router"]])("%s", (name) => {
  let cached: StepScorer;
  let whole: StepScorer;
  beforeAll(async () => {
    cached = await StepScorer.load(`${root}assets/models/${name}`, { intraOpThreads: 1 });
    whole = await StepScorer.load(`${root}assets/models/${name}`, { intraOpThreads: 1, reusePrefix: false });
  });
  afterAll(async () => {
    await cached.dispose();
    await whole.dispose();
  });

  it("gives every step the whole-input score while reusing the shared prefix", async () => {
    expect(cached.reusesPrefix).toBe(true);
    expect(whole.reusesPrefix).toBe(false);
    let reusedCalls = 0;
    let calls = 0;
    for (const r of problems) {
      const steps = r.solution.split("\n\n");
      const ctx: string[] = [];
      const sources: StepSource[] = [];
      for (let k = 0; k < steps.length; k++) {
        // The draft's candidate (a slip on odd steps), then the step that replaces it.
        const candidate = k % 2 ? (steps[k] as string).replace(/\d/, "7") : (steps[k] as string);
        for (const c of [candidate, steps[k] as string]) {
          const a = await cached.score(r.problem, [...ctx, c], { sources });
          const b = await whole.score(r.problem, [...ctx, c], { sources });
          expect(b.reused).toBe(0);
          expect(a.tokens).toBe(b.tokens);
          for (let i = 0; i < b.stepScores.length; i++) expect(a.stepScores[i]).toBeCloseTo(b.stepScores[i] as number, 5);
          expect(a.score).toBeCloseTo(b.score, 5);
          calls++;
          if (a.reused > 0) reusedCalls++;
        }
        ctx.push(steps[k] as string);
        sources.push(k % 2 ? 1 : 0);
      }
    }
    // From a problem's second step on, each call shares at least one step end with the call before it.
    expect(reusedCalls).toBeGreaterThan(calls / 2);
  });

  it("restarts at a step end the two inputs share, never inside a step", () => {
    const q = problems[0]?.problem as string;
    const steps = (problems[0]?.solution as string).split("\n\n");
    const before = cached.input(q, steps.slice(0, 2), { sources: [0, 0] });
    const after = cached.input(q, [...steps.slice(0, 2), "x"], { sources: [0, 0] });
    const start = reusablePrefix(before.ids, after);
    expect(after.stepEnds).toContain(start);
    expect(start).toBe(after.stepEnds[1]);
    // A different question shares no step end: nothing is reused.
    expect(reusablePrefix(before.ids, cached.input(`${q} And one more.`, steps.slice(0, 2), { sources: [0, 0] }))).toBe(0);
    // An identical input restarts at its last shared step end before the end (its last step runs again).
    expect(reusablePrefix(before.ids, before)).toBe(before.stepEnds[0]);
  });

  it("is calibrated by what a call reuses, so replayed latencies price the cache", async () => {
    const costs = await calibrateScorer(cached, problems[0]?.problem as string, 700, 1);
    expect(costs.prefix?.length).toBeGreaterThan(3);
    for (const p of costs.prefix ?? []) {
      expect(p.past).toBeGreaterThan(0);
      expect(p.k).toBeGreaterThan(0);
      expect(Number.isFinite(p.ms) && p.ms > 0).toBe(true);
    }
    expect(cached.heldInput.length).toBe(0); // calibration leaves the cache empty
    // A call that reuses a prefix is priced from the (k new, past reused) table, one that does not
    // from the whole-input curve (which of the two is cheaper on a busy machine is for bench:sweep;
    // a single timed sample here would make the test flaky).
    const table = { model: "m", points: [{ tokens: 100, ms: 4 }, { tokens: 300, ms: 12 }], prefix: [{ k: 40, past: 260, ms: 3 }] };
    expect(estimateScorerMs(table, 300, 0)).toBeCloseTo(12, 9);
    expect(estimateScorerMs(table, 300, 260)).toBeCloseTo(3, 9);
    expect(estimateScorerMs({ model: "m", points: table.points }, 300, 260)).toBeCloseTo(12, 9); // no table: the whole input
  });
});
