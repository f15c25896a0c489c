/**
 * npm run bench:app — opening a large run in the app, as a user does: headless Chromium against
 * `arbitrage serve`, the run folder typed into the Runs screen and opened.
 *
 * Builds a run of BENCH_APP_STEPS step records (default 500,000: the fixture sweep's real journal
 * repeated under new problem ids, test/helpers/large-run.ts), then measures from the click:
 *   import_first_plot_s   the accuracy–latency plot drawn with its points (from summary.json)
 *   import_records_s      every record stored in the browser's IndexedDB
 *   import_total_s        stored and the router analysis computed (the page's import state gone)
 *   longest_frame_gap_ms  the longest time the page went without an animation frame, click to end
 *                         (what a user sees as a freeze), with the count of gaps over 100 ms.
 * A shared machine's timings are noisy: run it more than once before reading much into one figure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../test/helpers/chromium.ts";
import { writeLargeRun } from "../test/helpers/large-run.ts";
import { ensureRendererBuilt, startServe } from "../test/helpers/serve.ts";

const STEPS = Number(process.env.BENCH_APP_STEPS ?? 500_000);
const TIMEOUT_MS = Number(process.env.BENCH_APP_TIMEOUT_S ?? 1800) * 1000;
/** A folder for screenshots at the first plot and at the end (optional). */
const SHOTS = process.env.BENCH_APP_SHOTS;

interface FrameWatch {
  max: number;
  over100: number;
  frames: number;
  /** Gaps over 100 ms: [ms since the watch started, gap ms]. */
  long: [number, number][];
}

// Scripts run in the page, as text: tsx's transform would wrap functions in helpers the page lacks.
/** Records every gap between animation frames from now on, in window.__frames. */
const WATCH_FRAMES = `(() => {
  const w = { max: 0, over100: 0, frames: 0, long: [] };
  window.__frames = w;
  const t0 = performance.now();
  let last = t0;
  const tick = (now) => {
    const gap = now - last;
    last = now;
    w.frames += 1;
    if (gap > w.max) w.max = gap;
    if (gap > 100) {
      w.over100 += 1;
      if (w.long.length < 50) w.long.push([Math.round(last - gap - t0), Math.round(gap)]);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

const IMPORT_STATE = `(() => {
  const el = document.querySelector("[data-import-state]");
  return { state: el ? el.getAttribute("data-import-state") : null, text: el ? el.textContent : "" };
})()`;

/** The stored run row (status and counts), read straight from IndexedDB. */
const storedRow = (dir: string) => `(async () => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("arbitrage-workbench");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const req = db.transaction("runs").objectStore("runs").get(${JSON.stringify(dir)});
  const row = await new Promise((resolve) => (req.onsuccess = () => resolve(req.result)));
  db.close();
  return row ? { status: row.status, counts: row.counts } : null;
})()`;

async function main(): Promise<void> {
  const exe = findChromium();
  if (exe === null) throw new Error("bench:app needs Chromium: set CHROMIUM_PATH or apt-get install chromium");
  const work = mkdtempSync(join(tmpdir(), "bench-app-"));
  const t0 = Date.now();
  const run = writeLargeRun(join(work, "runs", "large"), STEPS);
  console.log(`run: ${run.records.toLocaleString("en")} records, ${run.steps.toLocaleString("en")} steps, ${(run.bytes / 1e6).toFixed(0)} MB journal (written in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  await ensureRendererBuilt();
  const served = await startServe(["--runs", join(work, "runs")]);
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${served.url}#/runs`);
    await page.fill('input[aria-label="run folder"]', run.dir);
    // The frame watch starts right before the click: every gap between animation frames from then on.
    await page.evaluate(WATCH_FRAMES);
    const start = Date.now();
    await page.click('[data-action="open-run"]');
    await page.waitForSelector('[data-plot="accuracy-latency"] .recharts-scatter-symbol', { timeout: TIMEOUT_MS });
    const firstPlot = (Date.now() - start) / 1000;
    console.log(`first plot after ${firstPlot.toFixed(1)} s`);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "bench-app-first-plot.png"), fullPage: true });
    let lastReport = Date.now();
    let recordsAt: number | null = null;
    for (;;) {
      const state = (await page.evaluate(IMPORT_STATE)) as { state: string | null; text: string };
      if (recordsAt === null && state.state !== "importing") recordsAt = Date.now();
      if (state.state === null) break;
      if (state.state === "interrupted") throw new Error(`the import stopped: ${state.text}`);
      if (Date.now() - start > TIMEOUT_MS) throw new Error(`the import did not finish in ${TIMEOUT_MS / 1000} s: ${state.text}`);
      if (Date.now() - lastReport > 30_000) {
        console.log(`  ${((Date.now() - start) / 1000).toFixed(0)} s: ${state.text.split(".")[0]}`);
        lastReport = Date.now();
      }
      await page.waitForTimeout(250);
    }
    const total = (Date.now() - start) / 1000;
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "bench-app-imported.png"), fullPage: true });
    const frames = (await page.evaluate("window.__frames")) as FrameWatch;
    const stored = (await page.evaluate(storedRow(run.dir))) as { status: string; counts: { problems: number; steps: number } } | null;
    if (stored?.status !== "ready" || stored.counts.steps !== run.steps || stored.counts.problems !== run.records) {
      throw new Error(`the store holds ${JSON.stringify(stored)}, expected ${run.records} records and ${run.steps} steps, ready`);
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
    console.log(`stored: ${stored.counts.problems.toLocaleString("en")} records, ${stored.counts.steps.toLocaleString("en")} steps; frames seen ${frames.frames.toLocaleString("en")}, gaps over 100 ms: ${frames.over100}${frames.long.length > 0 ? ` (at ms since the click, how long: ${frames.long.map(([at, g]) => `${at}+${g}`).join(" ")})` : ""}`);
    console.log(`import_records_s: ${(((recordsAt ?? Date.now()) - start) / 1000).toFixed(1)}`);
    console.log(`import_first_plot_s: ${firstPlot.toFixed(1)}`);
    console.log(`import_total_s: ${total.toFixed(1)}`);
    console.log(`longest_frame_gap_ms: ${frames.max.toFixed(0)}`);
  } finally {
    await browser.close();
    await served.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
