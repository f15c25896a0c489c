/**
 * npm run bench:sweep — what the step cache saves, and whether its replayed latencies are true.
 *
 * Runs the demo sweep (or the fixture suite when the demo models are absent) both ways in one process:
 * cached (one step cache shared by every configuration, latencies replayed along each
 * configuration's path) and `--measure` (every configuration end to end, no cache, live timings),
 * BENCH_REPEATS times each (default 3, alternating), comparing per-configuration medians.
 * Prints per configuration the two mean latencies and their relative difference, then last, one per
 * line: cache_ratio (steps computed / steps a naive sweep computes), router_latency_share (the
 * router's share of arbitrage's latency, mean over thresholds), replay_vs_measured_max_error.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSweep } from "../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../main/spec/sweep-spec.ts";
import { tinySpec } from "../test/helpers/sweep-fixtures.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const PROBLEMS = Number(process.env["BENCH_PROBLEMS"] ?? 12);
const THRESHOLDS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
const demo = existsSync(join(root, "assets/models/demo-target/config.json"));

function spec() {
  const methods = [
    { method: "draft" },
    { method: "target" },
    { method: "rsd", thresholds: THRESHOLDS },
    { method: "arbitrage", thresholds: THRESHOLDS },
  ];
  if (!demo) return tinySpec({ methods, threads: 1 });
  const m = (n: string) => join(root, "assets/models", n);
  return {
    name: "bench-sweep",
    models: { draft: m("demo-draft"), target: m("demo-target"), prm: m("demo-prm"), router: m("demo-router") },
    dataset: { path: join(root, "assets/datasets/arith-steps/test.jsonl"), limit: PROBLEMS },
    methods,
    decoding: { temperature: 0, seed: 0 },
    threads: 1,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-sweep-"));
  try {
    const resolved = resolveSweepSpec(parseSweepSpec(spec()), root);
    console.log(`suite: ${demo ? `demo, ${PROBLEMS} problems` : "test fixtures (demo models absent)"}, ${resolved.configurations.length} configurations`);
    // This machine has slow stretches lasting seconds: one measured pass of a configuration can land in
    // one. Both sides run REPEATS times, alternating, and each configuration's latency is the median.
    const t0 = Date.now();
    const cachedRuns: Awaited<ReturnType<typeof runSweep>>[] = [];
    const measuredRuns: Awaited<ReturnType<typeof runSweep>>[] = [];
    let cachedMs = 0;
    let measuredMs = 0;
    for (let r = 0; r < REPEATS; r++) {
      const a = Date.now();
      cachedRuns.push(await runSweep(resolved, { outDir: join(dir, `cached-${r}`) }));
      const b = Date.now();
      measuredRuns.push(await runSweep(resolved, { outDir: join(dir, `measured-${r}`), measure: true }));
      cachedMs += b - a;
      measuredMs += Date.now() - b;
    }
    console.log(`${REPEATS} rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s: cached sweeps ${(cachedMs / 1000).toFixed(1)} s, measured sweeps ${(measuredMs / 1000).toFixed(1)} s`);
    const cached = cachedRuns[0] as Awaited<ReturnType<typeof runSweep>>;
    const latency = (runs: typeof cachedRuns, id: string) =>
      median(runs.map((x) => x.summary.runs.find((q) => q.id === id)?.latencyMs.mean ?? Number.NaN));

    let maxErr = 0;
    console.log(`config            replayed ms   measured ms   error   (medians of ${REPEATS})`);
    for (const c of cached.summary.runs) {
      const m = measuredRuns[0]?.summary.runs.find((q) => q.id === c.id);
      if (!m) continue;
      if (m.accuracy !== c.accuracy || m.acceptanceRate !== c.acceptanceRate) {
        throw new Error(`${c.id}: cached and measured runs disagree on results (accuracy ${c.accuracy} vs ${m.accuracy})`);
      }
      const replayed = latency(cachedRuns, c.id);
      const measured = latency(measuredRuns, c.id);
      const err = Math.abs(replayed - measured) / measured;
      maxErr = Math.max(maxErr, err);
      console.log(`${c.id.padEnd(16)} ${replayed.toFixed(2).padStart(12)} ${measured.toFixed(2).padStart(13)} ${(err * 100).toFixed(1).padStart(6)}%`);
    }
    const arb = cached.summary.runs.filter((r) => r.method === "arbitrage" && r.latencyMs.mean > 0);
    const routerShare = arb.reduce((a, r) => a + r.latencyMs.router / r.latencyMs.mean, 0) / Math.max(1, arb.length);
    const { stepsComputed, stepsNaive } = cached.summary.cache;
    console.log(`steps computed ${stepsComputed} of ${stepsNaive} a naive sweep would compute`);
    console.log(`cache_ratio: ${(stepsComputed / stepsNaive).toFixed(3)}`);
    console.log(`router_latency_share: ${routerShare.toFixed(3)}`);
    console.log(`replay_vs_measured_max_error: ${maxErr.toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
