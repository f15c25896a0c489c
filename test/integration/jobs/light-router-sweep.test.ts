/**
 * The light router in a sweep: `generate` data from one sweep trains it, and the next sweep's
 * arbitrage method routes with it — reading the draft's own numbers (and the PRM's score of the
 * draft step when it was trained with it), never the target.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSweep } from "../../../main/jobs/sweep.ts";
import { saveLightRouter } from "../../../main/router/light-router.ts";
import { trainLightRouter } from "../../../main/router/light-train.ts";
import { readRouterRows } from "../../../main/router/router-rows.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { tinySpec } from "../../helpers/sweep-fixtures.ts";

const scratch = mkdtempSync(join(tmpdir(), "wb-light-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function spec(extra: Record<string, unknown>) {
  return resolveSweepSpec(parseSweepSpec(tinySpec(extra)), scratch);
}

let data: string;
beforeAll(async () => {
  await runSweep(spec({ methods: [{ method: "generate" }] }), { outDir: join(scratch, "gen") });
  data = join(scratch, "gen", "router-data.jsonl");
});

async function routeWith(features: string[], name: string) {
  const rows = readRouterRows(data).rows;
  const { file } = trainLightRouter(rows, { features: features as never, seed: 1, downsample: false });
  const path = join(scratch, `${name}.json`);
  saveLightRouter(path, file);
  const base = tinySpec();
  return runSweep(
    spec({ models: { ...base.models, router: path }, methods: [{ method: "arbitrage", thresholds: [0, 0.5, 1] }] }),
    { outDir: join(scratch, name) },
  );
}

describe("a light router as the arbitrage router", () => {
  it("routes on draft-side features, without a PRM call", async () => {
    expect(readRouterRows(data).rows.length).toBeGreaterThan(10);
    const out = await routeWith(["mean_logprob", "min_logprob", "mean_entropy", "log_tokens", "step_index"], "draft-only");
    const byId = new Map(out.summary.runs.map((r) => [r.id, r]));
    expect(byId.get("arbitrage@0")?.targetStepShare).toBe(1); // every score >= 0
    expect(byId.get("arbitrage@1")?.targetStepShare).toBe(0); // no score reaches 1
    for (const r of out.summary.runs) {
      expect(r.latencyMs.prm).toBe(0);
      expect(r.errors).toBe(1); // the fixture's one over-long problem
    }
    const step = out.records.find((r) => r.steps.length > 0)?.steps[0];
    expect(step?.router).toBeGreaterThan(0);
    expect(step?.prmDraft).toBeNull();
  });

  it("runs the PRM on the draft step first when the router reads its score", async () => {
    const out = await routeWith(["mean_logprob", "prm_draft"], "with-prm");
    for (const r of out.summary.runs) expect(r.latencyMs.prm).toBeGreaterThan(0);
    const step = out.records.find((r) => r.steps.length > 0)?.steps[0];
    expect(step?.prmDraft).not.toBeNull();
  });

  it("refuses a router that reads the PRM's score when no PRM is configured", async () => {
    const rows = readRouterRows(data).rows;
    const path = join(scratch, "needs-prm.json");
    saveLightRouter(path, trainLightRouter(rows, { features: ["prm_draft"] as never, seed: 1, downsample: false }).file);
    const base = tinySpec();
    const { prm: _prm, ...noPrm } = base.models;
    await expect(
      runSweep(spec({ models: { ...noPrm, router: path }, methods: [{ method: "arbitrage", thresholds: [0.5] }] }), { outDir: join(scratch, "no-prm") }),
    ).rejects.toThrow(/prm_draft.*configure models\.prm/);
  });
});
