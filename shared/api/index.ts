/**
 * The workbench API, shared by the renderer and the main side. Import from here:
 *   import { createApiClient, defaultTransport } from "../shared/api/index.ts";
 *   const api = createApiClient(defaultTransport());
 *   const info = await api.app.info({});
 *   const off = api.on("sweep.progress", (p) => …);
 */
export * from "./contracts.ts";
export * from "./envelope.ts";
export * from "./client.ts";
export type { Transport, WorkbenchBridge } from "./transport.ts";
export { httpTransport, tokenFromUrl } from "./transports/http.ts";
export type { EventSourceFactory, EventSourceLike, HttpTransportOptions } from "./transports/http.ts";
export { ipcTransport } from "./transports/ipc.ts";
export { portTransport, WORKER_PORT_MESSAGE } from "./transports/port.ts";
export type { PortLike, PortReply, PortRequest, PortTransport } from "./transports/port.ts";
export { defaultTransport } from "./default-transport.ts";
export * from "./schemas/results.ts";
export * from "./schemas/run.ts";
export * from "./schemas/inspect.ts";
