/**
 * The preload (sandboxed, bundled to dist/app/preload.cjs): exposes exactly one API,
 * `window.workbench`, whose channels are derived from the contracts (bridge.ts, channels.ts).
 */
import { contextBridge, ipcRenderer } from "electron";
import { createBridge } from "./bridge.ts";

/** The page's window (the preload's tsconfig has no DOM types). */
const page = globalThis as unknown as { postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void };
// A worker's MessagePort from main reaches the page by window.postMessage (the contextBridge cannot carry one).
contextBridge.exposeInMainWorld("workbench", createBridge(ipcRenderer, (message, ports) => page.postMessage(message, "*", ports)));
