/**
 * A chart's frame: title, what the numbers mean, legend, the chart, and its export actions. The
 * frame carries data-plot so tests (and Export) find a chart by kind; `exportRef` is the element
 * whose <svg> is exported.
 */
import { useRef, type ReactNode } from "react";
import { Legend } from "./Legend.tsx";
import type { LegendItem } from "./theme.ts";

export interface ExportRequest {
  /** The element holding the chart's SVG. */
  element: HTMLElement;
  title: string;
  subtitle: string | undefined;
  legend: LegendItem[];
}

export interface ChartFrameProps {
  plot: string;
  title: string;
  subtitle?: string;
  legend?: LegendItem[];
  /** Shown instead of the chart when there is nothing to draw (and why). */
  empty?: string | null;
  /** Export actions, given the chart to export; absent in the HTML report. */
  actions?: (get: () => ExportRequest | null) => ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}

export function ChartFrame({ plot, title, subtitle, legend = [], empty, actions, children, footer }: ChartFrameProps) {
  const chartRef = useRef<HTMLDivElement>(null);
  const get = (): ExportRequest | null => (chartRef.current ? { element: chartRef.current, title, subtitle, legend } : null);
  return (
    <section className="chart-frame" data-plot={plot}>
      <header>
        <div>
          <h3>{title}</h3>
          {subtitle ? <p className="subtitle">{subtitle}</p> : null}
        </div>
        {actions && !empty ? <div className="chart-actions">{actions(get)}</div> : null}
      </header>
      {empty ? (
        <p className="empty" data-empty="true">
          {empty}
        </p>
      ) : (
        <>
          {legend.length > 0 ? <Legend items={legend} /> : null}
          <div className="chart-body" ref={chartRef}>
            {children}
          </div>
        </>
      )}
      {footer}
    </section>
  );
}
