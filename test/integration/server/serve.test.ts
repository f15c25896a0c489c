/**
 * Serve mode over real HTTP: the token gate (before routing), argument validation, static files
 * with CSP and no traversal, loopback binding, and a real sweep on the fixture models started over
 * HTTP with its progress arriving over SSE, driven through the same client the renderer uses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import { createApiClient, httpTransport, isUnsupported, type EventPayload } from "../../../shared/api/index.ts";
import { forkWorker } from "../../../main/jobs/fork-channel.ts";
import { JobHost } from "../../../main/jobs/job-host.ts";
import { startServer, type RunningServer } from "../../../main/server/server.ts";
import { nodeEventSource } from "../../helpers/node-event-source.ts";
import { tinySpec } from "../../helpers/sweep-fixtures.ts";

let srv: RunningServer;
let base: string;
const tmp = mkdtempSync(join(tmpdir(), "serve-test-"));
const staticDir = join(tmp, "static");

beforeAll(async () => {
  mkdirSync(join(staticDir, "assets"), { recursive: true });
  writeFileSync(join(staticDir, "index.html"), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(staticDir, "assets", "app.js"), "console.log('app')");
  writeFileSync(join(staticDir, "assets", "style.css"), "body{}");
  writeFileSync(join(tmp, "secret.txt"), "do not serve me");
  srv = await startServer({
    port: 0,
    staticDir,
    runsDir: join(tmp, "runs"),
    assetsDir: join(tmp, "no-assets"),
    cwd: tmp,
    version: "9.9.9",
    host: new JobHost(forkWorker({ output: null })),
  });
  base = `http://127.0.0.1:${srv.port}`;
});

afterAll(async () => {
  await srv?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
const auth = () => ({ authorization: `Bearer ${srv.token}` });

/** A raw request with a chosen Host header (fetch does not let us set it). */
function rawGet(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: srv.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serve mode: access", () => {
  it("prints a URL on 127.0.0.1 with a long random token, and binds only to 127.0.0.1", () => {
    expect(srv.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/\\?token=[A-Za-z0-9_-]{40,}$`));
    const addr = srv.server.address();
    expect(addr).toMatchObject({ address: "127.0.0.1", family: "IPv4" });
  });

  it("is not reachable on the machine's other addresses", async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === "IPv4" && !i.internal)
      .map((i) => i?.address as string);
    for (const ip of others) {
      await expect(fetch(`http://${ip}:${srv.port}/api/app.info`, { method: "POST", headers: auth() })).rejects.toThrow();
    }
  });

  it("answers 401 without the token, with a wrong one, and for unknown /api paths — before routing", async () => {
    const noToken = await post("/api/app.info", {});
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/Bearer/);
    const body = (await noToken.json()) as { ok: boolean; error: { message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.message).toMatch(/access token/);
    expect((await post("/api/app.info", {}, { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await post(`/api/app.info?token=${srv.token}x`, {})).status).toBe(401);
    expect((await post("/api/no.such.method", {})).status).toBe(401);
    expect((await fetch(`${base}/api/../api/whatever`)).status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    expect((await fetch(`${base}/api`)).status).toBe(401);
  });

  it("accepts the token as a Bearer header or in the query", async () => {
    const viaHeader = await post("/api/sweeps.active", {}, auth());
    expect(viaHeader.status).toBe(200);
    expect(await viaHeader.json()).toEqual({ ok: true, value: { sweeps: [] } });
    const viaQuery = await post(`/api/sweeps.active?token=${encodeURIComponent(srv.token)}`, {});
    expect(viaQuery.status).toBe(200);
  });

  it("with the token: 404 for an unknown method, 405 for GET on a method", async () => {
    const unknown = await post("/api/no.such", {}, auth());
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/unknown API method "no.such"/);
    expect((await fetch(`${base}/api/app.info`, { headers: auth() })).status).toBe(405);
  });

  it("refuses a Host that is not loopback (DNS rebinding)", async () => {
    expect(await rawGet("/", "evil.example:80")).toBe(421);
    expect(await rawGet("/", `localhost:${srv.port}`)).toBe(200);
    expect(await rawGet("/", "127.0.0.1:9999")).toBe(200); // an SSH tunnel's local port
  });
});

describe("serve mode: validation", () => {
  it("400 with the field named for arguments that do not fit the contract", async () => {
    const res = await post("/api/runs.load", { dir: 5, limit: 0 }, auth());
    expect(res.status).toBe(400);
    const env = (await res.json()) as { ok: false; error: { kind: string; message: string; details: { issues: { path: string }[] } } };
    expect(env.error.kind).toBe("usage");
    expect(env.error.message).toMatch(/invalid arguments for runs\.load/);
    expect(env.error.message).toMatch(/dir: /);
    expect(env.error.details.issues.map((i) => i.path).sort()).toEqual(["dir", "limit"]);
  });

  it("400 for unknown keys and for a body that is not JSON", async () => {
    const extra = await post("/api/runs.list", { dir: "/x", colour: "red" }, auth());
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { error: { message: string } }).error.message).toMatch(/colour/);
    const notJson = await post("/api/runs.list", "{oops", auth());
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/must be JSON/);
  });

  it("400 bad-spec for a sweep spec that does not validate, listing each field", async () => {
    const res = await post("/api/sweeps.start", { spec: { models: { draft: join(tmp, "nope") }, dataset: { path: "x.jsonl" }, methods: [{ method: "teleport" }] } }, auth());
    expect(res.status).toBe(400);
    const env = (await res.json()) as { error: { kind: string; details: { issues: { path: string }[] } } };
    expect(env.error.kind).toBe("bad-spec");
    const paths = env.error.details.issues.map((i) => i.path);
    expect(paths).toContain("models.target");
    expect(paths).toContain("methods.0.method");
  });

  it("sweeps.validate reports missing files per field and expands a good spec", async () => {
    const api = createApiClient(httpTransport(base, srv.token));
    const bad = await api.sweeps.validate({ spec: tinySpec({ dataset: { path: join(tmp, "missing.jsonl") } }) });
    expect(bad.valid).toBe(false);
    expect(bad.issues).toEqual([{ path: "dataset.path", message: `no file at ${join(tmp, "missing.jsonl")}` }]);
    const good = await api.sweeps.validate({ spec: tinySpec() });
    expect(good).toMatchObject({ valid: true, issues: [] });
    expect(good.configurations.map((c) => c.id)).toContain("rsd@0.3");
  });

  it("dialogs are unsupported in serve mode, as a typed error", async () => {
    const api = createApiClient(httpTransport(base, srv.token));
    const err = (await api.dialogs.pickModel({}).catch((e: unknown) => e)) as WorkbenchError;
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.kind).toBe("unsupported");
    expect(isUnsupported(err)).toBe(true);
  });

  it("runs.load of a folder that is not a run is a typed missing-file error", async () => {
    const api = createApiClient(httpTransport(base, srv.token));
    const err = (await api.runs.load({ dir: staticDir }).catch((e: unknown) => e)) as WorkbenchError;
    expect(err.kind).toBe("missing-file");
    expect(err.message).toMatch(/no run\.json/);
  });
});

