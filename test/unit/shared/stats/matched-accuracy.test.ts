import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import {
  accuracyLatencyFrontier,
  latencyAtAccuracy,
  speedupAtMatchedAccuracy,
} from "../../../../shared/stats/matched-accuracy.ts";

const pt = (accuracy: number, latency: number) => ({ accuracy, latency });

describe("accuracyLatencyFrontier", () => {
  it("keeps only points that nothing cheaper matches, from non-monotonic sweep points", () => {
    const points = [
      { ...pt(0.7, 30), threshold: 0.9 },
      { ...pt(0.65, 40), threshold: 1.0 }, // dominated by (0.7, 30)
      { ...pt(0.5, 10), threshold: 0.1 },
      { ...pt(0.55, 25), threshold: 0.5 }, // dominated by (0.6, 20)
      { ...pt(0.6, 20), threshold: 0.3 },
      { ...pt(0.45, 12), threshold: 0.2 }, // dominated by (0.5, 10)
      { ...pt(0.7, 35), threshold: 0.95 }, // same accuracy as (0.7, 30), slower
    ];
    const frontier = accuracyLatencyFrontier(points);
    expect(frontier.map((p) => [p.accuracy, p.latency])).toEqual([
      [0.5, 10],
      [0.6, 20],
      [0.7, 30],
    ]);
    expect(frontier.map((p) => p.threshold)).toEqual([0.1, 0.3, 0.9]); // extra fields come along
  });

  it("keeps the more accurate of equally fast points, and one of exact duplicates", () => {
    expect(accuracyLatencyFrontier([pt(0.5, 10), pt(0.6, 10), pt(0.6, 10)])).toEqual([pt(0.6, 10)]);
  });

  it("rejects non-finite values and non-positive latencies", () => {
    expect(() => accuracyLatencyFrontier([pt(Number.NaN, 1)])).toThrow(WorkbenchError);
    expect(() => accuracyLatencyFrontier([pt(0.5, 0)])).toThrow(/latency > 0/);
  });
});

describe("latencyAtAccuracy", () => {
  const points = [pt(0.5, 10), pt(0.55, 25), pt(0.6, 20), pt(0.7, 30)]; // frontier (0.5,10) (0.6,20) (0.7,30)

  it("interpolates linearly between neighbouring frontier points", () => {
    expect(latencyAtAccuracy(points, 0.5)).toBe(10);
    expect(latencyAtAccuracy(points, 0.55)).toBeCloseTo(15, 10); // not 25: (0.55, 25) is dominated
    expect(latencyAtAccuracy(points, 0.6)).toBeCloseTo(20, 10);
    expect(latencyAtAccuracy(points, 0.67)).toBeCloseTo(27, 10);
    expect(latencyAtAccuracy(points, 0.7)).toBe(30);
  });

  it("is null outside the frontier's accuracy range", () => {
    expect(latencyAtAccuracy(points, 0.49)).toBeNull();
    expect(latencyAtAccuracy(points, 0.71)).toBeNull();
    expect(latencyAtAccuracy([], 0.5)).toBeNull();
  });

  it("works with a single point", () => {
    expect(latencyAtAccuracy([pt(0.4, 7)], 0.4)).toBe(7);
    expect(latencyAtAccuracy([pt(0.4, 7)], 0.41)).toBeNull();
  });
});

