import { describe, expect, it } from "vitest";
import { accuracyTicks } from "../../../renderer/plots/ticks.ts";

describe("accuracyTicks", () => {
  const even = (t: number[]) => t.slice(1).map((v, i) => Number((v - t[i]!).toFixed(6)));

  it("spaces the accuracy axis evenly up to 100 % (not 30, 50, 70, 90, 100)", () => {
    const { domain, ticks } = accuracyTicks([0.35, 0.425, 0.9, 0.975, 0.983]);
    expect(new Set(even(ticks)).size).toBe(1);
    expect(ticks.at(-1)).toBe(1);
    expect(domain).toEqual([ticks[0], 1]);
    expect(ticks[0]).toBeLessThanOrEqual(0.35 - 0.03 + 1e-9);
  });

  it("uses a finer step for a narrow range and never leaves [0, 1]", () => {
    const narrow = accuracyTicks([0.9, 0.95]);
    expect(even(narrow.ticks).every((d) => d === 0.05)).toBe(true);
    expect(narrow.ticks[0]).toBeGreaterThanOrEqual(0);
    expect(narrow.ticks.at(-1)).toBeLessThanOrEqual(1);
    expect(narrow.ticks.at(-1)).toBeGreaterThanOrEqual(0.95);
    const low = accuracyTicks([0, 0.02]);
    expect(low.ticks[0]).toBe(0);
    expect(accuracyTicks([]).ticks.length).toBeGreaterThan(1);
  });
});
