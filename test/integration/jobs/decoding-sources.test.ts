/**
 * Decoding settings and where each came from, as docs/sweeps.md states them: the spec's values win;
 * top_p / top_k / seed it leaves out come from the model's generation_config.json (char-lm's turns
 * sampling on: temperature 0.7, top_p 0.8, top_k 20), else the engine's defaults; the temperature a
 * spec leaves out is 0 (sweeps are greedy), never the file's. run.json records values and sources.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runSweep } from "../../../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { TINY_DATASET } from "../../helpers/sweep-fixtures.ts";

const scratch = mkdtempSync(join(tmpdir(), "wb-decoding-sources-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function specWith(decoding: Record<string, unknown> | undefined) {
  const spec = parseSweepSpec({
    models: { draft: fixtureModel("char-lm"), target: fixtureModel("steps-target") },
    dataset: { path: TINY_DATASET, ids: ["tiny-00"] },
    prompt: { kind: "chat-template" },
    methods: [{ method: "draft" }],
    decoding: { ...decoding, maxSteps: 1, maxStepTokens: 4 },
  });
  return resolveSweepSpec(spec, scratch);
}

async function runJsonDecoding(decoding: Record<string, unknown> | undefined, dir: string) {
  const resolved = specWith(decoding);
  await runSweep(resolved, { outDir: join(scratch, dir) });
  const run = JSON.parse(readFileSync(join(scratch, dir, "run.json"), "utf8")) as { decoding: { draft: unknown; target: unknown }; resolved: { decoding: Record<string, unknown> } };
  return { run, resolved };
}

/** Makes a run folder's run.json look like one an earlier version wrote: topP, topK, seed pinned. */
function pinLikeEarlierVersions(dir: string): void {
  const path = join(scratch, dir, "run.json");
  const run = JSON.parse(readFileSync(path, "utf8")) as { resolved: { decoding: Record<string, unknown> } };
  Object.assign(run.resolved.decoding, { topP: 1, topK: 0, seed: 0 });
  writeFileSync(path, JSON.stringify(run));
}

describe("decoding settings a sweep runs with", () => {
  it("take top_p and top_k the spec leaves out from the model's generation_config.json, and say so", { timeout: 120_000 }, async () => {
    const { run, resolved } = await runJsonDecoding({ temperature: 0.7, seed: 1 }, "sampling");
    expect(resolved.decoding).not.toHaveProperty("topP");
    expect(resolved.decoding).not.toHaveProperty("topK");
    expect(run.decoding.draft).toEqual({
      temperature: 0.7,
      topP: 0.8,
      topK: 20,
      seed: 1,
      sources: { temperature: "caller", topP: "generation_config", topK: "generation_config", seed: "caller" },
    });
    // steps-target's generation_config.json says do_sample: false — it has no sampling settings to give.
    expect(run.decoding.target).toEqual({ temperature: 0.7, topP: 1, topK: 0, seed: 1, sources: { temperature: "caller", topP: "default", topK: "default", seed: "caller" } });
  });

  it("keep the spec's own values over the file's", { timeout: 120_000 }, async () => {
    const { run } = await runJsonDecoding({ temperature: 0.5, topP: 0.95, topK: 0, seed: 2 }, "pinned");
    expect(run.decoding.draft).toEqual({ temperature: 0.5, topP: 0.95, topK: 0, seed: 2, sources: { temperature: "caller", topP: "caller", topK: "caller", seed: "caller" } });
  });

  it("are greedy when the spec gives no temperature, whatever the file says", { timeout: 120_000 }, async () => {
    const { run } = await runJsonDecoding(undefined, "greedy");
    expect(run.decoding.draft).toMatchObject({ temperature: 0, seed: 0, sources: { temperature: "caller", seed: "default" } });
  });
});

describe("resuming a run folder an earlier version made", () => {
  it("works for a greedy run whose run.json pinned topP, topK and seed; not for a sampled one", { timeout: 120_000 }, async () => {
    const { resolved } = await runJsonDecoding({ temperature: 0 }, "old-greedy");
    pinLikeEarlierVersions("old-greedy");
    expect((await runSweep(resolved, { outDir: join(scratch, "old-greedy"), resume: true })).complete).toBe(true);
    // With sampling on, topP and topK now come from the model's file: a different run.
    const sampled = (await runJsonDecoding({ temperature: 0.7 }, "old-sampled")).resolved;
    pinLikeEarlierVersions("old-sampled");
    await expect(runSweep(sampled, { outDir: join(scratch, "old-sampled"), resume: true })).rejects.toThrow(/the spec differs/);
  });
});
