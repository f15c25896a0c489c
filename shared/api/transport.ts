/**
 * A transport carries calls and events between the renderer and the main side; the client does
 * not know which one it has. `invoke` never rejects for an API error: it resolves with the
 * envelope (a transport failure — the server went away — is an envelope too, of kind "backend").
 * Values are `unknown` here on purpose: the client validates them against the contracts.
 */
import type { Envelope } from "./envelope.ts";
import type { MethodName, WireEvent } from "./contracts.ts";

export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  /** Delivers every event from the main side to `handler` until the returned function is called. */
  subscribe(handler: (event: WireEvent) => void): () => void;
}

/**
 * What the Electron preload exposes as `window.workbench` (main/app/preload.ts). The renderer sees
 * exactly this and nothing else of Electron.
 */
export interface WorkbenchBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  onEvent(handler: (event: WireEvent) => void): () => void;
  /**
   * Asks main for a MessagePort a Web Worker can call the API on (transports/port.ts); it arrives
   * as a window message `{ type: WORKER_PORT_MESSAGE, id }` with the port in `ports`.
   */
  openWorkerPort?(id: string): void;
}
