import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import {
  accuracyLatencyFrontier,
  latencyAtAccuracy,
  evenGrid,
  matchedSpeedup,
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

  it("needs the cheapest point's latency below its accuracy (it reaches at least that), and is null above the top", () => {
    expect(latencyAtAccuracy(points, 0.49)).toBe(10);
    expect(latencyAtAccuracy(points, 0)).toBe(10);
    expect(latencyAtAccuracy(points, 0.71)).toBeNull();
    expect(latencyAtAccuracy([], 0.5)).toBeNull();
  });

  it("works with a single point", () => {
    expect(latencyAtAccuracy([pt(0.4, 7)], 0.4)).toBe(7);
    expect(latencyAtAccuracy([pt(0.4, 7)], 0.41)).toBeNull();
  });

  it("rejects a non-finite accuracy", () => {
    expect(() => latencyAtAccuracy(points, Number.NaN)).toThrow(WorkbenchError);
  });
});

describe("evenGrid", () => {
  it("spans both ends inclusive, or is one point when they meet", () => {
    expect(evenGrid(0.5, 0.7, 3)).toEqual([0.5, expect.closeTo(0.6, 12), 0.7]);
    expect(evenGrid(0.5, 0.5, 5)).toEqual([0.5]);
  });
});

describe("matchedSpeedup without baselines", () => {
  // RSD:       (0.50, 100) (0.60, 150) (0.70, 300), and a dominated (0.55, 200).
  // Arbitrage: (0.55, 60) (0.65, 90) (0.75, 200), and a dominated (0.60, 120).
  // Stated accuracy: min(0.70, 0.75) = 0.70; curve from max(0.50, 0.55) = 0.55.
  //   a = 0.55: RSD 100 + 0.5·50 = 125,  Arbitrage 60              → 125/60 = 2.0833…
  //   a = 0.60: RSD 150,                 Arbitrage 60 + 0.5·30 = 75 → 2
  //   a = 0.65: RSD 150 + 0.5·150 = 225, Arbitrage 90              → 2.5
  //   a = 0.70: RSD 300,                 Arbitrage 90 + 0.5·110 = 145 → 300/145 = 2.0690…
  const rsd = [pt(0.6, 150), pt(0.5, 100), pt(0.55, 200), pt(0.7, 300)];
  const arbitrage = [pt(0.75, 200), pt(0.6, 120), pt(0.55, 60), pt(0.65, 90)];

  it("states the speedup at the highest accuracy both reach", () => {
    const r = matchedSpeedup({ baseline: rsd, candidate: arbitrage })!;
    expect(r.range.min).toBeCloseTo(0.55, 12);
    expect(r.range.max).toBeCloseTo(0.7, 12);
    expect(r.stated.accuracy).toBe(0.7);
    expect(r.stated.baselineLatency).toBe(300);
    expect(r.stated.candidateLatency).toBeCloseTo(145, 10);
    expect(r.stated.speedup).toBeCloseTo(300 / 145, 10);
  });

  it("gives the curve on an even grid over the range", () => {
    const r = matchedSpeedup({ baseline: rsd, candidate: arbitrage }, { gridSize: 4 })!;
    expect(r.curve.map((g) => g.accuracy)).toEqual([0.55, expect.closeTo(0.6, 12), expect.closeTo(0.65, 12), 0.7]);
    const speedups = r.curve.map((g) => g.speedup);
    expect(speedups[0]).toBeCloseTo(125 / 60, 10);
    expect(speedups[1]).toBeCloseTo(2, 10);
    expect(speedups[2]).toBeCloseTo(2.5, 10);
    expect(speedups[3]).toBeCloseTo(300 / 145, 10);
    expect(matchedSpeedup({ baseline: rsd, candidate: arbitrage })!.curve).toHaveLength(21); // the default
  });

  it("does not depend on the order of the points or on dominated points", () => {
    const a = matchedSpeedup({ baseline: rsd, candidate: arbitrage })!;
    const b = matchedSpeedup({ baseline: [...rsd].reverse().concat([pt(0.52, 400)]), candidate: [...arbitrage].reverse().concat([pt(0.7, 500)]) })!;
    expect(b).toEqual(a);
  });

  it("gives the reciprocal when the methods swap roles", () => {
    const a = matchedSpeedup({ baseline: rsd, candidate: arbitrage })!;
    const b = matchedSpeedup({ baseline: arbitrage, candidate: rsd })!;
    expect(b.stated.speedup).toBeCloseTo(1 / a.stated.speedup, 12);
  });

  it("matches below a method's cheapest point at that point's latency", () => {
    // RSD's cheapest point already reaches 0.8 at 100; Arbitrage tops out at 0.6 (50): RSD needs
    // 100 for "at least 0.6", so Arbitrage is 2x faster there.
    const r = matchedSpeedup({ baseline: [pt(0.4, 500), pt(0.8, 100), pt(0.9, 200)], candidate: [pt(0.4, 20), pt(0.6, 50)] })!;
    expect(r.stated).toEqual({ accuracy: 0.6, baselineLatency: 100, candidateLatency: 50, speedup: 2 });
  });

  it("is null when a method has no points of its own", () => {
    expect(matchedSpeedup({ baseline: [], candidate: [pt(0.5, 5)] })).toBeNull();
    expect(matchedSpeedup({ baseline: [pt(0.5, 5)], candidate: [], draft: pt(0.3, 1), target: pt(0.9, 10) })).toBeNull();
  });

  it("rejects a grid size below 2 and bad points", () => {
    expect(() => matchedSpeedup({ baseline: rsd, candidate: arbitrage }, { gridSize: 1 })).toThrow(WorkbenchError);
    expect(() => matchedSpeedup({ baseline: rsd, candidate: [pt(0.5, -1)] })).toThrow(/latency > 0/);
    expect(() => matchedSpeedup({ baseline: rsd, candidate: arbitrage, target: pt(Number.NaN, 3) })).toThrow(WorkbenchError);
  });
});

