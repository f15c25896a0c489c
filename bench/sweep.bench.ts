/**
 * npm run bench:sweep — what the step cache saves, and whether its replayed latencies are true.
 *
 * Runs the demo sweep (or the fixture suite when the demo models are absent) in one process,
 * BENCH_REPEATS rounds (default 3), each round:
 *   1. cached: one step cache shared by every configuration, latencies replayed along each
 *      configuration's path with costs fitted to the calls it computed (what `arbitrage sweep` does);
 *   2. `--measure`: every configuration end to end, no cache, live timings; its calibration probes
 *      run in rounds between problems and are written to its calibration.json;
 *   3. cached again, replayed with the measured run's calibration (`--calibration`).
 * Replay and measurement are compared per configuration: per problem the median over rounds, then
 * the mean over problems. This machine's
 * speed drifts by 10-40 % over seconds to minutes, so a replay priced by the cached sweep's own calls (1) and
 * a measurement taken a minute later differ by that drift whatever the replay gets right; (3) prices
 * the replay with costs from the same minutes as the measurement it is compared with, which isolates
 * the replay's own error. Both are printed, with the drift itself: how much the measured latency of
 * one configuration changes between rounds.
 * Errors are printed signed, (replayed − measured) / measured, so a bias shows as one sign.
 * The measured run's calibration.json is fitted from its own calls (live-cost-fit.ts); step 3 is also
 * replayed with its probe rounds' costs (calibration-probes.json), to show what pricing by probes adds.
 * Last, one per line: cache_ratio (steps computed / steps a naive sweep computes),
 * router_latency_share (the router's share of arbitrage's latency, mean over thresholds),
 * replay_vs_measured_max_error (3 against 2, largest absolute error over configurations),
 * measured_noise_floor (how much a configuration's replay error moves between rounds: per
 * configuration the range of its per-round errors, median over configurations; replay-agreement.ts)
 * and within_goal (max error <= max(0.05, floor + 0.02)).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { useBenchClock } from "./bench-clock.ts";
import { runSweep } from "../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../main/speculation/sweep-spec.ts";
import { readCalibrationFile } from "../main/jobs/calibration-file.ts";
import {
  combinedLatency,
  errorSpreadBetweenRounds,
  GOAL_FLOOR_MARGIN,
  GOAL_MAX_ERROR,
  goalVerdict,
  identicalPathSpreads,
  measuredNoiseFloor,
  type RoundLatencies,
} from "./replay-agreement.ts";
import { tinySpec } from "../test/helpers/sweep-fixtures.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
// 24 problems: with 12, configurations doing identical work differed by
// up to 7 % in their measured medians on this machine, with 24 by up to 5.6 %.
const PROBLEMS = Number(process.env["BENCH_PROBLEMS"] ?? 24);
const THRESHOLDS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 3);

// BENCH_CLOCK=cpu: every timing (the engine's, the calibration's, the step loop's) reads this
// process's CPU time (user + system, all its threads) instead of the wall clock, so the time spent
// waiting for a CPU on a shared machine is not counted. GC helper threads count; what other tenants
// do to the CPU caches still does. For separating a replay bias from load; latency is wall time.
const CLOCK = useBenchClock();

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
    console.log(`suite: ${demo ? `demo, ${PROBLEMS} problems` : "test fixtures (demo models absent)"}, ${resolved.configurations.length} configurations, ${CLOCK === "cpu" ? "process CPU time" : "wall clock"}`);
    // This machine has slow stretches lasting seconds: one measured pass of a configuration can land in
    // one. Every side runs REPEATS times, in turn (how they are combined: `med` below).
    const t0 = Date.now();
    const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(" ");
    type Outcome = Awaited<ReturnType<typeof runSweep>>;
    const cachedRuns: Outcome[] = [];
    const measuredRuns: Outcome[] = [];
    const pairedRuns: Outcome[] = [];
    const probedRuns: Outcome[] = [];
    const secs = { cached: 0, measured: 0, paired: 0 };
    const timed = async (side: keyof typeof secs, f: () => Promise<Outcome>) => {
      const a = Date.now();
      const o = await f();
      secs[side] += (Date.now() - a) / 1000;
      return o;
    };
    for (let r = 0; r < REPEATS; r++) {
      cachedRuns.push(await timed("cached", () => runSweep(resolved, { outDir: join(dir, `cached-${r}`) })));
      const measuredDir = join(dir, `measured-${r}`);
      measuredRuns.push(await timed("measured", () => runSweep(resolved, { outDir: measuredDir, measure: true })));
      const calibration = await readCalibrationFile(join(measuredDir, "calibration.json"));
      pairedRuns.push(await timed("paired", () => runSweep(resolved, { outDir: join(dir, `paired-${r}`), calibration })));
      // The same replay priced by the measured run's probe rounds instead of its own calls: the probes' share of the error.
      const probed = await readCalibrationFile(join(measuredDir, "calibration-probes.json"));
      probedRuns.push(await timed("paired", () => runSweep(resolved, { outDir: join(dir, `probed-${r}`), calibration: probed })));
      process.stderr.write(`round ${r + 1}/${REPEATS} done (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    console.log(
      `${REPEATS} rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s: cached sweeps ${secs.cached.toFixed(1)} s, measured ${secs.measured.toFixed(1)} s, replays with the measured costs ${secs.paired.toFixed(1)} s`,
    );
    const cached = cachedRuns[0] as Outcome;
    console.log(`load average before/after: ${loadBefore} / ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    const table = (run: Outcome): RoundLatencies => {
      const t: Record<string, Record<string, number>> = {};
      for (const r of run.records) (t[r.config.id] ??= {})[r.problemId] = r.latencyMs.total;
      return t;
    };
    const measuredT = measuredRuns.map(table);
    const pairedT = pairedRuns.map(table);
    const latency = (run: Outcome, id: string) => run.summary.runs.find((q) => q.id === id)?.latencyMs.mean ?? Number.NaN;
    // A configuration's latency over the rounds: per problem the median of its rounds, then the mean
    // over problems (replay-agreement.ts).
    const med = (runs: Outcome[], id: string) => combinedLatency(runs.map(table), id);

    let maxErr = 0;
    let maxErrStart = 0;
    let maxDrift = 0;
    const signed: number[] = [];
    // Errors are signed (replayed − measured) / measured: a bias shows as one sign down the column.
    console.log(`config            measured   replayed:  with its own costs        with the measured run's   round-to-round   its error's spread`);
    console.log(`                        ms   (cached sweep)  ms   error          ms   error            drift   between rounds`);
    for (const c of cached.summary.runs) {
      for (const [name, runs] of [["measured", measuredRuns], ["replayed", pairedRuns]] as const) {
        const m = runs[0]?.summary.runs.find((q) => q.id === c.id);
        if (m && (m.accuracy !== c.accuracy || m.acceptanceRate !== c.acceptanceRate)) {
          throw new Error(`${c.id}: cached and ${name} runs disagree on results (accuracy ${c.accuracy} vs ${m.accuracy})`);
        }
      }
      const measured = med(measuredRuns, c.id);
      const atStart = med(cachedRuns, c.id);
      const paired = med(pairedRuns, c.id);
      const errStart = (atStart - measured) / measured;
      const err = (paired - measured) / measured;
      signed.push(err);
      // Drift: the largest relative change of this configuration's measured latency between rounds.
      const ms = measuredRuns.map((x) => latency(x, c.id));
      const drift = ms.length > 1 ? (Math.max(...ms) - Math.min(...ms)) / measured : 0;
      maxErr = Math.max(maxErr, Math.abs(err));
      maxErrStart = Math.max(maxErrStart, Math.abs(errStart));
      maxDrift = Math.max(maxDrift, drift);
      const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`.padStart(7);
      const spread = errorSpreadBetweenRounds(measuredT, pairedT, c.id);
      console.log(
        `${c.id.padEnd(16)} ${measured.toFixed(2).padStart(9)} ${atStart.toFixed(2).padStart(16)} ${pct(errStart)} ${paired.toFixed(2).padStart(15)} ${pct(err)} ${pct(drift).padStart(16)} ${(spread === null ? "-" : `${(spread * 100).toFixed(1)}%`).padStart(16)}`,
      );
    }
    // Configurations whose paths are identical do the same work, so their replays are equal and
    // their measurements differ only by the machine. Printed when there are any (with the demo
    // models of December 2026 no two configurations share a path, so it cannot be the floor).
    const pathOf = (id: string) =>
      JSON.stringify(
        // The method too: rsd and arbitrage taking the same steps still call different scorers.
        [id.split("@")[0], cached.records
          .filter((r) => r.config.id === id)
          .sort((a, b) => a.problemId.localeCompare(b.problemId))
          .map((r) => r.steps.map((st) => [st.decision, st.text]))],
      );
    const groups = new Map<string, string[]>();
    for (const c of cached.summary.runs) groups.set(pathOf(c.id), [...(groups.get(pathOf(c.id)) ?? []), c.id]);
    const same = identicalPathSpreads([...groups.values()], measuredT);
    for (const g of same) console.log(`identical paths ${g.ids.join(", ")}: measured ${g.ms.map((x) => x.toFixed(1)).join(" / ")} ms, spread ${(g.spread * 100).toFixed(1)} %`);
    if (same.length === 0) console.log("identical paths: none (no two configurations took the same steps)");
    // The noise floor: how much a configuration's replay error moves between rounds (the last
    // column), median over configurations (replay-agreement.ts).
    const floor = measuredNoiseFloor(measuredT, pairedT, cached.summary.runs.map((c) => c.id));
    const probedErr = cached.summary.runs.map((c) => (med(probedRuns, c.id) - med(measuredRuns, c.id)) / med(measuredRuns, c.id));
    console.log(`the same replay priced by the measured run's probe rounds (calibration-probes.json): signed errors ${probedErr.map((x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}`).join(" ")} %, max ${Math.max(...probedErr.map(Math.abs)).toFixed(3)}`);
    const meanSigned = signed.reduce((a, b) => a + b, 0) / Math.max(1, signed.length);
    console.log(`replay with the measured run's costs vs measurement: signed errors from ${(Math.min(...signed) * 100).toFixed(1)} % to ${(Math.max(...signed) * 100).toFixed(1)} %, mean ${(meanSigned * 100).toFixed(1)} %`);
    console.log(`replay priced by the cached sweep's own calls vs measurement, max error: ${maxErrStart.toFixed(3)} (includes the machine's drift between the two)`);
    console.log(`measured latency drift between rounds, max over configurations: ${maxDrift.toFixed(3)}`);
    if (floor !== null) {
      // The floor is one round's noise; the compared figures combine REPEATS rounds, less noisy. A
      // stricter reading, were the rounds' noise independent and averaged: the floor / sqrt(rounds).
      const strict = goalVerdict(maxErr, floor / Math.sqrt(REPEATS));
      console.log(`the floor / sqrt(${REPEATS} rounds): ${(floor / Math.sqrt(REPEATS)).toFixed(3)}; max error within it + ${GOAL_FLOOR_MARGIN} (limit ${strict.limit.toFixed(3)}): ${strict.within ? "yes" : "no"}`);
    }
    const arb = cached.summary.runs.filter((r) => r.method === "arbitrage" && r.latencyMs.mean > 0);
    const routerShare = arb.reduce((a, r) => a + r.latencyMs.router / r.latencyMs.mean, 0) / Math.max(1, arb.length);
    const { stepsComputed, stepsNaive } = cached.summary.cache;
    console.log(`steps computed ${stepsComputed} of ${stepsNaive} a naive sweep would compute`);
    console.log(`cache_ratio: ${(stepsComputed / stepsNaive).toFixed(3)}`);
    console.log(`router_latency_share: ${routerShare.toFixed(3)}`);
    const verdict = goalVerdict(maxErr, floor);
    console.log(`replay_vs_measured_max_error: ${maxErr.toFixed(3)}`);
    console.log(`measured_noise_floor: ${floor === null ? "none (one round: nothing to compare)" : floor.toFixed(3)}`);
    console.log(
      `within_goal: ${verdict.within ? "yes" : "no"} (max error ${maxErr.toFixed(3)} vs limit ${verdict.limit.toFixed(3)} = max(${GOAL_MAX_ERROR}, ${floor === null ? "no floor" : `floor ${floor.toFixed(3)} + ${GOAL_FLOOR_MARGIN}`}))`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
