/**
 * `npm run build` into a temporary folder, and the packaging config read against what the build
 * writes: package.json's "main" is the built Electron entry, the preload needs nothing but
 * "electron", the renderer page loads no inline script, and electron-builder unpacks what native
 * code reads. (The config's schema check against electron-builder's scheme.json is described in
 * docs/app-api.md; the schema is not vendored here.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, checkIndexHtml } from "../../../tools/build/build.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "build-test-"));
let files: string[] = [];

beforeAll(async () => {
  files = (await build({ outDir: out, minify: false, log: () => {} })).files;
}, 180_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run build", () => {
  it("writes the Electron entry, preload, worker and the renderer", () => {
    for (const f of ["app/main.js", "app/preload.cjs", "app/worker.js", "renderer/index.html", "renderer/main.js", "renderer/report.js"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(files.length).toBeGreaterThan(6);
  });

  it("the preload is self-contained CommonJS that requires only electron", () => {
    const preload = readFileSync(join(out, "app/preload.cjs"), "utf8");
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(["electron"]));
    expect(preload).toContain("exposeInMainWorld");
    // The allowlist is derived from the contracts: the prefix and every method name are in the bundle.
    expect(preload).toContain("workbench:api:");
    for (const m of ["runs.load", "sweeps.start", "dialogs.saveFile"]) expect(preload.includes(`"${m}"`), m).toBe(true);
  });

  it("the worker and main bundles keep native and npm packages as imports (loaded from node_modules)", () => {
    const main = readFileSync(join(out, "app/main.js"), "utf8");
    expect(main).toMatch(/from\s*"electron"/);
    const appFiles = files.filter((f) => f.includes("/app/") && f.endsWith(".js")).map((f) => readFileSync(f, "utf8"));
    expect(appFiles.some((t) => /from\s*"onnxruntime-node"/.test(t))).toBe(true);
    expect(appFiles.some((t) => /from\s*"zod"/.test(t))).toBe(true);
  });

  it("the renderer page has no inline script", () => {
    expect(checkIndexHtml(readFileSync(join(out, "renderer/index.html"), "utf8"))).toEqual([]);
    expect(checkIndexHtml('<script>alert(1)</script>')).toHaveLength(1);
    expect(checkIndexHtml('<button onclick="x()">')).toHaveLength(1);
    expect(checkIndexHtml('<script src="https://cdn.example/x.js"></script>')).toHaveLength(1);
  });
});

describe("packaging config", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { main: string; scripts: Record<string, string> };
  const eb = YAML.parse(readFileSync(join(ROOT, "electron-builder.yml"), "utf8")) as {
    files: string[];
    asarUnpack: string[];
    extraMetadata: { main: string };
    linux: { target: string[]; icon: string };
    win: { target: string[]; icon: string };
    mac: { target: string[]; icon: string };
  };

  it("package.json main is the built Electron entry, and the scripts build before they launch or package", () => {
    expect(pkg.main).toBe("dist/app/main.js");
    expect(eb.extraMetadata.main).toBe(pkg.main);
    expect(existsSync(join(out, pkg.main.replace(/^dist\//, "")))).toBe(true);
    expect(pkg.scripts["start"]).toMatch(/^npm run build && electron \.$/);
    expect(pkg.scripts["dist"]).toMatch(/^npm run build && .*electron-builder/);
    expect(pkg.scripts["test"]).not.toMatch(/electron/);
  });

  it("targets AppImage + deb, nsis and dmg, and unpacks onnxruntime-node and the demo models", () => {
    expect(eb.linux.target).toEqual(["AppImage", "deb"]);
    expect(eb.win.target).toEqual(["nsis"]);
    expect(eb.mac.target).toEqual(["dmg"]);
    expect(eb.asarUnpack).toContain("**/node_modules/onnxruntime-node/**/*");
    expect(eb.asarUnpack.some((g) => g.startsWith("assets/"))).toBe(true);
    for (const icon of [eb.linux.icon, eb.win.icon, eb.mac.icon]) expect(existsSync(join(ROOT, icon))).toBe(true);
  });

  it("packs the built files the app loads at run time", () => {
    for (const dir of ["dist/app/**/*", "dist/renderer/**/*", "assets/**/*", "package.json"]) expect(eb.files).toContain(dir);
  });
});
