import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WorkbenchError } from "../../../shared/errors.ts";
import { DEFAULT_THRESHOLDS, parseSweepSpec, resolveSweepSpec } from "../../speculation/sweep-spec.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, parseNumberOption } from "../parse-args.ts";
import { writeHtmlReport } from "../../report/write-html-report.ts";
import { runSweepWithProgress, sweepExit } from "../run-sweep-cli.ts";

/**
 * Problems in the default demo slice: as many as finish within about 3 minutes on 2 CPU cores
 * (measured: docs/sweeps.md, "The headline"), so the headline's bootstrap interval is as narrow as
 * that budget allows.
 */
export const DEMO_PROBLEMS = 200;

const ASSETS = fileURLToPath(new URL("../../../assets/", import.meta.url));

const usage = `usage: arbitrage demo [--out DIR] [--problems N] [--resume]

  --out DIR       run folder (default: runs/demo)
  --problems N    problems from the demo benchmark's test split (default ${DEMO_PROBLEMS})
  --resume        continue an interrupted demo run in DIR

Runs the embedded demo suite (assets/models/demo-*) on the demo benchmark
(assets/datasets/arith-steps): draft, target, rsd, arbitrage and oracle at thresholds
0.0 … 1.0, then prints a table and the speedup of Arbitrage (and of the oracle) over RSD at
matched accuracy, with its 95 % bootstrap interval and the number of problems.`;

/** The demo sweep, as a spec a user could write (and `arbitrage sweep` could run). */
export function demoSpec(problems: number, out: string, assets: string = ASSETS) {
  const model = (name: string) => resolve(assets, "models", name);
  return {
    name: "arith-steps",
    models: { draft: model("demo-draft"), target: model("demo-target"), prm: model("demo-prm"), router: model("demo-router") },
    dataset: { path: resolve(assets, "datasets/arith-steps/test.jsonl"), limit: problems },
    methods: [
      { method: "draft" },
      { method: "target" },
      { method: "rsd", thresholds: DEFAULT_THRESHOLDS },
      { method: "arbitrage", thresholds: DEFAULT_THRESHOLDS },
      { method: "oracle", thresholds: DEFAULT_THRESHOLDS },
    ],
    decoding: { temperature: 0, seed: 0 },
    threads: 1,
    out,
  };
}

export const demoCommand: Command = {
  name: "demo",
  summary: "the main job on the embedded demo suite: RSD vs Arbitrage, with a table and the speedup",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { out: { type: "string" }, problems: { type: "string" }, resume: { type: "boolean" } }, usage);
    const problems = parseNumberOption(values.problems, "--problems", { integer: true, min: 1 }) ?? DEMO_PROBLEMS;
    const out = resolve(io.cwd, values.out ?? "runs/demo");
    for (const name of ["demo-draft", "demo-target", "demo-prm", "demo-router"]) {
      if (!existsSync(resolve(ASSETS, "models", name, "config.json"))) {
        throw new WorkbenchError("missing-file", `the demo suite is missing ${resolve(ASSETS, "models", name)}; rebuild it with tools/train-demo-models (see assets/models/README.md)`);
      }
    }
    const raw = demoSpec(problems, out);
    const spec = resolveSweepSpec(parseSweepSpec(raw, "the demo spec"), io.cwd);
    write(io.stderr, `demo: ${problems} problems x ${spec.configurations.length} configurations -> ${out}`);
    const outcome = await runSweepWithProgress(spec, "demo", io, {
      outDir: out,
      resume: Boolean(values.resume),
      specAsGiven: raw,
    });
    const report = await writeHtmlReport(out, resolve(out, "report.html"));
    write(io.stdout, `results: ${out}/summary.json, ${out}/results.csv, ${out}/steps.jsonl; report: ${report.outFile}`);
    return sweepExit(outcome, io, `arbitrage demo --out ${values.out ?? "runs/demo"} --resume`);
  },
};
