/** What every `arbitrage` subcommand looks like: a name, one line of help, a usage block, and `run`. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: long commands stop cleanly after writing what is done. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. Throw a WorkbenchError for user errors; the shell prints it. */
  run(argv: string[], io: CliIO): Promise<number>;
}

/**
 * Exit codes: 0 done, 1 failed, 2 usage, 130 interrupted (resume with --resume), and
 * EXIT_PROBLEMS_FAILED when a sweep ran every pair but some failed on a server (--resume retries them).
 */
export const EXIT_PROBLEMS_FAILED = 3;

export function write(stream: NodeJS.WritableStream, line: string): void {
  stream.write(line.endsWith("\n") ? line : `${line}\n`);
}
