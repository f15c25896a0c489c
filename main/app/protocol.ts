/**
 * app://renderer/… → files of dist/renderer, with the same traversal rules, MIME types and
 * security headers as serve mode (one implementation: main/server/static-files.ts).
 */
import { readFile } from "node:fs/promises";
import { resolveStatic } from "../server/static-files.ts";
import { SECURITY_HEADERS } from "../server/security.ts";

export async function appProtocolResponse(rendererDir: string, requestUrl: string, method = "GET"): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== "renderer") return new Response("not found", { status: 404, headers: SECURITY_HEADERS });
  if (method !== "GET" && method !== "HEAD") return new Response("method not allowed", { status: 405, headers: SECURITY_HEADERS });
  const r = await resolveStatic(rendererDir, url.pathname);
  if (r.status !== 200) return new Response(r.message, { status: r.status, headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" } });
  const body = method === "HEAD" ? null : await readFile(r.path);
  return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, "content-type": r.type, "cache-control": "no-cache" } });
}
