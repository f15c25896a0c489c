/**
 * The shipped demo suite (assets/models/demo-*, built by tools/train-demo-models) loads through the
 * same engine code as real models, matches what the builder recorded in PyTorch, and shows the
 * behaviour its model card documents: a weak fast draft, a strong slow target, a PRM that ranks
 * correct steps above incorrect ones, and a router whose score tracks the oracle advantage.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import { StepScorer } from "../../../main/engine/scorer.ts";
import { loadDataset } from "../../../main/eval/datasets/load.ts";
import { grade } from "../../../main/eval/grade/grade.ts";
import { rocAuc } from "../../../shared/stats/roc.ts";
import { spearman } from "../../../shared/stats/spearman.ts";
import { maxAbsDiff } from "../../helpers/fixtures.ts";

const ASSETS = fileURLToPath(new URL("../../../assets/", import.meta.url));
const model = (name: string) => join(ASSETS, "models", name);
const data = (name: string) => join(ASSETS, "datasets/arith-steps", name);
const REQUIRED = ["demo-draft", "demo-target", "demo-prm", "demo-router"].map((n) => join(model(n), "golden.json"));
const present = REQUIRED.every((f) => existsSync(f));
if (!present) console.warn(`demo suite tests skipped: missing ${REQUIRED.filter((f) => !existsSync(f)).join(", ")} (build it with tools/train-demo-models)`);

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
const golden = <T>(name: string): T => JSON.parse(readFileSync(join(model(name), "golden.json"), "utf8")) as T;

interface LmGolden {
  cases: { problem: string; input_ids: number[]; prefill_last_logits: number[]; decode: { input_id: number; position: number; logits: number[] }[] }[];
  greedy_completions: { unique_id: string; problem: string; completion: string }[];
}

describe.runIf(present)("demo suite", () => {
  describe.each(["demo-draft", "demo-target"])("%s", (name) => {
    let lm: CausalLM;
    beforeAll(async () => {
      lm = await CausalLM.load(model(name), { intraOpThreads: 1 });
    });
    afterAll(async () => lm.dispose());

    it("is an optimum text-generation-with-past decoder with a chat template that builds its prompt", () => {
      expect(lm.info.layers).toBeGreaterThan(0);
      expect(lm.info.hasChatTemplate).toBe(true);
      expect(lm.info.eosTokenIds.length).toBeGreaterThan(0);
      const g = golden<LmGolden>(name);
      for (const c of g.cases) {
        const prompt = lm.tokenizer.applyChatTemplate([{ role: "user", content: c.problem }]);
        expect(lm.encode(prompt)).toEqual(c.input_ids);
      }
    });

    it("matches the builder's PyTorch logits within 1e-4, at prefill and along cached decode steps", async () => {
      const g = golden<LmGolden>(name);
      for (const c of g.cases) {
        const prompt = lm.tokenizer.decode(c.input_ids);
        expect(maxAbsDiff(await lm.nextTokenLogits(prompt), c.prefill_last_logits)).toBeLessThan(1e-4);
        const ids = [...c.input_ids];
        for (const d of c.decode) {
          ids.push(d.input_id);
          expect(d.position).toBe(ids.length - 1);
          expect(maxAbsDiff(await lm.nextTokenLogits(lm.tokenizer.decode(ids)), d.logits)).toBeLessThan(1e-4);
        }
      }
    });

    it("writes the same greedy completions as the builder recorded for the first test problems", async () => {
      for (const c of golden<LmGolden>(name).greedy_completions) {
        const prompt = lm.tokenizer.applyChatTemplate([{ role: "user", content: c.problem }]);
        const out = await lm.generateStep({ context: prompt, stop: [], maxTokens: 300, decoding: { temperature: 0 } });
        expect(out.text).toBe(c.completion);
      }
    });
  });

  it("the PRM and routers read the builder's scores within 1e-4", async () => {
    const prm = await StepScorer.load(model("demo-prm"));
    expect(prm.info.scorer.convention).toBe("skywork-prm");
    for (const c of golden<{ cases: { question: string; steps: string[]; input_ids: number[]; step_scores: number[] }[] }>("demo-prm").cases) {
      const r = await prm.score(c.question, c.steps);
      expect(r.tokens).toBe(c.input_ids.length);
      expect(maxAbsDiff(r.stepScores, c.step_scores)).toBeLessThan(1e-4);
    }
    await prm.dispose();
    for (const name of ["demo-router", "demo-router-no-downsample", "demo-router-no-annotations"]) {
      if (!existsSync(join(model(name), "golden.json"))) continue;
      const router = await StepScorer.load(model(name));
      expect(router.info.scorer.convention).toBe("arbitrage-router");
      type Case = { question: string; context_steps: string[]; context_sources: (0 | 1)[]; candidate: string; input_ids: number[]; score: number };
      for (const c of golden<{ cases: Case[] }>(name).cases) {
        const r = await router.score(c.question, [...c.context_steps, c.candidate], { sources: [...c.context_sources, 0] });
        expect(r.tokens).toBe(c.input_ids.length);
        expect(Math.abs(r.score - c.score)).toBeLessThan(1e-4);
      }
      await router.dispose();
    }
  });

  // The card's test-split accuracies: draft 75.2 %, target 84.8 % (levels 1-5: 95-100 %; the hard tail, level 6:
  // 44 %). A 50-problem slice moves an accuracy by about ±0.13 (binomial 95 %), hence the bands. The draft is
  // close to the target, as the paper's drafts are, but below it: there is something to escalate for.
  it("draft and target greedy accuracies on a 50-problem test slice fall in their documented bands; the hard tail is hard for the target", async () => {
    const ds = await loadDataset(data("test.jsonl"));
    const slice = ds.problems.slice(0, 50);
    const hard = jsonl<{ level: number }>(data("test.jsonl")).slice(0, 50).map((r) => r.level === 6);
    expect(hard.some(Boolean)).toBe(true);
    const right: Record<string, boolean[]> = {};
    for (const name of ["demo-draft", "demo-target"]) {
      const lm = await CausalLM.load(model(name), { intraOpThreads: 1 });
      right[name] = [];
      for (const p of slice) {
        const prompt = lm.tokenizer.applyChatTemplate([{ role: "user", content: p.question }]);
        const out = await lm.generateStep({ context: prompt, stop: [], maxTokens: 400, decoding: { temperature: 0 } });
        right[name].push(grade({ predText: out.text, gt: p.answer, gtIsParsed: true, dataName: ds.format }).correct);
      }
      await lm.dispose();
    }
    const accuracy = (name: string, keep: (isHard: boolean) => boolean) => {
      const r = right[name]!.filter((_, i) => keep(hard[i]!));
      return r.filter(Boolean).length / r.length;
    };
    const all = (name: string) => accuracy(name, () => true);
    console.log(`demo accuracies on test[0:50]: draft ${all("demo-draft")}, target ${all("demo-target")}; ` +
      `target on its ${hard.filter(Boolean).length} hard-tail problems ${accuracy("demo-target", (h) => h)}, on the rest ${accuracy("demo-target", (h) => !h)}`);
    expect(all("demo-draft")).toBeGreaterThanOrEqual(0.6);
    expect(all("demo-draft")).toBeLessThanOrEqual(0.88);
    expect(all("demo-target")).toBeGreaterThanOrEqual(0.7);
    expect(all("demo-target")).toBeGreaterThan(all("demo-draft"));
    // levels 1-5: the target is as strong as before; the hard tail: it fails often (card: 44 %)
    expect(accuracy("demo-target", (h) => !h)).toBeGreaterThanOrEqual(0.9);
    expect(accuracy("demo-target", (h) => h)).toBeLessThanOrEqual(0.7);
  });

  // demo-prm is trained on Monte-Carlo labels, not on verify.py's; its step AUC against verify.py per writer is
  // in assets/models/README.md. The floor is the goal, on each writer's steps separately: a judge that
  // only trusted one writer would pass on the other's and fail here.
  type StepRow = { question: string; context_steps: string[]; step: string; label: "correct" | "incorrect"; source: string };
  const stepRows = existsSync(data("prm-steps.jsonl")) ? jsonl<StepRow>(data("prm-steps.jsonl")) : [];
  const writers = ["draft", "target"].filter((w) => stepRows.some((r) => r.source === w));
  if (writers.length < 2) console.warn(`demo PRM: prm-steps.jsonl has steps of ${writers.join(", ")} only (an earlier build): the other writer's AUC test is skipped`);
  it.each(writers)("the PRM ranks correct %s-written steps above incorrect ones (AUC >= 0.85), scores in [0, 1]", async (source) => {
    const rows = stepRows.filter((r) => r.source === source).slice(0, 400);
    expect(rows.some((r) => r.label === "incorrect")).toBe(true);
    const prm = await StepScorer.load(model("demo-prm"));
    const scores: number[] = [];
    for (const r of rows) {
      const s = (await prm.score(r.question, [...r.context_steps, r.step])).score;
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      scores.push(s);
    }
    await prm.dispose();
    const auc = rocAuc(scores, rows.map((r) => (r.label === "correct" ? 1 : 0)));
    console.log(`demo PRM step AUC on ${rows.length} shipped ${source}-written steps: ${auc}`);
    expect(auc).toBeGreaterThanOrEqual(0.85);
  });

  // The draft writes the target's very step in 90 % of the held-out pairs (delta exactly 0), so rho over all pairs
  // mostly measures how the router orders tied pairs among themselves (card: 0.16 over all 1768 pairs, below the
  // paper's 0.5). Where the two steps differ (179 pairs) the card reports 0.55; over all pairs the router must
  // still tell the pairs where the target's step is better (y = 1) from the rest, ties included.
  it("the router's score tracks the oracle advantage where the steps differ (rho >= 0.5) and finds y = 1 among all pairs (AUC >= 0.85)", async () => {
    type Row = { question: string; context_steps: string[]; context_sources: (0 | 1)[]; draft_step: string; delta: number };
    const all = jsonl<Row>(data("router-heldout.jsonl"));
    const differ = all.filter((r) => r.delta !== 0);
    const first = all.slice(0, 600);
    expect(differ.length).toBeGreaterThanOrEqual(100);
    const router = await StepScorer.load(model("demo-router"));
    const scoreOf = async (r: Row) => (await router.score(r.question, [...r.context_steps, r.draft_step], { sources: [...r.context_sources, 0] })).score;
    const differScores: number[] = [];
    for (const r of differ) differScores.push(await scoreOf(r));
    const firstScores: number[] = [];
    for (const r of first) firstScores.push(await scoreOf(r));
    await router.dispose();
    const rho = spearman(differScores, differ.map((r) => r.delta));
    const rhoAll = spearman(firstScores, first.map((r) => r.delta));
    const auc = rocAuc(firstScores, first.map((r) => (r.delta > 0 ? 1 : 0)));
    console.log(`demo router on held-out pairs: Spearman rho ${rho} over ${differ.length} pairs whose steps differ, ` +
      `${rhoAll} over the first ${first.length} (ties included); ROC-AUC for y = 1 there ${auc}`);
    expect(rho).not.toBeNull();
    expect(auc).toBeGreaterThanOrEqual(0.85);
    expect(rho as number).toBeGreaterThanOrEqual(0.5);
  });
});
