/**
 * A large run in the browser (serve mode), scaled down for the suite (`npm run bench:app` runs the
 * full 500,000 steps): the plots come up from summary.json while the records are still arriving,
 * an import cut off by a reload resumes from where it stopped, the trace viewer's filters and deep
 * links, and the calibration plot's export holding its bins.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { crc32 } from "node:zlib";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumOrSkipMessage } from "../helpers/chromium.ts";
import { writeLargeRun, type LargeRun } from "../helpers/large-run.ts";
import { TINY_RUN, tinyRecords } from "../helpers/run-fixture.ts";
import { RouterPairJoin } from "../../shared/plots/router-pairs.ts";
import { ensureRendererBuilt, ROOT, startServe, type Served } from "../helpers/serve.ts";

/** The stored run name's file-name form (the fixture's run.json names it). */
function slugOf(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as { resolved: { name: string } }).resolved.name;
}

/** Entries of a zip (stored, as "export all" writes them), read from its central directory. */
function readZip(buf: Buffer): { name: string; crc: number; bytes: Buffer }[] {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out: { name: string; crc: number; bytes: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    const localNameLen = buf.readUInt16LE(local + 26);
    out.push({ name, crc, bytes: buf.subarray(local + 30 + localNameLen, local + 30 + localNameLen + size) });
    at += 46 + nameLen;
  }
  return out;
}

const exe = chromiumOrSkipMessage("the large-run browser tests (test/e2e)");
const ARTIFACTS = join(ROOT, "test-artifacts");

