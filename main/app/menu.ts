/**
 * The native menu as data (Electron's MenuItemConstructorOptions shape), so it is tested without
 * Electron. File → Open Model…, Open Dataset…, Open Run Folder…, Export…; the open items show a
 * picker in main and send the chosen path to the renderer as an app.menu event.
 */
export type MenuAction = "open-model" | "open-dataset" | "open-run" | "export";

export interface MenuItemSpec {
  label?: string;
  role?: string;
  type?: "separator" | "submenu";
  accelerator?: string;
  submenu?: MenuItemSpec[];
  click?: () => void;
}

export function menuTemplate(onAction: (action: MenuAction) => void, opts: { platform: string; devTools: boolean; appName: string }): MenuItemSpec[] {
  const mac = opts.platform === "darwin";
  const file: MenuItemSpec = {
    label: "File",
    submenu: [
      { label: "Open Model…", accelerator: "CmdOrCtrl+M", click: () => onAction("open-model") },
      { label: "Open Dataset…", accelerator: "CmdOrCtrl+D", click: () => onAction("open-dataset") },
      { label: "Open Run Folder…", accelerator: "CmdOrCtrl+O", click: () => onAction("open-run") },
      { type: "separator" },
      { label: "Export…", accelerator: "CmdOrCtrl+E", click: () => onAction("export") },
      { type: "separator" },
      mac ? { role: "close" } : { role: "quit" },
    ],
  };
  return [
    ...(mac ? [{ label: opts.appName, submenu: [{ role: "about" }, { type: "separator" as const }, { role: "hide" }, { role: "hideOthers" }, { role: "unhide" }, { type: "separator" as const }, { role: "quit" }] }] : []),
    file,
    { label: "Edit", submenu: [{ role: "undo" }, { role: "redo" }, { type: "separator" }, { role: "cut" }, { role: "copy" }, { role: "paste" }, { role: "selectAll" }] },
    {
      label: "View",
      submenu: [
        { role: "reload" },
        ...(opts.devTools ? [{ role: "toggleDevTools" }] : []),
        { type: "separator" },
        { role: "resetZoom" },
        { role: "zoomIn" },
        { role: "zoomOut" },
        { type: "separator" },
        { role: "togglefullscreen" },
      ],
    },
    { label: "Window", submenu: [{ role: "minimize" }, ...(mac ? [{ role: "zoom" }] : [{ role: "close" }])] },
  ];
}
