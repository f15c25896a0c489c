/**
 * A chart as a standalone SVG file: the chart's own <svg> (as recharts drew it), under a header
 * with the title, the subtitle and the legend drawn in SVG (the on-screen legend is HTML), on a
 * white background, with the font named — so the file looks the same in a paper or a slide.
 */
import type { ExportRequest } from "../plots/ChartFrame.tsx";
import { CHART_FONT, type LegendItem } from "../plots/theme.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Greedy word wrap at about `width` px for a font of `size` px (average glyph ≈ 0.55 em). */
export function wrapText(text: string, width: number, size: number): string[] {
  const perLine = Math.max(20, Math.floor(width / (size * 0.55)));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

function legendMark(item: LegendItem, x: number, y: number): string {
  const c = esc(item.color);
  switch (item.mark) {
    case "line":
      return `<line x1="${x}" y1="${y}" x2="${x + 20}" y2="${y}" stroke="${c}" stroke-width="2.5"${item.dashed ? ' stroke-dasharray="4 3"' : ""}/>`;
    case "dot":
      return `<circle cx="${x + 10}" cy="${y}" r="4" fill="${c}"/>`;
    case "square":
      return `<rect x="${x + 4}" y="${y - 5}" width="12" height="10" fill="${c}"/>`;
    case "diamond":
      return `<path d="M${x + 10} ${y - 6} L${x + 16} ${y} L${x + 10} ${y + 6} L${x + 4} ${y} Z" fill="${c}"/>`;
    case "star":
      return `<path d="M${x + 10} ${y - 6} L${x + 12} ${y - 1.5} L${x + 17} ${y - 1} L${x + 13} ${y + 2} L${x + 14.5} ${y + 6} L${x + 10} ${y + 3.6} L${x + 5.5} ${y + 6} L${x + 7} ${y + 2} L${x + 3} ${y - 1} L${x + 8} ${y - 1.5} Z" fill="${c}"/>`;
  }
}

/** The legend laid out in rows that fit `width`; returns the markup and its height. */
function legendBlock(items: LegendItem[], width: number, top: number): { svg: string; height: number } {
  let x = 0;
  let y = top + 8;
  const parts: string[] = [];
  for (const item of items) {
    const w = 28 + item.label.length * 6.6 + 18;
    if (x > 0 && x + w > width) {
      x = 0;
      y += 18;
    }
    const mark = legendMark(item, x, y);
    parts.push(item.opacity === undefined ? mark : `<g opacity="${item.opacity}">${mark}</g>`, `<text x="${x + 26}" y="${y + 4}" font-size="12" fill="#334155">${esc(item.label)}</text>`);
    x += w;
  }
  return { svg: parts.join(""), height: items.length === 0 ? 0 : y - top + 12 };
}

export interface SvgExport {
  svg: string;
  width: number;
  height: number;
}

/** The chart's SVG element (recharts draws one per chart; a frame holds one chart). */
export function chartSvgElement(el: HTMLElement): SVGSVGElement | null {
  return el.querySelector("svg.recharts-surface");
}

export function exportSvg(req: ExportRequest): SvgExport {
  const chart = chartSvgElement(req.element);
  if (chart === null) throw new Error(`"${req.title}" has not been drawn yet: nothing to export`);
  const box = chart.getBoundingClientRect();
  const cw = Math.round(Number(chart.getAttribute("width")) || box.width);
  const ch = Math.round(Number(chart.getAttribute("height")) || box.height);
  const pad = 16;
  const width = cw + 2 * pad;
  const title = `<text x="${pad}" y="${pad + 14}" font-size="16" font-weight="600" fill="#0f172a">${esc(req.title)}</text>`;
  let y = pad + 24;
  const sub = (req.subtitle ? wrapText(req.subtitle, cw, 12) : []).map((line) => {
    y += 16;
    return `<text x="${pad}" y="${y}" font-size="12" fill="#64748b">${esc(line)}</text>`;
  });
  y += 8;
  const legend = legendBlock(req.legend, cw, 0);
  const legendSvg = `<g transform="translate(${pad},${y})">${legend.svg}</g>`;
  y += legend.height + 6;
  const clone = chart.cloneNode(true) as SVGSVGElement;
  clone.removeAttribute("style");
  clone.setAttribute("x", String(pad));
  clone.setAttribute("y", String(y));
  clone.setAttribute("width", String(cw));
  clone.setAttribute("height", String(ch));
  // Tooltip and hover cursor are interaction state, not part of the figure.
  clone.querySelectorAll(".recharts-tooltip-cursor, .recharts-active-dot").forEach((n) => n.remove());
  // Axis text inherits its size from the page's CSS, which the file does not carry: pin it.
  const fontSize = getComputedStyle(chart).fontSize || "12px";
  clone.setAttribute("font-size", fontSize);
  const height = y + ch + pad;
  const inner = new XMLSerializer().serializeToString(clone);
  const svg =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(CHART_FONT)}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${title}${sub.join("")}${legendSvg}${inner}</svg>\n`;
  return { svg, width, height };
}
