import { parseArgs, type ParseArgsConfig } from "node:util";
import { WorkbenchError } from "../../shared/errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node:util parseArgs with the project's error style: an unknown flag or a missing value becomes a
 * `usage` error that names the flag and shows the usage block, instead of a stack trace.
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new WorkbenchError("usage", `${msg}\n\n${usage}`);
  }
}

export function requireOption(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === "") {
    throw new WorkbenchError("usage", `missing required option ${flag}\n\n${usage}`);
  }
  return value;
}

export function parseNumberOption(value: string | undefined, flag: string, opts: { integer?: boolean; min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    const what = opts.integer ? "an integer" : "a number";
    const bound = opts.min !== undefined ? ` >= ${opts.min}` : "";
    throw new WorkbenchError("usage", `${flag} expects ${what}${bound}, found "${value}"`);
  }
  return n;
}
