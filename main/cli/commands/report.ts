import { resolve } from "node:path";
import { writeHtmlReport } from "../../report/write-html-report.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, requireOption } from "../parse-args.ts";

const usage = `usage: arbitrage report --run DIR [--out FILE]

  --run DIR     a run folder written by arbitrage sweep / demo (or the app)
  --out FILE    where the report goes (default: DIR/report.html)

Writes a self-contained HTML report of the run: its configurations, the acceptance–accuracy and
accuracy–latency curves with the speedup at matched accuracy, the latency breakdown, the router
score vs oracle Δ scatter with its calibration, and example step traces. One file that opens
offline in any browser.`;

export const reportCommand: Command = {
  name: "report",
  summary: "write a self-contained HTML report of a run folder",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { run: { type: "string" }, out: { type: "string" } }, usage);
    const runDir = resolve(io.cwd, requireOption(values.run, "--run", usage));
    const outFile = resolve(io.cwd, values.out ?? `${runDir}/report.html`);
    const result = await writeHtmlReport(runDir, outFile);
    write(io.stdout, `wrote ${result.outFile} (${(result.bytes / 1024).toFixed(0)} KiB)`);
    return 0;
  },
};
