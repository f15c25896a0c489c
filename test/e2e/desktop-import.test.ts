/**
 * The desktop app's import path in Chromium, without the Electron binary: the page gets a stand-in
 * for the preload's `window.workbench` (calls answered by `arbitrage serve`'s API, so every answer
 * is the real dispatcher's) whose openWorkerPort posts a MessagePort to the page exactly as the
 * preload forwards main's port (main/app/bridge.ts). The renderer must then import through its
 * worker over that port — no runs.load on the page's bridge — and store every record.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_PORT_MESSAGE } from "../../shared/api/transports/port.ts";
import { CHROMIUM_ARGS, chromiumOrSkipMessage } from "../helpers/chromium.ts";
import { writeLargeRun, type LargeRun } from "../helpers/large-run.ts";
import { ensureRendererBuilt, startServe, type Served } from "../helpers/serve.ts";

const exe = chromiumOrSkipMessage("the desktop import path in a browser (test/e2e)");

/** The preload's bridge, standing in: calls go to serve's HTTP API; a worker port is served from the page's side of a MessageChannel. */
const FAKE_PRELOAD = (withPort: boolean) => `(() => {
  const token = new URL(location.href).searchParams.get("token");
  const call = (method, input) => fetch("/api/" + method, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer " + token }, body: JSON.stringify(input ?? {}) }).then((r) => r.json());
  window.__bridgeCalls = [];
  window.__portCalls = [];
  const bridge = {
    invoke(method, input) { window.__bridgeCalls.push(method); return call(method, input); },
    onEvent(handler) {
      const es = new EventSource("/api/events?token=" + encodeURIComponent(token));
      es.onmessage = (e) => handler(JSON.parse(e.data));
      return () => es.close();
    },
  };
  if (${withPort}) bridge.openWorkerPort = (id) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = async (e) => {
      window.__portCalls.push(e.data.method);
      ch.port1.postMessage({ id: e.data.id, envelope: await call(e.data.method, e.data.input) });
    };
    // A message for another request first: the page must wait for its own id.
    window.postMessage({ type: ${JSON.stringify(WORKER_PORT_MESSAGE)}, id: "someone-else" }, "*", [new MessageChannel().port2]);
    setTimeout(() => window.postMessage({ type: ${JSON.stringify(WORKER_PORT_MESSAGE)}, id }, "*", [ch.port2]), 10);
  };
  window.workbench = bridge;
})()`;

describe.skipIf(exe === null)("the desktop app's import (a stand-in preload in Chromium)", () => {
  let served: Served;
  let browser: Browser;
  let work: string;
  let run: LargeRun;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "e2e-desktop-"));
    run = writeLargeRun(join(work, "runs", "large"), 3000);
    await ensureRendererBuilt();
    served = await startServe(["--runs", join(work, "runs")]);
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function importWith(withPort: boolean): Promise<{ page: Page; bridgeCalls: string[]; portCalls: string[]; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(FAKE_PRELOAD(withPort));
    await page.goto(`${served.url}#/runs`);
    await page.fill('input[aria-label="run folder"]', run.dir);
    await page.click('[data-action="open-run"]');
    await page.waitForSelector('[data-plot="accuracy-latency"] .recharts-scatter-symbol', { state: "attached", timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector("[data-import-state]") === null, undefined, { timeout: 120_000 });
    const counts = (await page.evaluate(`(async () => {
      const db = await new Promise((resolve, reject) => { const o = indexedDB.open("arbitrage-workbench"); o.onsuccess = () => resolve(o.result); o.onerror = () => reject(o.error); });
      const req = db.transaction("runs").objectStore("runs").get(${JSON.stringify(run.dir)});
      const row = await new Promise((resolve) => (req.onsuccess = () => resolve(req.result)));
      db.close();
      return row ? { status: row.status, counts: row.counts } : null;
    })()`)) as { status: string; counts: { problems: number; steps: number } } | null;
    expect(counts).toMatchObject({ status: "ready", counts: { problems: run.records, steps: run.steps } });
    return { page, bridgeCalls: (await page.evaluate("window.__bridgeCalls")) as string[], portCalls: (await page.evaluate("window.__portCalls")) as string[], errors };
  }

  it("imports through the worker over main's port: no record page crosses the page's bridge", async () => {
    const r = await importWith(true);
    const pages = Math.ceil(run.records / 250);
    expect(r.portCalls.filter((m) => m === "runs.load").length).toBeGreaterThanOrEqual(pages);
    expect(r.portCalls.every((m) => m === "runs.load")).toBe(true);
    expect(r.bridgeCalls).not.toContain("runs.load");
    expect(r.errors).toEqual([]);
    await r.page.close();
  }, 240_000);

  it("a bridge without worker ports (an older preload) still imports, on the page's thread", async () => {
    const r = await importWith(false);
    expect(r.portCalls).toEqual([]);
    expect(r.bridgeCalls.filter((m) => m === "runs.load").length).toBeGreaterThanOrEqual(Math.ceil(run.records / 250));
    expect(r.errors).toEqual([]);
    await r.page.close();
  }, 240_000);
});
