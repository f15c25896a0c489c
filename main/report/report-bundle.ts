/**
 * The renderer's report bundle (renderer/report/report.tsx → one IIFE script + its CSS), which the
 * HTML report embeds. Built with esbuild at report time when esbuild is installed (a development
 * checkout: always current); otherwise read from dist/renderer/report.{js,css}, which `npm run
 * build:report` writes for a packaged app.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WorkbenchError } from "../../shared/errors.ts";

export interface ReportBundle {
  js: string;
  css: string;
  /** Where it came from, for a log line. */
  source: "esbuild" | "dist";
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const REPORT_ENTRY = `${ROOT}renderer/report/report.tsx`;
export const REPORT_DIST = `${ROOT}dist/renderer/`;

/** esbuild options shared by report time and `npm run build:report`. */
export function reportBuildOptions() {
  return {
    entryPoints: [REPORT_ENTRY],
    bundle: true,
    format: "iife" as const,
    platform: "browser" as const,
    target: ["chrome110", "firefox110", "safari16"],
    minify: true,
    jsx: "automatic" as const,
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".css": "css" as const },
    legalComments: "none" as const,
    logLevel: "silent" as const,
  };
}

async function buildWithEsbuild(): Promise<ReportBundle | null> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    return null; // not installed (a packaged app): use dist
  }
  const result = await esbuild.build({ ...reportBuildOptions(), write: false, outdir: "/report-out" });
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"));
  const css = result.outputFiles.find((f) => f.path.endsWith(".css"));
  if (!js) throw new WorkbenchError("internal", "building the report bundle produced no script");
  return { js: js.text, css: css?.text ?? "", source: "esbuild" };
}

export async function loadReportBundle(): Promise<ReportBundle> {
  const built = await buildWithEsbuild();
  if (built) return built;
  const js = `${REPORT_DIST}report.js`;
  if (!existsSync(js)) {
    throw new WorkbenchError("missing-file", `the report bundle ${js} is missing and esbuild is not installed to build it; run npm run build:report`);
  }
  const css = `${REPORT_DIST}report.css`;
  return { js: readFileSync(js, "utf8"), css: existsSync(css) ? readFileSync(css, "utf8") : "", source: "dist" };
}
