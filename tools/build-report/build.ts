/**
 * Writes dist/renderer/report.{js,css}: the HTML report's bundle, for a packaged app that has no
 * esbuild at run time (main/report/report-bundle.ts reads it from there).
 */
import { mkdirSync } from "node:fs";
import * as esbuild from "esbuild";
import { REPORT_DIST, reportBuildOptions } from "../../main/report/report-bundle.ts";

mkdirSync(REPORT_DIST, { recursive: true });
const result = await esbuild.build({ ...reportBuildOptions(), outdir: REPORT_DIST, entryNames: "report", metafile: true, logLevel: "warning" });
for (const [file, out] of Object.entries(result.metafile.outputs)) console.log(`${file}  ${(out.bytes / 1024).toFixed(0)} KiB`);
