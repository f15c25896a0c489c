/**
 * Serve mode for browser tests: the built renderer (rebuilt when a source is newer than it) and an
 * `arbitrage serve` child process whose first stdout line is its URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { newestMtime } from "../../main/server/renderer-build.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Builds dist/ (npm run build) unless dist/renderer is newer than every renderer/ and shared/ source. */
export async function ensureRendererBuilt(): Promise<void> {
  const main = join(ROOT, "dist/renderer/main.js");
  const worker = join(ROOT, "dist/renderer/import-worker.js");
  const built = existsSync(main) && existsSync(worker) ? Math.min(statSync(main).mtimeMs, statSync(worker).mtimeMs) : 0;
  const sources = Math.max(newestMtime(join(ROOT, "renderer")), newestMtime(join(ROOT, "shared")));
  if (built > sources) return;
  const { build } = (await import(join(ROOT, "tools/build/build.ts"))) as { build: (o: { log?: (l: string) => void }) => Promise<unknown> };
  await build({ log: () => undefined });
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
}

export async function startServe(args: string[], cwd = ROOT): Promise<Served> {
  const child = spawn(process.execPath, [join(ROOT, "bin/arbitrage.js"), "serve", "--port", "0", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => resolve(line.trim()));
    child.once("exit", (code) => reject(new Error(`arbitrage serve exited (${code}) before printing its URL:\n${err}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get("token") ?? "",
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGINT");
      }),
  };
}
