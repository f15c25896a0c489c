import { describe, expect, it } from "vitest";
import { describeCurve, describeHeadline, formatInterval, formatMs, formatSpeedup, summaryHeadlines } from "../../../../shared/metrics/headline-text.ts";

describe("the headline in words", () => {
  it("says how much faster, with RSD's latency second, the interval and the problem count", () => {
    expect(describeHeadline({ candidate: "Arbitrage", accuracy: 0.975, speedup: 634 / 302, ci95: [1.6, 2.5], problems: 200, rsdMs: 634, candidateMs: 302 })).toBe(
      "Arbitrage reaches 97.5 % in 302 ms per problem vs RSD's 634 ms: 2.10× faster [1.6–2.5], 200 problems",
    );
  });

  it("never calls a ratio below 1 faster: it gives the reciprocal as slower", () => {
    const s = describeHeadline({ candidate: "Arbitrage", accuracy: 0.975, speedup: 302 / 634, ci95: [0.4, 0.97], problems: 40, rsdMs: 302, candidateMs: 634 });
    expect(s).toBe("Arbitrage reaches 97.5 % in 634 ms per problem vs RSD's 302 ms: 0.48× (2.1× slower) [0.40–0.97], 40 problems");
    expect(s).not.toMatch(/faster/);
    expect(formatSpeedup(0.5)).toBe("0.50× (2.0× slower)");
    // Near 1 a second decimal, so that 0.96× does not read "1.0× slower".
    expect(formatSpeedup(0.96)).toBe("0.96× (1.04× slower)");
    expect(formatSpeedup(0.6)).toBe("0.60× (1.67× slower)");
  });

  it("calls a ratio that prints as 1.00 as fast, either side of 1", () => {
    expect(formatSpeedup(0.998)).toBe("1.00× (as fast)");
    expect(formatSpeedup(1.004, [0.98, 1.01])).toBe("1.00× (as fast) [0.98–1.01]");
  });

  it("prints an interval with the decimals that keep its ends apart", () => {
    expect(formatInterval([1.6, 2.5])).toBe("[1.6–2.5]");
    expect(formatInterval([0.98, 1.01])).toBe("[0.98–1.01]");
    expect(formatInterval([0.998, 1.003])).toBe("[0.998–1.003]");
  });

  it("says so when there is no interval or no problem count", () => {
    expect(describeHeadline({ candidate: "The oracle", accuracy: 0.9, speedup: 1.5, ci95: null, problems: null, rsdMs: 15, candidateMs: 10 })).toBe(
      "The oracle reaches 90.0 % in 10.0 ms per problem vs RSD's 15.0 ms: 1.50× faster, no interval",
    );
    expect(describeHeadline({ candidate: "Arbitrage", accuracy: 1, speedup: 1.5, ci95: [1.2, 1.9], problems: 1, rsdMs: 1500, candidateMs: 1000 })).toMatch(/in 1.00 s per problem vs RSD's 1.50 s: .*, 1 problem$/);
  });

  it("says when both methods reach the stated accuracy only by running the target alone", () => {
    const v = { candidate: "Arbitrage", accuracy: 0.825, speedup: 1, ci95: [1, 1] as [number, number], problems: 200, rsdMs: 272.4, candidateMs: 272.4 };
    expect(describeHeadline({ ...v, targetOnly: true })).toBe(
      "Arbitrage reaches 82.5 % in 272 ms per problem vs RSD's 272 ms: 1.00× (as fast) [1.000–1.000], 200 problems; at that accuracy both run the target alone",
    );
    expect(describeHeadline({ ...v, targetOnly: false })).not.toMatch(/target alone/);
    expect(describeHeadline(v)).not.toMatch(/target alone/);
  });

  it("formats latencies like the app", () => {
    expect(formatMs(302.4)).toBe("302 ms");
    expect(formatMs(12.34)).toBe("12.3 ms");
    expect(formatMs(4.567)).toBe("4.57 ms");
  });
});

describe("the curve in words", () => {
  const base = { accuracy: 0.8, accuracyCi95: null, speedup: 1, ci95: [1, 1] as [number, number], problems: 200, resamples: 2000, rsdMs: 100, excluded: [] };
  const curve = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ accuracy: 0.3 + (0.5 * i) / (n - 1), speedup: 1 + i / 100, ci95: [0.9 + i / 100, 1.1 + i / 100] as [number, number] }));

  it("names four evenly spaced inner points of a 21-point curve, never its ends", () => {
    const s = describeCurve({ ...base, curve: curve(21) }, "Arbitrage")!;
    // Inner points 4, 8, 12, 16 of 0…20: accuracies 40, 50, 60, 70 %.
    expect(s).toBe(
      "Arbitrage over RSD along the curve: 1.04× faster [0.94–1.14] at 40.0 %, 1.08× faster [0.98–1.18] at 50.0 %, 1.12× faster [1.02–1.22] at 60.0 %, 1.16× faster [1.06–1.26] at 70.0 %",
    );
  });

  it("uses the inner points a short curve has, and is null without any", () => {
    expect(describeCurve({ ...base, curve: curve(3) }, "The oracle")).toBe("The oracle over RSD along the curve: 1.01× faster [0.91–1.11] at 55.0 %");
    expect(describeCurve({ ...base, curve: curve(2) }, "Arbitrage")).toBeNull();
    expect(describeCurve({ ...base, curve: curve(1) }, "Arbitrage")).toBeNull();
  });
});

describe("summaryHeadlines", () => {
  const base = { speedupAtMatchedAccuracy: null, speedupDetail: null, problems: 40 };
  const m = { accuracy: 0.9, accuracyCi95: [0.85, 0.95] as [number, number], speedup: 2, ci95: [1.5, 2.5] as [number, number], problems: 40, resamples: 2000, rsdMs: 200, excluded: [], curve: [] };

  it("gives Arbitrage's sentence, then the oracle's", () => {
    const lines = summaryHeadlines({ ...base, matchedAccuracy: { ...m, arbitrageMs: 100 }, oracleMatchedAccuracy: { ...m, speedup: 4, ci95: [3, 5], oracleMs: 50 } });
    expect(lines).toEqual([
      "Arbitrage reaches 90.0 % in 100 ms per problem vs RSD's 200 ms: 2.00× faster [1.5–2.5], 40 problems",
      "The oracle reaches 90.0 % in 50.0 ms per problem vs RSD's 200 ms: 4.00× faster [3.0–5.0], 40 problems",
    ]);
  });

  it("reads a summary written before the intervals (fields absent) as its point estimate without an interval", () => {
    const old = { ...base, speedupAtMatchedAccuracy: 0.5, speedupDetail: { accuracy: 0.975, rsdLatencyMs: 302, arbitrageLatencyMs: 604 } };
    expect(summaryHeadlines(old)).toEqual(["Arbitrage reaches 97.5 % in 604 ms per problem vs RSD's 302 ms: 0.50× (2.0× slower), no interval, 40 problems"]);
    expect(summaryHeadlines({ ...base, matchedAccuracy: null, oracleMatchedAccuracy: null })[0]).toMatch(/^No speedup at matched accuracy/);
  });
});
