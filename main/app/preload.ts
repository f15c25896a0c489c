/**
 * The preload (sandboxed, bundled to dist/app/preload.cjs): exposes exactly one API,
 * `window.workbench`, whose channels are derived from the contracts (bridge.ts, channels.ts).
 */
import { contextBridge, ipcRenderer } from "electron";
import { createBridge } from "./bridge.ts";

contextBridge.exposeInMainWorld("workbench", createBridge(ipcRenderer));
