/**
 * The Electron shell's logic, without Electron: the channel allowlist derived from the contracts,
 * the preload bridge, the IPC handlers' validation and sender check, the window's security
 * settings, the menu, the dialogs and the app:// protocol.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import { METHOD_NAMES, type WireEvent } from "../../../shared/api/contracts.ts";
import { createApiClient, ipcTransport, issuesOf } from "../../../shared/api/index.ts";
import type { Handlers } from "../../../main/api/handlers.ts";
import { createBridge, type IpcRendererLike } from "../../../main/app/bridge.ts";
import { API_CHANNEL_PREFIX, EVENT_CHANNEL, INVOKE_CHANNELS, channelFor } from "../../../main/app/channels.ts";
import { desktopDialogs } from "../../../main/app/dialogs.ts";
import { registerIpcHandlers, type InvokeEventLike, type IpcMainLike } from "../../../main/app/ipc.ts";
import { menuTemplate, type MenuAction, type MenuItemSpec } from "../../../main/app/menu.ts";
import { appProtocolResponse } from "../../../main/app/protocol.ts";
import { isAllowedRequest, isAppUrl, START_URL, webPreferences } from "../../../main/app/window.ts";

const tmp = mkdtempSync(join(tmpdir(), "shell-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake ipcMain that records handlers and lets a test invoke them as a given frame. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invokeFrom(url: string, channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h({ senderFrame: { url } }, ...args);
  }
}

/** Handlers that echo, fail on purpose, or break their contract. */
function testHandlers(): Handlers {
  const unused = () => {
    throw new WorkbenchError("internal", "not used in this test");
  };
  const h = Object.fromEntries(METHOD_NAMES.map((m) => [m, unused])) as unknown as Handlers;
  h["sweeps.cancel"] = ({ runId }) => ({ cancelled: runId === "r1" });
  h["runs.list"] = ({ dir }) => {
    if (dir === "/bad") throw new WorkbenchError("bad-config", "not a runs folder");
    return { dir: dir ?? "/runs", runs: [] };
  };
  h["sweeps.active"] = () => ({ sweeps: "many" }) as never;
  return h;
}

describe("channel allowlist", () => {
  it("has one channel per contract method, and nothing else", () => {
    expect([...INVOKE_CHANNELS.keys()].sort()).toEqual([...METHOD_NAMES].sort());
    const channels = [...INVOKE_CHANNELS.values()];
    expect(new Set(channels).size).toBe(channels.length);
    for (const c of channels) expect(c.startsWith(API_CHANNEL_PREFIX)).toBe(true);
    expect(channels).not.toContain(EVENT_CHANNEL);
  });
});

describe("IPC handlers", () => {
  const ipc = new FakeIpcMain();
  const unregister = registerIpcHandlers(ipc, testHandlers(), isAppUrl);
  const page = "app://renderer/index.html";

  it("registers exactly the contract channels", () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelFor).sort());
  });

  it("answers valid calls with an ok envelope", async () => {
    expect(await ipc.invokeFrom(page, channelFor("sweeps.cancel"), { runId: "r1" })).toEqual({ ok: true, value: { cancelled: true } });
  });

  it("validates every argument: a usage envelope naming each bad field, the handler not called", async () => {
    const env = (await ipc.invokeFrom(page, channelFor("sweeps.cancel"), { runId: 7, extra: true })) as { ok: false; error: { kind: string; message: string; details: { issues: { path: string }[] } } };
    expect(env.ok).toBe(false);
    expect(env.error.kind).toBe("usage");
    expect(env.error.message).toMatch(/invalid arguments for sweeps\.cancel/);
    expect(env.error.details.issues.map((i) => i.path).sort()).toEqual(["", "runId"]);
    const none = (await ipc.invokeFrom(page, channelFor("sweeps.cancel"))) as { ok: boolean; error: { message: string } };
    expect(none.ok).toBe(false);
    expect(none.error.message).toMatch(/runId/);
    const two = (await ipc.invokeFrom(page, channelFor("sweeps.cancel"), { runId: "r1" }, "more")) as { ok: boolean; error: { message: string } };
    expect(two.error.message).toMatch(/one argument/);
  });

  it("returns the handler's typed error, and refuses an answer that breaks the output contract", async () => {
    expect(await ipc.invokeFrom(page, channelFor("runs.list"), { dir: "/bad" })).toEqual({ ok: false, error: { kind: "bad-config", message: "not a runs folder" } });
    const broken = (await ipc.invokeFrom(page, channelFor("sweeps.active"), {})) as { ok: false; error: { kind: string } };
    expect(broken.error.kind).toBe("internal");
  });

  it("refuses calls from any frame that is not the app's page", async () => {
    for (const url of ["https://evil.example/", "file:///etc/passwd", "app://other/index.html", ""]) {
      const env = (await ipc.invokeFrom(url, channelFor("sweeps.cancel"), { runId: "r1" })) as { ok: boolean; error: { message: string } };
      expect(env.ok).toBe(false);
      expect(env.error.message).toMatch(/refused/);
    }
  });

  it("unregisters every channel", () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe("preload bridge", () => {
  function fakeRenderer(ipcMain: FakeIpcMain) {
    const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
    const invoked: string[] = [];
    const ipc: IpcRendererLike = {
      invoke: (channel, ...args) => {
        invoked.push(channel);
        return ipcMain.invokeFrom("app://renderer/index.html", channel, ...args);
      },
      on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
      removeListener: (channel, l) => listeners.get(channel)?.delete(l),
      send: () => undefined,
    };
    const send = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: "internals" }, payload));
    return { ipc, invoked, send, listeners };
  }

  it("forwards allowed methods to their channel; anything else never reaches IPC", async () => {
    const ipcMain = new FakeIpcMain();
    registerIpcHandlers(ipcMain, testHandlers(), isAppUrl);
    const r = fakeRenderer(ipcMain);
    const bridge = createBridge(r.ipc);
    expect(await bridge.invoke("sweeps.cancel", { runId: "r2" })).toEqual({ ok: true, value: { cancelled: false } });
    for (const bad of ["shell.openExternal", "__proto__", "constructor", "workbench:api:runs.list"]) {
      const env = (await bridge.invoke(bad, {})) as { ok: boolean; error: { kind: string } };
      expect(env).toMatchObject({ ok: false, error: { kind: "usage" } });
    }
    expect(r.invoked).toEqual([channelFor("sweeps.cancel")]);
  });

  it("hands events over without the IPC event object, and unsubscribes", () => {
    const r = fakeRenderer(new FakeIpcMain());
    const bridge = createBridge(r.ipc);
    const got: WireEvent[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    r.send(EVENT_CHANNEL, { name: "app.menu", payload: { action: "export", path: null } });
    r.send("other-channel", { name: "x", payload: 1 });
    expect(got).toEqual([{ name: "app.menu", payload: { action: "export", path: null } }]);
    off();
    expect(r.listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });

  it("carries the typed client end to end: bridge → IPC → handlers → envelope → WorkbenchError", async () => {
    const ipcMain = new FakeIpcMain();
    registerIpcHandlers(ipcMain, testHandlers(), isAppUrl);
    const api = createApiClient(ipcTransport(createBridge(fakeRenderer(ipcMain).ipc)));
    await expect(api.runs.list({})).resolves.toEqual({ dir: "/runs", runs: [] });
    const err = (await api.runs.list({ dir: "/bad" }).catch((e: unknown) => e)) as WorkbenchError;
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.kind).toBe("bad-config");
    const usage = await api.call("sweeps.cancel", { runId: 1 } as never).catch((e: unknown) => e);
    expect(issuesOf(usage).map((i) => i.path)).toEqual(["runId"]);
  });
});

