/**
 * The headline's bootstrap at the demo's scale and above: n problems × 35 configurations (draft,
 * target, RSD, Arbitrage and the oracle at 11 thresholds), 2000 resamples, for both headlines
 * (Arbitrage and the oracle over RSD) as summarizeSweep computes them. The budget: ≤ 2 s
 * for 200 problems × 35 configurations. Synthetic records (the bootstrap's cost depends only on
 * the counts); each size is timed 3 times, the median printed.
 *
 *   npm run bench:headline [-- --problems 200,500,1000]
 */
import { headlineFields, ProblemOutcomes } from "../shared/metrics/matched-accuracy.ts";
import { summarizeConfig } from "../shared/metrics/summarize.ts";
import type { Configuration, ProblemRecord } from "../shared/results.ts";
import { createRng } from "../shared/stats/random.ts";
import { HEADLINE_RESAMPLES } from "../shared/metrics/matched-accuracy.ts";

const arg = process.argv.indexOf("--problems");
const sizes = (arg > 0 ? (process.argv[arg + 1] ?? "") : "200,500,1000").split(",").map(Number);

const thresholds = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const configs: Configuration[] = [
  { id: "draft", method: "draft", threshold: null },
  { id: "target", method: "target", threshold: null },
  ...(["rsd", "arbitrage", "oracle"] as const).flatMap((method) => thresholds.map((t) => ({ id: `${method}@${t}`, method, threshold: t }))),
];

function records(n: number): ProblemRecord[] {
  const rng = createRng(1);
  const out: ProblemRecord[] = [];
  for (const config of configs) {
    // Accuracy rises from the draft's 40 % towards the target's 95 % as the threshold lets more
    // steps escalate, and so does the cost; Arbitrage pays 0.6x RSD's extra cost, the oracle 0.5x.
    const e = config.method === "draft" ? 0 : config.method === "target" ? 1 : config.method === "rsd" ? (config.threshold as number) : 1 - (config.threshold as number);
    const p = 0.4 + 0.55 * e;
    const extra = config.method === "arbitrage" ? 0.6 : config.method === "oracle" ? 0.5 : 1;
    for (let i = 0; i < n; i++) {
      const ms = (50 + 200 * e * extra) * (0.5 + rng.float());
      const source = rng.float() < 0.5 ? "draft" : "target";
      out.push({
        config,
        problemId: `p${String(i).padStart(5, "0")}`,
        level: null,
        subject: null,
        steps: [{ index: 0, source, text: "", draftText: null, targetText: null, decision: "accept", tokens: { draftAccepted: 1, draftDiscarded: 0, target: 0 }, prmDraft: null, prmTarget: null, router: null, delta: null, ms: { draft: ms, target: 0, prm: 0, router: 0, overhead: 0 }, stop: "stop" }],
        completion: "",
        extracted: "",
        correct: rng.float() < p,
        correctStrict: false,
        stopReason: "eos",
        tokens: { draftAccepted: 1, draftDiscarded: 0, target: 0 },
        latencyMs: { draft: ms, target: 0, prm: 0, router: 0, overhead: 0, total: ms },
        harnessMs: ms,
      });
    }
  }
  return out;
}

const results: string[] = [];
for (const n of sizes) {
  const recs = records(n);
  const runs = configs.map((c) => summarizeConfig(c, recs.filter((r) => r.config.id === c.id)));
  const times: number[] = [];
  const cpu: number[] = [];
  let width = 0;
  for (let rep = 0; rep < 3; rep++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const outcomes = new ProblemOutcomes();
    for (const r of recs) outcomes.add(r);
    const h = headlineFields(runs, outcomes);
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    width = h.matchedAccuracy?.ci95 ? h.matchedAccuracy.ci95[1] - h.matchedAccuracy.ci95[0] : Number.NaN;
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`n=${n}: wall ${times.map((t) => t.toFixed(3)).join(" / ")} s, CPU ${cpu.map((t) => t.toFixed(3)).join(" / ")} s (both headlines, ${HEADLINE_RESAMPLES} resamples each; ci width ${width.toFixed(3)})`);
  // CPU time is the steadier figure on a shared machine; both are medians of 3.
  results.push(`headline_bootstrap_wall_s_${n}x${configs.length}: ${(times[1] as number).toFixed(3)}`);
  results.push(`headline_bootstrap_cpu_s_${n}x${configs.length}: ${(cpu[1] as number).toFixed(3)}`);
}
for (const line of results) console.log(line);
