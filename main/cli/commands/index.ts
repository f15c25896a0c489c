import type { Command } from "../command.ts";
import { datasetCommand } from "./dataset.ts";
import { demoCommand } from "./demo.ts";
import { gradeCommand } from "./grade.ts";
import { reportCommand } from "./report.ts";
import { routerDataCommand } from "./router-data.ts";
import { routerEvalCommand } from "./router-eval.ts";
import { serveCommand } from "./serve.ts";
import { sweepCommand } from "./sweep.ts";
import { trainRouterCommand } from "./train-router.ts";

/** Every subcommand, in the order `arbitrage --help` lists them. Each lives in its own file. */
export const COMMANDS: Command[] = [demoCommand, sweepCommand, datasetCommand, gradeCommand, routerEvalCommand, trainRouterCommand, routerDataCommand, reportCommand, serveCommand];
