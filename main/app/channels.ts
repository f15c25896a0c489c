/**
 * IPC channel names, derived from the contracts: one invoke channel per API method and one channel
 * for events. The preload forwards only these; main registers a handler for exactly these. A
 * method added to shared/api/contracts.ts gets its channel here without anyone writing it down.
 */
import { METHOD_NAMES, type MethodName } from "../../shared/api/contracts.ts";
import { WORKER_PORT_MESSAGE } from "../../shared/api/transports/port.ts";

export const API_CHANNEL_PREFIX = "workbench:api:";
/** main → renderer: every event of the EventBus, as `{ name, payload }`. */
export const EVENT_CHANNEL = "workbench:event";
/** renderer → main: a request for a worker's MessagePort (its id); main → renderer: the port (worker-port.ts). */
export const WORKER_PORT_CHANNEL = WORKER_PORT_MESSAGE;

export function channelFor(method: MethodName): string {
  return `${API_CHANNEL_PREFIX}${method}`;
}

/** method → channel, for exactly the methods in the contracts. */
export const INVOKE_CHANNELS: ReadonlyMap<string, string> = new Map(METHOD_NAMES.map((m) => [m, channelFor(m)]));
