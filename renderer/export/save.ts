/**
 * Saving an export: the desktop app asks for a place with its native dialog (dialogs.saveFile);
 * in serve mode (a browser) the file is a download. The caller does not care which.
 */
import { isUnsupported, type ApiClient } from "../../shared/api/index.ts";

export interface SaveTarget {
  api: ApiClient;
  shell: "desktop" | "serve" | null;
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start reading the blob before it goes away.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  svg: { name: "SVG image", extensions: ["svg"] },
  png: { name: "PNG image", extensions: ["png"] },
  csv: { name: "CSV table", extensions: ["csv"] },
  json: { name: "JSON data", extensions: ["json"] },
};

/** Saves `content` as `name`; resolves with where it went (a path, "download"), or null when cancelled. */
export async function saveFile(target: SaveTarget, name: string, content: string | Blob, mime: string): Promise<string | null> {
  const blob = typeof content === "string" ? new Blob([content], { type: mime }) : content;
  if (target.shell === "desktop") {
    const ext = name.split(".").pop() ?? "";
    try {
      const picked = await target.api.dialogs.saveFile({
        defaultName: name,
        content: typeof content === "string" ? content : await base64(blob),
        encoding: typeof content === "string" ? "utf8" : "base64",
        ...(FILTERS[ext] ? { filters: [FILTERS[ext]] } : {}),
      });
      return picked.path;
    } catch (err) {
      if (!isUnsupported(err)) throw err;
    }
  }
  download(name, blob);
  return "download";
}
