/**
 * The desktop-only API methods: native pickers and "save as" for exports. Electron's dialog module
 * is passed in, so this is tested with a fake. A cancelled dialog answers `{ path: null }`.
 */
import { writeFile } from "node:fs/promises";
import type { Handlers } from "../api/handlers.ts";
import { WorkbenchError } from "../../shared/errors.ts";

export interface OpenDialogOptionsLike {
  title?: string;
  properties: ("openFile" | "openDirectory")[];
  filters?: { name: string; extensions: string[] }[];
}

export interface DialogLike {
  showOpenDialog(options: OpenDialogOptionsLike): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: { title?: string; defaultPath?: string; filters?: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
}

export const DATASET_FILTERS = [
  { name: "Benchmarks", extensions: ["jsonl", "json", "csv", "tsv", "parquet"] },
  { name: "All files", extensions: ["*"] },
];

type DialogHandlers = Pick<Handlers, "dialogs.pickModel" | "dialogs.pickDataset" | "dialogs.pickRunFolder" | "dialogs.saveFile">;

export function desktopDialogs(dialog: DialogLike, defaults: { runsDir: string; saveDir: string }): DialogHandlers {
  const pick = async (options: OpenDialogOptionsLike) => {
    const r = await dialog.showOpenDialog(options);
    return { path: r.canceled ? null : (r.filePaths[0] ?? null) };
  };
  return {
    "dialogs.pickModel": ({ title }) => pick({ title: title ?? "Choose a model folder", properties: ["openDirectory"] }),
    "dialogs.pickDataset": ({ title }) => pick({ title: title ?? "Choose a benchmark file", properties: ["openFile"], filters: DATASET_FILTERS }),
    "dialogs.pickRunFolder": ({ title }) => pick({ title: title ?? "Choose a run folder", properties: ["openDirectory"] }),
    "dialogs.saveFile": async ({ defaultName, content, encoding, filters }) => {
      // Only a bare file name: the renderer must not steer where the dialog opens.
      const name = defaultName.replace(/[/\\]/g, "_");
      const r = await dialog.showSaveDialog({ title: "Export", defaultPath: `${defaults.saveDir}/${name}`, ...(filters ? { filters } : {}) });
      if (r.canceled || !r.filePath) return { path: null };
      try {
        await writeFile(r.filePath, encoding === "base64" ? Buffer.from(content, "base64") : content);
      } catch (err) {
        throw new WorkbenchError("internal", `cannot write ${r.filePath}: ${(err as Error).message}`, { path: r.filePath });
      }
      return { path: r.filePath };
    },
  };
}
