import { describe, expect, it } from "vitest";
import { summarizeConfig } from "../../../shared/metrics/summarize.ts";
import {
  acceptanceAccuracy,
  overlapGroups,
  accuracyLatency,
  compareRuns,
  latencyBreakdown,
  plotCsv,
  plotTable,
  routerPairsFromRecords,
  routerPairsFromScores,
  routerNames,
  routerScatter,
  stepTrace,
  type RunSummaries,
} from "../../../shared/plots/index.ts";
import type { ConfigSummary, ProblemRecord, StepRecord } from "../../../shared/results.ts";
import { routerReport } from "../../../shared/router-metrics/index.ts";
import { tinyRecords, tinySummary } from "../../helpers/run-fixture.ts";

const summary = tinySummary();
const records = tinyRecords();
const run: RunSummaries = { runId: "tiny", runLabel: "tiny", configs: summary.runs };
const byId = (id: string) => summary.runs.find((c) => c.id === id) as ConfigSummary;

describe("acceptance–accuracy", () => {
  const data = acceptanceAccuracy(run);

  it("draws one series per threshold method, sorted by threshold, with the summary's numbers", () => {
    expect(data.series.map((s) => s.method)).toEqual(["rsd", "arbitrage", "oracle"]);
    const rsd = data.series[0]!;
    expect(rsd.points.map((p) => p.threshold)).toEqual([0, 0.3, 0.5, 1]);
    expect(rsd.points.map((p) => p.acceptanceRate)).toEqual([1, byId("rsd@0.3").acceptanceRate, 0, 0]);
    expect(data.series[2]!.points.map((p) => p.configId)).toEqual(["oracle@-1", "oracle@0", "oracle@0.5"]);
  });

  it("agrees with shared/metrics recomputed from the journal's records", () => {
    for (const s of data.series) {
      for (const p of s.points) {
        const rs = records.filter((r) => r.config.id === p.configId);
        const again = summarizeConfig(rs[0]!.config, rs);
        expect(p.acceptanceRate).toBeCloseTo(again.acceptanceRate!, 12);
        expect(p.accuracy).toBeCloseTo(again.accuracy, 12);
      }
    }
  });

  it("places draft-only at acceptance 1 and target-only (undefined rate) at 0", () => {
    const draft = data.references.find((r) => r.method === "draft")!;
    const target = data.references.find((r) => r.method === "target")!;
    expect(draft.acceptanceRate).toBe(1);
    expect(target.acceptanceRateDefined).toBeNull();
    expect(target.acceptanceRate).toBe(0);
    expect(target.accuracy).toBe(byId("target").accuracy);
  });

  it("omits configurations without draft tokens and says why", () => {
    const empty: ConfigSummary = { ...byId("rsd@0.5"), id: "rsd@0.9", threshold: 0.9, acceptanceRate: null };
    const d = acceptanceAccuracy({ ...run, configs: [...summary.runs, empty] });
    expect(d.omitted).toEqual([{ configId: "rsd@0.9", reason: "no draft token was generated" }]);
    expect(d.series[0]!.points).toHaveLength(4);
  });

  it("uses the strict grader's accuracy on request", () => {
    const strictRun = { ...run, configs: summary.runs.map((c) => ({ ...c, accuracyStrict: c.accuracy / 2 })) };
    const d = acceptanceAccuracy(strictRun, { grader: "strict" });
    expect(d.series[0]!.points[0]!.accuracy).toBeCloseTo(byId("rsd@0").accuracy / 2, 12);
  });
});

