/**
 * The one object the preload exposes to the renderer as `window.workbench` (WorkbenchBridge):
 * `invoke(method, input)` for methods in the contracts' allowlist only, `onEvent(handler)`, and
 * `openWorkerPort(id)`: main answers with a MessagePort (main/app/worker-port.ts), which the bridge
 * posts to the page as `{ type: WORKER_PORT_CHANNEL, id }` (a contextBridge cannot carry a port).
 * It never hands out ipcRenderer or an IPC event object (whose `sender` reaches Electron
 * internals); a method outside the allowlist is answered with a usage envelope without any IPC.
 */
import type { WireEvent } from "../../shared/api/contracts.ts";
import type { WorkbenchBridge } from "../../shared/api/transport.ts";
import { EVENT_CHANNEL, INVOKE_CHANNELS, WORKER_PORT_CHANNEL } from "./channels.ts";

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Posts to the page's main world (the preload: window.postMessage with the ports transferred). */
export type PostToPage = (message: { type: string; id: string }, ports: unknown[]) => void;

export function createBridge(ipc: IpcRendererLike, postToPage?: PostToPage): WorkbenchBridge {
  if (postToPage) {
    ipc.on(WORKER_PORT_CHANNEL, (event, id) => {
      const ports = (event as { ports?: unknown[] } | null)?.ports ?? [];
      if (typeof id === "string" && ports.length === 1) postToPage({ type: WORKER_PORT_CHANNEL, id }, ports);
    });
  }
  return {
    invoke(method: string, input: unknown): Promise<unknown> {
      const channel = typeof method === "string" ? INVOKE_CHANNELS.get(method) : undefined;
      if (channel === undefined) {
        return Promise.resolve({ ok: false, error: { kind: "usage", message: `unknown API method ${JSON.stringify(method)}` } });
      }
      return ipc.invoke(channel, input);
    },
    onEvent(handler: (event: WireEvent) => void): () => void {
      const listener = (_event: unknown, wire: unknown) => {
        const e = wire as WireEvent | null;
        if (e && typeof e.name === "string") handler({ name: e.name, payload: e.payload });
      };
      ipc.on(EVENT_CHANNEL, listener);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, listener);
      };
    },
    ...(postToPage
      ? {
          openWorkerPort(id: string): void {
            if (typeof id === "string" && id.length > 0 && id.length <= 100) ipc.send(WORKER_PORT_CHANNEL, id);
          },
        }
      : {}),
  };
}
