import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../../shared/errors.ts";
import { spearman } from "../../../../shared/stats/spearman.ts";

describe("spearman", () => {
  it("matches 1 − 6Σd²/(n(n² − 1)) when there are no ties", () => {
    // ranks x = 1 2 3 4 5, ranks y = 2 1 4 3 5: d = −1 1 −1 1 0, Σd² = 4 → 1 − 24/120 = 0.8.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
  });

  it("corrects for ties in one sample (worked by hand; scipy's spearmanr example)", () => {
    // y = 5 6 7 8 7: the two 7s share ranks 3 and 4 → ranks y = 1 2 3.5 5 3.5.
    // Both rank vectors have mean 3: dx = −2 −1 0 1 2, dy = −2 −1 0.5 2 0.5.
    // Σdx·dy = 4 + 1 + 0 + 2 + 1 = 8; Σdx² = 10; Σdy² = 4 + 1 + 0.25 + 4 + 0.25 = 9.5.
    // ρ = 8 / √95 = 0.8207826816681233.
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
  });

  it("is not the uncorrected shortcut under ties", () => {
    // x = 1 2 2 3 → ranks 1 2.5 2.5 4; y = 1 3 2 4 → ranks 1 3 2 4 (means 2.5).
    // dx = −1.5 0 0 1.5, dy = −1.5 0.5 −0.5 1.5: Σdx·dy = 4.5, Σdx² = 4.5, Σdy² = 5.
    // ρ = 4.5 / √22.5 = 0.9486832980505138, while the shortcut would give
    // 1 − 6·(0 + 0.25 + 0.25 + 0)/(4·15) = 0.95.
    const rho = spearman([1, 2, 2, 3], [1, 3, 2, 4]);
    expect(rho).toBeCloseTo(0.9486832980505138, 12);
    expect(rho).not.toBeCloseTo(0.95, 4);
  });

  it("handles ties in both samples", () => {
    // ranks x = 1.5 1.5 3.5 3.5, ranks y = 1.5 3.5 1.5 3.5: dx = −1 −1 1 1, dy = −1 1 −1 1 → Σdx·dy = 0.
    expect(spearman([1, 1, 2, 2], [1, 2, 1, 2])).toBeCloseTo(0, 12);
  });

  it("is 1 (or −1) for any strictly monotone relation, linear or not", () => {
    const x = [0.1, 0.5, 0.2, 3, 1.5, 0.9];
    expect(spearman(x, x.map((v) => Math.exp(5 * v)))).toBeCloseTo(1, 12);
    expect(spearman(x, x.map((v) => -(v ** 3)))).toBeCloseTo(-1, 12);
  });

  it("is null where undefined: fewer than two pairs, or a constant sample", () => {
    expect(spearman([], [])).toBeNull();
    expect(spearman([0.3], [0.1])).toBeNull();
    expect(spearman([0.5, 0.5, 0.5], [0.1, 0.2, 0.3])).toBeNull();
  });

  it("rejects mismatched lengths", () => {
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(WorkbenchError);
  });
});
