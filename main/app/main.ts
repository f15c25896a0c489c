/**
 * The Electron main process (bundled to dist/app/main.js). Thin: one window, the app:// scheme for
 * the renderer, the IPC handlers (main/app/ipc.ts → the same handlers serve mode uses), native
 * menus and dialogs, and a JobHost whose workers are utility processes running dist/app/worker.js.
 * No inference, no file parsing of size here.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, protocol, session, utilityProcess } from "electron";
import type { MenuItemConstructorOptions } from "electron";
import { join } from "node:path";
import { CONTENT_SECURITY_POLICY } from "../server/security.ts";
import { EventBus } from "../api/event-bus.ts";
import { createHandlers, type CoreHandlers } from "../api/handlers.ts";
import { JobHost } from "../jobs/job-host.ts";
import { utilityWorker, type UtilityFork } from "../jobs/utility-channel.ts";
import { EVENT_CHANNEL } from "./channels.ts";
import { desktopDialogs, DATASET_FILTERS } from "./dialogs.ts";
import { registerIpcHandlers } from "./ipc.ts";
import { registerWorkerPorts } from "./worker-port.ts";
import { menuTemplate, type MenuAction } from "./menu.ts";
import { appProtocolResponse } from "./protocol.ts";
import { APP_SCHEME, isAllowedRequest, isAppUrl, START_URL, webPreferences } from "./window.ts";

// Before ready: app:// behaves like https (standard, secure origin, fetch allowed) for the renderer.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

/** Files packed into the asar that native code must read from disk are unpacked beside it. */
function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, "$1app.asar.unpacked$2");
}

const root = app.getAppPath();
const paths = {
  renderer: join(root, "dist", "renderer"),
  preload: join(root, "dist", "app", "preload.cjs"),
  worker: join(root, "dist", "app", "worker.js"),
  assets: unpacked(join(root, "assets")),
};

let win: BrowserWindow | null = null;
let core: CoreHandlers | null = null;
const bus = new EventBus();

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(paths.renderer, request.url, request.method));
}

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({ width: 1440, height: 920, minWidth: 960, minHeight: 600, show: false, title: "Arbitrage Workbench", webPreferences: webPreferences(paths.preload) });
  w.once("ready-to-show", () => w.show());
  w.on("closed", () => {
    if (win === w) win = null;
  });
  void w.loadURL(START_URL);
  return w;
}

async function onMenu(action: MenuAction): Promise<void> {
  const target = win;
  if (!target) return;
  let path: string | null = null;
  if (action !== "export") {
    const r = await dialog.showOpenDialog(target, {
      properties: [action === "open-dataset" ? "openFile" : "openDirectory"],
      ...(action === "open-dataset" ? { filters: DATASET_FILTERS } : {}),
    });
    if (r.canceled || !r.filePaths[0]) return;
    path = r.filePaths[0];
  }
  bus.emit("app.menu", { action, path });
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();

  // Every web contents: no navigation away from the app, no new windows, no <webview>.
  app.on("web-contents-created", (_e, contents) => {
    contents.on("will-navigate", (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on("will-redirect", (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on("will-attach-webview", (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: "deny" }));
  });

  const fork: UtilityFork = (modulePath, args, options) => utilityProcess.fork(modulePath, args, options);
  const host = new JobHost(utilityWorker(fork, paths.worker));
  const runsDir = join(app.getPath("documents"), "Arbitrage Workbench", "runs");
  const dialogs = desktopDialogs(
    {
      showOpenDialog: (o) => (win ? dialog.showOpenDialog(win, o) : dialog.showOpenDialog(o)),
      showSaveDialog: (o) => (win ? dialog.showSaveDialog(win, o) : dialog.showSaveDialog(o)),
    },
    { runsDir, saveDir: app.getPath("downloads") },
  );
  core = createHandlers({ shell: "desktop", version: app.getVersion(), runsDir, assetsDir: paths.assets, cwd: app.getPath("home"), host, bus }, dialogs);
  registerIpcHandlers(ipcMain, core.handlers, isAppUrl);
  // The renderer's import worker calls the API over a MessagePort (no IPC bridge in a worker).
  registerWorkerPorts(ipcMain, core.handlers, isAppUrl, () => new MessageChannelMain());
  bus.subscribe((event) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  });

  const template = menuTemplate((a) => void onMenu(a), { platform: process.platform, devTools: !app.isPackaged, appName: app.getName() });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));

  win = createWindow();
  app.on("second-instance", () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on("activate", () => {
    if (!win) win = createWindow();
  });
}

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});

// Running sweeps stop after their current problem (resumable) before the app quits.
let quitting = false;
app.on("before-quit", (event) => {
  const running = core?.sweeps.active() ?? [];
  if (quitting || running.length === 0) return;
  event.preventDefault();
  quitting = true;
  for (const s of running) core?.sweeps.cancel(s.runId);
  const deadline = Date.now() + 15_000;
  const wait = setInterval(() => {
    if ((core?.sweeps.active().length ?? 0) === 0 || Date.now() > deadline) {
      clearInterval(wait);
      core?.sweeps.killAll();
      app.quit();
    }
  }, 100);
});

void start();
