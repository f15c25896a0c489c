import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import { normalQuantile, wilsonInterval } from "../../../../shared/stats/wilson.ts";

describe("wilsonInterval", () => {
  it("matches published values", () => {
    // 10 of 10 at 95 %: [0.7225, 1] (Wilson 1927; e.g. statsmodels proportion_confint method="wilson").
    expect(wilsonInterval(10, 10)![0]).toBeCloseTo(0.72247, 4);
    expect(wilsonInterval(10, 10)![1]).toBe(1);
    // 50 of 100: 0.5 ± 0.0962.
    expect(wilsonInterval(50, 100)![0]).toBeCloseTo(0.40383, 4);
    expect(wilsonInterval(50, 100)![1]).toBeCloseTo(0.59617, 4);
  });

  it("is not empty at 0 or n, stays in [0, 1] and narrows with n", () => {
    const [lo0, hi0] = wilsonInterval(0, 10)!;
    expect(lo0).toBe(0);
    expect(hi0).toBeGreaterThan(0.2);
    const w = (k: number, n: number) => wilsonInterval(k, n)![1] - wilsonInterval(k, n)![0];
    expect(w(20, 40)).toBeGreaterThan(w(100, 200));
  });

  it("is null for n = 0 and rejects impossible counts", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(WorkbenchError);
    expect(() => wilsonInterval(0.5, 2)).toThrow(WorkbenchError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(WorkbenchError);
  });
});

describe("normalQuantile", () => {
  it("gives the familiar z values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 6);
  });
});
