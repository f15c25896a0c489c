/**
 * The headline of a sweep from its records: which configurations enter, and that summary.json's
 * fields agree with each other and with the plots' point estimate. On the tiny fixture run (a real
 * `arbitrage sweep` journal, test/fixtures/run-tiny) and on planted records.
 */
import { describe, expect, it } from "vitest";
import {
  escalatesEveryStep,
  headlineSelection,
  matchedEstimate,
  ProblemOutcomes,
  arbitrageMatchedAccuracy,
} from "../../../../shared/metrics/matched-accuracy.ts";
import { summarizeConfig, summarizeSweep } from "../../../../shared/metrics/summarize.ts";
import type { Configuration, ProblemRecord } from "../../../../shared/results.ts";
import { tinyRecords, tinySummary } from "../../../helpers/run-fixture.ts";

const records = tinyRecords();
const configs: Configuration[] = tinySummary().runs.map((r) => ({ id: r.id, method: r.method, threshold: r.threshold }));

/** A planted record: `steps` sources decide the target step share. */
function rec(config: Configuration, problemId: string, correct: boolean, ms: number, sources: ("draft" | "target")[] = ["draft"]): ProblemRecord {
  const base = records[0]!;
  const step = base.steps[0]!;
  return {
    ...base,
    config,
    problemId,
    correct,
    correctStrict: correct,
    steps: sources.map((source, index) => ({ ...step, index, source })),
    latencyMs: { draft: ms, target: 0, prm: 0, router: 0, overhead: 0, total: ms },
  };
}

describe("summary.json's headline", () => {
  const summary = summarizeSweep(configs, records, { stepsComputed: 0, stepsNaive: 0 });
  const m = summary.matchedAccuracy!;

  it("keeps speedupAtMatchedAccuracy and speedupDetail equal to matchedAccuracy", () => {
    expect(summary.speedupAtMatchedAccuracy).toBe(m.speedup);
    expect(summary.speedupDetail).toEqual({ accuracy: m.accuracy, rsdLatencyMs: m.rsdMs, arbitrageLatencyMs: m.arbitrageMs });
    expect(m.speedup).toBeCloseTo(m.rsdMs / m.arbitrageMs, 12);
  });

  it("equals the point estimate the plots compute from the configurations' summaries", () => {
    const e = matchedEstimate(summary.runs, "arbitrage")!;
    expect(e.stated).toEqual({ accuracy: m.accuracy, baselineLatency: m.rsdMs, candidateLatency: m.arbitrageMs, speedup: m.speedup });
    expect(m.curve.map((p) => p.speedup)).toEqual(e.curve.map((p) => p.speedup));
    const o = matchedEstimate(summary.runs, "oracle")!;
    expect(summary.oracleMatchedAccuracy!.speedup).toBe(o.stated.speedup);
    expect(summary.oracleMatchedAccuracy!.oracleMs).toBe(o.stated.candidateLatency);
  });

  it("states the problems, resamples and an interval around the estimate", () => {
    expect(m.problems).toBe(7);
    expect(m.resamples).toBeGreaterThanOrEqual(1000);
    expect(m.ci95![0]).toBeLessThanOrEqual(m.speedup);
    expect(m.ci95![1]).toBeGreaterThanOrEqual(m.speedup);
    expect(m.accuracyCi95![0]).toBeLessThanOrEqual(m.accuracy);
  });

  it("leaves out exactly the configurations that escalate every step, and keeps the baselines", () => {
    const all = summary.runs.filter(escalatesEveryStep).map((c) => c.id);
    expect(all.length).toBeGreaterThan(0);
    for (const id of all) expect(summary.runs.find((c) => c.id === id)!.targetStepShare).toBe(1);
    const s = headlineSelection(summary.runs, "arbitrage");
    expect(s.excluded).toEqual(all.filter((id) => id.startsWith("rsd") || id.startsWith("arbitrage")));
    expect(m.excluded).toEqual(s.excluded);
    expect(s.draft?.id).toBe("draft");
    expect(s.target?.id).toBe("target"); // the target itself escalates every step but is a baseline
    expect([...s.baseline, ...s.candidate].some((c) => c.targetStepShare === 1)).toBe(false);
  });
});

