import type { Command } from "../command.ts";
import { datasetCommand } from "./dataset.ts";
import { gradeCommand } from "./grade.ts";

/** Every subcommand, in the order `arbitrage --help` lists them. Each lives in its own file. */
export const COMMANDS: Command[] = [datasetCommand, gradeCommand];