describe("window and navigation rules", () => {
  it("isolates the renderer: context isolation and sandbox on, Node off, web security on", () => {
    const p = webPreferences("/app/dist/app/preload.cjs");
    expect(p).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
    expect(p.preload).toBe("/app/dist/app/preload.cjs");
  });

  it("only the app's own page is trusted; remote and file content is blocked", () => {
    expect(isAppUrl(START_URL)).toBe(true);
    expect(isAppUrl("app://renderer/assets/main.js")).toBe(true);
    for (const u of ["https://example.com/", "http://127.0.0.1:8765/", "file:///etc/passwd", "app://evil/x", "javascript:alert(1)", "not a url"]) {
      expect(isAppUrl(u)).toBe(false);
      expect(isAllowedRequest(u)).toBe(false);
    }
    expect(isAllowedRequest("data:image/png;base64,AAAA")).toBe(true);
    expect(isAllowedRequest("blob:app://renderer/1234")).toBe(true);
  });
});

describe("menu", () => {
  it("has Open Model, Open Dataset, Open Run Folder and Export, each sending its action", () => {
    const actions: MenuAction[] = [];
    const tpl = menuTemplate((a) => actions.push(a), { platform: "linux", devTools: false, appName: "Arbitrage Workbench" });
    const items: MenuItemSpec[] = [];
    const walk = (list: MenuItemSpec[]) => list.forEach((i) => (items.push(i), i.submenu && walk(i.submenu)));
    walk(tpl);
    for (const label of ["Open Model…", "Open Dataset…", "Open Run Folder…", "Export…"]) items.find((i) => i.label === label)?.click?.();
    expect(actions).toEqual(["open-model", "open-dataset", "open-run", "export"]);
    expect(items.some((i) => i.role === "toggleDevTools")).toBe(false);
  });
});

describe("dialogs", () => {
  it("save writes the content (base64 decoded) where the user chose, and nothing when cancelled", async () => {
    const chosen = join(tmp, "plot.png");
    const seen: unknown[] = [];
    const dialogs = desktopDialogs(
      {
        showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
        showSaveDialog: async (o) => (seen.push(o), { canceled: false, filePath: chosen }),
      },
      { runsDir: "/runs", saveDir: "/home/u/Downloads" },
    );
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    await expect(dialogs["dialogs.saveFile"]({ defaultName: "../../etc/plot.png", content: bytes.toString("base64"), encoding: "base64" })).resolves.toEqual({ path: chosen });
    expect(readFileSync(chosen)).toEqual(bytes);
    expect(seen[0]).toMatchObject({ defaultPath: "/home/u/Downloads/.._.._etc_plot.png" });
    await expect(dialogs["dialogs.pickModel"]({})).resolves.toEqual({ path: null });
  });
});

describe("app:// protocol", () => {
  it("serves dist/renderer with the CSP and refuses paths outside it", async () => {
    const dir = join(tmp, "renderer");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.html"), "<!doctype html>");
    writeFileSync(join(tmp, "outside.txt"), "secret");
    const ok = await appProtocolResponse(dir, "app://renderer/index.html");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(ok.headers.get("content-security-policy")).toContain("script-src 'self'");
    const out = await appProtocolResponse(dir, "app://renderer/%2e%2e/outside.txt");
    expect(out.status).not.toBe(200);
    expect((await appProtocolResponse(dir, "app://elsewhere/index.html")).status).toBe(404);
  });
});
