/** A CliIO that records what a command prints, for running `main([...])` inside a test. */
import { PassThrough } from "node:stream";
import type { CliIO } from "../../main/cli/command.ts";

export function captureIO(cwd: string): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = "";
  let e = "";
  stdout.on("data", (d) => (o += String(d)));
  stderr.on("data", (d) => (e += String(d)));
  return { stdout, stderr, cwd, env: {}, signal: new AbortController().signal, out: () => o, err: () => e };
}
