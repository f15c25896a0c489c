/** A chart's export actions: the figure as SVG and PNG (3×), its data as CSV and JSON. */
import { useEffect, useState } from "react";
import type { CompareData } from "../../shared/plots/compare.ts";
import { plotCsv } from "../../shared/plots/table.ts";
import type { PlotData } from "../../shared/plots/types.ts";
import { errorText, useApp } from "../app/context.tsx";
import type { ExportRequest } from "../plots/ChartFrame.tsx";
import { svgToPng } from "./png.ts";
import { saveFile } from "./save.ts";
import { useExportRegistry } from "./registry.ts";
import { exportSvg } from "./svg.ts";

/** A file name from a title: "Acceptance rate vs accuracy" → "acceptance-rate-vs-accuracy". */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9@.]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "plot"
  );
}

/** `get` null: data only (a table has no figure to export). */
export function ExportButtons({ get, data, name }: { get: (() => ExportRequest | null) | null; data: PlotData | CompareData; name: string }) {
  const { api, info } = useApp();
  const [message, setMessage] = useState<string | null>(null);
  const target = { api, shell: info?.shell ?? null };
  const base = slug(name);
  const registry = useExportRegistry();
  // The latest chart and data are what "export all" takes (the registry holds this render's closures).
  useEffect(() => registry?.add({ name: base, get, data }), [registry, base, get, data]);
  const act = (what: string, fn: () => Promise<string | null>) => async () => {
    setMessage(null);
    try {
      const where = await fn();
      if (where && where !== "download") setMessage(`saved ${where}`);
    } catch (err) {
      setMessage(`${what}: ${errorText(err)}`);
    }
  };
  const svgOf = () => {
    const req = get?.() ?? null;
    if (req === null) throw new Error("the chart is not on screen");
    return exportSvg(req);
  };
  return (
    <>
      {get ? (
        <>
          <button className="small" data-export="svg" onClick={act("SVG", async () => saveFile(target, `${base}.svg`, svgOf().svg, "image/svg+xml"))}>
            SVG
          </button>
          <button className="small" data-export="png" onClick={act("PNG", async () => saveFile(target, `${base}.png`, await svgToPng(svgOf(), 3), "image/png"))}>
            PNG
          </button>
        </>
      ) : null}
      <button className="small" data-export="csv" onClick={act("CSV", async () => saveFile(target, `${base}.csv`, plotCsv(data), "text/csv"))}>
        CSV
      </button>
      <button className="small" data-export="json" onClick={act("JSON", async () => saveFile(target, `${base}.json`, `${JSON.stringify(data, null, 2)}\n`, "application/json"))}>
        JSON
      </button>
      {message ? <span className="hint">{message}</span> : null}
    </>
  );
}
