/**
 * npm run bench:call-context — does a language-model call cost more or less depending on what ran
 * just before it, and does the replay's calibration price each case as it runs?
 *
 * On the demo models, in one process, problem by problem (BENCH_PROBLEMS, default 8) over
 * BENCH_REPEATS rounds (default 3), each problem's target-written path is run two ways, in
 * alternating order so a slow stretch of the machine hits both:
 *   - alone: the target writes every step, back to back (the `target` configuration);
 *   - after others: before each target step the draft writes one and the PRM scores it (rsd@1).
 * The target's calls are the same in both (same contexts, same steps); only their predecessor
 * differs. Each call's parts — tokenize, catch-up prefill, decode loop — are compared with what
 * the calibration (the sweep's probe rounds, run between the problems) prices them at: the decode
 * loop by the after-self curve for the alone calls and by the after-another curve for the others.
 * BENCH_CLOCK=cpu times with the process's CPU time instead of the wall clock (a shared machine).
 * Last, one per line: decode_alone_vs_after_others (per-token decode-loop time of the alone calls
 * over the others'), and the replay's signed decode-loop error for each kind of call.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { useBenchClock } from "./bench-clock.ts";
import { CausalLM } from "../main/engine/causal-lm.ts";
import { StepScorer } from "../main/engine/scorer.ts";
import { loadDataset, sliceDataset } from "../main/eval/datasets/index.ts";
import { contextText, promptFor } from "../main/speculation/model-set.ts";
import type { LmCosts, ProbeSet } from "../main/speculation/cost-calibration.ts";
import { estimateCallSetupMs, estimateDecodeMs, estimatePrefillMs, estimateTokenizeMs, lmProbes, ProbeRounds, scorerProbes, stepInterlude } from "../main/speculation/cost-calibration.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const model = (n: string) => join(root, "assets/models", n);
const PROBLEMS = Number(process.env["BENCH_PROBLEMS"] ?? 8);
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 3);
const CLOCK = useBenchClock();
if (!existsSync(model("demo-target/config.json"))) throw new Error("bench:call-context needs the demo models in assets/models");

type Mode = "alone" | "after-others";
interface Call {
  mode: Mode;
  round: number;
  /** The call before it was the target's own (alone, after the path's first step). */
  afterSelf: boolean;
  chars: number;
  length: number;
  k: number;
  fed: number;
  tokenizeMs: number;
  prefillMs: number;
  loopMs: number;
}

