import { describe, expect, it } from "vitest";
import { averageRanks } from "../../../../shared/stats/rank.ts";

describe("averageRanks", () => {
  it("ranks from 1 at the smallest value", () => {
    expect(averageRanks([30, 10, 20])).toEqual([3, 1, 2]);
  });

  it("gives tied values the mean of the ranks they span", () => {
    // 20 and 20 occupy ranks 2 and 3 → 2.5 each.
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    // Three 7s occupy ranks 2, 3, 4 → 3 each; regardless of where they stand.
    expect(averageRanks([7, 9, 7, 1, 7])).toEqual([3, 5, 3, 1, 3]);
    // All equal: everyone gets (n + 1) / 2.
    expect(averageRanks([5, 5, 5, 5])).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  it("keeps the rank sum n(n + 1)/2 under ties", () => {
    const values = [0.3, 0.1, 0.3, 0.3, 0.9, 0.1, 0.5];
    const sum = averageRanks(values).reduce((a, b) => a + b, 0);
    expect(sum).toBe((7 * 8) / 2);
  });

  it("handles empty input and negative numbers", () => {
    expect(averageRanks([])).toEqual([]);
    expect(averageRanks([-1, -5, 0])).toEqual([2, 1, 3]);
  });

  it("rejects NaN (it has no place in an order)", () => {
    expect(() => averageRanks([1, Number.NaN])).toThrow(/finite/);
  });
});
