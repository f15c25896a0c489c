import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WorkbenchError } from "../../shared/errors.ts";
import type { CliIO, Command } from "./command.ts";
import { write } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";

const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;
const EXIT_INTERRUPTED = 130;

function version(): string {
  const pkgPath = fileURLToPath(new URL("../../package.json", import.meta.url));
  return (JSON.parse(readFileSync(pkgPath, "utf8")) as { version: string }).version;
}

function help(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "arbitrage — compare step-level speculative reasoning methods (RSD, Arbitrage) on a model pair",
    "",
    "usage: arbitrage <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `arbitrage <command> --help` for a command's options.",
  ].join("\n");
}

export function defaultIO(signal: AbortSignal): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, signal };
}

/** Runs one command line; returns the exit code (0 ok, 1 failure, 2 usage, 3 a sweep's problems failed on a server, 130 interrupted). */
export async function main(argv: string[], io?: CliIO, commands: Command[] = COMMANDS): Promise<number> {
  let ownController: AbortController | undefined;
  let onSigint: (() => void) | undefined;
  if (!io) {
    ownController = new AbortController();
    const controller = ownController;
    onSigint = () => {
      if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED); // second Ctrl-C: leave now
      process.stderr.write("\ninterrupted: finishing the current item and writing results (Ctrl-C again to quit now)\n");
      controller.abort();
    };
    process.on("SIGINT", onSigint);
    io = defaultIO(controller.signal);
  }
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      write(io.stdout, help(commands));
      return name === undefined ? EXIT_USAGE : 0;
    }
    if (name === "--version" || name === "-V") {
      write(io.stdout, version());
      return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) {
      write(io.stderr, `arbitrage: unknown command "${name}"\n\n${help(commands)}`);
      return EXIT_USAGE;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      write(io.stdout, `${command.summary}\n\n${command.usage}`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof WorkbenchError) {
      write(io.stderr, `arbitrage: ${err.kind === "usage" ? "" : `${err.kind}: `}${err.message}`);
      if (err.kind === "cancelled") return EXIT_INTERRUPTED;
      return err.kind === "usage" ? EXIT_USAGE : EXIT_FAILURE;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    write(io.stderr, `arbitrage: internal error: ${e.stack ?? e.message}`);
    return EXIT_FAILURE;
  } finally {
    if (onSigint) process.off("SIGINT", onSigint);
  }
}
