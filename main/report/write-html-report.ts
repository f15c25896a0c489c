/**
 * A self-contained HTML report of a run folder: one file that opens offline in any browser. Its
 * charts are drawn by the renderer's own components, in the browser (recharts renders nothing
 * server-side): the file carries the report bundle and the run's plot data as JSON, and fetches
 * nothing.
 */
import { createReadStream, existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { WorkbenchError } from "../../shared/errors.ts";
import { summarizeSweep } from "../../shared/metrics/summarize.ts";
import { buildReportData, type ReportData } from "../../shared/plots/report-data.ts";
import type { Configuration, ProblemRecord, SweepSummary } from "../../shared/results.ts";
import { readJson } from "../jobs/run-folder.ts";
import { journalRecords, type JournalEntry } from "../jobs/sweep.ts";
import { loadReportBundle, type ReportBundle } from "./report-bundle.ts";

/**
 * Every complete record of journal.jsonl, one per (configuration, problem): a torn last line (a
 * crash mid-write) is left out, and a pair rerun after a server failure keeps its later record.
 */
async function readJournal(path: string): Promise<ProblemRecord[]> {
  const entries: JournalEntry[] = [];
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  let n = 0;
  let bad: { line: number; message: string } | null = null;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    if (bad) throw new WorkbenchError("bad-config", `${path}: line ${bad.line} is not a journal record (${bad.message})`, { path, line: bad.line });
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch (err) {
      bad = { line: n, message: (err as Error).message }; // fatal unless it is the last line
    }
  }
  return journalRecords(entries, false).entries.map((e) => e.record);
}

export async function readRunForReport(runDir: string, now?: Date): Promise<ReportData> {
  const meta = await readJson<Record<string, unknown>>(join(runDir, "run.json"));
  const journal = join(runDir, "journal.jsonl");
  const records = existsSync(journal) ? await readJournal(journal) : [];
  let summary: SweepSummary & { complete?: boolean };
  if (existsSync(join(runDir, "summary.json"))) {
    summary = await readJson<SweepSummary & { complete?: boolean }>(join(runDir, "summary.json"));
  } else {
    // A run stopped before it wrote summary.json: summarise what the journal holds.
    const configs = ((meta.resolved as { configurations?: Configuration[] } | undefined)?.configurations ?? []) as Configuration[];
    summary = { ...summarizeSweep(configs, records, { stepsComputed: 0, stepsNaive: 0 }), complete: false };
  }
  return buildReportData({ dir: runDir, meta, summary, records, ...(now ? { now } : {}) });
}

/** JSON that cannot end the <script> element it sits in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function renderReportHtml(data: ReportData, bundle: Pick<ReportBundle, "js" | "css">): string {
  // A "</script" inside the bundle would end the element early; "<\/script" means the same in JS.
  const js = bundle.js.replace(/<\/script/gi, "<\\/script");
  const css = bundle.css.replace(/<\/style/gi, "<\\/style");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Arbitrage Workbench">
<title>${escapeHtml(data.run.name)} — Arbitrage Workbench report</title>
<style>${css}</style>
</head>
<body>
<div id="root"><noscript>This report draws its charts with JavaScript; please allow scripts for this file.</noscript></div>
<script type="application/json" id="report-data">${scriptSafeJson(data)}</script>
<script>${js}</script>
</body>
</html>
`;
}

export interface HtmlReportResult {
  outFile: string;
  bytes: number;
  bundle: ReportBundle["source"];
}

/** Writes the report of `runDir` to `outFile`. */
export async function writeHtmlReport(runDir: string, outFile: string): Promise<HtmlReportResult> {
  if (!existsSync(join(runDir, "run.json"))) {
    throw new WorkbenchError("missing-file", `expected a run folder (with run.json) at ${runDir}, found none`, { path: runDir });
  }
  const [data, bundle] = await Promise.all([readRunForReport(runDir), loadReportBundle()]);
  const html = renderReportHtml(data, bundle);
  await writeFile(outFile, html, "utf8");
  return { outFile, bytes: Buffer.byteLength(html), bundle: bundle.source };
}
