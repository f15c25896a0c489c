/**
 * How a Web Worker of this page reaches the API (store/import-worker.ts's WorkerApi): in serve mode
 * over HTTP with the page's origin and token; in the desktop app over a MessagePort the main
 * process hands out (main/app/worker-port.ts) — asked for through the preload's bridge, delivered
 * as a window message from the preload. Null where neither works (the caller then does the work on
 * this thread).
 */
import { tokenFromUrl } from "../../shared/api/transports/http.ts";
import { WORKER_PORT_MESSAGE } from "../../shared/api/transports/port.ts";
import type { WorkbenchBridge } from "../../shared/api/transport.ts";
import type { WorkerApi } from "../store/import-worker.ts";

/** How long to wait for main's port before importing on this thread instead. */
const PORT_WAIT_MS = 5000;

let requests = 0;

export interface WorkerApiScope {
  workbench?: WorkbenchBridge;
  location?: { href: string; origin: string };
  addEventListener?: (type: "message", listener: (e: MessageEvent) => void) => void;
  removeEventListener?: (type: "message", listener: (e: MessageEvent) => void) => void;
}

export async function workerApi(scope: WorkerApiScope = globalThis as unknown as WorkerApiScope, waitMs = PORT_WAIT_MS): Promise<WorkerApi | null> {
  const bridge = scope.workbench;
  if (bridge !== undefined) return bridge.openWorkerPort ? await askForPort(scope, bridge, waitMs) : null;
  if (scope.location === undefined) return null;
  const token = tokenFromUrl(scope.location.href);
  return token ? { kind: "http", origin: scope.location.origin, token } : null;
}

function askForPort(scope: WorkerApiScope, bridge: WorkbenchBridge, waitMs: number): Promise<WorkerApi | null> {
  const { addEventListener: on, removeEventListener: off } = scope;
  if (on === undefined || off === undefined) return Promise.resolve(null);
  const id = `port-${Date.now().toString(36)}-${++requests}`;
  return new Promise((resolve) => {
    const done = (api: WorkerApi | null) => {
      clearTimeout(timer);
      off.call(scope, "message", listener);
      resolve(api);
    };
    // Only the preload's message for this request: posted by this window to itself, with one port.
    const listener = (e: MessageEvent) => {
      const data = e.data as { type?: unknown; id?: unknown } | null;
      if (e.source !== (scope as unknown) || data === null || typeof data !== "object" || data.type !== WORKER_PORT_MESSAGE || data.id !== id) return;
      const port = e.ports[0];
      if (port !== undefined) done({ kind: "port", port });
    };
    const timer = setTimeout(() => done(null), waitMs);
    on.call(scope, "message", listener);
    bridge.openWorkerPort!(id);
  });
}
