/**
 * The sweep runner end to end on real (scripted and random-weight) ONNX models: outputs, the step
 * cache's savings, errors that don't stop a sweep, and resuming after an interruption without
 * losing or changing anything.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConfigSummary, SweepSummary } from "../../../shared/results.ts";
import { runSweep } from "../../../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { readCalibrationFile } from "../../../main/jobs/calibration-file.ts";
import { tinySpec } from "../../helpers/sweep-fixtures.ts";
import type { CacheValue } from "../../../main/speculation/step-cache.ts";
import { fitLmCosts, fitScorerCosts, MIN_CALLS, type LmCallSample } from "../../../main/speculation/live-cost-fit.ts";

const scratch = mkdtempSync(join(tmpdir(), "wb-sweep-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function resolved(extra: Record<string, unknown> = {}) {
  return resolveSweepSpec(parseSweepSpec(tinySpec(extra)), scratch);
}

/** Everything but the timings, which differ between two runs on a busy machine. */
function withoutTimings(s: SweepSummary) {
  return s.runs.map((r: ConfigSummary) => ({ ...r, latencyMs: null, tokensPerSecond: null }));
}

describe("a sweep", () => {
  let outcome: Awaited<ReturnType<typeof runSweep>>;
  const out = join(scratch, "full");

  it("runs every configuration on every problem and writes the run folder", async () => {
    outcome = await runSweep(resolved(), { outDir: out });
    expect(outcome.complete).toBe(true);
    for (const f of ["spec.json", "run.json", "journal.jsonl", "step-cache.jsonl", "calibration.json", "summary.json", "results.csv", "steps.jsonl"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as SweepSummary;
    expect(summary.runs.map((r) => r.id)).toEqual([
      "draft", "target", "rsd@0", "rsd@0.3", "rsd@0.5", "rsd@1", "arbitrage@0", "arbitrage@0.4", "arbitrage@0.5", "arbitrage@1", "oracle@-1", "oracle@0", "oracle@0.5",
    ]);
    for (const r of summary.runs) {
      expect(r.problems).toBe(7);
      expect(r.errors).toBe(1); // the question too long for the fixture models' window
    }
    const csv = readFileSync(join(out, "results.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(1 + 13);
    expect(csv[0]).toMatch(/^method,threshold,problems,errors,accuracy,/);
  });

  it("prices the paths with costs fitted from its own computations, kept in the step cache", async () => {
    const probes = await readCalibrationFile(join(out, "calibration-probes.json"));
    const fitted = await readCalibrationFile(join(out, "calibration.json"));
    const entries = readFileSync(join(out, "step-cache.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { v: CacheValue }).v);
    // Every local computation is a sample, with the shapes it ran with.
    expect(entries.every((v) => v.call !== undefined)).toBe(true);
    const lm = (role: "draft" | "target"): LmCallSample[] =>
      entries.flatMap((v) => (v.kind === "lm" && v.call?.role === role ? [{ ...v.call, k: v.prefillTokens, fed: v.fed, tokenizeMs: v.tokenizeMs, prefillMs: v.prefillMs, decodeMs: v.decodeMs }] : []));
    for (const role of ["draft", "target"] as const) {
      const calls = lm(role);
      expect(calls.length).toBeGreaterThanOrEqual(MIN_CALLS);
      expect(calls.some((c) => c.afterSelf) && calls.some((c) => !c.afterSelf)).toBe(true);
      for (const c of calls) expect(c.k).toBeLessThanOrEqual(c.length);
      // calibration.json is the fit of these samples, reproducible from the folder alone.
      expect(fitted[role]).toEqual(fitLmCosts(probes[role]!.model, calls));
      expect(fitted[role]).not.toEqual(probes[role]);
    }
    for (const role of ["prm", "router"] as const) {
      const calls = entries.flatMap((v) => (v.kind === "score" && v.call?.role === role ? [{ tokens: v.tokens, reused: v.call.reused, ms: v.ms }] : []));
      expect(fitted[role]).toEqual(fitScorerCosts(probes[role]!.model, calls));
    }
  });

  it("derives the metrics from the records", () => {
    const byId = new Map(outcome.summary.runs.map((r) => [r.id, r]));
    // Both scripted models answer 3: right on the three problems whose answer is 3.
    expect(byId.get("draft")?.accuracy).toBeCloseTo(3 / 7, 12);
    expect(byId.get("target")?.accuracy).toBeCloseTo(3 / 7, 12);
    expect(byId.get("draft")?.acceptanceRate).toBe(1);
    expect(byId.get("target")?.acceptanceRate).toBeNull();
    expect(byId.get("rsd@0")?.acceptanceRate).toBe(1);
    expect(byId.get("rsd@1")?.acceptanceRate).toBe(0);
    expect(byId.get("rsd@1")?.targetStepShare).toBe(1);
    expect(byId.get("arbitrage@0")?.targetStepShare).toBe(1);
    expect(byId.get("arbitrage@1")?.targetStepShare).toBe(0);
    expect(byId.get("rsd@0.5")?.latencyMs.router).toBe(0);
    expect(byId.get("arbitrage@0.4")?.latencyMs.prm).toBe(0);
  });

  it("computes far fewer steps than running each configuration on its own", () => {
    const { stepsComputed, stepsNaive } = outcome.summary.cache;
    expect(stepsNaive).toBeGreaterThan(0);
    expect(stepsComputed / stepsNaive).toBeLessThan(0.3);
  });

  it("records a bad problem as an error and goes on", () => {
    const lines = readFileSync(join(out, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const bad = lines.filter((l) => l.record.problemId === "tiny-long");
    expect(bad).toHaveLength(13);
    for (const b of bad) {
      expect(b.record.error.kind).toBe("context-too-long");
      expect(b.record.stopReason).toBe("error");
    }
  });

  it("refuses to overwrite a finished run folder without --resume", async () => {
    await expect(runSweep(resolved(), { outDir: out })).rejects.toThrow(/already holds results.*--resume/);
  });

  it("resumes an interrupted sweep to the same results, recomputing no cached step", async () => {
    const out2 = join(scratch, "interrupted");
    const controller = new AbortController();
    let seen = 0;
    const first = await runSweep(resolved(), {
      outDir: out2,
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.done;
        if (p.done >= 30) controller.abort();
      },
    });
    expect(first.complete).toBe(false);
    expect(seen).toBeGreaterThanOrEqual(30);
    const before = readFileSync(join(out2, "journal.jsonl"), "utf8").trim().split("\n");
    const second = await runSweep(resolved(), { outDir: out2, resume: true });
    expect(second.complete).toBe(true);
    const after = readFileSync(join(out2, "journal.jsonl"), "utf8").trim().split("\n");
    expect(after.slice(0, before.length)).toEqual(before); // finished work is kept as it was
    expect(after).toHaveLength(7 * 13);
    expect(withoutTimings(second.summary)).toEqual(withoutTimings(outcome.summary));
    expect(second.summary.cache).toEqual(outcome.summary.cache);
  });

  it("refuses to resume with a different spec", async () => {
    const other = resolveSweepSpec(parseSweepSpec(tinySpec({ methods: [{ method: "draft" }] })), scratch);
    await expect(runSweep(other, { outDir: out, resume: true })).rejects.toThrow(/spec differs/);
  });

  it("--measure runs end to end without the cache and reaches the same decisions", async () => {
    const m = await runSweep(resolved({ methods: [{ method: "rsd", thresholds: [0.34] }, { method: "arbitrage", thresholds: [0.45] }] }), {
      outDir: join(scratch, "measured"),
      measure: true,
    });
    expect(existsSync(join(scratch, "measured", "step-cache.jsonl"))).toBe(false);
    const c = await runSweep(resolved({ methods: [{ method: "rsd", thresholds: [0.34] }, { method: "arbitrage", thresholds: [0.45] }] }), {
      outDir: join(scratch, "cached"),
    });
    expect(withoutTimings(m.summary)).toEqual(withoutTimings(c.summary));
  });

  it("--measure writes the call costs measured between its problems, and a cached sweep replays with them", async () => {
    const spec = resolved({ methods: [{ method: "rsd", thresholds: [0.34] }, { method: "arbitrage", thresholds: [0.45] }] });
    const costs = await readCalibrationFile(join(scratch, "measured", "calibration.json"));
    for (const role of ["draft", "target", "prm", "router"] as const) expect(costs[role], role).not.toBeNull();
    // Fitted from the run's own calls; its probe rounds' costs are kept beside them.
    const probes = await readCalibrationFile(join(scratch, "measured", "calibration-probes.json"));
    for (const role of ["draft", "target"] as const) expect(costs[role], role).not.toEqual(probes[role]);
    expect(costs.target?.decode.length).toBeGreaterThan(0);
    // Replayed model latencies are a function of the path and the costs alone: two sweeps given the
    // same costs agree to the last digit, however busy the machine was while they ran (only the
    // harness's own overhead is timed live).
    const a = await runSweep(spec, { outDir: join(scratch, "given-a"), calibration: costs });
    const b = await runSweep(spec, { outDir: join(scratch, "given-b"), calibration: costs });
    expect(await readCalibrationFile(join(scratch, "given-a", "calibration.json"))).toEqual(costs);
    const models = (o: typeof a) => o.summary.runs.map(({ latencyMs: { draft, target, prm, router } }) => ({ draft, target, prm, router }));
    expect(models(b)).toEqual(models(a));
    expect(a.summary.runs.every((r) => r.latencyMs.mean > 0)).toBe(true);
    // Twice the costs, twice every model's share of the latency.
    const double = JSON.parse(JSON.stringify(costs), (k, v) => (["ms", "tokenizeMsPerKChar", "afterOther", "afterSelf", "afterScorer", "atStart"].includes(k) ? v * 2 : v)) as typeof costs;
    const d = await runSweep(spec, { outDir: join(scratch, "given-double"), calibration: double });
    d.summary.runs.forEach((r, i) => {
      const base = a.summary.runs[i]!.latencyMs;
      for (const k of ["draft", "target", "prm", "router"] as const) expect(r.latencyMs[k]).toBeCloseTo(2 * base[k], 6);
    });
  });

  it("refuses a calibration in --measure mode, and one that does not price a local model", async () => {
    const spec = resolved({ methods: [{ method: "draft" }] });
    const costs = await readCalibrationFile(join(scratch, "measured", "calibration.json"));
    await expect(runSweep(spec, { outDir: join(scratch, "m-given"), measure: true, calibration: costs })).rejects.toThrow(/--measure run times its calls live/);
    await expect(runSweep(spec, { outDir: join(scratch, "no-draft"), calibration: { ...costs, draft: null } })).rejects.toThrow(/no costs for the draft model/);
  });
});

describe("a calibration file", () => {
  it("says which field is wrong", async () => {
    const bad = join(scratch, "bad-calibration.json");
    writeFileSync(bad, JSON.stringify({ draft: { model: "m", prefill: [], decode: [{ length: 16, ms: -1 }], tokenizeMsPerKChar: 0 }, target: null, prm: null }));
    await expect(readCalibrationFile(bad)).rejects.toThrow(/draft\.prefill[\s\S]*draft\.decode\.0\.ms[\s\S]*router/);
    writeFileSync(bad, "{ not json");
    await expect(readCalibrationFile(bad)).rejects.toThrow(/not valid JSON/);
    await expect(readCalibrationFile(join(scratch, "absent.json"))).rejects.toThrow(/cannot read the calibration/);
  });
});

describe("sweep specs", () => {
  it("name the field that is wrong and what is allowed", () => {
    expect(() => parseSweepSpec({ ...tinySpec(), methods: [{ method: "rsdd" }] })).toThrow(/methods\.0\.method/);
    expect(() => parseSweepSpec({ ...tinySpec(), methods: [{ method: "rsd", thresholds: [1.5] }] })).toThrow(/methods\.0\.thresholds\.0/);
    expect(() => parseSweepSpec({ ...tinySpec(), decodng: {} })).toThrow(/decodng/);
    expect(() => parseSweepSpec({ ...tinySpec(), methods: [{ method: "draft", thresholds: [0.5] }] })).toThrow(/takes no threshold/);
    const noRouter = tinySpec();
    delete (noRouter.models as Record<string, unknown>)["router"];
    expect(() => parseSweepSpec(noRouter)).toThrow(/models\.router: method "arbitrage" needs a router/);
  });

  it("say what was found beside what was expected", () => {
    const message = (value: unknown) => {
      try {
        parseSweepSpec(value);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error("the spec was accepted");
    };
    expect(message({ ...tinySpec(), methods: [{ method: "rsdd" }] })).toContain('methods.0.method: expected one of "draft"|"target"|"rsd"|"arbitrage"|"oracle"|"generate", found "rsdd"');
    expect(message({ ...tinySpec(), decoding: { temperature: "hot" } })).toContain('decoding.temperature: expected number, found "hot"');
    expect(message({ ...tinySpec(), dataset: { path: "x", limit: 0 } })).toContain("dataset.limit: expected number to be >=1, found 0");
    expect(message({ ...tinySpec(), models: { ...tinySpec().models, target: 3 } })).toContain('models.target: expected a model folder path, { "path", … } or { "http", "tokenizer" }, found 3');
    expect(message({ ...tinySpec(), models: { ...tinySpec().models, target: { path: "m", addSpecialTokens: "yes" } } })).toMatch(/models\.target: addSpecialTokens: expected boolean/);
  });

  it("accept the minimal spec of the issue, with paths relative to the base directory", () => {
    const spec = resolveSweepSpec(
      parseSweepSpec({
        models: { draft: "assets/models/demo-draft", target: "assets/models/demo-target", prm: "assets/models/demo-prm", router: "assets/models/demo-router" },
        dataset: { path: "assets/datasets/arith-steps/test.jsonl", limit: 24 },
        methods: [
          { method: "rsd", thresholds: [0.3, 0.6, 0.9] },
          { method: "arbitrage", thresholds: [0.3, 0.6, 0.9] },
        ],
        decoding: { temperature: 0, seed: 0 },
      }),
      "/base",
    );
    expect(spec.models.draft.path).toBe("/base/assets/models/demo-draft");
    expect(spec.dataset.slice).toEqual({ limit: 24 });
    expect(spec.configurations.map((c) => c.id)).toEqual(["rsd@0.3", "rsd@0.6", "rsd@0.9", "arbitrage@0.3", "arbitrage@0.6", "arbitrage@0.9"]);
    expect(spec.decoding).toMatchObject({ temperature: 0, maxSteps: 100 });
  });
});
