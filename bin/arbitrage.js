#!/usr/bin/env node
// The `arbitrage` command. The CLI is TypeScript run through tsx, so a fresh clone needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../main/cli/index.ts");
process.exitCode = await main(process.argv.slice(2));
