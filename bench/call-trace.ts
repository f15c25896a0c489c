/**
 * Diagnostic (npx tsx bench/call-trace.ts): one measured sweep (BENCH_PROBLEMS, default 8), every
 * call the configurations make recorded with its shapes (context length, catch-up tokens, fed
 * tokens, scorer tokens, predecessor) and its measured parts, compared term by term — tokenize,
 * catch-up prefill, decode loop, scorer — with what the run's probe rounds (calibration-probes.json)
 * and the costs fitted from its calls (calibration.json) price that same call at.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { useBenchClock } from "./bench-clock.ts";
import { runSweep } from "../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../main/speculation/sweep-spec.ts";
import { readCalibrationFile } from "../main/jobs/calibration-file.ts";
import { CausalLM } from "../main/engine/causal-lm.ts";
import { StepScorer } from "../main/engine/scorer.ts";
import { LiveOracle } from "../main/speculation/live-oracle.ts";
import { estimateCallSetupMs, estimateDecodeMs, estimatePrefillMs, estimateScorerMs, estimateTokenizeMs } from "../main/speculation/cost-calibration.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const PROBLEMS = Number(process.env["BENCH_PROBLEMS"] ?? 8);
const CLOCK = useBenchClock();
const THRESHOLDS = process.env["TRACE_THRESHOLDS"] === "bench" ? [0, 0.2, 0.4, 0.6, 0.8, 1] : [0, 0.5, 1];
const m = (n: string) => join(root, "assets/models", n);
if (!existsSync(m("demo-target/config.json"))) throw new Error("needs demo models");

interface LmRec {
  kind: "lm";
  role: "draft" | "target";
  config: string;
  afterSelf: boolean;
  chars: number;
  length: number;
  k: number;
  past: number;
  fed: number;
  generated: number;
  tokMs: number;
  preMs: number;
  decMs: number;
}
interface ScRec {
  kind: "score";
  role: "prm" | "router";
  config: string;
  tokens: number;
  reused: number;
  ms: number;
}
const recs: (LmRec | ScRec)[] = [];
let inRun: "draft" | "target" | "prm" | "router" | null = null;
let last: string | null = null;
let config = "";

const lmGen = CausalLM.prototype.generateStep;
CausalLM.prototype.generateStep = async function (this: CausalLM, req) {
  const role = inRun;
  const out = await lmGen.call(this, req);
  if (role === "draft" || role === "target") {
    const length = this.encode(req.context).length;
    const k = out.timings.prefillTokens;
    recs.push({
      kind: "lm",
      role,
      config,
      afterSelf: last === role,
      chars: req.context.length,
      length,
      k,
      past: length - k,
      fed: out.fed,
      generated: out.tokenIds.length,
      tokMs: out.timings.tokenizeMs,
      preMs: out.timings.prefillMs,
      decMs: out.timings.totalMs - out.timings.tokenizeMs - out.timings.prefillMs,
    });
    last = role;
  }
  return out;
};
const scScore = StepScorer.prototype.score;
StepScorer.prototype.score = async function (this: StepScorer, ...args: Parameters<StepScorer["score"]>) {
  const role = inRun;
  const out = await scScore.apply(this, args);
  if (role === "prm" || role === "router") {
    recs.push({ kind: "score", role, config, tokens: out.tokens, reused: out.reused, ms: out.ms });
    last = role;
  }
  return out;
};
for (const role of ["draft", "target", "prm", "router"] as const) {
  const orig = (LiveOracle.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[role] as (...a: unknown[]) => Promise<unknown>;
  (LiveOracle.prototype as unknown as Record<string, unknown>)[role] = async function (this: unknown, ...a: unknown[]) {
    inRun = role;
    try {
      return await orig.apply(this, a);
    } finally {
      inRun = null;
    }
  };
}

const spec = {
  name: "call-trace",
  models: { draft: m("demo-draft"), target: m("demo-target"), prm: m("demo-prm"), router: m("demo-router") },
  dataset: { path: join(root, "assets/datasets/arith-steps/test.jsonl"), limit: PROBLEMS },
  // TRACE_THRESHOLDS=bench: bench:sweep's thresholds (0, 0.2, …, 1).
  methods: [{ method: "draft" }, { method: "target" }, { method: "rsd", thresholds: THRESHOLDS }, { method: "arbitrage", thresholds: THRESHOLDS }],
  decoding: { temperature: 0, seed: 0 },
  threads: 1,
};

const dir = mkdtempSync(join(tmpdir(), "call-trace-"));
try {
  const resolved = resolveSweepSpec(parseSweepSpec(spec), root);
  const outDir = join(dir, "measured");
  const res = await runSweep(resolved, {
    outDir,
    measure: true,
    onProgress: (p) => {
      const id = p.current.split(" · ")[0] ?? "";
      if (id !== config) last = null; // each pair starts with empty caches, after another model (as the replay)
      config = id;
    },
  });
  for (const file of ["calibration-probes.json", "calibration.json"]) {
  const cal = await readCalibrationFile(join(outDir, file));
  console.log(`\n=== priced by ${file} ===`);
  console.log(`clock ${CLOCK}, ${PROBLEMS} problems, ${recs.length} calls`);
  console.log(JSON.stringify({ callSetupMs: { draft: cal.draft?.callSetupMs, target: cal.target?.callSetupMs } }));
  // Per term: measured sum, priced sum, by role and predecessor.
  const groups = new Map<string, { n: number; tok: [number, number]; pre: [number, number]; dec: [number, number]; setup: number; fed: number; tot: [number, number] }>();
  const g = (key: string) => {
    let v = groups.get(key);
    if (!v) groups.set(key, (v = { n: 0, tok: [0, 0], pre: [0, 0], dec: [0, 0], setup: 0, fed: 0, tot: [0, 0] }));
    return v;
  };
  const sg = new Map<string, [number, number, number]>();
  const byConfig = new Map<string, [number, number]>();
  for (const r of recs) {
    if (r.kind === "lm") {
      const c = cal[r.role];
      if (!c) continue;
      const tok = estimateTokenizeMs(c, r.chars);
      const pre = estimatePrefillMs(c, r.k, r.past);
      const setup = estimateCallSetupMs(c, r.afterSelf);
      const dec = estimateDecodeMs(c, r.fed, r.length, r.afterSelf);
      for (const key of [`${r.role} ${r.afterSelf ? "self " : "other"}`, `${r.role} ${r.afterSelf ? "self " : "other"} fed${r.fed < 6 ? "<6" : r.fed < 12 ? "<12" : ">=12"}`]) {
        const v = g(key);
        v.n++;
        v.fed += r.fed;
        v.tok[0] += r.tokMs;
        v.tok[1] += tok;
        v.pre[0] += r.preMs;
        v.pre[1] += pre;
        v.dec[0] += r.decMs;
        v.dec[1] += dec;
        v.setup += setup;
        v.tot[0] += r.tokMs + r.preMs + r.decMs;
        v.tot[1] += Math.max(0, tok + pre + setup) + dec;
      }
      const bc = byConfig.get(r.config) ?? [0, 0];
      bc[0] += r.tokMs + r.preMs + r.decMs;
      bc[1] += Math.max(0, tok + pre + setup) + dec;
      byConfig.set(r.config, bc);
    } else {
      const c = cal[r.role];
      if (!c) continue;
      const est = estimateScorerMs(c, r.tokens, r.reused);
      const key = `${r.role} ${r.reused > 0 ? "reused" : "whole"}`;
      const v = sg.get(key) ?? [0, 0, 0];
      v[0]++;
      v[1] += r.ms;
      v[2] += est;
      sg.set(key, v);
      const bc = byConfig.get(r.config) ?? [0, 0];
      bc[0] += r.ms;
      bc[1] += est;
      byConfig.set(r.config, bc);
    }
  }
  const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  console.log("group                 n   fed/call  tokenize ms meas/priced   prefill meas/priced    setup   decode meas/priced (err)   total (err)");
  for (const [k, v] of [...groups.entries()].sort()) {
    console.log(
      `${k.padEnd(20)} ${String(v.n).padStart(4)} ${(v.fed / v.n).toFixed(1).padStart(6)}   ${(v.tok[0] / v.n).toFixed(3)}/${(v.tok[1] / v.n).toFixed(3)}   ${(v.pre[0] / v.n).toFixed(3)}/${(v.pre[1] / v.n).toFixed(3)}   ${(v.setup / v.n).toFixed(3)}   ${(v.dec[0] / v.n).toFixed(3)}/${(v.dec[1] / v.n).toFixed(3)} (${pct(v.dec[0], v.dec[1])})   ${(v.tot[0] / v.n).toFixed(3)}/${(v.tot[1] / v.n).toFixed(3)} (${pct(v.tot[0], v.tot[1])})`,
    );
  }
  for (const [k, v] of [...sg.entries()].sort()) console.log(`${k.padEnd(20)} ${String(v[0]).padStart(4)}   ${(v[1] / v[0]).toFixed(3)}/${(v[2] / v[0]).toFixed(3)} (${pct(v[1], v[2])})`);
  console.log("per configuration: calls' measured vs priced sum (and the record's total latency, overhead incl.)");
  for (const [k, v] of byConfig) {
    const lat = res.records.filter((r) => r.config.id === k).reduce((a, r) => a + r.latencyMs.total, 0);
    console.log(`${k.padEnd(16)} ${v[0].toFixed(1)} / ${v[1].toFixed(1)} (${pct(v[0], v[1])})   latency sum ${lat.toFixed(1)}`);
  }
  }
  // Dump for later analysis.
  const { writeFileSync } = await import("node:fs");
  writeFileSync(process.env["TRACE_OUT"] ?? "/tmp/call-trace.json", JSON.stringify({ cal: await readCalibrationFile(join(outDir, "calibration-probes.json")), fit: await readCalibrationFile(join(outDir, "calibration.json")), recs }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