describe("matchedSpeedup with the draft and target baselines", () => {
  const draft = pt(0.4, 10);
  const target = pt(0.9, 100);

  it("puts both baselines on both frontiers: a method may always fall back to the target", () => {
    // Arbitrage alone tops out at 0.7 (30 ms); RSD reaches 0.9 at 60. With the target on Arbitrage's
    // frontier, Arbitrage reaches 0.9 too: (0.7, 30) → (0.9, 100), so the stated accuracy is 0.9 and
    // Arbitrage needs 100 ms there: 60 / 100 = 0.6.
    const r = matchedSpeedup({ baseline: [pt(0.6, 20), pt(0.9, 60)], candidate: [pt(0.7, 30)], draft, target })!;
    expect(r.stated).toEqual({ accuracy: 0.9, baselineLatency: 60, candidateLatency: 100, speedup: 0.6 });
    // At 0.8, halfway from (0.7, 30) to (0.9, 100): 65 ms; RSD from (0.6, 20) to (0.9, 60): 20 + 40·(2/3).
    expect(r.curve.find((p) => Math.abs(p.accuracy - 0.8) < 1e-9)!.candidateLatency).toBeCloseTo(65, 9);
  });

  it("caps the stated accuracy at the target-only accuracy", () => {
    // Both methods beat the target (0.95 > 0.9), yet the headline is read at 0.9.
    const r = matchedSpeedup({ baseline: [pt(0.95, 50)], candidate: [pt(0.95, 25)], draft, target })!;
    expect(r.stated.accuracy).toBe(0.9);
    expect(r.range.max).toBe(0.9);
    // Both frontiers: draft (0.4, 10) then (0.95, x); at 0.9: 10 + (0.5/0.55)(x − 10).
    const at = (x: number) => 10 + (0.5 / 0.55) * (x - 10);
    expect(r.stated.speedup).toBeCloseTo(at(50) / at(25), 12);
  });

  it("starts the curve at the draft's accuracy, where both methods run the draft (speedup 1)", () => {
    const r = matchedSpeedup({ baseline: [pt(0.6, 30), pt(0.8, 60)], candidate: [pt(0.6, 15), pt(0.8, 30)], draft, target: pt(0.8, 100) }, { gridSize: 5 })!;
    expect(r.range).toEqual({ min: 0.4, max: 0.8 });
    expect(r.curve[0]).toEqual({ accuracy: 0.4, baselineLatency: 10, candidateLatency: 10, speedup: 1 });
    expect(r.curve.map((p) => p.accuracy)).toEqual([0.4, expect.closeTo(0.5, 12), expect.closeTo(0.6, 12), expect.closeTo(0.7, 12), 0.8]);
    expect(r.curve[4]!.speedup).toBeCloseTo(2, 12);
  });

  it("reads a draft more accurate than the target's cap as a one-point curve", () => {
    const r = matchedSpeedup({ baseline: [pt(0.6, 30)], candidate: [pt(0.6, 20)], draft: pt(0.5, 10), target: pt(0.45, 90) })!;
    expect(r.range).toEqual({ min: 0.45, max: 0.45 });
    expect(r.curve).toHaveLength(1);
    expect(r.stated.speedup).toBe(1); // both need only the draft for at least 0.45
  });
});
