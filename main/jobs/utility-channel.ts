/**
 * Workers as Electron utility processes (the desktop app): the same worker entry, started with
 * `utilityProcess.fork`. Electron is not imported here: the caller passes `utilityProcess.fork`,
 * so this adapter is tested with a fake and type-checks without Electron.
 */
import type { ChildChannel, SpawnWorker } from "./child-channel.ts";
import { TailBuffer } from "./child-channel.ts";

/** The part of Electron's UtilityProcess this adapter uses. */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  kill(): boolean;
  readonly pid?: number | undefined;
  readonly stderr?: NodeJS.ReadableStream | null;
  on(event: "message", listener: (message: unknown) => void): unknown;
  on(event: "exit", listener: (code: number) => void): unknown;
}

export type UtilityFork = (modulePath: string, args: string[], options: { serviceName?: string; stdio?: "pipe" | "ignore" | "inherit" | ["ignore", "pipe", "pipe"]; env?: NodeJS.ProcessEnv }) => UtilityProcessLike;

export function utilityWorker(fork: UtilityFork, entry: string, options: { serviceName?: string; env?: NodeJS.ProcessEnv } = {}): SpawnWorker {
  return () => {
    const proc = fork(entry, [], {
      serviceName: options.serviceName ?? "Arbitrage Workbench job",
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.env ? { env: options.env } : {}),
    });
    const tail = new TailBuffer();
    proc.stderr?.on("data", (chunk: Buffer | string) => tail.push(chunk));
    let exited: number | null | undefined;
    let exitCb: ((code: number | null, signal: string | null) => void) | null = null;
    proc.on("exit", (code) => {
      exited = code;
      exitCb?.(code, null);
    });
    return {
      send(msg) {
        if (exited === undefined) proc.postMessage(msg);
      },
      onMessage(cb) {
        proc.on("message", cb);
      },
      onExit(cb) {
        exitCb = cb;
        if (exited !== undefined) cb(exited, null);
      },
      kill() {
        if (exited === undefined) proc.kill();
      },
      stderrTail: () => tail.toString(),
    };
  };
}