async function main(): Promise<void> {
  const draft = await CausalLM.load(model("demo-draft"), { intraOpThreads: 1 });
  const target = await CausalLM.load(model("demo-target"), { intraOpThreads: 1 });
  const prm = await StepScorer.load(model("demo-prm"), { intraOpThreads: 1 });
  const router = await StepScorer.load(model("demo-router"), { intraOpThreads: 1 });
  const data = sliceDataset(await loadDataset(join(root, "assets/datasets/arith-steps/test.jsonl")), { limit: PROBLEMS });
  const template = { kind: "chat-template" } as const;
  const stop = ["\n\n"];
  const decoding = { temperature: 0, topP: 1, topK: 0, seed: 0 };

  // The sweep's calibration, as main/jobs/sweep.ts builds it: every model's probes, in rounds.
  const first = data.problems[0]!;
  const sample = (lm: CausalLM) => lm.encode(promptFor(lm, template, first.question) + first.question + "\n\n" + first.answer);
  const maxLen = (lm: CausalLM) => lm.encode(promptFor(lm, template, first.question)).length + 1024;
  // The after-another probes follow the interlude a run makes (the other LM's step, a scorer call), as main/jobs/sweep.ts sets them up.
  const interlude = (other: CausalLM) => stepInterlude({ lm: other, sampleIds: sample(other), maxLength: maxLen(other) }, [prm, router], first.question, stop);
  const sets: ProbeSet<unknown>[] = [
    await lmProbes(draft, sample(draft), maxLen(draft), stop, interlude(target)),
    await lmProbes(target, sample(target), maxLen(target), stop, interlude(draft)),
    await scorerProbes(prm, first.question, Math.max(maxLen(draft), maxLen(target))),
    await scorerProbes(router, first.question, Math.max(maxLen(draft), maxLen(target))),
  ];
  const rounds = new ProbeRounds(sets);
  await rounds.warmUp();

  const calls: Call[] = [];
  const runPath = async (mode: Mode, p: (typeof data.problems)[number], round: number) => {
    const prompts = { draft: promptFor(draft, template, p.question), target: promptFor(target, template, p.question) };
    for (const m of [draft, target]) m.reset();
    prm.reset();
    const kept: string[] = [];
    for (let s = 0; s < 100; s++) {
      if (mode === "after-others") {
        const d = await draft.generateStep({ context: contextText(prompts.draft, kept, "\n\n"), stop, maxTokens: 256, decoding });
        await prm.score(p.question, [...kept, d.text]);
      }
      const context = contextText(prompts.target, kept, "\n\n");
      const out = await target.generateStep({ context, stop, maxTokens: 256, decoding });
      const t = out.timings;
      calls.push({
        mode,
        round,
        afterSelf: mode === "alone" && s > 0,
        chars: context.length,
        length: target.encode(context).length,
        k: t.prefillTokens,
        fed: out.fed,
        tokenizeMs: t.tokenizeMs,
        prefillMs: t.prefillMs,
        loopMs: t.totalMs - t.tokenizeMs - t.prefillMs,
      });
      kept.push(out.text);
      if (out.stopReason !== "stop") break;
    }
  };
  const t0 = Date.now();
  for (let r = 0; r < REPEATS; r++) {
    for (const [i, p] of data.problems.entries()) {
      await rounds.round(); // as a --measure run: a calibration round before each problem
      const order: Mode[] = (i + r) % 2 === 0 ? ["alone", "after-others"] : ["after-others", "alone"];
      for (const mode of order) await runPath(mode, p, r);
    }
    process.stderr.write(`round ${r + 1}/${REPEATS} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  const costs = rounds.results()[1] as LmCosts;
  for (const m of [draft, target]) await m.dispose();
  await prm.dispose();
  await router.dispose();

  const sum = (xs: Call[], f: (c: Call) => number) => xs.reduce((a, c) => a + f(c), 0);
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
  console.log(`${CLOCK === "cpu" ? "process CPU time" : "wall clock"}; ${PROBLEMS} problems x ${REPEATS} rounds; per target call, mean ms (replay's estimate, signed error)`);
  const errors: Record<Mode, number> = { alone: 0, "after-others": 0 };
  const perToken: Record<Mode, number[]> = { alone: [], "after-others": [] };
  for (const mode of ["alone", "after-others"] as const) {
    const xs = calls.filter((c) => c.mode === mode);
    const n = xs.length;
    const est = {
      tokenize: sum(xs, (c) => estimateTokenizeMs(costs, c.chars)),
      // The call's setup beyond the tokenize and prefill probes (LmCosts.callSetupMs) is counted with the prefill.
      prefill: sum(xs, (c) => estimatePrefillMs(costs, c.k, c.length - c.k) + estimateCallSetupMs(costs, c.afterSelf)),
      // As the replay prices them: a path's first call follows another model's (the calibration round's here).
      loop: sum(xs, (c) => estimateDecodeMs(costs, c.fed, c.length, c.afterSelf)),
    };
    const act = { tokenize: sum(xs, (c) => c.tokenizeMs), prefill: sum(xs, (c) => c.prefillMs), loop: sum(xs, (c) => c.loopMs) };
    const part = (k: keyof typeof act) => `${k} ${(act[k] / n).toFixed(3)} (${(est[k] / n).toFixed(3)}, ${pct((est[k] - act[k]) / act[k])})`;
    const total = act.tokenize + act.prefill + act.loop;
    const totalEst = est.tokenize + est.prefill + est.loop;
    console.log(`${mode.padEnd(13)} ${n} calls: ${part("tokenize")} | ${part("prefill")} | ${part("loop")} | all ${(total / n).toFixed(3)} (${pct((totalEst - total) / total)})`);
    errors[mode] = (est.loop - act.loop) / act.loop;
    for (let r = 0; r < REPEATS; r++) {
      const inRound = xs.filter((c) => c.round === r);
      perToken[mode].push(sum(inRound, (c) => c.loopMs) / sum(inRound, (c) => c.fed));
    }
  }
  const ratios = perToken.alone.map((a, r) => a / (perToken["after-others"][r] as number));
  console.log(`decode loop per token by round, alone / after others: ${ratios.map((x) => x.toFixed(3)).join(", ")}`);
  console.log(`calibrated decode per token (length:ms), after another model: ${costs.decode.map((d) => `${d.length}:${d.ms.toFixed(3)}`).join(" ")}`);
  console.log(`calibrated decode per token (length:ms), after its own step: ${(costs.decodeAfterSelf ?? []).map((d) => `${d.length}:${d.ms.toFixed(3)}`).join(" ")}`);
  console.log(`calibrated call setup beyond the tokenize and prefill probes, ms: after another model ${costs.callSetupMs?.afterOther.toFixed(3)}, after its own step ${costs.callSetupMs?.afterSelf.toFixed(3)}`);
  const all = (m: Mode) => sum(calls.filter((c) => c.mode === m), (c) => c.loopMs) / sum(calls.filter((c) => c.mode === m), (c) => c.fed);
  console.log(`decode_alone_vs_after_others: ${(all("alone") / all("after-others")).toFixed(3)}`);
  console.log(`replay_decode_error_after_others: ${errors["after-others"].toFixed(3)}`);
  console.log(`replay_decode_error_alone: ${errors.alone.toFixed(3)}`);
}

await main();
