/**
 * The workbench end to end, in headless Chromium against `arbitrage serve`: set up the fixture
 * models and benchmark, run a small sweep from the UI, see the five plots drawn with data, export
 * an SVG, a PNG and a CSV and check them, compare with a run folder the CLI made, reload and find
 * the run still stored, and check that the API refuses a request without the token. Screenshots of
 * every screen go to test-artifacts/ (git-ignored).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SweepSummary } from "../../shared/results.ts";
import { CHROMIUM_ARGS, chromiumOrSkipMessage } from "../helpers/chromium.ts";
import { fixtureModel } from "../helpers/fixtures.ts";
import { TINY_RUN } from "../helpers/run-fixture.ts";
import { ensureRendererBuilt, ROOT, startServe, type Served } from "../helpers/serve.ts";
import { TINY_DATASET } from "../helpers/sweep-fixtures.ts";

const exe = chromiumOrSkipMessage("the end-to-end browser tests (test/e2e)");
const ARTIFACTS = join(ROOT, "test-artifacts");

describe.skipIf(exe === null)("workbench in a browser (serve mode)", () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let work: string;
  let runDir = "";
  const pageErrors: string[] = [];
  const workers: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `e2e-${name}.png`), fullPage: true });
  const marks = (plot: string, selector: string) => page.locator(`[data-plot="${plot}"] ${selector}`).count();
  const download = async (plot: string, kind: "svg" | "png" | "csv" | "json") => {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.locator(`[data-plot="${plot}"] [data-export="${kind}"]`).first().click()]);
    const path = join(work, `${plot}.${kind}`);
    await dl.saveAs(path);
    return { name: dl.suggestedFilename(), path };
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    work = mkdtempSync(join(tmpdir(), "e2e-"));
    await ensureRendererBuilt();
    served = await startServe(["--runs", join(work, "runs")]);
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("worker", (w) => workers.push(w.url()));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("refuses API requests without the right token", async () => {
    const call = (headers: Record<string, string>, query = "") =>
      fetch(`${served.origin}/api/app.info${query}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: "Bearer not-the-token" })).status).toBe(401);
    expect((await call({}, "?token=wrong")).status).toBe(401);
    const ok = await call({ authorization: `Bearer ${served.token}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("fills the demo suite in one click when it is installed (else says it is not)", async () => {
    await page.goto(served.url);
    const info = (await (await fetch(`${served.origin}/api/app.info`, { method: "POST", headers: { authorization: `Bearer ${served.token}`, "content-type": "application/json" }, body: "{}" })).json()) as {
      value: { demo: { available: boolean; models: Record<string, string> } };
    };
    const button = page.locator('[data-action="use-demo"]');
    await page.waitForSelector('[data-action="use-demo"]');
    if (!info.value.demo.available) {
      process.stderr.write("e2e: the demo suite is not installed (assets/models/demo-*): checking the fixture models only\n");
      await page.waitForSelector("text=demo suite not installed");
      expect(await button.isDisabled()).toBe(true);
      return;
    }
    await button.click();
    for (const role of ["draft", "target", "prm", "router"]) {
      expect(await page.inputValue(`#model-${role}`)).toBe(info.value.demo.models[role]);
      await page.waitForSelector(`[data-model="${role}"] [data-detected]`, { timeout: 120_000 });
    }
    await shot("setup-demo");
  }, 180_000);

  it("sets up the models and the benchmark, validating the sweep as it is typed", async () => {
    await page.goto(served.url);
    for (const role of ["draft", "target", "prm", "router"] as const) {
      const dir = { draft: "steps-draft", target: "steps-target", prm: "prm-skywork", router: "router" }[role];
      await page.fill(`#model-${role}`, fixtureModel(dir));
    }
    // A file with broken lines first: the preview lists them.
    await page.fill("#dataset-path", join(ROOT, "test/fixtures/datasets/bad-lines.jsonl"));
    await page.waitForSelector("[data-unreadable]", { timeout: 90_000 });
    expect(await page.locator("[data-unreadable]").textContent()).toMatch(/line \d+/);
    await page.locator('[data-panel="dataset"]').screenshot({ path: join(ARTIFACTS, "e2e-setup-unreadable-lines.png") });
    await page.fill("#dataset-path", TINY_DATASET);
    await page.fill("#sweep-name", "e2e");
    await page.fill("#slice-limit", "3");
    await page.fill('[data-thresholds="rsd"]', "0, 0.3, 0.5, 1");
    await page.fill('[data-thresholds="arbitrage"]', "0, 0.4, 0.5, 1");
    await page.fill('[data-thresholds="oracle"]', "-1, 0, 0.5");
    for (const role of ["draft", "target", "prm", "router"]) await page.waitForSelector(`[data-model="${role}"] [data-detected]`, { timeout: 90_000 });
    expect(await page.locator('[data-model="draft"] [data-detected="lm"]').textContent()).toContain("TinyDecoderForCausalLM");
    expect(await page.locator('[data-model="router"] [data-detected="scorer"]').textContent()).toContain("arbitrage-router");
    // The earlier file's preview stays until the new one is read: wait for the new one.
    await page.locator("[data-preview=dataset]", { hasText: "7 problems" }).waitFor({ timeout: 60_000 });
    expect(await page.locator("[data-unreadable]").count()).toBe(0);

    // A bad threshold is flagged as it is typed and blocks the start; fixing it clears it.
    await page.fill('[data-thresholds="rsd"]', "0, x");
    await page.waitForSelector('[data-thresholds="rsd"][aria-invalid="true"]');
    expect(await page.locator("[data-issues]").textContent()).toContain("not numbers: x");
    expect(await page.locator('[data-action="start-sweep"]').isDisabled()).toBe(true);
    await page.fill('[data-thresholds="rsd"]', "0, 0.3, 0.5, 1");
    await page.waitForSelector('[data-validation="valid"]', { timeout: 30_000 });
    expect(await page.locator('[data-validation="valid"]').textContent()).toContain("13 configurations");
    // Beside the start: the pairs, and a duration said to be unknown until the models are timed (not invented).
    const estimate = await page.locator("[data-estimate]").textContent();
    expect(estimate).toMatch(/^[\d,]+ pairs; time unknown until the sweep has timed the models/);
    expect(estimate).toContain("thresholds share the steps");
    await shot("setup");
  }, 180_000);

  it("runs the sweep from the UI and imports it into the store", async () => {
    await page.click('[data-action="start-sweep"]');
    await page.waitForSelector("[data-sweep]");
    await shot("runs-running");
    await page.waitForSelector('[data-sweep][data-status="complete"]', { timeout: 120_000 });
    await page.waitForSelector('[data-import][data-status="done"]', { timeout: 120_000 });
    runDir = (await page.locator("[data-import]").getAttribute("data-import")) ?? "";
    expect(runDir.startsWith(join(work, "runs"))).toBe(true);
    // The router analysis ran in the Web Worker, not on the UI thread.
    expect(workers.some((u) => u.endsWith("/aggregate-worker.js"))).toBe(true);
    await shot("runs");
  }, 240_000);

  it("draws the five plots with data, the threshold on hover", async () => {
    await page.locator('[data-import] a:has-text("Plots")').click();
    await page.waitForSelector('[data-plot="step-trace"] .recharts-bar-rectangle', { timeout: 60_000 });
    await page.waitForSelector('[data-plot="router-scatter"] .recharts-scatter-symbol', { timeout: 60_000 });
    // 4 + 4 + 3 threshold points and the two reference points.
    expect(await marks("acceptance-accuracy", ".recharts-scatter-symbol")).toBe(13);
    expect(await marks("accuracy-latency", ".recharts-scatter-symbol")).toBeGreaterThanOrEqual(13);
    expect(await marks("accuracy-latency", ".recharts-reference-line")).toBe(2); // the matched segment and the stated accuracy's interval
    expect(await marks("latency-breakdown", ".recharts-bar-rectangle")).toBeGreaterThanOrEqual(13);
    expect(await marks("router-scatter", ".recharts-scatter-symbol")).toBeGreaterThan(2);
    expect(await marks("router-calibration", ".recharts-scatter-symbol")).toBeGreaterThan(0);
    expect(await marks("step-trace", ".recharts-bar-rectangle")).toBeGreaterThan(0);
    expect(await page.locator('[data-plot="step-trace"] del.discarded').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-plot="router-scatter"] .subtitle').textContent()).toMatch(/Spearman ρ = -?\d\.\d{3} \[/);

    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8")) as SweepSummary;
    const rsd03 = summary.runs.find((c) => c.id === "rsd@0.3")!;
    // Hover the RSD series' second point (δ = 0.3): the tooltip names the threshold.
    await page.locator('[data-plot="acceptance-accuracy"] .recharts-scatter').first().locator(".recharts-scatter-symbol").nth(1).hover();
    const tip = page.locator('[data-plot="acceptance-accuracy"] .tip');
    await tip.waitFor();
    expect(await tip.textContent()).toContain("rsd@0.3");
    expect(await tip.textContent()).toContain(`threshold0.3`);
    expect(await tip.textContent()).toContain(`${(rsd03.acceptanceRate! * 100).toFixed(1)} %`);
    await page.mouse.move(0, 0);
    await shot("plots");
  }, 120_000);

  it("exports a plot as SVG and PNG and its data as CSV", async () => {
    const svg = await download("acceptance-accuracy", "svg");
    expect(svg.name).toBe("e2e-acceptance-accuracy.svg");
    const text = readFileSync(svg.path, "utf8");
    expect(text.startsWith("<?xml")).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text).toContain("Acceptance rate vs accuracy");
    expect(text).toContain("RSD (PRM ≥ δ keeps the draft)");
    expect(text.match(/recharts-scatter-symbol/g)?.length).toBe(13);
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(text)?.[1]);

    const png = await download("acceptance-accuracy", "png");
    const bytes = readFileSync(png.path);
    copyFileSync(svg.path, join(ARTIFACTS, "e2e-export-acceptance-accuracy.svg"));
    copyFileSync(png.path, join(ARTIFACTS, "e2e-export-acceptance-accuracy.png"));
    expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(bytes.readUInt32BE(16)).toBe(width * 3); // IHDR width: print resolution

    const csv = await download("latency-breakdown", "csv");
    const lines = readFileSync(csv.path, "utf8").trimEnd().split("\r\n");
    expect(lines[0]).toBe("run,config,method,threshold,draft_ms,router_ms,prm_ms,target_ms,overhead_ms,total_ms");
    const summary = JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8")) as SweepSummary;
    expect(lines).toHaveLength(1 + summary.runs.length);
    const arb = lines.find((l) => l.split(",")[1] === "arbitrage@0.4")!.split(",");
    expect(Number(arb[9])).toBe(summary.runs.find((c) => c.id === "arbitrage@0.4")!.latencyMs.mean);
    expect(Number(arb[5])).toBeGreaterThan(0); // the router's time
  }, 60_000);

  it("opens a run folder made by the CLI and compares it with the sweep", async () => {
    await page.goto(`${served.url}#/runs`);
    await page.fill('input[aria-label="run folder"]', TINY_RUN);
    await page.click('[data-action="open-run"]');
    await page.waitForSelector('[data-plot="router-scatter"] .recharts-scatter-symbol', { timeout: 60_000 });
    await page.goto(`${served.url}#/compare/${encodeURIComponent(runDir)}/${encodeURIComponent(TINY_RUN)}`);
    await page.waitForSelector('[data-plot="accuracy-latency"] .recharts-reference-line', { state: "attached", timeout: 30_000 });
    // Both runs' series on one set of axes: 2 × (4 + 4 + 3) threshold points + 2 × 2 references.
    expect(await marks("acceptance-accuracy", ".recharts-scatter-symbol")).toBe(26);
    expect(await marks("accuracy-latency", ".recharts-reference-line")).toBe(4);
    expect(await page.locator("[data-table=compare] tbody tr").count()).toBe(13);
    // Each run's router scatter (read from the store's scatter table), labelled with its run.
    await page.waitForFunction(() => document.querySelectorAll('[data-plot="router-scatter"] .recharts-scatter-symbol').length > 0 && document.querySelectorAll('[data-plot="router-scatter"]').length === 2, undefined, { timeout: 30_000 });
    expect(await page.locator('[data-plot="router-calibration"]').count()).toBe(2);
    await shot("compare");
  }, 120_000);

  it("shows a problem's trace with the same problem under every configuration", async () => {
    await page.goto(`${served.url}#/trace/${encodeURIComponent(runDir)}`);
    await page.waitForSelector('[data-plot="step-trace"] .recharts-bar-rectangle', { timeout: 30_000 });
    expect(await page.locator("[data-table=same-problem] tbody tr").count()).toBe(13);
    await shot("trace");
    await page.goto(`${served.url}#/export/${encodeURIComponent(runDir)}`);
    await page.waitForSelector('[data-plot="step-trace"] .recharts-bar-rectangle', { timeout: 30_000 });
    await shot("export");
  }, 60_000);

  it("finds the run still stored after a reload", async () => {
    await page.goto(`${served.url}#/runs`);
    await page.reload();
    const row = page.locator(`[data-table=stored-runs] tr[data-run="${runDir}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain("e2e");
    await page.locator(`[data-table=stored-runs] tr[data-run="${TINY_RUN}"]`).waitFor();
    await shot("runs-after-reload");
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
