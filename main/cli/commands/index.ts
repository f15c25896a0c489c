import type { Command } from "../command.ts";

/** Every subcommand, in the order `arbitrage --help` lists them. Each lives in its own file. */
export const COMMANDS: Command[] = [];
