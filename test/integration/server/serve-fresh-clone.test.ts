/**
 * `npx arbitrage serve` right after `npm ci` in a fresh clone: there is no dist/ yet, and the page
 * must work anyway. The clone is simulated by copying the sources a checkout holds (never dist/)
 * into a temporary folder beside links to this checkout's node_modules and assets, so the test
 * needs neither git nor the registry.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ensureRendererBuilt, rendererBuildState } from "../../../main/server/renderer-build.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "serve-fresh-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function freshClone(): string {
  const dir = join(tmp, "clone");
  for (const part of ["bin", "main", "shared", "renderer", "tools/build", "package.json"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  symlinkSync(join(ROOT, "assets"), join(dir, "assets"), "dir");
  return dir;
}

describe("arbitrage serve in a fresh clone (no dist/)", () => {
  it("builds the renderer before printing its URL, says so, and serves the page", async () => {
    const clone = freshClone();
    expect(existsSync(join(clone, "dist"))).toBe(false);
    const child = spawn(process.execPath, [join(clone, "bin/arbitrage.js"), "serve", "--port", "0", "--runs", join(tmp, "runs")], { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", (line) => resolve(line.trim()));
        child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      // The progress lines came before the URL, on stderr.
      expect(stderr).toMatch(/the renderer is not built yet .*: building it/);
      expect(stderr).toMatch(/renderer built in \d+\.\d s/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      const html = await page.text();
      const script = /<script[^>]*src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const js = await fetch(new URL(`/${script}`, url));
      expect(js.status).toBe(200);
      expect((await js.text()).length).toBeGreaterThan(10_000);
      expect(rendererBuildState(clone)).toBe("fresh");
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
    }
  }, 120_000);

  it("calls a build missing, stale or fresh, builds only a missing one, and keeps a stale one with a line saying so", async () => {
    const root = join(tmp, "states");
    mkdirSync(join(root, "renderer"), { recursive: true });
    writeFileSync(join(root, "renderer/app.tsx"), "export {};\n");
    const out = join(root, "dist");
    expect(rendererBuildState(root, out)).toBe("missing");
    mkdirSync(join(out, "renderer"), { recursive: true });
    writeFileSync(join(out, "renderer/index.html"), "<!doctype html>");
    expect(rendererBuildState(root, out)).toBe("missing"); // index.html alone is half a build
    writeFileSync(join(out, "renderer/main.js"), "");
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(out, "renderer/index.html"), past, past);
    utimesSync(join(out, "renderer/main.js"), past, past);
    expect(rendererBuildState(root, out)).toBe("stale");
    const lines: string[] = [];
    expect(await ensureRendererBuilt(root, (l) => lines.push(l), out)).toEqual({ state: "stale", built: false });
    expect(lines.join("\n")).toMatch(/older than its sources .* run `npm run build`/);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(out, "renderer/index.html"), future, future);
    utimesSync(join(out, "renderer/main.js"), future, future);
    expect(rendererBuildState(root, out)).toBe("fresh");
  });

  it("says why when a missing build cannot be made", async () => {
    const root = join(tmp, "no-tools");
    mkdirSync(join(root, "renderer"), { recursive: true });
    await expect(ensureRendererBuilt(root, () => {})).rejects.toThrow(/the renderer is not built and building it failed: .*tools\/build\/build\.ts is not here.*run `npm run build`/);
  });
});
