/** An exported SVG rasterised at print resolution (default 3×: ~290 dpi for a 1:1 figure). */
import type { SvgExport } from "./svg.ts";

export async function svgToPng(exp: SvgExport, scale = 3): Promise<Blob> {
  const img = new Image();
  img.decoding = "sync";
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error("the browser could not draw the chart's SVG"));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(exp.svg)}`;
  await loaded;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(exp.width * scale);
  canvas.height = Math.round(exp.height * scale);
  const ctx = canvas.getContext("2d");
  if (ctx === null) throw new Error("no 2D canvas here");
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, exp.width, exp.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the canvas gave no PNG"))), "image/png"));
}
