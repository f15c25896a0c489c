import { resolve } from "node:path";
import { WorkbenchError } from "../../../shared/errors.ts";
import { readSweepSpec, resolveSweepSpec } from "../../speculation/sweep-spec.ts";
import { readCalibrationFile } from "../../jobs/calibration-file.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, parseNumberOption, requireOption } from "../parse-args.ts";
import { runSweepWithProgress, sweepExit } from "../run-sweep-cli.ts";

const usage = `usage: arbitrage sweep --spec FILE [--out DIR] [--resume] [--measure | --calibration FILE] [--parallel N]

  --spec FILE   sweep spec (JSON, or YAML for .yaml/.yml); paths in it are relative to the current directory
  --out DIR     run folder (default: the spec's "out")
  --resume      continue a run folder a killed or interrupted sweep left; finished problems are kept
  --measure     run every configuration end to end without the step cache (measured latencies); also
                writes the call costs measured between its problems to DIR/calibration.json
  --calibration FILE
                replay latencies with these call costs (a run folder's calibration.json: a --measure
                run's, or another machine's) instead of measuring them first
  --parallel N  problems in flight at once when every model is served over HTTP (docs/remote-models.md;
                default: the servers' total concurrency); results do not depend on it

Writes DIR/summary.json, results.csv, steps.jsonl, journal.jsonl and run.json; prints a table.
Ctrl-C stops after the current problem; resume with --resume.

Exit codes: 0 done; 1 failed; 2 usage; 3 every pair ran but some failed on a server (the last line
says how many problems; --resume runs them again); 130 interrupted (--resume continues).`;

export const sweepCommand: Command = {
  name: "sweep",
  summary: "run methods x thresholds on a benchmark slice (cached, resumable)",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      { spec: { type: "string" }, out: { type: "string" }, resume: { type: "boolean" }, measure: { type: "boolean" }, calibration: { type: "string" }, parallel: { type: "string" } },
      usage,
    );
    const specPath = resolve(io.cwd, requireOption(values.spec, "--spec", usage));
    const raw = readSweepSpec(specPath);
    const spec = resolveSweepSpec(raw, io.cwd);
    const out = values.out ? resolve(io.cwd, values.out) : spec.out;
    if (!out) throw new WorkbenchError("usage", `no run folder: pass --out DIR or set "out" in the spec\n\n${usage}`);
    const parallel = parseNumberOption(values.parallel, "--parallel", { integer: true, min: 1 });
    if (values.measure && values.calibration) throw new WorkbenchError("usage", `--calibration prices a cached sweep; a --measure run times its calls live\n\n${usage}`);
    const calibration = values.calibration ? await readCalibrationFile(resolve(io.cwd, values.calibration)) : undefined;
    const outcome = await runSweepWithProgress(spec, "sweep", io, {
      outDir: out,
      resume: Boolean(values.resume),
      measure: Boolean(values.measure),
      ...(parallel !== undefined ? { parallel } : {}),
      ...(calibration ? { calibration } : {}),
      specAsGiven: raw,
    });
    write(io.stdout, `run folder: ${outcome.outDir}`);
    return sweepExit(outcome, io, `arbitrage sweep --spec ${values.spec} --out ${out} --resume`);
  },
};
