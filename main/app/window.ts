/**
 * The window's security settings and the rules for what its page may reach, as plain functions
 * (tested without Electron). The renderer is served from the app's own scheme, app://renderer/,
 * never from file:// or the network.
 */
export const APP_SCHEME = "app";
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;
export const START_URL = `${APP_ORIGIN}/index.html`;

export function webPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** The app's own page (and nothing else) may call the API and be navigated to. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === "renderer";
  } catch {
    return false;
  }
}

/**
 * Requests the page may make: its own scheme, and in-memory data (data:, blob:) for images and
 * exports; devtools' own pages in development. Everything else — http(s), file:, ws: — is remote
 * or local content the app never needs, and is cancelled.
 */
export function isAllowedRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  return /^(data|blob):/.test(url) || url.startsWith("devtools://");
}
