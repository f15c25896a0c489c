/**
 * The calibration's progress (the sweep's ETA while it calibrates): measureProbeSets reports every
 * timing round it runs and how many it will run, the warm-up's length predicted from its pace.
 */
import { describe, expect, it } from "vitest";
import { expectedWarmRounds, measureProbeSets, type ProbeSet } from "../../../main/speculation/cost-calibration.ts";

/** A probe set whose one probe takes about `ms` of wall time. */
function sleepySet(ms: number): ProbeSet<number[]> {
  return {
    probes: [async () => (await new Promise((r) => setTimeout(r, ms)), ms)],
    finish: (times) => times.map((t) => t ?? -1),
  };
}

describe("calibration rounds", () => {
  it("predicts the warm-up from a round's time: 1.5 s of rounds, at least 2, at most 8", () => {
    expect(expectedWarmRounds(1000)).toBe(2);
    expect(expectedWarmRounds(400)).toBe(4);
    expect(expectedWarmRounds(10)).toBe(8);
    expect(expectedWarmRounds(0)).toBe(8);
    expect(expectedWarmRounds(5000)).toBe(2);
  });

  it("reports every round, ends at done = total, and the total once the warm-up ends is exact", async () => {
    const heard: [number, number][] = [];
    await measureProbeSets([sleepySet(400)], 3, (done, total) => heard.push([done, total]));
    const dones = heard.map(([d]) => d);
    // One report a round, in order, ending with every round done.
    expect(dones).toEqual(dones.map((_, i) => i + 1));
    const [lastDone, lastTotal] = heard.at(-1)!;
    expect(lastDone).toBe(lastTotal);
    // Warm-up rounds of ~400 ms run until 1.5 s: 4 (a loaded machine may make them slower: fewer).
    const warm = lastTotal - 3;
    expect(warm).toBeGreaterThanOrEqual(2);
    expect(warm).toBeLessThanOrEqual(4);
    // After the warm-up the total no longer moves.
    for (const [d, t] of heard) if (d > warm) expect(t).toBe(lastTotal);
  });
});
