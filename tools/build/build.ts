/**
 * `npm run build`: everything the desktop app and serve mode load, with esbuild.
 *
 *   dist/app/main.js        Electron main process (ESM; npm packages stay imports from node_modules)
 *   dist/app/preload.cjs    the sandboxed preload (CommonJS, self-contained: it may require only "electron")
 *   dist/app/worker.js      the job worker, run as an Electron utilityProcess
 *   dist/renderer/          index.html, main.js + main.css (renderer/main.tsx), one module per
 *                           renderer/**\/*-worker.ts (web workers), report.js + report.css (HTML report)
 *
 * Nothing here needs the Electron binary. Checks that fail the build: an index.html with an inline
 * script (the CSP would block it), a preload that requires anything but "electron".
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { REPORT_ENTRY, reportBuildOptions } from "../../main/report/report-bundle.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Electron 45 runs Node 22 and Chromium 140. */
const NODE_TARGET = "node22";
const CHROME_TARGET = "chrome140";

export interface BuildOptions {
  root?: string;
  outDir?: string;
  /** Minify the renderer (default true). */
  minify?: boolean;
  log?: (line: string) => void;
}

function findWorkers(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findWorkers(p));
    else if (/-worker\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** index.html must load scripts from files: the Content-Security-Policy forbids inline ones. */
export function checkIndexHtml(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/.test(m[1] ?? "") || (m[2] ?? "").trim() !== "") problems.push("an inline <script> (blocked by script-src 'self')");
  }
  if (/\son[a-z]+\s*=/i.test(html)) problems.push("an inline event handler attribute (blocked by script-src 'self')");
  if (/(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html)) problems.push("a remote resource (the app loads nothing from the network)");
  return problems;
}

export async function build(options: BuildOptions = {}): Promise<{ outDir: string; files: string[] }> {
  const root = options.root ?? ROOT;
  const outDir = options.outDir ?? join(root, "dist");
  const log = options.log ?? ((line: string) => console.log(line));
  const minify = options.minify ?? true;
  rmSync(join(outDir, "app"), { recursive: true, force: true });
  rmSync(join(outDir, "renderer"), { recursive: true, force: true });
  mkdirSync(join(outDir, "app"), { recursive: true });
  mkdirSync(join(outDir, "renderer"), { recursive: true });

  const nodeSide: esbuild.BuildOptions = {
    bundle: true,
    platform: "node",
    target: NODE_TARGET,
    format: "esm",
    packages: "external", // onnxruntime-node (native), electron and the rest load from node_modules
    // Code behind a dynamic import (the engine, the graders) goes into chunks that load when first
    // needed, so the main process does not load onnxruntime or mathjs at startup.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: "linked",
    logLevel: "warning",
  };
  const results: esbuild.BuildResult[] = [];
  results.push(
    await esbuild.build({ ...nodeSide, entryPoints: { main: join(root, "main/app/main.ts"), worker: join(root, "main/jobs/worker.ts") }, outdir: join(outDir, "app"), outExtension: { ".js": ".js" }, metafile: true }),
  );

  const preload = await esbuild.build({
    entryPoints: [join(root, "main/app/preload.ts")],
    outfile: join(outDir, "app/preload.cjs"),
    bundle: true,
    platform: "node",
    target: NODE_TARGET,
    format: "cjs",
    external: ["electron"],
    minify: true,
    metafile: true,
    logLevel: "warning",
  });
  results.push(preload);
  const preloadImports = Object.values(preload.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  const foreign = preloadImports.filter((p) => p !== "electron");
  if (foreign.length > 0) throw new Error(`the sandboxed preload may require only "electron", but it requires: ${[...new Set(foreign)].join(", ")}`);

  const html = readFileSync(join(root, "renderer/index.html"), "utf8");
  const problems = checkIndexHtml(html);
  if (problems.length > 0) throw new Error(`renderer/index.html: ${problems.join("; ")}`);
  cpSync(join(root, "renderer/index.html"), join(outDir, "renderer/index.html"));

  const web: esbuild.BuildOptions = {
    bundle: true,
    platform: "browser",
    target: CHROME_TARGET,
    format: "esm",
    jsx: "automatic",
    minify,
    sourcemap: "linked",
    define: { "process.env.NODE_ENV": '"production"' },
    // V8's explicit compile hint (Chromium 136+, so Electron 45 too): compile every function of the
    // bundle while the script streams in, on a background thread, instead of lazily on first call.
    // Lazily, the first chart drawn paid for compiling recharts in its one task (about a third of
    // its 65-80 ms of CPU in a trace); other browsers ignore the comment.
    banner: { js: "//# allFunctionsCalledOnLoad" },
    loader: { ".css": "css", ".svg": "file", ".png": "file", ".woff2": "file" },
    assetNames: "assets/[name]-[hash]",
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
  };
  const entries: Record<string, string> = { main: join(root, "renderer/main.tsx") };
  for (const w of findWorkers(join(root, "renderer"))) entries[basename(w).replace(/\.tsx?$/, "")] = w;
  results.push(await esbuild.build({ ...web, entryPoints: entries, outdir: join(outDir, "renderer") }));

  // The HTML report's bundle, as `npm run build:report` writes it (main/report/report-bundle.ts).
  results.push(await esbuild.build({ ...reportBuildOptions(), entryPoints: [REPORT_ENTRY], outdir: join(outDir, "renderer"), entryNames: "report", metafile: true, logLevel: "warning" }));

  const files = results.flatMap((r) => Object.keys(r.metafile?.outputs ?? {})).filter((f) => !f.endsWith(".map"));
  for (const r of results) {
    for (const [file, o] of Object.entries(r.metafile?.outputs ?? {})) {
      if (!file.endsWith(".map")) log(`${relative(root, file).padEnd(40)} ${(o.bytes / 1024).toFixed(0).padStart(6)} KiB`);
    }
  }
  return { outDir, files: [...files, join(outDir, "renderer/index.html")] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await build();
  } catch (err) {
    console.error(`build failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
