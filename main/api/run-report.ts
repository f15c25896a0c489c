/**
 * The self-contained HTML report of a run folder, as `arbitrage report` writes it, returned as text
 * for the app to save where the user chooses. Runs in the job worker: reading a large run's journal
 * for the router analysis must not hold up the serving thread.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WorkbenchError } from "../../shared/errors.ts";
import { loadReportBundle } from "../report/report-bundle.ts";
import { readRunForReport, renderReportHtml } from "../report/write-html-report.ts";

export async function runReport(input: { dir: string }): Promise<{ html: string; bytes: number }> {
  if (!existsSync(join(input.dir, "run.json"))) {
    throw new WorkbenchError("missing-file", `expected a run folder (with run.json) at ${input.dir}, found none`, { path: input.dir });
  }
  const [data, bundle] = await Promise.all([readRunForReport(input.dir), loadReportBundle()]);
  const html = renderReportHtml(data, bundle);
  return { html, bytes: Buffer.byteLength(html) };
}
