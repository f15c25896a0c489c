/** `arbitrage train-router`: a planted signal is learned, the model file loads and reproduces the printed numbers. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../main/cli/index.ts";
import { loadLightRouter } from "../../../main/router/light-router.ts";
import { splitByProblem } from "../../../main/router/light-train.ts";
import { rowToInput } from "../../../main/router/router-input.ts";
import { readRouterRows } from "../../../main/router/router-rows.ts";
import { routerReport } from "../../../shared/router-metrics/index.ts";
import { captureIO } from "../../helpers/cli-capture.ts";
import { syntheticRows, writeJsonl } from "../../helpers/router-data.ts";

function lastLines(out: string): { spearman: number; auc: number } {
  const lines = out.trim().split("\n");
  const s = /^spearman: (-?[\d.]+)$/.exec(lines[lines.length - 2] ?? "");
  const a = /^auc: (-?[\d.]+)$/.exec(lines[lines.length - 1] ?? "");
  expect(s, out).not.toBeNull();
  expect(a, out).not.toBeNull();
  return { spearman: Number(s![1]), auc: Number(a![1]) };
}

describe("arbitrage train-router", () => {
  const dir = mkdtempSync(join(tmpdir(), "train-router-cli-"));
  writeJsonl(join(dir, "train.jsonl"), syntheticRows({ problems: 150, stepsPerProblem: 5, seed: 11, signal: "planted" }));
  writeJsonl(join(dir, "heldout.jsonl"), syntheticRows({ problems: 60, stepsPerProblem: 5, seed: 12, signal: "planted" }));
  writeJsonl(join(dir, "noise.jsonl"), syntheticRows({ problems: 150, stepsPerProblem: 5, seed: 13, signal: "none" }));

  it("with --heldout: prints ρ and AUC last, and they are the saved model's on that file", async () => {
    const cli = captureIO(dir);
    expect(await main(["train-router", "--data", "train.jsonl", "--heldout", "heldout.jsonl", "--out", "light.json", "--seed", "2"], cli)).toBe(0);
    const { spearman, auc } = lastLines(cli.out());
    expect(auc).toBeGreaterThan(0.9);
    expect(spearman).toBeGreaterThan(0.5);
    expect(cli.out()).toContain("class-balanced downsampling");

    const router = loadLightRouter(join(dir, "light.json"));
    const held = readRouterRows(join(dir, "heldout.jsonl")).rows;
    const r = routerReport(held.map((row) => ({ score: router.scoreSync(rowToInput(row)), delta: row.delta })), { resamples: 10 });
    expect(r.spearman?.toFixed(4)).toBe(spearman.toFixed(4));
    expect(r.auc?.toFixed(4)).toBe(auc.toFixed(4));
    const training = router.file.training as Record<string, unknown>;
    expect(training["dataSha256"]).toBe(readRouterRows(join(dir, "train.jsonl")).sha256);
    expect(training).toMatchObject({ seed: 2, downsample: true, n: 750, heldout: { n: 300, auc: r.auc } });
  });

  it("with --split, --model mlp and --no-downsample; the held-out problems are the ones splitByProblem picks", async () => {
    const cli = captureIO(dir);
    expect(await main(["train-router", "--data", "train.jsonl", "--split", "0.3", "--model", "mlp", "--no-downsample", "--out", "mlp.json", "--seed", "4"], cli)).toBe(0);
    const { auc } = lastLines(cli.out());
    expect(auc).toBeGreaterThan(0.9);
    const router = loadLightRouter(join(dir, "mlp.json"));
    expect(router.file.model).toBe("mlp");
    const { train, heldout } = splitByProblem(readRouterRows(join(dir, "train.jsonl")).rows, 0.3, 4);
    expect(router.file.training).toMatchObject({ downsample: false, n: train.length, nUsed: train.length, heldout: { n: heldout.length, split: 0.3 } });
  });

  it("no signal, no skill: held-out AUC near 0.5", async () => {
    const cli = captureIO(dir);
    expect(await main(["train-router", "--data", "noise.jsonl", "--split", "0.4", "--out", "noise.json"], cli)).toBe(0);
    expect(Math.abs(lastLines(cli.out()).auc - 0.5)).toBeLessThan(0.1);
  });

  it("--features without prm_draft gives a router that needs no PRM; bad options are usage errors", async () => {
    const cli = captureIO(dir);
    expect(await main(["train-router", "--data", "train.jsonl", "--out", "nopr.json", "--features", "mean_logprob,min_logprob,mean_entropy,log_tokens,step_index"], cli)).toBe(0);
    expect(loadLightRouter(join(dir, "nopr.json")).file.features).not.toContain("prm_draft");
    expect(readFileSync(join(dir, "nopr.json"), "utf8")).toContain('"model": "logistic"');

    const bad = captureIO(dir);
    expect(await main(["train-router", "--data", "train.jsonl", "--out", "x.json", "--features", "mean_logprob,shoe_size"], bad)).toBe(2);
    expect(bad.err()).toMatch(/--features expects a comma-separated subset of mean_logprob, /);
    const both = captureIO(dir);
    expect(await main(["train-router", "--data", "train.jsonl", "--out", "x.json", "--split", "0.2", "--heldout", "heldout.jsonl"], both)).toBe(2);
    expect(both.err()).toContain("give --heldout or --split, not both");
    const model = captureIO(dir);
    expect(await main(["train-router", "--data", "train.jsonl", "--out", "x.json", "--model", "forest"], model)).toBe(2);
  });
});
