/**
 * The built renderer (dist/renderer) over HTTP: GET and HEAD only, files strictly inside the root
 * (no "..", no encoded traversal, no symlink out of it), a MIME type from a fixed table (unknown
 * types are served as application/octet-stream, and nosniff stops a browser from guessing), and
 * index.html for "/" and for extension-less paths (client-side routes).
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";

export const MIME_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

export type StaticResult = { status: 200; path: string; type: string; size: number } | { status: 400 | 403 | 404 | 405 | 503; message: string };

/** Resolves a request path to a file under `root`, or says why not. */
export async function resolveStatic(root: string, rawPath: string): Promise<StaticResult> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch {
    return { status: 503, message: `the renderer is not built (no ${root}): run \`npm run build\`, then start the server again` };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, message: "bad URL encoding" };
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return { status: 400, message: "bad path" };
  const segments = decoded.split("/");
  if (segments.some((s) => s === ".." || s === ".")) return { status: 403, message: "forbidden path" };
  const wantsRoute = decoded === "/" || decoded.endsWith("/") || extname(decoded) === "";
  const candidate = wantsRoute ? join(rootReal, "index.html") : resolve(rootReal, `.${decoded}`);
  if (candidate !== rootReal && !candidate.startsWith(rootReal + sep)) return { status: 403, message: "forbidden path" };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { status: 404, message: wantsRoute ? `the renderer is not built (no index.html in ${root}): run \`npm run build\`` : "not found" };
  }
  if (!real.startsWith(rootReal + sep)) return { status: 403, message: "forbidden path" };
  const info = await stat(real);
  if (!info.isFile()) return { status: 404, message: "not found" };
  return { status: 200, path: real, type: MIME_TYPES[extname(real).toLowerCase()] ?? "application/octet-stream", size: info.size };
}

export async function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed\n");
    return;
  }
  const r = await resolveStatic(root, pathname);
  if (r.status !== 200) {
    res.writeHead(r.status, { "content-type": "text/plain; charset=utf-8" }).end(`${r.message}\n`);
    return;
  }
  res.writeHead(200, {
    "content-type": r.type,
    "content-length": r.size,
    // index.html names the current bundle: always fetch it; the rest may be cached briefly.
    "cache-control": r.type.startsWith("text/html") ? "no-store" : "no-cache",
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(r.path).on("error", () => res.destroy()).pipe(res);
}
