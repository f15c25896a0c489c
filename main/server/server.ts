/**
 * Headless serve mode: the renderer and its API over HTTP on 127.0.0.1 only, for GPU servers
 * without a display (reach it through an SSH tunnel) and for testing the UI in a browser.
 *
 *   GET  /                 the renderer (dist/renderer), public: it holds no data
 *   POST /api/<method>     one API call: JSON body in, envelope out (contracts in shared/api)
 *   GET  /api/events       server-sent events: `data: {"name", "payload"}` per event
 *
 * Every request under /api/ must carry the access token — `Authorization: Bearer <token>` or
 * `?token=<token>` (EventSource cannot send headers) — and is answered 401 before any routing when
 * it does not, unknown paths included. The token is random per start (crypto), printed in the URL
 * like Jupyter's; the page reads it from its own address. Requests whose Host is not a loopback
 * name are refused (DNS rebinding). Sweeps and model loading run in worker processes, so the
 * server keeps answering while they work.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ErrorKind } from "../../shared/errors.ts";
import type { Envelope } from "../../shared/api/envelope.ts";
import { isMethodName, METHOD_NAMES } from "../../shared/api/contracts.ts";
import { createHandlers, type CoreHandlers } from "../api/handlers.ts";
import type { ApiContext } from "../api/context.ts";
import { dispatch } from "../api/dispatch.ts";
import { EventBus } from "../api/event-bus.ts";
import type { JobHost } from "../jobs/job-host.ts";
import { isLoopbackHost, SECURITY_HEADERS, tokenMatches } from "./security.ts";
import { serveStatic } from "./static-files.ts";

/** The only interface serve mode listens on. Not configurable: use an SSH tunnel to reach it. */
export const SERVE_HOST = "127.0.0.1";

/** Largest request body accepted (a sweep spec is a few KB). */
const MAX_BODY = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface ServerOptions {
  /** 0: any free port. */
  port: number;
  /** The access token (default: 32 random bytes, base64url). */
  token?: string;
  staticDir: string;
  runsDir: string;
  assetsDir: string;
  cwd: string;
  version: string;
  host: JobHost;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  core: CoreHandlers;
  /** Stops accepting, ends event streams, kills running workers (their run folders stay resumable). */
  close(): Promise<void>;
}

/** HTTP status for a failed envelope: the caller's fault (4xx) or ours (500). */
export function statusFor(kind: ErrorKind): number {
  switch (kind) {
    case "usage":
    case "bad-spec":
      return 400;
    case "missing-file":
      return 404;
    case "cancelled":
      return 409;
    case "unsupported":
      return 501;
    case "internal":
      return 500;
    default:
      return 422; // a bad model, dataset or config: understood, but cannot be used
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(text), ...extra });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, kind: ErrorKind, message: string, extra: Record<string, string> = {}): void {
  const env: Envelope<never> = { ok: false, error: { kind, message } };
  sendJson(res, status, env, extra);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`request body over ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? (m[1] as string) : null;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(32).toString("base64url");
  const bus = new EventBus();
  const ctx: ApiContext = {
    shell: "serve",
    version: opts.version,
    runsDir: opts.runsDir,
    assetsDir: opts.assetsDir,
    cwd: opts.cwd,
    host: opts.host,
    bus,
  };
  const core = createHandlers(ctx);
  const streams = new Set<ServerResponse>();
  let eventId = 0;

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write("retry: 2000\n\n");
    streams.add(res);
    const unsubscribe = bus.subscribe((event) => {
      eventId += 1;
      res.write(`id: ${eventId}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    // Comments keep proxies and SSH tunnels from closing an idle stream.
    const beat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
    beat.unref();
    const done = () => {
      clearInterval(beat);
      unsubscribe();
      streams.delete(res);
    };
    req.on("close", done);
    res.on("error", done);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // The token first, before anything looks at the path.
    if (!tokenMatches(bearer(req) ?? url.searchParams.get("token"), token)) {
      sendError(res, 401, "usage", "missing or wrong access token: open the URL `arbitrage serve` printed (it ends in ?token=…)", { "www-authenticate": 'Bearer realm="arbitrage"' });
      return;
    }
    const method = url.pathname.slice("/api/".length);
    if (method === "events") {
      if (req.method !== "GET") return sendError(res, 405, "usage", "GET /api/events", { allow: "GET" });
      openEvents(req, res);
      return;
    }
    if (req.method !== "POST") return sendError(res, 405, "usage", `call API methods with POST /api/<method>`, { allow: "POST" });
    let input: unknown = {};
    try {
      const body = await readBody(req);
      if (body.trim() !== "") input = JSON.parse(body);
    } catch (err) {
      return sendError(res, 400, "usage", `the request body must be JSON: ${(err as Error).message}`);
    }
    if (!isMethodName(method)) return sendError(res, 404, "usage", `unknown API method ${JSON.stringify(method)}; the methods are: ${METHOD_NAMES.join(", ")}`);
    const env = await dispatch(core.handlers, method, input);
    sendJson(res, env.ok ? 200 : statusFor(env.error.kind), env);
  }

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(421, { "content-type": "text/plain; charset=utf-8" }).end("this server answers only to 127.0.0.1 / localhost\n");
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://127.0.0.1");
    } catch {
      res.writeHead(400).end();
      return;
    }
    const work = url.pathname === "/api" || url.pathname.startsWith("/api/") ? handleApi(req, res, url) : serveStatic(opts.staticDir, url.pathname, req, res);
    work.catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, "internal", (err as Error).message);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, SERVE_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${SERVE_HOST}:${port}/?token=${token}`,
    port,
    token,
    server,
    core,
    async close() {
      core.sweeps.killAll();
      for (const s of streams) s.end();
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
