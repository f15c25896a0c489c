/**
 * The step loop's policies on real models: scripted step writers (the draft writes "First 1.",
 * "Then 9.", …; the target "Start 1.", "Then 2.", …) and real random-weight PRM and router graphs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Configuration, Method } from "../../../shared/results.ts";
import { configId } from "../../../shared/results.ts";
import { LiveOracle } from "../../../main/speculation/live-oracle.ts";
import { localLm, localScorer } from "../../../main/backends/types.ts";
import type { ModelSet } from "../../../main/speculation/model-set.ts";
import { disposeModelSet, loadModelSet, promptFor } from "../../../main/speculation/model-set.ts";
import { calibrateLm, calibrateScorer } from "../../../main/speculation/cost-calibration.ts";
import { ReplayOracle, type ReplayShared } from "../../../main/speculation/replay-oracle.ts";
import { StepCache } from "../../../main/speculation/step-cache.ts";
import { runStepLoop } from "../../../main/speculation/step-loop.ts";
import type { ProblemContext } from "../../../main/speculation/step-oracle.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";

const DRAFT_STEPS = ["First 1.", "Then 9.", "The answer is \\boxed{3}."];
const TARGET_STEPS = ["Start 1.", "Then 2.", "The answer is \\boxed{3}."];
const LIMITS = { maxSteps: 100, maxTotalTokens: 4096 };

let models: ModelSet;
let ctx: ProblemContext;

function cfg(method: Method, threshold: number | null = null): Configuration {
  return { id: configId(method, threshold), method, threshold };
}

beforeAll(async () => {
  const ref = (name: string) => ({ path: fixtureModel(name), threads: 1 });
  models = await loadModelSet({ draft: ref("steps-draft"), target: ref("steps-target"), prm: ref("prm-skywork"), router: ref("router") });
  const question = "What is 1+2?";
  const template = { kind: "chat-template" as const };
  ctx = {
    question,
    prompts: { draft: promptFor(models.draft, template, question), target: promptFor(models.target, template, question) },
    delimiter: "\n\n",
    stop: ["\n\n"],
    maxStepTokens: 64,
    decoding: { temperature: 0, topP: 1, topK: 0, seed: 0 },
  };
});
afterAll(async () => disposeModelSet(models));

const live = () => new LiveOracle(models, ctx);

describe("single-model baselines", () => {
  it("draft keeps every draft step; its tokens are all accepted", async () => {
    const r = await runStepLoop(cfg("draft"), live(), LIMITS, "\n\n");
    expect(r.steps.map((s) => s.text)).toEqual(DRAFT_STEPS);
    expect(r.steps.every((s) => s.source === "draft" && s.decision === "draft-only")).toBe(true);
    expect(r.completion).toBe(DRAFT_STEPS.join("\n\n"));
    expect(r.stopReason).toBe("eos");
    // Characters + the "\n\n" delimiter of each step that ended on it.
    expect(r.tokens).toEqual({ draftAccepted: 8 + 2 + 7 + 2 + 24, draftDiscarded: 0, target: 0 });
    expect(r.latencyMs.target).toBe(0);
    expect(r.latencyMs.draft).toBeGreaterThan(0);
  });

  it("target keeps every target step", async () => {
    const r = await runStepLoop(cfg("target"), live(), LIMITS, "\n\n");
    expect(r.steps.map((s) => s.text)).toEqual(TARGET_STEPS);
    expect(r.tokens.draftAccepted + r.tokens.draftDiscarded).toBe(0);
    expect(r.latencyMs.draft).toBe(0);
  });
});

describe("rsd", () => {
  it("keeps every draft step at δ = 0 and none at δ = 1", async () => {
    const all = await runStepLoop(cfg("rsd", 0), live(), LIMITS, "\n\n");
    expect(all.steps.map((s) => s.decision)).toEqual(["accept", "accept", "accept"]);
    const none = await runStepLoop(cfg("rsd", 1), live(), LIMITS, "\n\n");
    expect(none.steps.map((s) => s.text)).toEqual(TARGET_STEPS);
    expect(none.steps.every((s) => s.decision === "escalate" && s.draftText !== null)).toBe(true);
    expect(none.tokens.draftAccepted).toBe(0);
    expect(none.tokens.draftDiscarded).toBeGreaterThan(0);
    expect(none.latencyMs.prm).toBeGreaterThan(0);
    expect(none.latencyMs.router).toBe(0);
  });

  it("escalates exactly the steps whose PRM score is below δ", async () => {
    // The fixture PRM scores these draft steps between 0.30 and 0.39: δ = 0.34 splits them.
    const r = await runStepLoop(cfg("rsd", 0.34), live(), LIMITS, "\n\n");
    for (const s of r.steps) {
      expect(s.prmDraft).not.toBeNull();
      expect(s.decision).toBe((s.prmDraft as number) >= 0.34 ? "accept" : "escalate");
      expect(s.source).toBe(s.decision === "accept" ? "draft" : "target");
    }
    expect(new Set(r.steps.map((s) => s.decision))).toEqual(new Set(["accept", "escalate"]));
  });
});

describe("arbitrage", () => {
  it("escalates when the router score is >= τ, and never runs the PRM", async () => {
    const always = await runStepLoop(cfg("arbitrage", 0), live(), LIMITS, "\n\n");
    expect(always.steps.every((s) => s.decision === "escalate")).toBe(true);
    const never = await runStepLoop(cfg("arbitrage", 1), live(), LIMITS, "\n\n");
    expect(never.steps.map((s) => s.text)).toEqual(DRAFT_STEPS);
    const mid = await runStepLoop(cfg("arbitrage", 0.45), live(), LIMITS, "\n\n");
    for (const s of mid.steps) {
      expect(s.decision).toBe((s.router as number) >= 0.45 ? "escalate" : "accept");
      expect(s.prmDraft).toBeNull();
    }
    expect(new Set(mid.steps.map((s) => s.decision))).toEqual(new Set(["accept", "escalate"]));
    expect(mid.latencyMs.prm).toBe(0);
    expect(mid.latencyMs.router).toBeGreaterThan(0);
  });
});

describe("oracle and generate", () => {
  it("takes the target's step when PRM(target) − PRM(draft) > τ, charging only the chosen step", async () => {
    const r = await runStepLoop(cfg("oracle", 0), live(), LIMITS, "\n\n");
    expect(new Set(r.steps.map((s) => s.source))).toEqual(new Set(["draft", "target"]));
    for (const s of r.steps) {
      expect(s.delta).toBeCloseTo((s.prmTarget as number) - (s.prmDraft as number), 12);
      expect(s.source).toBe((s.delta as number) > 0 ? "target" : "draft");
      if (s.source === "target") expect(s.ms.draft).toBe(0);
      else expect(s.ms.target).toBe(0);
      expect(s.ms.prm).toBe(0);
    }
    expect(r.harnessMs).toBeGreaterThan(r.latencyMs.total);
  });

  it("scores identical steps identically: Δ is exactly 0", async () => {
    const r = await runStepLoop(cfg("oracle", -1), live(), LIMITS, "\n\n");
    const last = r.steps[r.steps.length - 1];
    expect(last?.draftText).toBe(last?.targetText);
    expect(last?.delta).toBe(0);
  });

  it("generate writes one router-data row per step, labelled 1[Δ > 0]", async () => {
    const r = await runStepLoop(cfg("generate"), live(), LIMITS, "\n\n");
    expect(r.rows).toHaveLength(r.steps.length);
    r.rows.forEach((row, i) => {
      expect(row.step_index).toBe(i);
      expect(row.label).toBe(row.delta > 0 ? 1 : 0);
      expect(row.context_steps).toEqual(r.steps.slice(0, i).map((s) => s.text));
      expect(row.context_sources).toEqual(r.steps.slice(0, i).map((s) => (s.source === "draft" ? 0 : 1)));
      expect(row.draft_features.tokens).toBeGreaterThan(0);
      expect(row.draft_features.mean_logprob).toBeLessThanOrEqual(0);
    });
  });
});

describe("the cached oracle", () => {
  async function shared(): Promise<ReplayShared> {
    const ids = models.draft.encode(ctx.prompts.draft);
    return {
      models,
      cache: new StepCache(),
      calibration: {
        draft: await calibrateLm(localLm(models.draft)!, ids, 128, 1),
        target: await calibrateLm(localLm(models.target)!, ids, 128, 1),
        prm: await calibrateScorer(localScorer(models.prm!)!, ctx.question, 128, 1),
        router: await calibrateScorer(localScorer(models.router!)!, ctx.question, 128, 1),
      },
      namespaces: { draft: "d", target: "t", prm: "p", router: "r" },
      stats: { lmCalls: 0, lmComputed: 0, scoreCalls: 0, scoreComputed: 0 },
    };
  }

  it("gives the same steps, scores and decisions as the live models, for every method", async () => {
    const s = await shared();
    const strip = (r: Awaited<ReturnType<typeof runStepLoop>>) => ({
      ...r,
      latencyMs: null,
      harnessMs: null,
      steps: r.steps.map(({ ms: _ms, ...rest }) => rest),
    });
    for (const c of [cfg("draft"), cfg("target"), cfg("rsd", 0.34), cfg("arbitrage", 0.45), cfg("oracle", 0), cfg("generate")]) {
      const a = await runStepLoop(c, live(), LIMITS, "\n\n");
      const b = await runStepLoop(c, new ReplayOracle(s, ctx), LIMITS, "\n\n");
      expect(strip(b)).toEqual(strip(a));
    }
  });

  it("computes each step once for all configurations that reach its context", async () => {
    const s = await shared();
    for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) await runStepLoop(cfg("rsd", t), new ReplayOracle(s, ctx), LIMITS, "\n\n");
    // Whatever the threshold, the draft and target steps come from a handful of contexts.
    expect(s.stats.lmCalls).toBeGreaterThan(18);
    expect(s.stats.lmComputed).toBeLessThanOrEqual(10);
    expect(s.cache.lmSteps()).toBe(s.stats.lmComputed);
  });

  it("prices each call along its own path: the catch-up prefill depends on what the model already holds", async () => {
    // Made-up, exact costs, so the path accounting can be checked to the microsecond.
    const costs = (model: string) => ({
      model,
      prefill: [
        { k: 1, past: 0, ms: 1 },
        { k: 101, past: 0, ms: 11 }, // 1 ms + 0.1 ms per extra token
      ],
      decode: [{ length: 0, ms: 0.5 }],
      tokenizeMsPerKChar: 0,
    });
    const s = await shared();
    s.calibration = { draft: costs("d"), target: costs("t"), prm: { model: "p", points: [{ tokens: 0, ms: 2 }] }, router: null };
    const tok = (text: string) => models.target.encode(text).length;
    const prompt = ctx.prompts.target;
    const first = TARGET_STEPS[0] as string;

    // Cold: the whole prompt + step is new to the target.
    const cold = await new ReplayOracle(s, ctx).target([first]);
    const coldIds = tok(`${prompt}${first}\n\n`);
    // 9 tokens of "Then 2." were generated; the one that completed the delimiter is not fed.
    const fed = 8;
    expect(cold.ms).toBeCloseTo(1 + 0.1 * (coldIds - 1) + 0.5 * fed, 9);

    // Warm: the target wrote the first step itself, so it holds the prompt and that step already.
    const o = new ReplayOracle(s, ctx);
    await o.target([]);
    const warm = await o.target([first]);
    expect(warm.text).toBe(cold.text);
    // It generated "Start 1.\n\n" (10 tokens) and fed all but the last "\n": it catches up on one token.
    const held = tok(prompt) + tok(first) + 1;
    expect(coldIds - held).toBe(1);
    expect(warm.ms).toBeCloseTo(1 + 0.5 * fed, 9);
    expect(warm.ms).toBeLessThan(cold.ms);

    // Scorers cost what their calibration says for their input length.
    expect((await o.prm([first])).ms).toBe(2);
  });

  it("prices a call that follows the same model's own call by the after-self decode costs, any other by the plain ones", async () => {
    const s = await shared();
    const costs = (model: string, afterSelf: boolean) => ({
      model,
      prefill: [{ k: 1, past: 0, ms: 0 }],
      decode: [{ length: 1, ms: 0.5 }],
      ...(afterSelf ? { decodeAfterSelf: [{ length: 1, ms: 0.25 }] } : {}),
      tokenizeMsPerKChar: 0,
    });
    s.calibration = { draft: costs("d", true), target: costs("t", true), prm: { model: "p", points: [{ tokens: 0, ms: 2 }] }, router: null };
    const first = TARGET_STEPS[0] as string;
    const fed = 8; // "Then 2.\n\n": 9 tokens generated, the last one not fed

    // target, target: the second call follows the target's own.
    const alone = new ReplayOracle(s, ctx);
    await alone.target([]);
    expect((await alone.target([first])).ms).toBeCloseTo(0.25 * fed, 9);

    // target, PRM, target (an escalation after scoring): after another model.
    const scored = new ReplayOracle(s, ctx);
    await scored.target([]);
    await scored.prm([first]);
    expect((await scored.target([first])).ms).toBeCloseTo(0.5 * fed, 9);

    // draft, target: after another model; and a path's first call follows another model's too.
    const mixed = new ReplayOracle(s, ctx);
    const firstDraft = await mixed.draft([]);
    const d = models.draft.countTokens(DRAFT_STEPS[0] as string) + 1; // its step and the delimiter's first token, fed
    expect(firstDraft.ms).toBeCloseTo(0.5 * d, 9);
    expect((await mixed.target([])).ms).toBeCloseTo(0.5 * (models.target.countTokens(first) + 1), 9);

    // A calibration without after-self costs (written before them) prices every call the plain way.
    s.calibration = { draft: costs("d", false), target: costs("t", false), prm: null, router: null };
    const old = new ReplayOracle(s, ctx);
    await old.target([]);
    expect((await old.target([first])).ms).toBeCloseTo(0.5 * fed, 9);
  });
});

describe("calibration", () => {
  it("measures a language model's decode after its own step, at the lengths that step reaches", async () => {
    const lm = localLm(models.target)!;
    const ids = lm.encode(ctx.prompts.target + "Start 1.\n\nThen 2.\n\nThe answer is \\boxed{3}.");
    const c = await calibrateLm(lm, ids, 128, 2);
    expect(c.decode.length).toBeGreaterThan(0);
    const after = c.decodeAfterSelf ?? [];
    expect(after.length).toBeGreaterThan(0);
    // Each point is timed on the second of two consecutive steps: its context is the first's plus
    // the step it wrote, so longer than the grid length it started from, and within the window.
    const starts = c.decode.map((p) => p.length);
    for (const p of after) {
      expect(p.ms).toBeGreaterThan(0);
      expect(p.length).toBeLessThanOrEqual(128);
      expect(starts.some((l) => p.length > l)).toBe(true);
    }
    expect(after.map((p) => p.length)).toEqual([...after.map((p) => p.length)].sort((a, b) => a - b));
  });
});
