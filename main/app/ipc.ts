/**
 * Main-process IPC: one handler per contract channel. Every call goes through the same dispatcher
 * as serve mode (zod-validated input and output, envelopes, never a thrown error across the
 * boundary), and only from the app's own page: a frame from any other origin is refused.
 */
import { METHOD_NAMES } from "../../shared/api/contracts.ts";
import { errorEnvelope } from "../../shared/api/envelope.ts";
import { WorkbenchError } from "../../shared/errors.ts";
import { dispatch } from "../api/dispatch.ts";
import type { Handlers } from "../api/handlers.ts";
import { channelFor } from "./channels.ts";

/** The part of Electron's IpcMainInvokeEvent used here. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export function registerIpcHandlers(ipc: IpcMainLike, handlers: Handlers, isTrustedUrl: (url: string) => boolean): () => void {
  for (const method of METHOD_NAMES) {
    ipc.handle(channelFor(method), async (event, ...args) => {
      const url = event.senderFrame?.url ?? "";
      if (!isTrustedUrl(url)) {
        return errorEnvelope(new WorkbenchError("usage", `${method}: refused a call from ${url || "an unknown frame"}`));
      }
      // One argument: the input. Anything more is a caller that does not follow the bridge.
      if (args.length > 1) return errorEnvelope(new WorkbenchError("usage", `${method} takes one argument (its input), got ${args.length}`));
      return dispatch(handlers, method, args[0]);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipc.removeHandler(channelFor(method));
  };
}
