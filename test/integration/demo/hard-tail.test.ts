/**
 * The demo benchmark's hard tail (level 6 of arith-steps) is outside the demo LMs' training data, as
 * a benchmark's hardest problems are outside a model's training. The LMs' training rows are not
 * committed; tools/train-demo-models/check_hard_tail.py regenerates them from their fixed seeds and
 * compares by problem text. Skipped, with the reason printed, where Python 3 is missing.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TOOL = fileURLToPath(new URL("../../../tools/train-demo-models/", import.meta.url));
const python = spawnSync("python3", ["-c", "import json, random"]).status === 0;
if (!python) console.warn("hard-tail test skipped: python3 not found (tools/train-demo-models/check_hard_tail.py needs it)");

const testRows = readFileSync(`${ROOT}assets/datasets/arith-steps/test.jsonl`, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as { problem: string; level: number });

const built = testRows.some((r) => r.level === 6);
if (!built) console.warn("hard-tail test skipped: assets/datasets/arith-steps/test.jsonl has no level-6 problems (an earlier build; rebuild with tools/train-demo-models)");

describe.runIf(built)("arith-steps hard tail", () => {
  it("is a level of its own, 20-30 % of the test split, spread through it (the demo runs a prefix)", () => {
    const hard = testRows.map((r, i) => [r.level, i] as const).filter(([level]) => level === 6);
    expect(hard.length / testRows.length).toBeGreaterThanOrEqual(0.2);
    expect(hard.length / testRows.length).toBeLessThanOrEqual(0.3);
    // the first 40 problems (the demo's default slice) hold some of it
    expect(hard.filter(([, i]) => i < 40).length).toBeGreaterThan(0);
  });

  it.runIf(python)("shares no problem text with the rows the draft and the target trained on", () => {
    const out = spawnSync("python3", ["check_hard_tail.py"], { cwd: TOOL, encoding: "utf8", timeout: 600_000 });
    const summary = JSON.parse(out.stdout) as {
      lm_training_rows: number;
      lm_training_hard_rows: number;
      test_hard: number;
      in_lm_training: Record<string, number>;
      failed: string[];
    };
    expect(summary.failed).toEqual([]);
    expect(out.status).toBe(0);
    expect(summary.lm_training_rows).toBe(100_000);
    expect(summary.lm_training_hard_rows).toBe(0);
    expect(summary.test_hard).toBeGreaterThan(0);
    expect(summary.in_lm_training).toEqual({ test: 0, validation: 0, train_hard: 0 });
  }, 600_000);
});
