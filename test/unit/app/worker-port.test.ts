/**
 * The desktop app's worker path, without Electron: a worker's API client over a MessagePort
 * (shared/api/transports/port.ts) answered by main's port server (main/app/worker-port.ts) with
 * the same dispatcher as IPC and HTTP, on Node's own MessageChannel (real structured clones); the
 * port handed out only to the app's own page, and the preload bridge forwarding it to the page.
 */
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { METHOD_NAMES } from "../../../shared/api/contracts.ts";
import { createApiClient } from "../../../shared/api/client.ts";
import { portTransport, WORKER_PORT_MESSAGE, type PortTransport } from "../../../shared/api/transports/port.ts";
import { WorkbenchError } from "../../../shared/errors.ts";
import { loadRun } from "../../../main/api/runs.ts";
import type { Handlers } from "../../../main/api/handlers.ts";
import { createBridge, type IpcRendererLike } from "../../../main/app/bridge.ts";
import { WORKER_PORT_CHANNEL } from "../../../main/app/channels.ts";
import { registerWorkerPorts, servePort, type IpcMainOnLike, type MainPortLike, type PortRequestEventLike } from "../../../main/app/worker-port.ts";
import { isAppUrl } from "../../../main/app/window.ts";
import { ROOT } from "../../helpers/serve.ts";

const TINY_RUN = join(ROOT, "test/fixtures/run-tiny");

/** Handlers with the real runs.load; every other method fails as unused. */
function handlers(): Handlers {
  const unused = () => {
    throw new WorkbenchError("internal", "not used in this test");
  };
  const h = Object.fromEntries(METHOD_NAMES.map((m) => [m, unused])) as unknown as Handlers;
  h["runs.load"] = ({ dir, offset, limit }) => loadRun(dir, offset, limit);
  return h;
}

/** Electron's MessagePortMain shape (on("message", e => e.data)) over a Node MessagePort. */
function asMainPort(port: MessagePort): MainPortLike & { port: MessagePort } {
  return {
    port,
    on(event: "message" | "close", listener: ((e: { data: unknown }) => void) | (() => void)) {
      if (event === "message") port.on("message", (data: unknown) => (listener as (e: { data: unknown }) => void)({ data }));
      else port.on("close", listener as () => void);
      return this;
    },
    postMessage: (m) => port.postMessage(m),
    start: () => port.start(),
  };
}

const open: { close(): void }[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function connected(): { transport: PortTransport } {
  const { port1, port2 } = new MessageChannel();
  servePort(asMainPort(port1), handlers());
  const transport = portTransport(port2 as unknown as Parameters<typeof portTransport>[0]);
  open.push(transport, port1);
  return { transport };
}

describe("a worker's API client over a MessagePort", () => {
  it("pages through a real run folder with runs.load, as over IPC or HTTP", async () => {
    const api = createApiClient(connected().transport);
    const first = await api.runs.load({ dir: TINY_RUN, offset: 0, limit: 2 });
    expect(first.records).toHaveLength(2);
    expect(first.nextOffset).toBe(2);
    const whole = await loadRun(TINY_RUN, 0, 10_000);
    expect(first.total).toBe(whole.total);
    const second = await api.runs.load({ dir: TINY_RUN, offset: 2, limit: 2 });
    expect(second.records.map((r) => r.problemId)).toEqual(whole.records.slice(2, 4).map((r) => r.problemId));
  });

  it("answers concurrent calls each with its own answer", async () => {
    const api = createApiClient(connected().transport);
    const pages = await Promise.all([0, 1, 2, 3].map((offset) => api.runs.load({ dir: TINY_RUN, offset, limit: 1 })));
    const whole = await loadRun(TINY_RUN, 0, 10_000);
    expect(pages.map((p) => p.records[0]?.problemId)).toEqual(whole.records.slice(0, 4).map((r) => r.problemId));
  });

  it("validates arguments on the main side: a bad limit is a usage error naming the field", async () => {
    const { transport } = connected();
    const env = await transport.invoke("runs.load", { dir: TINY_RUN, limit: 10_000_000 });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.kind).toBe("usage");
      expect(JSON.stringify(env.error.details)).toContain("limit");
    }
  });

  it("refuses a method outside the contracts, and a message that is not a request", async () => {
    const { transport } = connected();
    const env = await transport.invoke("shell.openExternal" as never, {});
    expect(env).toMatchObject({ ok: false, error: { kind: "usage" } });
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    servePort(asMainPort(port1), handlers());
    port2.postMessage({ id: 7, method: 42 });
    const got = await new Promise<unknown>((resolve) => port2.once("message", resolve));
    expect(got).toMatchObject({ id: 7, envelope: { ok: false, error: { kind: "usage" } } });
  });

  it("a missing run folder is the dispatcher's typed error, not a hang", async () => {
    const api = createApiClient(connected().transport);
    await expect(api.runs.load({ dir: join(ROOT, "test/fixtures/no-such-run") })).rejects.toBeInstanceOf(WorkbenchError);
  });

  it("calls waiting when the port closes get a backend envelope; later calls too", async () => {
    const { port1, port2 } = new MessageChannel();
    open.push(port1);
    // Main never answers: the call waits until the worker's side closes.
    const transport = portTransport(port2 as unknown as Parameters<typeof portTransport>[0]);
    const waiting = transport.invoke("runs.load", { dir: TINY_RUN });
    transport.close();
    expect(await waiting).toMatchObject({ ok: false, error: { kind: "backend" } });
    expect(await transport.invoke("runs.load", { dir: TINY_RUN })).toMatchObject({ ok: false, error: { kind: "backend" } });
  });

  it("an answer that is not an envelope is an internal error", async () => {
    const { port1, port2 } = new MessageChannel();
    open.push(port1);
    port1.on("message", (m: { id: number }) => port1.postMessage({ id: m.id, envelope: { value: 1 } }));
    const transport = portTransport(port2 as unknown as Parameters<typeof portTransport>[0]);
    open.push(transport);
    expect(await transport.invoke("runs.load", { dir: TINY_RUN })).toMatchObject({ ok: false, error: { kind: "internal" } });
  });
});

