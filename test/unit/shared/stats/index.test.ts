import { describe, expect, it } from "vitest";
import * as stats from "../../../../shared/stats/index.ts";

describe("shared/stats index", () => {
  it("re-exports every statistic", () => {
    const names = [
      "createRng", "rngFromState", "hashSeed", "fnv1a32", "shuffle", "sample",
      "mean", "median", "quantile", "quantiles", "variance", "standardDeviation",
      "averageRanks", "pearson", "spearman", "bootstrapCI",
      "rocAuc", "rocCurve", "prAuc", "prCurve",
      "confusionMatrix", "perClassAccuracy", "balancedAccuracy", "labelBalance", "classifyAtThreshold",
      "reliabilityBins", "expectedCalibrationError",
      "accuracyLatencyFrontier", "latencyAtAccuracy", "matchedSpeedup", "evenGrid", "bootstrapMatchedSpeedup", "wilsonInterval",
    ];
    for (const name of names) expect(typeof (stats as Record<string, unknown>)[name], name).toBe("function");
  });
});
