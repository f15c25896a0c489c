/**
 * The Runs screen shows a run whose problems failed on a server as such, not as "complete" or a
 * mere "partial": the run folder is made by a real sweep against the OpenAI-compatible test server
 * with two requests answered 503, then listed by `arbitrage serve` in headless Chromium.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../main/cli/index.ts";
import { CHROMIUM_ARGS, chromiumOrSkipMessage } from "../helpers/chromium.ts";
import { captureIO } from "../helpers/cli-capture.ts";
import { fixtureModel } from "../helpers/fixtures.ts";
import { OpenAiTestServer } from "../helpers/openai-test-server.ts";
import { ensureRendererBuilt, startServe, type Served } from "../helpers/serve.ts";
import { TINY_DATASET } from "../helpers/sweep-fixtures.ts";

const exe = chromiumOrSkipMessage("the end-to-end browser tests (test/e2e)");

describe.skipIf(exe === null)("a run with failed problems in the Runs screen", () => {
  let work: string;
  let server: OpenAiTestServer;
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "e2e-failed-"));
    server = await OpenAiTestServer.start({ lms: { "draft-m": fixtureModel("steps-draft"), "target-m": fixtureModel("steps-target") } });
    const http = (model: string) => ({ baseUrl: server.baseUrl, model, retries: 0, cooldownMs: 0, timeoutMs: 300_000 });
    const spec = {
      name: "lost-problems",
      models: { draft: { http: http("draft-m"), tokenizer: fixtureModel("steps-draft") }, target: { http: http("target-m"), tokenizer: fixtureModel("steps-target") } },
      dataset: { path: TINY_DATASET },
      methods: [{ method: "target" }],
    };
    writeFileSync(join(work, "spec.json"), JSON.stringify(spec));
    server.setFault({ kind: "503", count: 2, paths: ["/v1/completions"] });
    const code = await main(["sweep", "--spec", join(work, "spec.json"), "--out", join(work, "runs", "lost"), "--parallel", "1"], captureIO(work));
    server.setFault(null);
    expect(code).toBe(3);
    await ensureRendererBuilt();
    served = await startServe(["--runs", join(work, "runs")]);
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await server?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("lists the run folder with its failed pairs, not as complete", async () => {
    const page = await browser.newPage();
    await page.goto(`${served.url}#/runs`);
    const row = page.locator("[data-table=folder-runs] tbody tr", { hasText: "lost-problems" });
    await row.waitFor({ timeout: 30_000 });
    const pill = row.locator('[data-state="problems-failed"]');
    expect(await pill.textContent()).toBe("2 failed");
    expect(await pill.getAttribute("title")).toMatch(/--resume/);
    expect(await row.textContent()).not.toMatch(/complete/);
    await page.close();
  }, 60_000);
});