describe("handing a worker port to the page", () => {
  class FakeIpcMain implements IpcMainOnLike<MainPortLike & { port: MessagePort }> {
    readonly listeners = new Map<string, (event: PortRequestEventLike<MainPortLike & { port: MessagePort }>, ...args: unknown[]) => void>();
    on(channel: string, l: (event: PortRequestEventLike<MainPortLike & { port: MessagePort }>, ...args: unknown[]) => void) {
      this.listeners.set(channel, l);
    }
    removeListener(channel: string) {
      this.listeners.delete(channel);
    }
  }

  function setUp() {
    const ipc = new FakeIpcMain();
    const made: MessagePort[] = [];
    const unregister = registerWorkerPorts(ipc, handlers(), isAppUrl, () => {
      const { port1, port2 } = new MessageChannel();
      made.push(port1, port2);
      open.push(port1, port2);
      return { port1: asMainPort(port1), port2: asMainPort(port2) };
    });
    const posted: { channel: string; message: unknown; transfer: (MainPortLike & { port: MessagePort })[] }[] = [];
    const ask = (url: string, ...args: unknown[]) =>
      ipc.listeners.get(WORKER_PORT_CHANNEL)?.({ senderFrame: { url, postMessage: (channel, message, transfer) => posted.push({ channel, message, transfer }) } }, ...args);
    return { ipc, made, posted, ask, unregister };
  }

  it("gives the app's own page a port that answers API calls", async () => {
    const s = setUp();
    s.ask("app://renderer/index.html", "req-1");
    expect(s.posted).toHaveLength(1);
    expect(s.posted[0]).toMatchObject({ channel: WORKER_PORT_CHANNEL, message: "req-1" });
    const transport = portTransport(s.posted[0]!.transfer[0]!.port as unknown as Parameters<typeof portTransport>[0]);
    open.push(transport);
    const page = await createApiClient(transport).runs.load({ dir: TINY_RUN, limit: 1 });
    expect(page.records).toHaveLength(1);
  });

  it("gives no port to another origin, a request without a string id, or one with extra arguments", () => {
    const s = setUp();
    s.ask("https://evil.example/", "req-1");
    s.ask("file:///etc/index.html", "req-1");
    s.ask("app://renderer/index.html", 5);
    s.ask("app://renderer/index.html", "req-1", "more");
    expect(s.posted).toHaveLength(0);
    expect(s.made).toHaveLength(0);
  });

  it("stops listening when unregistered", () => {
    const s = setUp();
    s.unregister();
    expect(s.ipc.listeners.size).toBe(0);
  });

  it("the preload bridge asks on the port channel and posts the port it gets to the page", () => {
    const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
    const sent: unknown[][] = [];
    const ipc: IpcRendererLike = {
      invoke: () => Promise.resolve(null),
      send: (channel, ...args) => sent.push([channel, ...args]),
      on: (channel, l) => listeners.set(channel, l),
      removeListener: () => undefined,
    };
    const toPage: { message: unknown; ports: unknown[] }[] = [];
    const bridge = createBridge(ipc, (message, ports) => toPage.push({ message, ports }));
    bridge.openWorkerPort?.("req-9");
    expect(sent).toEqual([[WORKER_PORT_CHANNEL, "req-9"]]);
    const port = { fake: "port" };
    listeners.get(WORKER_PORT_CHANNEL)?.({ ports: [port] }, "req-9");
    expect(toPage).toEqual([{ message: { type: WORKER_PORT_MESSAGE, id: "req-9" }, ports: [port] }]);
    // No port, or a non-string id: nothing reaches the page.
    listeners.get(WORKER_PORT_CHANNEL)?.({ ports: [] }, "req-10");
    listeners.get(WORKER_PORT_CHANNEL)?.({ ports: [port] }, 11);
    expect(toPage).toHaveLength(1);
  });
});
