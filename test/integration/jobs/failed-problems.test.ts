/**
 * A sweep that lost problems to a server says so: `arbitrage sweep` ends with exit code 3 and the
 * line "N of M problems failed (backend): run again with --resume to retry them", summary.json says
 * `complete: false` with the errors per kind, the run history shows the failed pairs, and a resume
 * once the server answers again finishes the run (exit 0, complete).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns } from "../../../main/api/runs.ts";
import { main } from "../../../main/cli/index.ts";
import { captureIO } from "../../helpers/cli-capture.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { OpenAiTestServer } from "../../helpers/openai-test-server.ts";
import { TINY_DATASET } from "../../helpers/sweep-fixtures.ts";

const scratch = mkdtempSync(join(tmpdir(), "wb-failed-problems-"));
let server: OpenAiTestServer;

beforeAll(async () => {
  server = await OpenAiTestServer.start({ lms: { "draft-m": fixtureModel("steps-draft"), "target-m": fixtureModel("steps-target") } });
});

afterAll(async () => {
  await server?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

function writeSpec(): string {
  const http = (model: string) => ({ baseUrl: server.baseUrl, model, retries: 0, retryBaseMs: 1, retryMaxMs: 1, cooldownMs: 0, timeoutMs: 300_000 });
  const spec = {
    name: "failing",
    models: {
      draft: { http: http("draft-m"), tokenizer: fixtureModel("steps-draft") },
      target: { http: http("target-m"), tokenizer: fixtureModel("steps-target") },
    },
    dataset: { path: TINY_DATASET },
    methods: [{ method: "target" }],
    decoding: { temperature: 0, seed: 0 },
  };
  const path = join(scratch, "spec.json");
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

describe("a sweep whose server failed some problems", () => {
  it("ends with exit code 3 and a last line saying how many failed and what to do; summary.json and the run list agree; --resume finishes it", { timeout: 300_000 }, async () => {
    const specPath = writeSpec();
    const out = join(scratch, "runs", "failing");
    // One pair at a time, no retries: the first two requests (the first calls of the first two
    // problems) get a 503; nothing else may fail, so the timeout is generous for a loaded machine.
    server.setFault({ kind: "503", count: 2, paths: ["/v1/completions"] });
    const io = captureIO(scratch);
    const code = await main(["sweep", "--spec", specPath, "--out", out, "--parallel", "1"], io);
    server.setFault(null);
    expect(code).toBe(3);
    const lastLine = io.err().trim().split("\n").at(-1);
    expect(lastLine).toBe("2 of 7 problems failed (backend): run again with --resume to retry them");
    expect(io.out()).toMatch(/run folder: /);

    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { complete: boolean; errors: Record<string, number> };
    expect(summary.complete).toBe(false);
    // The over-long problem is an outcome (context-too-long), not a failure to retry.
    expect(summary.errors).toEqual({ backend: 2, "context-too-long": 1 });
    const listed = await listRuns(join(scratch, "runs"), () => false);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ complete: false, failed: 2, records: 7 });

    const again = captureIO(scratch);
    expect(await main(["sweep", "--spec", specPath, "--out", out, "--resume"], again)).toBe(0);
    expect(again.err()).not.toMatch(/problems failed/);
    const resumed = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { complete: boolean; errors: Record<string, number> };
    expect(resumed).toMatchObject({ complete: true, errors: { "context-too-long": 1 } });
    expect((await listRuns(join(scratch, "runs"), () => false))[0]).toMatchObject({ complete: true, failed: 0 });
  });

  it("documents exit code 3 beside the others", async () => {
    const io = captureIO(scratch);
    expect(await main(["sweep", "--help"], io)).toBe(0);
    expect(io.out()).toMatch(/3 every pair ran but some failed on a server/);
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toMatch(/0 \(done\), 1 \(failed\), 2 \(usage\), 3 \([^)]*failed on a server[^)]*\), 130/);
  });
});
