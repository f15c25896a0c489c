import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import { pearson } from "../../../../shared/stats/pearson.ts";

describe("pearson", () => {
  it("matches a value worked by hand", () => {
    // x = 1..5 (mean 3), y = 2, 4, 5, 4, 5 (mean 4).
    // dx = -2, -1, 0, 1, 2; dy = -2, 0, 1, 0, 1.
    // Σdx·dy = 4 + 0 + 0 + 0 + 2 = 6; Σdx² = 10; Σdy² = 6 → r = 6 / √60.
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12);
  });

  it("matches Anscombe's first data set (r = 0.81642)", () => {
    const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
    const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];
    expect(pearson(x, y)).toBeCloseTo(0.81642, 5);
  });

  it("is ±1 on exact lines and unchanged by affine maps", () => {
    const x = [0.2, 1.7, -3, 4.4, 8];
    expect(pearson(x, x.map((v) => 3 * v - 2))).toBeCloseTo(1, 12);
    expect(pearson(x, x.map((v) => -0.5 * v + 7))).toBeCloseTo(-1, 12);
    const y = [1, 3, 2, 5, 4];
    expect(pearson(x.map((v) => 100 * v + 1e6), y)).toBeCloseTo(pearson(x, y)!, 9);
  });

  it("is symmetric", () => {
    const x = [1, 5, 2, 8, 3];
    const y = [2, 1, 4, 4, 9];
    expect(pearson(x, y)).toBe(pearson(y, x));
  });

  it("is null where undefined: fewer than two pairs or a constant sample", () => {
    expect(pearson([], [])).toBeNull();
    expect(pearson([1], [2])).toBeNull();
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2, 3], [4, 4, 4])).toBeNull();
  });

  it("rejects mismatched lengths and non-finite values with a usage error", () => {
    try {
      pearson([1, 2, 3], [1, 2]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkbenchError);
      expect((err as WorkbenchError).kind).toBe("usage");
      expect((err as WorkbenchError).message).toMatch(/same length.*3 and 2/);
    }
    expect(() => pearson([1, Number.NaN], [1, 2])).toThrow(WorkbenchError);
  });
});