describe("accuracy vs latency", () => {
  it("reports the same speedup at matched accuracy as summary.json, with its intervals", () => {
    const data = accuracyLatency({ ...run, headline: summary });
    const m = data.matched.find((x) => x.candidate === "arbitrage")!;
    const s = summary.matchedAccuracy!;
    expect(m.speedup).toBe(summary.speedupAtMatchedAccuracy);
    expect(m.accuracy).toBe(s.accuracy);
    expect(m.rsdLatencyMs).toBe(s.rsdMs);
    expect(m.candidateLatencyMs).toBe(s.arbitrageMs);
    expect(m.ci95).toEqual(s.ci95);
    expect(m.problems).toBe(7);
    expect(m.intervalNote).toBeNull();
    expect(m.curve).toEqual(s.curve);
    expect(m.curve.at(-1)!.speedup).toBeCloseTo(m.speedup, 12);
    expect(m.text).toMatch(/^Arbitrage reaches 42\.9 % in .* ms per problem vs RSD's .* ms: .*×.*\[.*\], 7 problems$/);
    const o = data.matched.find((x) => x.candidate === "oracle")!;
    expect(o.speedup).toBe(summary.oracleMatchedAccuracy!.speedup);
  });

  it("draws the point estimate without an interval, and says why, where summary.json has none or for the strict grader", () => {
    const bare = accuracyLatency(run).matched[0]!;
    expect(bare.speedup).toBe(summary.speedupAtMatchedAccuracy);
    expect(bare.ci95).toBeNull();
    expect(bare.intervalNote).toMatch(/summary\.json has no intervals/);
    expect(bare.text).toMatch(/no interval$/);
    const strict = accuracyLatency({ ...run, headline: summary }, { grader: "strict" }).matched[0]!;
    expect(strict.ci95).toBeNull();
    expect(strict.intervalNote).toMatch(/toolkit grader/);
  });

  it("gives every point its Wilson interval and marks escalate-everything configurations off the frontier", () => {
    const data = accuracyLatency(run);
    const rsd = data.series.find((s) => s.method === "rsd")!;
    for (const p of rsd.points) {
      expect(p.accuracyCi95![0]).toBeLessThanOrEqual(p.accuracy);
      expect(p.accuracyCi95![1]).toBeGreaterThanOrEqual(p.accuracy);
      expect(p.problems).toBe(7);
    }
    const all = rsd.points.filter((p) => p.escalatesEveryStep).map((p) => p.configId);
    expect(all).toEqual(expect.arrayContaining(["rsd@0.5", "rsd@1"]));
    expect(rsd.frontier.some((p) => p.escalatesEveryStep)).toBe(false);
  });

  it("sorts points by latency; the frontier is the cheapest point per accuracy, baselines included", () => {
    const data = accuracyLatency(run);
    const rsd = data.series.find((s) => s.method === "rsd")!;
    const lat = rsd.points.map((p) => p.latencyMs);
    expect(lat).toEqual([...lat].sort((a, b) => a - b));
    // Every tiny configuration has the same accuracy: the frontier is the single cheapest one of
    // RSD's and the two baselines — the fixture's target alone (5.0 ms) is cheaper than any of them.
    expect(rsd.frontier).toHaveLength(1);
    const cheapest = Math.min(...rsd.points.filter((p) => !p.escalatesEveryStep).map((p) => p.latencyMs), ...data.references.map((r) => r.latencyMs));
    expect(rsd.frontier[0]!.latencyMs).toBe(cheapest);
  });

  it("draws the matched segment and the curve on a planted example, and explains a run without Arbitrage", () => {
    const mk = (id: string, method: "rsd" | "arbitrage" | "draft" | "target", threshold: number | null, accuracy: number, mean: number): ConfigSummary => ({
      ...byId("rsd@0"),
      id,
      method,
      threshold,
      accuracy,
      targetStepShare: 0.5,
      latencyMs: { ...byId("rsd@0").latencyMs, mean },
    });
    const planted: RunSummaries = {
      runId: "p",
      runLabel: "planted",
      configs: [mk("draft", "draft", null, 0.5, 5), mk("target", "target", null, 0.9, 100), mk("rsd@0", "rsd", 0, 0.6, 10), mk("rsd@1", "rsd", 1, 0.8, 40), mk("arbitrage@0", "arbitrage", 0, 0.6, 10), mk("arbitrage@1", "arbitrage", 1, 0.8, 20)],
    };
    const data = accuracyLatency(planted);
    // Both reach 0.9 only through the target: RSD (0.8, 40) → (0.9, 100), Arbitrage (0.8, 20) → (0.9, 100).
    expect(data.matched[0]).toMatchObject({ candidate: "arbitrage", accuracy: 0.9, rsdLatencyMs: 100, candidateLatencyMs: 100, speedup: 1, range: { min: 0.5, max: 0.9 } });
    const at80 = data.matched[0]!.curve.find((p) => Math.abs(p.accuracy - 0.8) < 1e-9)!;
    expect(at80.speedup).toBeCloseTo(2, 12);
    const noArb: RunSummaries = { ...planted, configs: planted.configs.filter((c) => c.method !== "arbitrage") };
    const d2 = accuracyLatency(noArb);
    expect(d2.matched).toEqual([]);
    expect(d2.unmatched[0]!.reason).toMatch(/lacks RSD or Arbitrage/);
  });
});

describe("latency breakdown", () => {
  it("stacks the five components to the mean latency of every configuration", () => {
    const data = latencyBreakdown(run);
    expect(data.bars.map((b) => b.configId)).toEqual(summary.runs.map((c) => c.id));
    for (const b of data.bars) {
      expect(b.draft + b.router + b.prm + b.target + b.overhead).toBeCloseTo(b.total, 9);
    }
    const arb = data.bars.find((b) => b.configId === "arbitrage@0")!;
    expect(arb.router).toBeGreaterThan(0);
    expect(arb.prm).toBe(0);
    expect(data.bars.find((b) => b.configId === "rsd@0")!.router).toBe(0);
  });
});

describe("router pairs and scatter", () => {
  const pairs = routerPairsFromRecords(records);

  it("joins Arbitrage's router score with the oracle's Δ on the same context and draft step", () => {
    // Six problems finish (one is too long for the fixture models); each yields pairs.
    expect(new Set(pairs.map((p) => p.problemId)).size).toBe(6);
    const first = pairs.find((p) => p.problemId === "tiny-00" && p.stepIndex === 0)!;
    const arb = records.find((r) => r.config.id === "arbitrage@0" && r.problemId === "tiny-00")!;
    const ora = records.find((r) => r.config.id === "oracle@-1" && r.problemId === "tiny-00")!;
    expect(first.score).toBe(arb.steps[0]!.router);
    expect(first.delta).toBe(ora.steps[0]!.delta);
    // Each (context, draft step) once, however many configurations visited it.
    const keys = pairs.map((p) => `${p.problemId}/${p.stepIndex}/${p.score}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("does not join steps whose contexts differ (a different writer of an earlier step)", () => {
    const step = (over: Partial<StepRecord>): StepRecord => ({
      index: 0, source: "draft", text: "a", draftText: "a", targetText: null, decision: "accept",
      tokens: { draftAccepted: 1, draftDiscarded: 0, target: 0 }, prmDraft: null, prmTarget: null, router: null, delta: null,
      ms: { draft: 1, target: 0, prm: 0, router: 0, overhead: 0 }, stop: "stop", ...over,
    });
    const rec = (method: "arbitrage" | "oracle", steps: StepRecord[]): ProblemRecord => ({
      config: { id: method, method, threshold: 0 }, problemId: "p", level: null, subject: null, steps, completion: "", extracted: "",
      correct: false, correctStrict: false, stopReason: "eos", tokens: { draftAccepted: 0, draftDiscarded: 0, target: 0 },
      latencyMs: { draft: 0, target: 0, prm: 0, router: 0, overhead: 0, total: 0 }, harnessMs: 0,
    });
    const arbitrage = rec("arbitrage", [step({ router: 0.2 }), step({ index: 1, text: "b", draftText: "b", router: 0.7 })]);
    // Same texts, but the oracle's first step was written by the target: a different context.
    const oracle = rec("oracle", [
      step({ source: "target", targetText: "a", delta: 0.1 }),
      step({ index: 1, text: "b", draftText: "b", delta: -0.3 }),
    ]);
    const joined = routerPairsFromRecords([arbitrage, oracle]);
    expect(joined).toEqual([{ score: 0.2, delta: 0.1, level: null, subject: null, stepIndex: 0, problemId: "p" }]);
  });

  it("takes ρ, its interval and the calibration bins from routerReport, thinning only the drawn points", () => {
    const tag = { runId: "tiny", runLabel: "tiny", source: "run-steps" as const, router: "router" };
    const data = routerScatter(pairs, tag, { maxPoints: 5 });
    const report = routerReport(pairs, { threshold: 0.5, seed: 0, resamples: 1000, bins: 10 });
    expect(data.n).toBe(pairs.length);
    expect(data.spearman).toBe(report.spearman);
    expect(data.spearmanCI).toEqual(report.spearmanCI);
    expect(data.calibration).toEqual(report.reliability);
    expect(data.pointsShown).toBe(5);
    expect(data.points[0]!.score).toBe(pairs[0]!.score);
    expect(data.points[4]!.score).toBe(pairs.at(-1)!.score);
    expect(data.spearman).not.toBeNull();
    expect(data.calibration!.reduce((a, b) => a + b.count, 0)).toBe(pairs.length);
  });

  it("reads router-eval's per-row scores", () => {
    const lines = [
      { problem_id: "a", step_index: 0, delta: 0.2, scores: { r1: 0.9, r2: 0.1 } },
      { problem_id: "a", step_index: 1, delta: -0.1, scores: { r1: 0.2, r2: null } },
    ];
    expect(routerNames(lines)).toEqual(["r1", "r2"]);
    expect(routerPairsFromScores(lines, "r2")).toEqual([{ score: 0.1, delta: 0.2, level: null, problemId: "a", stepIndex: 0 }]);
  });
});

describe("step trace", () => {
  it("colours steps by writer and keeps the discarded draft step of an escalation", () => {
    const rec = records.find((r) => r.config.id === "rsd@0.5" && r.problemId === "tiny-00")!;
    const t = stepTrace(rec);
    expect(t.steps.every((s) => s.source === "target" && s.decision === "escalate")).toBe(true);
    expect(t.steps.map((s) => s.discarded)).toEqual(rec.steps.map((s) => ({ by: "draft", text: s.draftText })));
    expect(t.counts).toEqual({ draft: 0, target: 3, discardedDraft: 3, discardedTarget: 0 });
    expect(t.steps[0]!.prmDraft).toBe(rec.steps[0]!.prmDraft);
  });

  it("shows the oracle's unkept target step and the error of a failed problem", () => {
    const ora = stepTrace(records.find((r) => r.config.id === "oracle@0.5" && r.problemId === "tiny-00")!);
    expect(ora.steps[0]!.source).toBe("draft");
    expect(ora.steps[0]!.discarded?.by).toBe("target");
    expect(ora.steps[0]!.delta).not.toBeNull();
    const failed = stepTrace(records.find((r) => r.problemId === "tiny-long")!);
    expect(failed.steps).toEqual([]);
    expect(failed.error).toMatch(/context-too-long/);
  });
});

describe("compare and tables", () => {
  const other: RunSummaries = {
    runId: "other",
    runLabel: "other",
    configs: summary.runs.map((c) => ({ ...c, accuracy: Math.min(1, c.accuracy + 0.1), latencyMs: { ...c.latencyMs, mean: c.latencyMs.mean * 2 } })),
  };

  it("puts both runs' series in one chart, tagged by run", () => {
    const cmp = compareRuns(run, other);
    expect(cmp.acceptanceAccuracy.series.map((s) => `${s.runLabel}:${s.method}`)).toEqual([
      "tiny:rsd", "tiny:arbitrage", "tiny:oracle", "other:rsd", "other:arbitrage", "other:oracle",
    ]);
    expect(cmp.accuracyLatency.matched.map((m) => `${m.runId}:${m.candidate}`)).toEqual(["tiny:arbitrage", "tiny:oracle", "other:arbitrage", "other:oracle"]);
    expect(cmp.latencyBreakdown.bars[0]!.label).toBe("tiny: draft");
    const row = cmp.rows.find((r) => r.configId === "rsd@0")!;
    expect(row.latencyMs[1]).toBeCloseTo(2 * row.latencyMs[0], 12);
    expect(() => compareRuns(run, run)).toThrow(/two different runs/);
  });

  it("flattens each plot to a CSV with one row per drawn point", () => {
    const acc = plotTable(acceptanceAccuracy(run));
    expect(acc.rows).toHaveLength(2 + 4 + 4 + 3);
    const csv = plotCsv(latencyBreakdown(run));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("run,config,method,threshold,draft_ms,router_ms,prm_ms,target_ms,overhead_ms,total_ms");
    expect(lines).toHaveLength(1 + summary.runs.length);
    expect(Number(lines[1]!.split(",")[9])).toBe(byId("draft").latencyMs.mean);
    const trace = plotCsv(stepTrace(records.find((r) => r.config.id === "rsd@0.5")!));
    expect(trace.split("\r\n")[1]).toContain(",target,escalate,");
  });
});

describe("overlapping configurations on the acceptance–accuracy chart", () => {
  const pt = (threshold: number, acceptanceRate: number, accuracy: number) => ({ configId: `arbitrage@${threshold}`, threshold, acceptanceRate, accuracy, problems: 10 });

  it("labels neighbouring thresholds on one point as a range, others as a list, and leaves single points alone", () => {
    const points = [pt(0, 0.2, 0.9), pt(0.1, 0.5, 0.8), pt(0.3, 0.5, 0.8), pt(0.5, 0.5, 0.8), pt(0.7, 0.9, 0.6), pt(0.9, 0.2, 0.9), pt(1, 1, 0.5)];
    const groups = overlapGroups("τ", points);
    expect(groups.map((g) => g.label)).toEqual(["τ 0, 0.9", "τ 0.1–0.5"]);
    expect(groups[1]).toMatchObject({ acceptanceRate: 0.5, accuracy: 0.8, thresholds: [0.1, 0.3, 0.5], configIds: ["arbitrage@0.1", "arbitrage@0.3", "arbitrage@0.5"] });
    expect(overlapGroups("δ", [pt(0, 0.2, 0.9), pt(1, 0.2, 0.91)])).toEqual([]);
  });

  it("finds them in a run: the tiny fixture's RSD at δ 0.5 and 1 both keep no draft token", () => {
    const rsd = acceptanceAccuracy(run).series.find((s) => s.method === "rsd")!;
    expect(rsd.overlaps.map((g) => g.label)).toEqual(["δ 0.5–1"]);
  });
});

describe("the accuracy–latency table (CSV export)", () => {
  it("has a row per configuration, then the matched accuracy and the curve, without the run's speedup repeated on configuration rows", () => {
    const t = plotTable(accuracyLatency({ ...run, headline: summary }));
    const configs = t.rows.filter((r) => r.row === "configuration");
    const ids = configs.map((r) => r.config);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(summary.runs.filter((c) => c.method !== "generate").map((c) => c.id)));
    expect(configs.every((r) => r.speedup === undefined && r.accuracy_ci95_lo !== null && r.problems === 7)).toBe(true);
    const matched = t.rows.filter((r) => r.row === "matched accuracy");
    expect(matched.map((r) => r.candidate)).toEqual(["arbitrage", "oracle"]);
    expect(matched[0]).toMatchObject({ speedup: summary.matchedAccuracy!.speedup, speedup_ci95_lo: summary.matchedAccuracy!.ci95![0], problems: 7 });
    expect(t.rows.filter((r) => r.row === "speedup curve")).toHaveLength(summary.matchedAccuracy!.curve.length + summary.oracleMatchedAccuracy!.curve.length);
    expect(plotCsv(accuracyLatency(run)).split(/\r?\n/)[0]).toBe(t.columns.join(","));
  });
});
