import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCommand } from "../../../main/cli/commands/report.ts";
import { renderReportHtml, writeHtmlReport, readRunForReport } from "../../../main/report/write-html-report.ts";
import { CHROMIUM_ARGS, chromiumOrSkipMessage } from "../../helpers/chromium.ts";
import { TINY_RUN, tinySummary } from "../../helpers/run-fixture.ts";
import { ROOT } from "../../helpers/serve.ts";

const exe = chromiumOrSkipMessage("the HTML report browser test");

describe("HTML report data", () => {
  it("embeds the run's numbers, and JSON that cannot close its script element", async () => {
    const data = await readRunForReport(TINY_RUN);
    expect(data.summary.speedupAtMatchedAccuracy).toBe(tinySummary().speedupAtMatchedAccuracy);
    expect(data.accuracyLatency.matched[0]!.speedup).toBe(tinySummary().speedupAtMatchedAccuracy);
    expect(data.traces.map((t) => t.method)).toEqual(["arbitrage", "rsd", "oracle"]);
    expect(new Set(data.traces.map((t) => t.problemId)).size).toBe(1);
    expect(data.routerScatter!.n).toBeGreaterThan(2);
    data.run.name = "</script><script>alert(1)</script>";
    const html = renderReportHtml(data, { js: "console.log('</script>')", css: "" });
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the two real closing tags only
    expect(html).toContain("<title>&lt;/script&gt;");
  });
});

describe("arbitrage report", () => {
  it("writes the report where --out says and says where", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-cli-"));
    try {
      let out = "";
      const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true }, cwd: dir, env: {}, signal: new AbortController().signal };
      const code = await reportCommand.run(["--run", TINY_RUN, "--out", "r.html"], io as never);
      expect(code).toBe(0);
      expect(out).toContain(join(dir, "r.html"));
      expect(readFileSync(join(dir, "r.html"), "utf8")).toContain('id="report-data"');
      await expect(reportCommand.run(["--run", dir], io as never)).rejects.toThrow(/expected a run folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(exe === null)("HTML report in a browser", () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
    dir = mkdtempSync(join(tmpdir(), "report-"));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens from file:// with the network off and draws every chart", async () => {
    const out = join(dir, "report.html");
    const result = await writeHtmlReport(TINY_RUN, out);
    expect(result.bytes).toBeGreaterThan(100_000);
    expect(readFileSync(out, "utf8")).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);

    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    context.on("request", (r) => requests.push(r.url()));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('[data-plot="step-trace"] .recharts-bar-rectangle');

    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    const marks = async (plot: string, selector: string) => page.locator(`[data-plot="${plot}"] ${selector}`).count();
    expect(await marks("acceptance-accuracy", ".recharts-scatter-symbol")).toBeGreaterThanOrEqual(13);
    expect(await marks("accuracy-latency", ".recharts-scatter-symbol")).toBeGreaterThanOrEqual(13);
    // The matched segment and the whisker of the stated accuracy's interval; the label carries the speedup's.
    expect(await marks("accuracy-latency", ".recharts-reference-line")).toBe(2);
    expect(await page.locator('[data-plot="accuracy-latency"] svg.recharts-surface').textContent()).toMatch(/1\.00× \[[\d.]+–[\d.]+\]/);
    await page.locator('[data-plot="accuracy-latency"]').screenshot({ path: join(ROOT, "test-artifacts/report-accuracy-latency.png") });
    // Export clones the chart's <svg>, which clips what lies outside it: every label must lie inside.
    const outside = await page.locator('[data-plot="accuracy-latency"] svg.recharts-surface').evaluate((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll("text")].filter((t) => {
        const r = t.getBoundingClientRect();
        return r.width > 0 && (r.top < box.top || r.bottom > box.bottom || r.left < box.left || r.right > box.right);
      }).map((t) => t.textContent);
    });
    expect(outside).toEqual([]);
    // Faded off-frontier points have a legend entry.
    expect(await page.locator('[data-plot="accuracy-latency"] .legend').textContent()).toContain("faded: off the frontier");
    // Thresholds that share a point are labelled as a range.
    expect(await page.locator('[data-plot="acceptance-accuracy"]').textContent()).toContain("δ 0.5–1");
    expect(await marks("latency-breakdown", ".recharts-bar-rectangle")).toBeGreaterThanOrEqual(13);
    expect(await marks("router-scatter", ".recharts-scatter-symbol")).toBeGreaterThan(2);
    expect(await marks("router-calibration", ".recharts-scatter-symbol")).toBeGreaterThan(0);
    expect(await marks("step-trace", ".recharts-bar-rectangle")).toBeGreaterThan(0);
    expect(await page.locator("del.discarded").count()).toBeGreaterThan(0);
    expect(await page.locator(".headline").textContent()).toMatch(/^Arbitrage reaches 42\.9 % in [\d.]+ ms per problem vs RSD's [\d.]+ ms: 1\.00× \(as fast\) \[[\d.–]+\], 7 problems\. The oracle reaches/);
    // The switch to the speedup curve, with its band.
    await page.locator('[data-plot="accuracy-latency"] button[data-view="curve"]').click();
    await page.waitForSelector('[data-plot="accuracy-latency"] [data-view-shown="curve"]');
    expect(await page.locator('[data-plot="accuracy-latency"] h3').textContent()).toBe("Speedup over RSD vs accuracy");
    expect(await page.locator('[data-plot="accuracy-latency"] .legend').textContent()).toContain("95 % band");
    expect(await marks("accuracy-latency", ".recharts-area")).toBeGreaterThan(0);
    await page.locator('[data-plot="accuracy-latency"]').screenshot({ path: join(ROOT, "test-artifacts/report-speedup-curve.png") });
    await page.screenshot({ path: join(ROOT, "test-artifacts/report.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);
    await context.close();
  });
});