describe("the headline on planted records", () => {
  const draft: Configuration = { id: "draft", method: "draft", threshold: null };
  const target: Configuration = { id: "target", method: "target", threshold: null };
  const rsd1: Configuration = { id: "rsd@1", method: "rsd", threshold: 1 };
  const rsdMid: Configuration = { id: "rsd@0.5", method: "rsd", threshold: 0.5 };
  const arbMid: Configuration = { id: "arbitrage@0.5", method: "arbitrage", threshold: 0.5 };
  const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);

  it("is not read at an escalate-everything configuration that happens to be cheap", () => {
    // rsd@1 sends every step to the target and, by a fluke of calibration, is cheaper than the
    // target alone: left in, it would be RSD's whole top end. Left out, both methods reach the
    // target's 100 % only through the target: the headline at 100 % compares equal fallbacks.
    const recs = [
      ...ids.map((p, i) => rec(draft, p, i < 5, 10)),
      ...ids.map((p) => rec(target, p, true, 100, ["target"])),
      ...ids.map((p) => rec(rsd1, p, true, 60, ["target"])),
      ...ids.map((p, i) => rec(rsdMid, p, i < 8, 40, ["draft", "target"])),
      ...ids.map((p, i) => rec(arbMid, p, i < 8, 20, ["draft", "target"])),
    ];
    const s = summarizeSweep([draft, target, rsd1, rsdMid, arbMid], recs, { stepsComputed: 0, stepsNaive: 0 });
    const m = s.matchedAccuracy!;
    expect(m.excluded).toEqual(["rsd@1"]);
    expect(m.accuracy).toBe(1);
    // RSD: (0.8, 40) → (1, 100); Arbitrage: (0.8, 20) → (1, 100): both 100 ms at 100 %.
    expect(m.speedup).toBe(1);
    expect(m.targetOnly).toBe(true); // … which summary.json says, so the wording can say it
    // The curve from the draft's 50 %: at 80 % RSD needs 40 ms, Arbitrage 20 ms.
    expect(m.curve[0]!.accuracy).toBe(0.5);
    expect(m.curve[0]!.speedup).toBe(1);
    const at80 = m.curve.find((p) => Math.abs(p.accuracy - 0.8) < 1e-9)!;
    expect(at80.speedup).toBeCloseTo(2, 12);
  });

  it("is not target-only where a method's own configuration reaches the stated accuracy more cheaply", () => {
    const rsdHi: Configuration = { id: "rsd@0.9", method: "rsd", threshold: 0.9 };
    const recs = [
      ...ids.map((p, i) => rec(draft, p, i < 5, 10)),
      ...ids.map((p) => rec(target, p, true, 100, ["target"])),
      ...ids.map((p) => rec(rsdHi, p, true, 70, ["draft", "target"])),
      ...ids.map((p, i) => rec(arbMid, p, i < 8, 20, ["draft", "target"])),
    ];
    const m = summarizeSweep([draft, target, rsdHi, arbMid], recs, { stepsComputed: 0, stepsNaive: 0 }).matchedAccuracy!;
    // RSD reaches 100 % at 70 ms with its own configuration; Arbitrage only through the target (100 ms).
    expect(m.accuracy).toBe(1);
    expect(m.speedup).toBeCloseTo(0.7, 12);
    expect(m.targetOnly).toBe(false);
  });

  it("resamples problems jointly across configurations and is deterministic", () => {
    const recs = [...ids.map((p, i) => rec(rsdMid, p, i % 2 === 0, 30 + i)), ...ids.map((p, i) => rec(arbMid, p, i % 3 === 0, 10 + i))];
    const runs = [summarizeConfig(rsdMid, recs.slice(0, 10)), summarizeConfig(arbMid, recs.slice(10))];
    const outcomes = new ProblemOutcomes();
    recs.forEach((r) => outcomes.add(r));
    const a = arbitrageMatchedAccuracy(runs, outcomes, { resamples: 500 });
    expect(arbitrageMatchedAccuracy(runs, outcomes, { resamples: 500 })).toEqual(a);
    expect(a!.resamples).toBe(500);
    expect(a!.problems).toBe(10);
  });

  it("is null without RSD or without Arbitrage", () => {
    const recs = ids.map((p) => rec(rsdMid, p, true, 30));
    const s = summarizeSweep([rsdMid], recs, { stepsComputed: 0, stepsNaive: 0 });
    expect(s.matchedAccuracy).toBeNull();
    expect(s.speedupAtMatchedAccuracy).toBeNull();
    expect(s.speedupDetail).toBeNull();
  });
});
