/**
 * Workers as Node child processes (CLI and serve mode): `child_process.fork` of the worker entry.
 * A TypeScript entry runs under tsx's loader (`--import <tsx>`, resolved to a file URL so the child
 * finds it whatever its working directory); a built .js entry runs as is. The child's stdout and
 * stderr go to the parent's stderr — never its stdout, whose first line serve mode reserves for the
 * URL — and the stderr tail is kept for the error of a crashed worker.
 */
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ChildChannel, SpawnWorker } from "./child-channel.ts";
import { TailBuffer } from "./child-channel.ts";

/** The worker entry of this checkout (TypeScript, run through tsx). */
export const WORKER_ENTRY = fileURLToPath(new URL("./worker.ts", import.meta.url));

function tsxLoaderUrl(): string {
  const require = createRequire(import.meta.url);
  // tsx's package root, then its ESM loader (the "." export under the "import" condition).
  const pkg = require.resolve("tsx/package.json");
  return pathToFileURL(pkg.replace(/package\.json$/, "dist/loader.mjs")).href;
}

export interface ForkOptions {
  /** The entry to run (default WORKER_ENTRY). */
  entry?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where the child's output goes besides the tail buffer (default process.stderr; null: nowhere). */
  output?: NodeJS.WritableStream | null;
}

export function forkWorker(options: ForkOptions = {}): SpawnWorker {
  return () => {
    const entry = options.entry ?? WORKER_ENTRY;
    const execArgv = entry.endsWith(".ts") ? ["--import", tsxLoaderUrl()] : [];
    const child = fork(entry, options.args ?? [], {
      execArgv,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced", // structured clone: no JSON round trip for big summaries
    });
    const tail = new TailBuffer();
    const out = options.output === undefined ? process.stderr : options.output;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        tail.push(chunk);
        out?.write(chunk);
      });
    }
    let exitCb: ((code: number | null, signal: string | null) => void) | null = null;
    let exited: { code: number | null; signal: string | null } | null = null;
    // 'exit' can come before the last IPC message is read; 'close' comes after every stream and the
    // channel have closed, so a reply that was sent is always seen before the exit.
    child.on("close", (code, signal) => {
      exited = { code, signal };
      exitCb?.(code, signal);
    });
    // A failed spawn (no such file, EAGAIN) is reported by 'error' and, without a process, no 'close'.
    child.on("error", (err) => {
      tail.push(`\n${err.message}\n`);
      if (child.pid === undefined && !exited) {
        exited = { code: null, signal: null };
        exitCb?.(null, null);
      }
    });
    const channel: ChildChannel = {
      send(msg) {
        if (child.connected) child.send(msg);
      },
      onMessage(cb) {
        child.on("message", cb);
      },
      onExit(cb) {
        exitCb = cb;
        if (exited) cb(exited.code, exited.signal);
      },
      kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      },
      stderrTail: () => tail.toString(),
    };
    return channel;
  };
}