/** Every value data-import-state takes on the page from now on (a MutationObserver, so no state is missed between polls). */
const RECORD_IMPORT_STATES = `(() => {
  const seen = (window.__importStates = []);
  const note = () => document.querySelectorAll("[data-import-state]").forEach((el) => {
    const v = el.getAttribute("data-import-state") + ": " + el.textContent;
    if (seen[seen.length - 1] !== v) seen.push(v);
  });
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

/**
 * The charts whose first <svg> each task added (a MutationObserver's callback runs once after the
 * task that changed the DOM, with every change of that task): window.__chartBatches.
 */
const RECORD_CHART_BATCHES = `(() => {
  const batches = (window.__chartBatches = []);
  // First draws only: a chart drawn again later (resized, its problem changed) is not a first draw.
  const seen = new Set();
  new MutationObserver((muts) => {
    const plots = new Set();
    for (const m of muts) for (const n of m.addedNodes) {
      if (!(n instanceof Element)) continue;
      for (const s of n.matches(".recharts-surface") ? [n] : n.querySelectorAll(".recharts-surface")) {
        const f = s.closest("[data-plot]");
        const plot = f ? f.getAttribute("data-plot") : null;
        if (plot !== null && !seen.has(plot)) plots.add(plot);
      }
    }
    for (const p of plots) seen.add(p);
    if (plots.size > 0) batches.push([...plots]);
  }).observe(document.body, { subtree: true, childList: true });
})()`;

describe.skipIf(exe === null)("a large run in a browser (serve mode)", () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let work: string;
  let large: LargeRun;
  let bigger: LargeRun;
  let tiny: string;
  const pageErrors: string[] = [];

  const storedRow = (dir: string) =>
    page.evaluate(`(async () => {
      const db = await new Promise((resolve, reject) => { const o = indexedDB.open("arbitrage-workbench"); o.onsuccess = () => resolve(o.result); o.onerror = () => reject(o.error); });
      const req = db.transaction("runs").objectStore("runs").get(${JSON.stringify(dir)});
      const row = await new Promise((resolve) => (req.onsuccess = () => resolve(req.result)));
      db.close();
      return row ? { status: row.status, counts: row.counts, progress: row.progress } : null;
    })()`) as Promise<{ status: string; counts: { problems: number; steps: number }; progress?: { journalLines: number; recordsTotal: number } } | null>;

  const open = async (dir: string) => {
    await page.goto(`${served.url}#/runs`);
    await page.fill('input[aria-label="run folder"]', dir);
    await page.click('[data-action="open-run"]');
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "e2e-large-"));
    large = writeLargeRun(join(work, "runs", "large"), 4000);
    bigger = writeLargeRun(join(work, "runs", "bigger"), 12_000);
    // The fixture run, pointed at this checkout's copy of its dataset (run.json names the path it was made with).
    tiny = join(work, "runs", "tiny");
    cpSync(TINY_RUN, tiny, { recursive: true });
    const meta = JSON.parse(readFileSync(join(tiny, "run.json"), "utf8")) as { dataset: { path: string }; resolved: { dataset: { path: string } } };
    meta.dataset.path = meta.resolved.dataset.path = join(ROOT, "test/fixtures/sweep/tiny.jsonl");
    writeFileSync(join(tiny, "run.json"), JSON.stringify(meta));
    // Every configuration of the fixture grades each problem alike; graded the target's tiny-02 right,
    // the run has one problem its configurations disagree on.
    const journal = readFileSync(join(tiny, "journal.jsonl"), "utf8").split("\n").map((l) => {
      if (l.trim() === "") return l;
      const line = JSON.parse(l) as { record: { config: { id: string }; problemId: string; correct: boolean } };
      if (line.record.config.id === "target" && line.record.problemId === "tiny-02") line.record.correct = true;
      return JSON.stringify(line);
    });
    writeFileSync(join(tiny, "journal.jsonl"), journal.join("\n"));
    await ensureRendererBuilt();
    served = await startServe(["--runs", join(work, "runs")]);
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("draws the run's plots from summary.json while its traces are still being imported", async () => {
    await page.goto(`${served.url}#/runs`);
    await page.evaluate(RECORD_IMPORT_STATES);
    await page.evaluate(RECORD_CHART_BATCHES);
    await page.fill('input[aria-label="run folder"]', large.dir);
    await page.click('[data-action="open-run"]');
    // Attached, not "visible": the first symbol may be one a hidden series draws.
    await page.waitForSelector('[data-plot="accuracy-latency"] .recharts-scatter-symbol', { state: "attached", timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector("[data-import-state]") === null, undefined, { timeout: 120_000 });
    const states = (await page.evaluate("window.__importStates")) as string[];
    expect(states.length, states.join("\n")).toBeGreaterThan(0);
    // The plots were on screen with the import still running, its count in records of the run's total.
    expect(states[0]).toMatch(new RegExp(`^importing: importing traces… [\\d,]+ of ${large.records.toLocaleString("en")} records`));
    expect(states.some((s) => s.startsWith("interrupted"))).toBe(false);
    const row = await storedRow(large.dir);
    expect(row).toMatchObject({ status: "ready", counts: { problems: large.records, steps: large.steps } });
    await page.waitForSelector('[data-plot="router-scatter"] .recharts-scatter-symbol', { timeout: 60_000 });
    await page.waitForSelector('[data-plot="router-calibration"] .recharts-surface', { timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS, "e2e-large-plots.png"), fullPage: true });
    // Each chart's first draw came in a task of its own: no task added the surfaces of two charts.
    const batches = (await page.evaluate("window.__chartBatches")) as string[][];
    const drawn = batches.flat();
    for (const plot of ["acceptance-accuracy", "accuracy-latency", "latency-breakdown", "router-scatter", "router-calibration"]) expect(drawn).toContain(plot);
    expect(batches.filter((b) => b.length > 1), JSON.stringify(batches)).toEqual([]);

    await page.goto(`${served.url}#/runs`);
    const stored = page.locator(`[data-table=stored-runs] tr[data-run="${large.dir}"]`);
    await stored.waitFor();
    expect(await stored.locator("td.num").nth(1).textContent()).toBe(large.records.toLocaleString("en"));
    expect(await stored.textContent()).toContain("complete");
  }, 240_000);

  it("resumes an import a reload cut off, from where it stopped", async () => {
    await open(bigger.dir);
    await page.waitForSelector('[data-import-state="importing"]', { timeout: 60_000 });
    // Reload once some pages are stored and before the last one.
    await page.waitForFunction(
      (total) => {
        const m = /importing traces… ([\d,]+) of/.exec(document.querySelector('[data-import-state="importing"]')?.textContent ?? "");
        const done = m ? Number((m[1] as string).replaceAll(",", "")) : 0;
        return done >= 500 && done < total;
      },
      bigger.records,
      { timeout: 60_000, polling: 20 },
    );
    await page.goto(`${served.url}#/runs`);
    await page.reload();
    const row = page.locator(`[data-table=stored-runs] tr[data-run="${bigger.dir}"]`);
    await row.locator('[data-state="interrupted"]').waitFor({ timeout: 30_000 });
    const cut = (await storedRow(bigger.dir))!;
    expect(cut.status).toBe("importing");
    expect(cut.progress!.recordsTotal).toBe(bigger.records);
    expect(cut.counts.problems).toBeGreaterThanOrEqual(500);
    expect(cut.counts.problems).toBeLessThan(bigger.records);
    expect(await row.locator('[data-state="interrupted"]').textContent()).toBe(`import interrupted · ${cut.counts.problems.toLocaleString("en")} of ${bigger.records.toLocaleString("en")} records`);
    await page.screenshot({ path: join(ARTIFACTS, "e2e-large-interrupted.png"), fullPage: true });
    await row.locator('[data-action="resume-import"]').click();
    await page.waitForSelector(`[data-import="${bigger.dir}"][data-status="done"]`, { timeout: 120_000 });
    expect(await page.locator(`[data-import="${bigger.dir}"] .pill`).textContent()).toBe(`imported: ${bigger.records.toLocaleString("en")} records, ${bigger.steps.toLocaleString("en")} steps`);
    expect(await storedRow(bigger.dir)).toMatchObject({ status: "ready", counts: { problems: bigger.records, steps: bigger.steps } });
  }, 240_000);

  it("filters the trace viewer's problems, shows the question and ground truth, and scrolls to a linked problem", async () => {
    await open(tiny);
    await page.waitForSelector('[data-plot="router-scatter"] .recharts-scatter-symbol', { timeout: 60_000 });
    const records = tinyRecords().map((r) => (r.config.id === "target" && r.problemId === "tiny-02" ? { ...r, correct: true } : r));
    const draft = records.filter((r) => r.config.id === "draft");
    await page.goto(`${served.url}#/trace/${encodeURIComponent(tiny)}?config=draft`);
    await page.waitForSelector("[data-table=problems] tbody tr");
    expect(await page.locator("[data-table=problems] tbody tr").count()).toBe(draft.length);
    await page.click('[data-filter="wrong"]');
    const wrong = draft.filter((r) => !r.correct).map((r) => r.problemId);
    const listed = () => page.locator("[data-table=problems] tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-problem")).sort());
    // The list is read from the store after the click: wait for it.
    await expect.poll(listed).toEqual(wrong.sort());
    await page.click('[data-filter="disagree"]');
    const outcome = new Map<string, Set<boolean>>();
    for (const r of records) outcome.set(r.problemId, (outcome.get(r.problemId) ?? new Set()).add(r.correct));
    const disagree = draft.filter((r) => outcome.get(r.problemId)!.size === 2).map((r) => r.problemId);
    expect(disagree).toEqual(["tiny-02"]);
    await expect.poll(listed).toEqual(disagree.sort());

    // The question and ground truth come from the run's dataset file.
    const id = disagree[0]!;
    await page.locator(`[data-table=problems] tr[data-problem="${id}"]`).click();
    await page.waitForSelector("[data-question]");
    const line = readFileSync(join(ROOT, "test/fixtures/sweep/tiny.jsonl"), "utf8").split("\n").map((l) => JSON.parse(l || "null") as { unique_id: string; problem: string; answer: string } | null).find((p) => p?.unique_id === id)!;
    expect(await page.locator("[data-question]").textContent()).toContain(line.problem);
    expect(await page.locator("[data-ground-truth]").textContent()).toBe(line.answer);
    await page.screenshot({ path: join(ARTIFACTS, "e2e-trace-filters.png"), fullPage: true });

    // A deep link into the large run: the list scrolls to the problem, far below the first rows.
    const target = "r9-tiny-05"; // near the end of the list (key order), far below the rows on screen
    await page.goto(`${served.url}#/trace/${encodeURIComponent(large.dir)}?config=draft&problem=${target}`);
    const selected = page.locator(`[data-table=problems] tr[data-problem="${target}"]`);
    await selected.waitFor();
    await page.waitForFunction((t) => {
      const row = document.querySelector(`[data-table=problems] tr[data-problem="${t}"]`);
      const box = row?.closest(".table-wrap");
      if (!row || !box) return false;
      const r = row.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return box.scrollTop > 0 && r.top >= b.top && r.bottom <= b.bottom;
    }, target);
    expect(await selected.getAttribute("class")).toBe("selected");
    expect(await page.locator("[data-section=problem]").textContent()).toContain("not in the run's dataset");
    // The list is a window read by range, opened on the linked problem (20 rows above it), not every row.
    const draftRows = large.records / 13;
    const rowsListed = await page.locator("[data-table=problems] tbody tr").count();
    expect(rowsListed).toBeLessThan(draftRows);
    const before = await page.locator("[data-table=problems] tbody tr").evaluateAll((rows, t) => rows.findIndex((r) => r.getAttribute("data-problem") === t), target);
    expect(before).toBe(20);
    const earlier = page.locator('[data-action="earlier-problems"]');
    expect(await earlier.textContent()).toMatch(/^show \d+ earlier of [\d,]+$/);
    await earlier.click();
    await page.waitForFunction((n) => document.querySelectorAll("[data-table=problems] tbody tr").length === n, draftRows);
    expect(await page.locator('[data-action="earlier-problems"]').count()).toBe(0);
    expect(await page.locator(`[data-table=problems] tr[data-problem="${target}"]`).getAttribute("class")).toBe("selected");
  }, 180_000);

  it("exports the calibration plot as its bins", async () => {
    await page.goto(`${served.url}#/plots/${encodeURIComponent(tiny)}`);
    await page.waitForSelector('[data-plot="router-calibration"] .recharts-scatter-symbol', { timeout: 60_000 });
    const [dl] = await Promise.all([page.waitForEvent("download"), page.locator('[data-plot="router-calibration"] [data-export="csv"]').click()]);
    const path = join(work, "calibration.csv");
    await dl.saveAs(path);
    const lines = readFileSync(path, "utf8").trimEnd().split("\r\n");
    expect(lines[0]).toBe("bin,binning,score_lower,score_upper,steps,mean_router_score,observed_share_delta_gt_0");
    const steps = lines.slice(1).reduce((a, l) => a + Number(l.split(",")[4]), 0);
    const subtitle = (await page.locator('[data-plot="router-scatter"] .subtitle').textContent()) ?? "";
    expect(steps).toBe(Number(/n = ([\d,]+) steps/.exec(subtitle)![1]!.replaceAll(",", "")));
    // Counts are written on the curve.
    expect(await page.locator('[data-plot="router-calibration"] .recharts-label-list').count()).toBe(1);
  }, 120_000);

  it("the router analysis of a picked configuration shows that configuration's own steps (its scatter read when picked)", async () => {
    await page.goto(`${served.url}#/plots/${encodeURIComponent(tiny)}`);
    await page.waitForSelector('[data-router-config=""] [data-plot="router-scatter"] .recharts-scatter-symbol', { timeout: 60_000 });
    const pairs = new RouterPairJoin();
    for (const r of tinyRecords()) pairs.add(r);
    const key = (p: { problemId: string | null; stepIndex: number | null; score: number; delta: number }) => `${p.problemId}|${p.stepIndex}|${p.score}|${p.delta}`;
    const shown = async () => {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.locator('[data-plot="router-scatter"] [data-export="json"]').click()]);
      const path = join(work, `scatter-${Date.now()}.json`);
      await dl.saveAs(path);
      return { name: dl.suggestedFilename(), data: JSON.parse(readFileSync(path, "utf8")) as { n: number; points: { problemId: string | null; stepIndex: number | null; score: number; delta: number }[] } };
    };
    const all = await shown();
    expect(all.data.n).toBe(pairs.pairs().length);
    // The picker lists each Arbitrage configuration with its own step count (from the light rows).
    const options = await page.locator("#router-config option").allTextContents();
    expect(options.slice(1)).toEqual(["arbitrage@0", "arbitrage@0.4", "arbitrage@0.5", "arbitrage@1"].map((id) => `${id} (${pairs.pairs(id).length.toLocaleString("en")} steps)`));
    const views = new Set<string>();
    for (const id of ["arbitrage@0.4", "arbitrage@1"]) {
      await page.selectOption("#router-config", id);
      await page.waitForSelector(`[data-router-config="${id}"] [data-plot="router-scatter"] .recharts-scatter-symbol`, { timeout: 30_000 });
      const own = pairs.pairs(id);
      const got = await shown();
      expect(got.name).toContain(`router-scatter-${id}`);
      expect(got.data.n).toBe(own.length);
      expect(got.data.points.map(key).sort()).toEqual(own.map(key).sort());
      expect(await page.locator('[data-plot="router-scatter"] .subtitle').textContent()).toContain(`n = ${own.length.toLocaleString("en")} steps`);
      views.add(got.data.points.map(key).sort().join(","));
    }
    // Two configurations' own steps differ: a scatter read under the wrong key would show here.
    expect(views.size).toBe(2);
  }, 120_000);

  it("exports the HTML report and every figure at once (a zip of SVG, PNG, CSV and JSON)", async () => {
    await page.goto(`${served.url}#/export/${encodeURIComponent(tiny)}`);
    await page.waitForSelector('[data-plot="step-trace"] .recharts-bar-rectangle', { timeout: 60_000 });
    await page.waitForSelector('[data-plot="router-calibration"] .recharts-scatter-symbol', { timeout: 60_000 });
    const save = async (action: string, name: string) => {
      const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), page.click(`[data-action="${action}"]`)]);
      const path = join(work, name);
      await dl.saveAs(path);
      return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
    };
    const report = await save("html-report", "report.html");
    expect(report.name).toBe(`${slugOf(tiny)}-report.html`);
    const html = report.bytes.toString("utf8");
    expect(html.slice(0, 15).toLowerCase()).toBe("<!doctype html>");
    expect(html).toContain("Router score vs oracle");

    const all = await save("export-all", "all.zip");
    const entries = readZip(all.bytes);
    const names = entries.map((e) => e.name);
    for (const plot of ["acceptance-accuracy", "accuracy-latency", "latency-breakdown", "router-scatter", "router-calibration"]) {
      for (const ext of ["svg", "png", "csv", "json"]) expect(names.some((n) => n.endsWith(`-${plot}.${ext}`)), `${plot}.${ext} in ${names.join(", ")}`).toBe(true);
    }
    expect(names.some((n) => n.endsWith("/summary.json"))).toBe(true);
    expect(names.some((n) => n.endsWith("/report.html"))).toBe(true);
    for (const e of entries) expect(crc32(e.bytes), e.name).toBe(e.crc);
    const png = entries.find((e) => e.name.endsWith("-latency-breakdown.png"))!;
    expect(png.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    const svg = entries.find((e) => e.name.endsWith("-router-scatter.svg"))!;
    expect(svg.bytes.toString("utf8")).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