describe("serve mode: static files", () => {
  it("serves the renderer with a strict CSP, nosniff, no-referrer and the right MIME types", async () => {
    const page = await fetch(`${base}/?token=${srv.token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await fetch(`${base}/assets/app.js`)).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await fetch(`${base}/assets/style.css`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`${base}/runs/some-route`)).headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: "POST" })).status).toBe(405);
  });

  it("never serves a file outside the renderer folder", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/..%5c..%5csecret.txt"]) {
      const status = await rawGet(path, "127.0.0.1");
      expect([400, 403, 404]).toContain(status);
      const res = await fetch(`${base}${path}`).catch(() => null);
      if (res) expect(await res.text()).not.toContain("do not serve me");
    }
  });
});

describe("serve mode: a sweep over HTTP", () => {
  it("starts a sweep on the fixture models, streams progress over SSE, and serves its records", async () => {
    let es: ReturnType<typeof nodeEventSource> | undefined;
    const api = createApiClient(
      httpTransport(base, srv.token, {
        eventSource: (url) => (es = nodeEventSource(url)),
      }),
    );
    const progress: EventPayload<"sweep.progress">[] = [];
    const logs: string[] = [];
    let resolveEnd!: (p: EventPayload<"sweep.end">) => void;
    const ended = new Promise<EventPayload<"sweep.end">>((r) => (resolveEnd = r));
    const offs = [api.on("sweep.progress", (p) => progress.push(p)), api.on("sweep.log", (p) => logs.push(p.line)), api.on("sweep.end", (p) => resolveEnd(p))];
    await es?.opened;

    const out = join(tmp, "runs", "tiny-http");
    const { runId, out: outDir } = await api.sweeps.start({ spec: tinySpec(), out });
    expect(outDir).toBe(out);

    // The server answers while the sweep runs in its worker.
    const t0 = Date.now();
    const active = await api.sweeps.active({});
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(active.sweeps.map((s) => s.runId)).toContain(runId);
    await expect(api.sweeps.start({ spec: tinySpec(), out })).rejects.toThrow(/already writing/);

    const end = await ended;
    offs.forEach((off) => off());
    expect(end).toMatchObject({ runId, status: "complete", out, error: null });
    expect(end.summary?.runs.length).toBeGreaterThan(0);
    const mine = progress.filter((p) => p.runId === runId);
    expect(mine[0]?.phase).toBe("starting");
    const seqs = mine.map((p) => p.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(end.seq).toBeGreaterThan(seqs.at(-1) as number);
    const last = mine.at(-1) as EventPayload<"sweep.progress">;
    expect(last.total).toBeGreaterThan(0);
    expect(last.done).toBe(last.total);
    expect((await api.sweeps.active({})).sweeps).toEqual([]);

    const page = await api.runs.load({ dir: out, limit: 5 });
    expect(page.total).toBe(last.total);
    expect(page.records).toHaveLength(5);
    expect(page.nextOffset).toBe(5);
    expect(page.summary?.complete).toBe(true);
    expect(page.run.resolved.name).toBe("tiny");
    expect(page.skipped).toEqual([]);
    const rest = await api.runs.load({ dir: out, offset: 5, limit: 10_000 });
    expect(rest.records).toHaveLength(last.total - 5);
    expect(rest.nextOffset).toBeNull();

    const list = await api.runs.list({});
    expect(list.runs).toEqual([expect.objectContaining({ dir: out, name: "tiny", complete: true, active: false, records: last.total })]);

    // Cancelling a sweep that has ended is a no-op.
    await expect(api.sweeps.cancel({ runId })).resolves.toEqual({ cancelled: false });
  });
});
