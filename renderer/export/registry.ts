/**
 * The exportable charts on screen, for "export all": every ExportButtons registers its chart (how
 * to get its SVG, its data, its file name) while mounted.
 */
import { createContext, useContext } from "react";
import type { CompareData } from "../../shared/plots/compare.ts";
import type { PlotData } from "../../shared/plots/types.ts";
import type { ExportRequest } from "../plots/ChartFrame.tsx";

export interface ExportableChart {
  name: string;
  get: (() => ExportRequest | null) | null;
  data: PlotData | CompareData;
}

export class ExportRegistry {
  private readonly charts = new Map<string, ExportableChart>();

  add(chart: ExportableChart): () => void {
    this.charts.set(chart.name, chart);
    return () => {
      if (this.charts.get(chart.name) === chart) this.charts.delete(chart.name);
    };
  }

  list(): ExportableChart[] {
    return [...this.charts.values()];
  }
}

export const ExportRegistryContext = createContext<ExportRegistry | null>(null);

export function useExportRegistry(): ExportRegistry | null {
  return useContext(ExportRegistryContext);
}
