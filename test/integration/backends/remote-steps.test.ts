/**
 * A served model's steps as a local one's: the step features router data is made of are the same
 * for the same step (a server lists the EOS token that ended a step in its logprobs; a local model
 * has no entry for it), and a server's Retry-After is waited for even beyond the backoff's cap.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveHttpSettings } from "../../../main/backends/http/config.ts";
import { HttpLanguageModel } from "../../../main/backends/http/http-lm.ts";
import { journalRecords, type JournalEntry } from "../../../main/jobs/journal-records.ts";
import { runSweep } from "../../../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { OpenAiTestServer } from "../../helpers/openai-test-server.ts";
import { tinySpec } from "../../helpers/sweep-fixtures.ts";

const scratch = mkdtempSync(join(tmpdir(), "wb-remote-steps-"));
let server: OpenAiTestServer;

beforeAll(async () => {
  server = await OpenAiTestServer.start({
    lms: { "draft-m": fixtureModel("steps-draft"), "target-m": fixtureModel("steps-target") },
    scorers: { "prm-m": fixtureModel("prm-skywork") },
  });
});

afterAll(async () => {
  await server?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

function generateSpec(models: Record<string, unknown>) {
  const base = tinySpec();
  return resolveSweepSpec(parseSweepSpec({ ...base, models: { ...models, router: undefined }, methods: [{ method: "generate" }], dataset: { path: base.dataset.path, ids: ["tiny-00", "tiny-02"] } }), scratch);
}

/** A generate sweep's router-data rows: each one's draft features but the entropy (a server returns only its top alternatives). */
async function rowFeatures(models: Record<string, unknown>, dir: string) {
  const o = await runSweep(generateSpec(models), { outDir: join(scratch, dir) });
  expect(o.complete).toBe(true);
  const lines = readFileSync(join(scratch, dir, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as JournalEntry);
  return journalRecords(lines, false).entries.flatMap((e) =>
    (e.rows ?? []).map((r) => ({ problem: e.record.problemId, step: r.step_index, tokens: r.draft_features.tokens, mean: r.draft_features.mean_logprob, min: r.draft_features.min_logprob })),
  );
}

describe("remote steps", () => {
  it("have the local steps' features, the last step (ended at EOS) included", { timeout: 300_000 }, async () => {
    const localModels = { draft: fixtureModel("steps-draft"), target: fixtureModel("steps-target"), prm: fixtureModel("prm-skywork") };
    const http = (model: string) => ({ baseUrl: server.baseUrl, model, retries: 0, timeoutMs: 300_000 });
    const remoteModels = {
      draft: { http: http("draft-m"), tokenizer: fixtureModel("steps-draft") },
      target: { http: http("target-m"), tokenizer: fixtureModel("steps-target") },
      prm: { http: http("prm-m"), tokenizer: fixtureModel("prm-skywork") },
    };
    const local = await rowFeatures(localModels, "local");
    const remote = await rowFeatures(remoteModels, "remote");
    expect(local.length).toBeGreaterThanOrEqual(6);
    // The scripted draft's last step ends at EOS: the server listed that token in its logprobs.
    expect(remote).toHaveLength(local.length);
    for (const [i, l] of local.entries()) {
      const r = remote[i] as (typeof remote)[number];
      expect([r.problem, r.step, r.tokens]).toEqual([l.problem, l.step, l.tokens]);
      expect(r.mean).toBeCloseTo(l.mean, 6);
      expect(r.min).toBeCloseTo(l.min, 6);
    }
  });

  it("wait for the server's Retry-After in full, though it is longer than the backoff's cap", { timeout: 60_000 }, async () => {
    const settings = resolveHttpSettings({ baseUrl: server.baseUrl, model: "draft-m", retries: 1, retryBaseMs: 10, retryMaxMs: 50 }, "models.draft.http");
    const lm = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings, "draft");
    server.setFault({ kind: "429", count: 1, retryAfter: "1", paths: ["/v1/completions"] });
    try {
      const t0 = performance.now();
      const out = await lm.generateStep({ context: "<bos>Question: What is 1+2?\nAnswer:\n", decoding: { temperature: 0 } });
      const waited = performance.now() - t0;
      expect(out.text).toBe("First 1.");
      expect((out as { remote: { attempts: number } }).remote.attempts).toBe(2);
      expect(waited).toBeGreaterThanOrEqual(1000);
    } finally {
      server.setFault(null);
      await lm.dispose();
    }
  });
});
