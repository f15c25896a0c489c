/**
 * Export: every plot of a run with its exports (SVG and PNG at 3×, data as CSV and JSON), the
 * run's summary as data, its self-contained HTML report, and all of it at once in a zip.
 */
import { useEffect, useMemo, useState } from "react";
import { errorText, useApp } from "../app/context.tsx";
import { navigate, rememberRun } from "../app/route.ts";
import { RunPicker } from "../components/RunPicker.tsx";
import { RunPlots } from "../components/RunPlots.tsx";
import { useRun } from "../components/useRun.ts";
import { slug } from "../export/ExportButtons.tsx";
import { svgToPng } from "../export/png.ts";
import { ExportRegistry, ExportRegistryContext } from "../export/registry.ts";
import { saveFile } from "../export/save.ts";
import { exportSvg } from "../export/svg.ts";
import { zip, type ZipEntry } from "../export/zip.ts";
import { plotCsv } from "../../shared/plots/table.ts";
import { latencyBreakdown } from "../../shared/plots/latency-breakdown.ts";
import { runSummaries } from "../store/queries.ts";
import type { RunRow } from "../store/schema.ts";

/** Every chart on the screen as SVG, PNG, CSV and JSON, the run's summary and its HTML report, in one zip. */
async function exportAll(run: RunRow, registry: ExportRegistry, report: string | null): Promise<Blob> {
  const enc = new TextEncoder();
  const entries: ZipEntry[] = [];
  const base = slug(run.name);
  for (const chart of registry.list()) {
    const req = chart.get?.() ?? null;
    if (req !== null) {
      const svg = exportSvg(req);
      entries.push({ name: `${base}/${chart.name}.svg`, bytes: enc.encode(svg.svg) });
      entries.push({ name: `${base}/${chart.name}.png`, bytes: new Uint8Array(await (await svgToPng(svg, 3)).arrayBuffer()) });
    }
    entries.push({ name: `${base}/${chart.name}.csv`, bytes: enc.encode(plotCsv(chart.data)) });
    entries.push({ name: `${base}/${chart.name}.json`, bytes: enc.encode(`${JSON.stringify(chart.data, null, 2)}\n`) });
  }
  if (run.summary !== null) entries.push({ name: `${base}/summary.json`, bytes: enc.encode(`${JSON.stringify(run.summary, null, 2)}\n`) });
  if (report !== null) entries.push({ name: `${base}/report.html`, bytes: enc.encode(report) });
  return new Blob([zip(entries)], { type: "application/zip" });
}

function RunData({ run, registry }: { run: RunRow; registry: ExportRegistry }) {
  const { api, info } = useApp();
  const target = { api, shell: info?.shell ?? null };
  const input = runSummaries(run);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const act = (what: string, fn: () => Promise<string | null>) => async () => {
    setBusy(what);
    setMessage(null);
    try {
      const where = await fn();
      if (where && where !== "download") setMessage(`saved ${where}`);
    } catch (err) {
      setMessage(`${what}: ${errorText(err)}`);
    } finally {
      setBusy(null);
    }
  };
  const report = async () => (await api.runs.report({ dir: run.dir })).html;
  return (
    <section className="panel">
      <h2>Run data</h2>
      <div className="row">
        <button disabled={run.summary === null} onClick={() => void saveFile(target, `${slug(run.name)}-summary.json`, `${JSON.stringify(run.summary, null, 2)}\n`, "application/json")}>
          summary.json
        </button>
        <button disabled={input === null} onClick={() => input && void saveFile(target, `${slug(run.name)}-latency.csv`, plotCsv(latencyBreakdown(input)), "text/csv")}>
          per-configuration latency CSV
        </button>
        <button disabled={busy !== null} data-action="html-report" onClick={act("HTML report", async () => saveFile(target, `${slug(run.name)}-report.html`, await report(), "text/html"))}>
          {busy === "HTML report" ? "writing the report…" : "HTML report"}
        </button>
        <button
          className="primary"
          disabled={busy !== null}
          data-action="export-all"
          onClick={act("Export all", async () => {
            const html = await report().catch(() => null);
            return saveFile(target, `${slug(run.name)}-figures.zip`, await exportAll(run, registry, html), "application/zip");
          })}
        >
          {busy === "Export all" ? "exporting…" : "Export all (zip)"}
        </button>
        {message ? <span className="hint">{message}</span> : null}
      </div>
      <p className="hint">
        The HTML report is one self-contained file that opens offline with the same charts (also <code>arbitrage report --run {run.dir}</code>). Export all: every
        chart below as SVG, PNG (3×), CSV and JSON, with summary.json and the report, in one zip.
      </p>
    </section>
  );
}

export function ExportScreen({ runId }: { runId: string | null }) {
  const run = useRun(runId);
  const registry = useMemo(() => new ExportRegistry(), []);
  useEffect(() => rememberRun(runId), [runId]);
  return (
    <div className="screen">
      <div className="panel-head">
        <h1>Export</h1>
        <RunPicker value={runId} onChange={(id) => navigate({ screen: "export", runId: id })} />
      </div>
      <p className="lead">Each plot as SVG, or PNG at 3× for print; its data as CSV and JSON. In a browser, exports are downloads.</p>
      {run ? (
        <ExportRegistryContext.Provider value={registry}>
          <RunData run={run} registry={registry} />
          <RunPlots run={run} />
        </ExportRegistryContext.Provider>
      ) : (
        <p className="empty">Choose a run.</p>
      )}
    </div>
  );
}
