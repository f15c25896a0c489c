/** loadRouter: a folder is an ONNX router read through StepScorer, a .json file is a light router. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWorkbenchError } from "../../../shared/errors.ts";
import { StepScorer } from "../../../main/engine/scorer.ts";
import { saveLightRouter } from "../../../main/router/light-router.ts";
import { trainLightRouter } from "../../../main/router/light-train.ts";
import { rowToInput } from "../../../main/router/router-input.ts";
import { loadRouter, type RouterModel } from "../../../main/router/router-model.ts";
import { parseRouterRows, readRouterRows } from "../../../main/router/router-rows.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { routerFixture, syntheticRows, toJsonl } from "../../helpers/router-data.ts";

const HELDOUT = routerFixture("heldout.jsonl");
const tmp = mkdtempSync(join(tmpdir(), "load-router-"));

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return null;
}

describe("loadRouter", () => {
  let onnx: RouterModel;
  let scorer: StepScorer;
  beforeAll(async () => {
    onnx = await loadRouter(fixtureModel("router"), { intraOpThreads: 1 });
    scorer = await StepScorer.load(fixtureModel("router"), { intraOpThreads: 1 });
  });
  afterAll(async () => {
    await onnx.dispose();
    await scorer.dispose();
  });

  it("a model folder is an ONNX router whose score is the scorer's for [...context, draft] with sources [..., 0]", async () => {
    expect(onnx.kind).toBe("onnx");
    expect(onnx.name).toBe("router");
    const { rows } = readRouterRows(HELDOUT);
    for (const row of rows) {
      const r = await onnx.score(rowToInput(row));
      const direct = await scorer.score(row.question, [...row.contextSteps, row.draftStep], { sources: [...row.contextSources, 0] });
      expect(r.score).toBe(direct.score);
      expect(r.ms).toBeGreaterThan(0);
    }
  });

  it("the annotations reach the scorer: who wrote a context step changes the score", async () => {
    const row = readRouterRows(HELDOUT).rows.find((r) => r.contextSources.includes(1))!;
    const asIs = await onnx.score(rowToInput(row));
    const flipped = await onnx.score({ ...rowToInput(row), sources: [...row.contextSources.map(() => 0 as const), 0] });
    expect(flipped.score).not.toBe(asIs.score);
  });

  it("a .json file is a light router", async () => {
    const { rows } = parseRouterRows(toJsonl(syntheticRows({ problems: 20, stepsPerProblem: 4, seed: 1, signal: "planted" })));
    const path = join(tmp, "my-light.json");
    saveLightRouter(path, trainLightRouter(rows).file);
    const light = await loadRouter(path);
    expect(light.kind).toBe("light");
    expect(light.name).toBe("my-light");
    expect((await light.score(rowToInput(rows[0]!))).score).toBeGreaterThan(0);
    await light.dispose();
  });

  it("refuses a PRM folder, another kind of file, and a missing path, saying what was expected", async () => {
    const prm = await errorOf(loadRouter(fixtureModel("prm-skywork")));
    expect(isWorkbenchError(prm, "bad-model")).toBe(true);
    expect(String(prm)).toMatch(/"skywork-prm" scorer, not a router.*"arbitrage-router"/);
    const txt = join(tmp, "router.txt");
    writeFileSync(txt, "hello");
    expect(String(await errorOf(loadRouter(txt)))).toMatch(/expected a model folder \(ONNX router\) or a \.json light router file/);
    const missing = await errorOf(loadRouter(join(tmp, "nope")));
    expect(isWorkbenchError(missing, "missing-file")).toBe(true);
  });
});
