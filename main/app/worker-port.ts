/**
 * The main side of a renderer worker's MessagePort (shared/api/transports/port.ts): the page asks
 * for a port over IPC (the bridge's openWorkerPort), main checks that the asking frame is the
 * app's own page, creates a channel, serves one end with the same dispatcher as IPC and HTTP
 * (every call validated against the contracts), and posts the other end to the frame, whose
 * preload forwards it to the page (which gives it to the worker).
 */
import { z } from "zod";
import { errorEnvelope } from "../../shared/api/envelope.ts";
import type { PortReply } from "../../shared/api/transports/port.ts";
import { WorkbenchError } from "../../shared/errors.ts";
import { dispatch } from "../api/dispatch.ts";
import type { Handlers } from "../api/handlers.ts";
import { WORKER_PORT_CHANNEL } from "./channels.ts";

/** The part of Electron's MessagePortMain used here. */
export interface MainPortLike {
  on(event: "message", listener: (e: { data: unknown }) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  postMessage(message: PortReply): void;
  start(): void;
}

const RequestSchema = z.object({ id: z.number().int(), method: z.string(), input: z.unknown() });

/** Answers every request arriving on `port` through the dispatcher; a message that is not a request is answered (when it has an id) with a usage error. */
export function servePort(port: MainPortLike, handlers: Handlers): void {
  port.on("message", (e) => {
    const req = RequestSchema.safeParse(e.data);
    if (!req.success) {
      const id = (e.data as { id?: unknown } | null)?.id;
      if (typeof id === "number") port.postMessage({ id, envelope: errorEnvelope(new WorkbenchError("usage", "a worker port message must be { id, method, input }")) });
      return;
    }
    void dispatch(handlers, req.data.method, req.data.input).then((envelope) => port.postMessage({ id: req.data.id, envelope }));
  });
  port.start();
}

/** The part of Electron's IpcMainEvent used here. */
export interface PortRequestEventLike<P> {
  senderFrame: { url: string; postMessage(channel: string, message: unknown, transfer: P[]): void } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainOnLike<P> {
  on(channel: string, listener: (event: PortRequestEventLike<P>, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: PortRequestEventLike<P>, ...args: unknown[]) => void): unknown;
}

/**
 * Listens for the page's requests for a worker port. A request from any frame but the app's own
 * page, or without a string id, gets no port. Returns the function that stops listening.
 */
export function registerWorkerPorts<P extends MainPortLike>(ipc: IpcMainOnLike<P>, handlers: Handlers, isTrustedUrl: (url: string) => boolean, newChannel: () => { port1: P; port2: P }): () => void {
  const listener = (event: PortRequestEventLike<P>, ...args: unknown[]) => {
    const frame = event.senderFrame;
    const id = args[0];
    if (frame === null || !isTrustedUrl(frame.url) || typeof id !== "string" || args.length !== 1) return;
    const { port1, port2 } = newChannel();
    servePort(port1, handlers);
    frame.postMessage(WORKER_PORT_CHANNEL, id, [port2]);
  };
  ipc.on(WORKER_PORT_CHANNEL, listener);
  return () => void ipc.removeListener(WORKER_PORT_CHANNEL, listener);
}
