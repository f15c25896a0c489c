/**
 * A calibration.json given to a sweep (`arbitrage sweep --calibration FILE`): call costs measured
 * elsewhere — by a `--measure` run, which records the costs of the same minutes as its
 * measurements, or on another machine — used to replay the sweep's latencies instead of measuring.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { WorkbenchError } from "../../shared/errors.ts";
import type { RunCalibration } from "./cost-calibration.ts";

const Ms = z.number().finite().min(0);
const LmCostsSchema = z.object({
  model: z.string(),
  prefill: z.array(z.object({ k: z.number().int().min(1), past: z.number().int().min(0), ms: Ms })).min(1),
  decode: z.array(z.object({ length: z.number().int().min(1), ms: Ms })).min(1),
  tokenizeMsPerKChar: Ms,
  tokenize: z.array(z.object({ chars: z.number().int().min(1), ms: Ms })).optional(),
});
const ScorerCostsSchema = z.object({
  model: z.string(),
  points: z.array(z.object({ tokens: z.number().int().min(1), ms: Ms })).min(1),
  prefix: z.array(z.object({ k: z.number().int().min(1), past: z.number().int().min(0), ms: Ms })).optional(),
});
const RunCalibrationSchema = z.object({
  draft: LmCostsSchema.nullable(),
  target: LmCostsSchema.nullable(),
  prm: ScorerCostsSchema.nullable(),
  router: ScorerCostsSchema.nullable(),
});

export function parseCalibration(value: unknown, source: string): RunCalibration {
  const r = RunCalibrationSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `  - ${i.path.length ? i.path.map(String).join(".") : "calibration"}: ${i.message}`);
    throw new WorkbenchError(
      "bad-config",
      `${source} is not a calibration (a run folder's calibration.json: {draft, target, prm, router}, each costs or null):\n${issues.join("\n")}`,
    );
  }
  return r.data as RunCalibration;
}

export function readCalibrationFile(path: string): RunCalibration {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new WorkbenchError("missing-file", `cannot read the calibration ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new WorkbenchError("bad-config", `${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseCalibration(value, path);
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
