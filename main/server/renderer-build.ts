/**
 * Serve mode needs the built renderer (dist/renderer). A fresh clone has none after `npm ci`;
 * `arbitrage serve` builds it then, before it prints its URL, rather than answering every page
 * with 503. This is sturdier than building at
 * install (`prepare`): it also covers `npm ci --ignore-scripts` and a deleted dist/.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { WorkbenchError } from "../../shared/errors.ts";

/** The files serve mode loads first; their oldest mtime is the build's age. */
const BUILT_FILES = ["renderer/index.html", "renderer/main.js"];
/** Sources the renderer bundle is built from. */
const SOURCE_DIRS = ["renderer", "shared"];

export type RendererBuildState = "missing" | "stale" | "fresh";

/** The newest modification time of any file below `dir` (ms). */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

/**
 * "missing" when a built file is absent, "stale" when a renderer/ or shared/ source is newer than
 * the build, else "fresh". Without sources (an installed copy that ships only dist/) a build that
 * exists is fresh.
 */
export function rendererBuildState(root: string, outDir = join(root, "dist")): RendererBuildState {
  const built = BUILT_FILES.map((f) => join(outDir, f));
  if (!built.every((f) => existsSync(f))) return "missing";
  const dirs = SOURCE_DIRS.map((d) => join(root, d)).filter((d) => existsSync(d));
  if (dirs.length === 0) return "fresh";
  const builtAt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  return Math.max(...dirs.map(newestMtime)) > builtAt ? "stale" : "fresh";
}

type BuildFn = (o: { root?: string; outDir?: string; log?: (line: string) => void }) => Promise<unknown>;

/**
 * Builds dist/ (as `npm run build` does) when the renderer build is missing, saying so on `log`
 * before and after (it takes a few seconds). A stale build is served as it is, with a line saying
 * to rebuild: rebuilding under a running test suite or another server would pull files from under
 * them. The build goes to a fresh folder beside dist/ and is moved into place, so two servers
 * started at once never see a half-written one.
 */
export async function ensureRendererBuilt(
  root: string,
  log: (line: string) => void,
  outDir = join(root, "dist"),
): Promise<{ state: RendererBuildState; built: boolean }> {
  const state = rendererBuildState(root, outDir);
  if (state === "fresh") return { state, built: false };
  if (state === "stale") {
    log("arbitrage serve: the renderer build in dist/ is older than its sources in renderer/ or shared/; run `npm run build` for the current UI");
    return { state, built: false };
  }
  const script = join(root, "tools/build/build.ts");
  log(`arbitrage serve: the renderer is not built yet (no ${join(outDir, "renderer/main.js")}): building it (npm run build)…`);
  const t0 = Date.now();
  mkdirSync(outDir, { recursive: true });
  const staging = mkdtempSync(join(outDir, ".build-"));
  try {
    if (!existsSync(script)) throw new Error(`${script} is not here (an installed copy without the build tools)`);
    const { build } = (await import(pathToFileURL(script).href)) as { build: BuildFn };
    await build({ root, outDir: staging, log: () => {} });
    for (const part of ["app", "renderer"]) {
      const target = join(outDir, part);
      if (existsSync(target)) {
        // Another server finished first (keep its build), or a partial renderer folder (replace it).
        if (part === "app" || rendererBuildState(root, outDir) !== "missing") continue;
        renameSync(target, join(staging, "replaced-renderer"));
      }
      renameSync(join(staging, part), target);
    }
  } catch (err) {
    const reason = (err as Error).message;
    const hint = /esbuild/.test(reason) ? " (esbuild is a development dependency: install with `npm ci`, not with `--omit=dev`)" : "";
    throw new WorkbenchError("missing-file", `the renderer is not built and building it failed: ${reason}${hint}; run \`npm run build\` and start the server again`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`arbitrage serve: renderer built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { state, built: true };
}
