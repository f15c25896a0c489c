/**
 * The light router: it must find a planted signal (the oracle label depends on the draft's mean
 * log-probability), find nothing where there is nothing, balance classes as told, and score the
 * same after a save/load round trip.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { routerReport } from "../../../shared/router-metrics/index.ts";
import { isWorkbenchError } from "../../../shared/errors.ts";
import { LightRouter, loadLightRouter, saveLightRouter } from "../../../main/router/light-router.ts";
import { balancedDownsample, splitByProblem, trainLightRouter } from "../../../main/router/light-train.ts";
import { rowToInput } from "../../../main/router/router-input.ts";
import { parseRouterRows, type RouterRow } from "../../../main/router/router-rows.ts";
import { fitLogistic } from "../../../main/router/fit-logistic.ts";
import { syntheticRows, toJsonl } from "../../helpers/router-data.ts";

const tmp = mkdtempSync(join(tmpdir(), "light-router-"));

function rowsOf(signal: "planted" | "none", seed: number): RouterRow[] {
  const { rows, bad } = parseRouterRows(toJsonl(syntheticRows({ problems: 200, stepsPerProblem: 6, seed, signal })));
  expect(bad).toEqual([]);
  return rows;
}

function heldoutAuc(router: LightRouter, rows: readonly RouterRow[]): { auc: number | null; spearman: number | null } {
  const r = routerReport(
    rows.map((row) => ({ score: router.scoreSync(rowToInput(row)), delta: row.delta })),
    { resamples: 10 },
  );
  return { auc: r.auc, spearman: r.spearman };
}

describe("light router training", () => {
  const planted = rowsOf("planted", 1);
  const { train, heldout } = splitByProblem(planted, 0.25, 5);

  it("logistic regression finds the planted signal: held-out AUC > 0.9, weight on mean_logprob negative", () => {
    const { file } = trainLightRouter(train, { seed: 3 });
    expect(file.features).toEqual(["mean_logprob", "min_logprob", "mean_entropy", "log_tokens", "step_index", "prm_draft"]);
    const w = file.logistic?.weights ?? [];
    // Low log-probability → the target would do better: the escalate score falls as mean_logprob rises,
    // and it is the largest weight by far.
    expect(w[0]).toBeLessThan(0);
    expect(Math.abs(w[0] as number)).toBeGreaterThan(3 * Math.max(...w.slice(2).map(Math.abs)));
    const { auc, spearman } = heldoutAuc(new LightRouter(file, "planted"), heldout);
    expect(auc).toBeGreaterThan(0.9);
    expect(spearman).toBeGreaterThan(0.5);
  });

  it("the MLP finds it too", () => {
    const { file } = trainLightRouter(train, { seed: 3, model: "mlp", epochs: 300 });
    expect(file.mlp?.hidden.weights).toHaveLength(8);
    expect(heldoutAuc(new LightRouter(file, "mlp"), heldout).auc).toBeGreaterThan(0.9);
  });

  it("no-signal control: held-out AUC near 0.5", () => {
    const none = rowsOf("none", 2);
    const split = splitByProblem(none, 0.5, 5);
    for (const model of ["logistic", "mlp"] as const) {
      const { file } = trainLightRouter(split.train, { seed: 3, model, epochs: 200 });
      const { auc } = heldoutAuc(new LightRouter(file, model), split.heldout);
      // ~600 held-out rows: the AUC of a useless score has a standard deviation near 0.024.
      expect(Math.abs((auc as number) - 0.5)).toBeLessThan(0.1);
    }
  });

  it("downsampling balances the classes, seeded; --no-downsample keeps every row", () => {
    const a = trainLightRouter(train, { seed: 9 });
    expect(a.balance.after.accept).toBe(a.balance.after.escalate);
    expect(a.balance.after.escalate).toBe(Math.min(a.balance.before.accept, a.balance.before.escalate));
    expect(a.file.training).toMatchObject({ n: train.length, nUsed: a.balance.after.n, seed: 9, downsample: true });
    expect(trainLightRouter(train, { seed: 9 }).file).toEqual(a.file);
    const b = trainLightRouter(train, { seed: 9, downsample: false });
    expect(b.balance.after).toEqual(b.balance.before);
    expect(b.file.training["nUsed"]).toBe(train.length);
  });

  it("balancedDownsample keeps the minority whole and the original order", () => {
    const rows = [1, 0, 0, 1, 0, 0, 0].map((label, i) => ({ label: label as 0 | 1, i }));
    const kept = balancedDownsample(rows, 4);
    expect(kept.filter((r) => r.label === 1).map((r) => r.i)).toEqual([0, 3]);
    expect(kept.filter((r) => r.label === 0)).toHaveLength(2);
    expect(kept.map((r) => r.i)).toEqual([...kept.map((r) => r.i)].sort((x, y) => x - y));
    expect(balancedDownsample(rows, 4)).toEqual(kept);
  });

  it("the split is by problem: no problem on both sides", () => {
    const trainIds = new Set(train.map((r) => r.problemId));
    expect(heldout.some((r) => trainIds.has(r.problemId))).toBe(false);
    expect(heldout.length + train.length).toBe(planted.length);
    expect(new Set(heldout.map((r) => r.problemId)).size).toBe(50);
  });

  it("a chosen feature subset is what the model uses; one class only is refused", () => {
    const { file } = trainLightRouter(train, { features: ["mean_logprob", "step_index"] });
    expect(file.features).toEqual(["mean_logprob", "step_index"]);
    const zeros = train.filter((r) => r.label === 0);
    expect(() => trainLightRouter(zeros)).toThrow(/only one class/);
  });
});

describe("light router model file", () => {
  const rows = rowsOf("planted", 4);
  const { file } = trainLightRouter(rows, { seed: 1, provenance: { dataFile: "synthetic.jsonl", dataSha256: "abc" } });

  it("save → load gives the same scores, bit for bit, and keeps the provenance", () => {
    const path = join(tmp, "light.json");
    saveLightRouter(path, file);
    const loaded = loadLightRouter(path);
    expect(loaded.name).toBe("light");
    expect(loaded.kind).toBe("light");
    const original = new LightRouter(file, "x");
    for (const row of rows.slice(0, 50)) expect(loaded.scoreSync(rowToInput(row))).toBe(original.scoreSync(rowToInput(row)));
    expect(loaded.file.training).toMatchObject({ dataFile: "synthetic.jsonl", dataSha256: "abc", n: rows.length, seed: 1 });
    const mlp = trainLightRouter(rows, { model: "mlp", epochs: 50 }).file;
    saveLightRouter(join(tmp, "mlp.json"), mlp);
    const mlpLoaded = loadLightRouter(join(tmp, "mlp.json"));
    const row = rowToInput(rows[0] as RouterRow);
    expect(mlpLoaded.scoreSync(row)).toBe(new LightRouter(mlp, "m").scoreSync(row));
  });

  it("a missing feature is an error naming it and where it comes from", async () => {
    const router = new LightRouter(file, "light");
    const input = rowToInput(rows[0] as RouterRow);
    await expect(router.score({ ...input, prmDraft: null })).rejects.toThrow(/needs feature "prm_draft".*configure a PRM/);
    expect(() => router.scoreSync({ ...input, draftFeatures: null })).toThrow(/needs feature "mean_logprob"/);
    const r = await router.score(input);
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThan(1);
    expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it("a damaged file is refused with what is wrong", () => {
    const path = join(tmp, "bad.json");
    const raw = JSON.parse(JSON.stringify(file)) as Record<string, unknown>;
    (raw["logistic"] as { weights: number[] }).weights.pop();
    raw["features"] = [...(raw["features"] as string[]).slice(0, -1), "shoe_size"];
    writeFileSync(path, JSON.stringify(raw));
    let err: unknown;
    try {
      loadLightRouter(path);
    } catch (e) {
      err = e;
    }
    expect(isWorkbenchError(err, "bad-model")).toBe(true);
    expect(String((err as Error).message)).toMatch(/features\.5/);
    writeFileSync(path, "{ not json");
    expect(() => loadLightRouter(path)).toThrow(/not valid JSON/);
    expect(() => loadLightRouter(join(tmp, "absent.json"))).toThrow(/not found/);
    expect(readFileSync(join(tmp, "light.json"), "utf8")).toContain('"format": "arbitrage-light-router"');
  });
});

describe("fitLogistic", () => {
  it("matches the closed form on a 2×2 table: logit of each group's observed rate (λ ≈ 0)", () => {
    // x = −1: 1 of 4 positive; x = +1: 3 of 4 positive → logit(1/4) = −ln 3, logit(3/4) = ln 3,
    // so w = ln 3 and b = 0 (unpenalised).
    const x = [[-1], [-1], [-1], [-1], [1], [1], [1], [1]];
    const y: (0 | 1)[] = [1, 0, 0, 0, 1, 1, 1, 0];
    const fit = fitLogistic(x, y, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.weights[0]).toBeCloseTo(Math.log(3), 8);
    expect(fit.bias).toBeCloseTo(0, 8);
  });

  it("stays finite on separable data thanks to the ridge", () => {
    const fit = fitLogistic([[-2], [-1], [1], [2]], [0, 0, 1, 1], { l2: 1 });
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(0);
  });
});