describe("speedupAtMatchedAccuracy", () => {
  // RSD:       (0.50, 100) (0.60, 150) (0.70, 300), and a dominated (0.55, 200).
  // Arbitrage: (0.55, 60) (0.65, 90) (0.75, 200), and a dominated (0.60, 120).
  // Matched range: [max(0.50, 0.55), min(0.70, 0.75)] = [0.55, 0.70].
  //   a = 0.55: RSD 100 + 0.5·50 = 125,  Arbitrage 60              → 125/60 = 2.0833…
  //   a = 0.60: RSD 150,                 Arbitrage 60 + 0.5·30 = 75 → 2
  //   a = 0.65: RSD 150 + 0.5·150 = 225, Arbitrage 90              → 2.5
  //   a = 0.70: RSD 300,                 Arbitrage 90 + 0.5·110 = 145 → 300/145 = 2.0690…
  const rsd = [pt(0.6, 150), pt(0.5, 100), pt(0.55, 200), pt(0.7, 300)];
  const arbitrage = [pt(0.75, 200), pt(0.6, 120), pt(0.55, 60), pt(0.65, 90)];

  it("reports the speedup at the highest accuracy both reach", () => {
    const r = speedupAtMatchedAccuracy(rsd, arbitrage)!;
    expect(r.range.min).toBeCloseTo(0.55, 12);
    expect(r.range.max).toBeCloseTo(0.7, 12);
    expect(r.atMaxAccuracy.accuracy).toBe(0.7);
    expect(r.atMaxAccuracy.baselineLatency).toBe(300);
    expect(r.atMaxAccuracy.candidateLatency).toBeCloseTo(145, 10);
    expect(r.atMaxAccuracy.speedup).toBeCloseTo(300 / 145, 10);
  });

  it("reports the speedup on an even grid over the matched range", () => {
    const r = speedupAtMatchedAccuracy(rsd, arbitrage, { gridSize: 4 })!;
    expect(r.grid.map((g) => g.accuracy)).toEqual([0.55, expect.closeTo(0.6, 12), expect.closeTo(0.65, 12), 0.7]);
    const speedups = r.grid.map((g) => g.speedup);
    expect(speedups[0]).toBeCloseTo(125 / 60, 10);
    expect(speedups[1]).toBeCloseTo(2, 10);
    expect(speedups[2]).toBeCloseTo(2.5, 10);
    expect(speedups[3]).toBeCloseTo(300 / 145, 10);
    expect(speedupAtMatchedAccuracy(rsd, arbitrage)!.grid).toHaveLength(11); // the default
  });

  it("does not depend on the order of the points or on dominated points", () => {
    const a = speedupAtMatchedAccuracy(rsd, arbitrage)!;
    const b = speedupAtMatchedAccuracy(
      [...rsd].reverse().concat([pt(0.52, 400)]),
      [...arbitrage].reverse().concat([pt(0.7, 500)]),
    )!;
    expect(b).toEqual(a);
  });

  it("gives the reciprocal when the methods swap roles", () => {
    const a = speedupAtMatchedAccuracy(rsd, arbitrage)!;
    const b = speedupAtMatchedAccuracy(arbitrage, rsd)!;
    expect(b.atMaxAccuracy.speedup).toBeCloseTo(1 / a.atMaxAccuracy.speedup, 12);
  });

  it("does not extend a method's range below its cheapest configuration", () => {
    // RSD's cheapest point reaches 0.8; Arbitrage's whole curve is 0.4 … 0.6. RSD's (0.4, 500) is
    // dominated by (0.8, 100), so RSD covers only [0.8, 0.9]: the ranges don't overlap.
    const r = speedupAtMatchedAccuracy(
      [pt(0.4, 500), pt(0.8, 100), pt(0.9, 200)],
      [pt(0.4, 20), pt(0.6, 50)],
    );
    expect(r).toBeNull();
  });

  it("is null when the accuracy ranges don't overlap, or a method has no points", () => {
    expect(speedupAtMatchedAccuracy([pt(0.3, 10), pt(0.4, 20)], [pt(0.5, 5), pt(0.6, 8)])).toBeNull();
    expect(speedupAtMatchedAccuracy([], [pt(0.5, 5)])).toBeNull();
    expect(speedupAtMatchedAccuracy([pt(0.5, 5)], [])).toBeNull();
  });

  it("handles ranges that touch in a single accuracy", () => {
    const r = speedupAtMatchedAccuracy([pt(0.3, 10), pt(0.5, 40)], [pt(0.5, 10), pt(0.6, 20)])!;
    expect(r.range).toEqual({ min: 0.5, max: 0.5 });
    expect(r.grid).toEqual([{ accuracy: 0.5, baselineLatency: 40, candidateLatency: 10, speedup: 4 }]);
    expect(r.atMaxAccuracy.speedup).toBe(4);
  });

  it("rejects a grid size below 2", () => {
    expect(() => speedupAtMatchedAccuracy(rsd, arbitrage, { gridSize: 1 })).toThrow(WorkbenchError);
  });
});
