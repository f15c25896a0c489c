/**
 * A calibration.json given to a sweep (`arbitrage sweep --calibration FILE`): call costs measured
 * elsewhere — by a `--measure` run, which records the costs of the same minutes as its
 * measurements, or on another machine — used to replay the sweep's latencies instead of measuring.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import { readJson } from "./run-folder.ts";
import type { RunCalibration } from "../speculation/cost-calibration.ts";
import { RunCalibrationSchema } from "../speculation/cost-calibration.ts";
import { describeIssues } from "../speculation/sweep-spec.ts";

export function parseCalibration(value: unknown, source: string): RunCalibration {
  const r = RunCalibrationSchema.safeParse(value);
  if (!r.success) {
    throw new WorkbenchError(
      "bad-config",
      `${source} is not a calibration (a run folder's calibration.json: {draft, target, prm, router}, each costs or null):\n${describeIssues(r.error, "calibration")}`,
    );
  }
  return r.data;
}

export async function readCalibrationFile(path: string): Promise<RunCalibration> {
  try {
    return await readJson(path, (value) => parseCalibration(value, "the file"));
  } catch (err) {
    if (err instanceof WorkbenchError && err.kind === "missing-file") {
      throw new WorkbenchError("missing-file", `cannot read the calibration: ${err.message}`, err.details);
    }
    throw err;
  }
}

/**
 * Checks a given calibration prices every local model of the run: a role this run runs locally
 * needs costs (a remote one is priced by its measured calls and needs none).
 */
export function checkCalibrationCovers(c: RunCalibration, local: Record<keyof RunCalibration, boolean>, source: string): void {
  const missing = (Object.keys(local) as (keyof RunCalibration)[]).filter((role) => local[role] && c[role] === null);
  if (missing.length > 0) {
    throw new WorkbenchError("bad-config", `${source} has no costs for the ${missing.join(", ")} model(s) this sweep runs locally; calibrate with the same model roles (a --measure run of this spec writes one)`);
  }
}
