/**
 * A Web Worker's transport in the desktop app: calls over a MessagePort whose other end the main
 * process serves with the same dispatcher as IPC and HTTP (main/app/worker-port.ts). A worker has
 * no `window.workbench` (the preload's bridge lives in the page), so the page asks main for a port
 * (WorkbenchBridge.openWorkerPort), receives it by window.postMessage from the preload, and hands
 * it to the worker: a run's pages then go from main to the worker without touching the UI thread.
 *
 * Wire: `{ id, method, input }` one way, `{ id, envelope }` back. The port carries calls only, no
 * events (a worker that needs events does not exist yet). A port that closes, or an answer that is
 * not an envelope, resolves the calls waiting on it with a "backend" / "internal" envelope.
 */
import { EnvelopeSchema, type Envelope } from "../envelope.ts";
import type { MethodName, WireEvent } from "../contracts.ts";
import type { Transport } from "../transport.ts";

/** The window message the preload posts to the page with the port: `{ type, id }` and the port in `ports`. */
export const WORKER_PORT_MESSAGE = "workbench:worker-port";

export interface PortRequest {
  id: number;
  method: string;
  input: unknown;
}

export interface PortReply {
  id: number;
  envelope: Envelope<unknown>;
}

/** The part of the DOM MessagePort this transport uses (a worker's, or Node's in tests). */
export interface PortLike {
  postMessage(message: PortRequest): void;
  addEventListener(type: "message", listener: (e: { data: unknown }) => void): void;
  start(): void;
  close(): void;
}

export interface PortTransport extends Transport {
  /** Closes the port: calls still waiting get a "backend" envelope. */
  close(): void;
}

export function portTransport(port: PortLike): PortTransport {
  const waiting = new Map<number, (env: Envelope<unknown>) => void>();
  let nextId = 1;
  let closed = false;
  port.addEventListener("message", (e) => {
    const reply = e.data as Partial<PortReply> | null;
    if (reply === null || typeof reply !== "object" || typeof reply.id !== "number") return;
    const settle = waiting.get(reply.id);
    if (settle === undefined) return;
    waiting.delete(reply.id);
    const env = EnvelopeSchema.safeParse(reply.envelope);
    settle(env.success ? (env.data as Envelope<unknown>) : { ok: false, error: { kind: "internal", message: "the main process answered with something that is not an API envelope" } });
  });
  port.start();
  return {
    invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
      if (closed) return Promise.resolve({ ok: false, error: { kind: "backend", message: `${method}: the worker's port to the main process is closed` } });
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        port.postMessage({ id, method, input: input ?? {} });
      });
    },
    subscribe(_handler: (event: WireEvent) => void): () => void {
      return () => undefined;
    },
    close(): void {
      if (closed) return;
      closed = true;
      port.close();
      for (const settle of waiting.values()) settle({ ok: false, error: { kind: "backend", message: "the worker's port to the main process closed before the answer came" } });
      waiting.clear();
    },
  };
}
