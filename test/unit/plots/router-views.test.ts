/** The router plot's views on the fixture sweep's real records: density counts, the configuration picker's pairs, the calibration export. */
import { describe, expect, it } from "vitest";
import { RouterPairJoin } from "../../../shared/plots/router-pairs.ts";
import { densityCells, routerCalibration, routerScatter } from "../../../shared/plots/router-scatter.ts";
import { plotCsv } from "../../../shared/plots/table.ts";
import { tinyRecords } from "../../helpers/run-fixture.ts";

const records = tinyRecords();
const tag = { runId: "tiny", runLabel: "tiny", source: "run-steps" as const, router: "router" };

describe("router views", () => {
  const join = new RouterPairJoin();
  for (const r of records) join.add(r);
  const pairs = join.pairs();

  it("counts every pair once in the density grid, by label, whatever is thinned for drawing", () => {
    const cells = densityCells(pairs, 5, 4);
    expect(cells.reduce((a, c) => a + c.count, 0)).toBe(pairs.length);
    expect(cells.filter((c) => c.label === 1).reduce((a, c) => a + c.count, 0)).toBe(pairs.filter((p) => p.delta > 0).length);
    for (const c of cells) {
      const inCell = pairs.filter(
        (p) => (p.delta > 0 ? 1 : 0) === c.label && Math.abs(p.score - c.score) <= c.width / 2 + 1e-12 && Math.abs(p.delta - c.delta) <= c.height / 2 + 1e-12,
      );
      expect(inCell.length).toBeGreaterThanOrEqual(c.count);
    }
    const data = routerScatter(pairs, tag, { maxPoints: 3 });
    expect(data.pointsShown).toBe(3);
    expect(data.density!.reduce((a, c) => a + c.count, 0)).toBe(pairs.length);
    expect(data.deltaRange).toEqual([Math.min(...pairs.map((p) => p.delta)), Math.max(...pairs.map((p) => p.delta))]);
  });

  it("names the configurations the pairs come from, and narrows to one Arbitrage configuration's own steps", () => {
    const sources = join.sources();
    expect(sources.scores.sort()).toEqual(["arbitrage@0", "arbitrage@0.4", "arbitrage@0.5", "arbitrage@1"]);
    expect(sources.deltas.sort()).toEqual(["oracle@-1", "oracle@0", "oracle@0.5"]);
    const union = new Set<string>();
    for (const id of sources.scores) {
      const own = join.pairs(id);
      expect(own.length).toBeLessThanOrEqual(pairs.length);
      for (const p of own) union.add(`${p.problemId}:${p.stepIndex}:${p.score}`);
    }
    // Every pair is met by some configuration's own steps, and by nothing else.
    expect(union).toEqual(new Set(pairs.map((p) => `${p.problemId}:${p.stepIndex}:${p.score}`)));
    expect(join.pairs("no-such-config")).toEqual([]);
  });

  it("exports the calibration plot as its bins, with counts, not as the scatter's points", () => {
    const data = routerScatter(pairs, tag);
    const cal = routerCalibration(data);
    expect(cal.binning).toBe("equal-count");
    expect(cal.bins.reduce((a, b) => a + b.count, 0)).toBe(pairs.length);
    const csv = plotCsv(cal).trimEnd().split("\r\n");
    expect(csv[0]).toBe("bin,binning,score_lower,score_upper,steps,mean_router_score,observed_share_delta_gt_0");
    expect(csv).toHaveLength(1 + cal.bins.length);
    expect(plotCsv(cal)).not.toBe(plotCsv(data));
    // A run stored before adaptive bins existed exports its equal-width bins.
    const { adaptiveCalibration: _drop, ...old } = data;
    expect(routerCalibration(old).binning).toBe("equal-width");
    expect(routerCalibration(old).bins).toEqual(data.calibration);
  });
});
