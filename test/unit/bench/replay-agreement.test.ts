import { describe, expect, it } from "vitest";
import {
  combinedLatency,
  errorSpreadBetweenRounds,
  goalVerdict,
  identicalPathSpreads,
  measuredNoiseFloor,
  perRoundErrors,
  type RoundLatencies,
} from "../../../bench/replay-agreement.ts";

/** One round where every problem of a configuration takes `ms` (two problems each). */
const flat = (byConfig: Record<string, number>): RoundLatencies =>
  Object.fromEntries(Object.entries(byConfig).map(([id, ms]) => [id, { p1: ms, p2: ms }]));

describe("the noise floor bench:sweep prints", () => {
  it("is measured when no two configurations share a path (it used to print 0 then)", () => {
    // Three configurations with different paths; the replay is the same each round, the measurement moves.
    const replayed = [flat({ a: 100, b: 200, c: 300 }), flat({ a: 100, b: 200, c: 300 }), flat({ a: 100, b: 200, c: 300 })];
    const measured = [flat({ a: 100, b: 200, c: 300 }), flat({ a: 125, b: 200, c: 250 }), flat({ a: 80, b: 250, c: 300 })];
    // a: errors 0, −0.2, +0.25 → 0.45; b: 0, 0, −0.2 → 0.2; c: 0, +0.2, 0 → 0.2.
    expect(errorSpreadBetweenRounds(measured, replayed, "a")).toBeCloseTo(0.45, 12);
    expect(errorSpreadBetweenRounds(measured, replayed, "b")).toBeCloseTo(0.2, 12);
    expect(measuredNoiseFloor(measured, replayed, ["a", "b", "c"])).toBeCloseTo(0.2, 12);
    // Nothing to group by path here, so a floor from identical paths alone has nothing to measure.
    expect(identicalPathSpreads([["a"], ["b"], ["c"]], measured)).toEqual([]);
  });

  it("is not inflated by a bias of the replay: an error that is the same every round has no spread", () => {
    const measured = [flat({ a: 100, b: 200 }), flat({ a: 100, b: 200 })];
    const replayed = [flat({ a: 110, b: 220 }), flat({ a: 110, b: 220 })];
    expect(perRoundErrors(measured, replayed, "a")).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.1, 12)]);
    expect(measuredNoiseFloor(measured, replayed, ["a", "b"])).toBeCloseTo(0, 12);
  });

  it("is not inflated by the machine's speed changing between rounds when that round's costs follow it", () => {
    // Round 2 is 1.5× slower throughout; its replay, priced by round 2's fitted costs, is too.
    const measured = [flat({ a: 100, b: 200 }), flat({ a: 150, b: 300 })];
    const replayed = [flat({ a: 102, b: 196 }), flat({ a: 153, b: 294 })];
    // (errors +2 % and −2 % in both rounds, while the measurement alone drifted by 50 %)
    expect(measuredNoiseFloor(measured, replayed, ["a", "b"])).toBeCloseTo(0, 12);
  });

  it("is the median over configurations, so one configuration caught by a burst does not set it", () => {
    const replayed = [flat({ a: 100, b: 100, c: 100 }), flat({ a: 100, b: 100, c: 100 })];
    const measured = [flat({ a: 100, b: 100, c: 100 }), flat({ a: 50, b: 100 / 1.1, c: 100 / 1.02 })];
    // spreads: a 1.0, b 0.1, c 0.02.
    expect(measuredNoiseFloor(measured, replayed, ["a", "b", "c"])).toBeCloseTo(0.1, 12);
  });

  it("compares, round by round, the replay's mean over problems with the measurement's", () => {
    const measured: RoundLatencies[] = [{ a: { p1: 100, p2: 300 } }, { a: { p1: 100, p2: 100 } }];
    const replayed: RoundLatencies[] = [{ a: { p1: 100, p2: 100 } }, { a: { p1: 100, p2: 100 } }];
    // round 1: 100 vs 200 → −0.5; round 2: 100 vs 100 → 0.
    expect(perRoundErrors(measured, replayed, "a")).toEqual([-0.5, 0]);
    expect(errorSpreadBetweenRounds(measured, replayed, "a")).toBe(0.5);
  });

  it("is absent, not zero, with a single round", () => {
    expect(errorSpreadBetweenRounds([flat({ a: 100 })], [flat({ a: 120 })], "a")).toBeNull();
    expect(measuredNoiseFloor([flat({ a: 100 })], [flat({ a: 120 })], ["a"])).toBeNull();
  });

  it("refuses sides with different numbers of rounds", () => {
    expect(() => perRoundErrors([flat({ a: 1 }), flat({ a: 1 })], [flat({ a: 1 })], "a")).toThrow(/2 measured rounds but 1 replayed/);
  });
});

describe("the goal's verdict", () => {
  it("holds the error to 0.05 when the floor is low", () => {
    expect(goalVerdict(0.05, 0.01)).toEqual({ within: true, limit: 0.05 });
    expect(goalVerdict(0.051, 0.01)).toEqual({ within: false, limit: 0.05 });
  });
  it("allows the floor plus 0.02 when the machine is noisy", () => {
    const v = goalVerdict(0.09, 0.08);
    expect(v.limit).toBeCloseTo(0.1, 12);
    expect(v.within).toBe(true);
    expect(goalVerdict(0.11, 0.08).within).toBe(false);
  });
  it("holds to 0.05 without a floor, and fails an error that is not a number", () => {
    expect(goalVerdict(0.06, null)).toEqual({ within: false, limit: 0.05 });
    expect(goalVerdict(Number.NaN, 0.5).within).toBe(false);
  });
});

describe("a configuration's combined latency and identical paths", () => {
  it("takes per problem the median over rounds, then the mean over problems", () => {
    const rounds: RoundLatencies[] = [{ a: { p1: 100, p2: 200 } }, { a: { p1: 900, p2: 210 } }, { a: { p1: 110, p2: 190 } }];
    // p1: median(100, 900, 110) = 110; p2: 200 → 155: the burst of 900 is dropped.
    expect(combinedLatency(rounds, "a")).toBe(155);
  });
  it("measures the spread within each group of two or more configurations", () => {
    const measured = [flat({ x: 100, y: 110, z: 500 }), flat({ x: 100, y: 110, z: 500 })];
    const groups = identicalPathSpreads([["x", "y"], ["z"]], measured);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.ids).toEqual(["x", "y"]);
    expect(groups[0]?.spread).toBeCloseTo(0.1, 12);
  });
});
