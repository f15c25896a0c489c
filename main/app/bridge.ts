/**
 * The one object the preload exposes to the renderer as `window.workbench` (WorkbenchBridge):
 * `invoke(method, input)` for methods in the contracts' allowlist only, and `onEvent(handler)`.
 * It never hands out ipcRenderer or an IPC event object (whose `sender` reaches Electron
 * internals); a method outside the allowlist is answered with a usage envelope without any IPC.
 */
import type { WireEvent } from "../../shared/api/contracts.ts";
import type { WorkbenchBridge } from "../../shared/api/transport.ts";
import { EVENT_CHANNEL, INVOKE_CHANNELS } from "./channels.ts";

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): WorkbenchBridge {
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
  };
}
