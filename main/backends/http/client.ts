/**
 * POSTs JSON to one model's servers with a per-request timeout, retries with exponential backoff
 * and jitter on what is worth retrying (429, 5xx, timeouts, dropped or refused connections, a body
 * that is not JSON), and typed errors for the rest:
 *   - "backend": the server could not be reached or answered with an error (after retries);
 *   - "context-too-long": the server said the prompt does not fit its context window (vLLM/SGLang
 *     answer 400 with a message saying so) — the same kind a local model reports;
 *   - "cancelled": the caller's signal aborted.
 * The API key is sent as a Bearer token and appears in no message or detail.
 */
import { performance } from "node:perf_hooks";
import { WorkbenchError } from "../../../shared/errors.ts";
import { sleep } from "../concurrency.ts";
import type { ResolvedHttpSettings } from "./config.ts";
import { EndpointPool } from "./endpoint-pool.ts";

export interface PostResult<R> {
  value: R;
  /** Client-side time of the attempt that succeeded: sending the request to reading the whole body. */
  ms: number;
  baseUrl: string;
  attempts: number;
}

/** Thrown by a response parser when a 200's JSON does not have the expected shape (not retried). */
export class ResponseShapeError extends Error {}

interface AttemptFailure {
  retry: boolean;
  /** No server answered at all: connection refused / unreachable, or no response in time. */
  unreachable?: boolean;
  message: string;
  status?: number;
  /** Milliseconds to wait, from a Retry-After header. */
  retryAfterMs?: number;
}

const MAX_BODY_IN_MESSAGE = 300;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_BODY_IN_MESSAGE ? `${flat.slice(0, MAX_BODY_IN_MESSAGE)}…` : flat;
}

/** The message of an OpenAI-style error body: {"error": {"message"}} or vLLM's older {"message"}. */
function serverMessage(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    if (typeof j.error === "object" && j.error && typeof j.error.message === "string") return j.error.message;
    if (typeof j.error === "string") return j.error;
    if (typeof j.message === "string") return j.message;
    if (typeof j.detail === "string") return j.detail;
  } catch {
    // not JSON: the raw text below
  }
  return clip(body);
}

const CONTEXT_RE = /maximum context length|context length|context window|too long|exceeds the max|max_model_len|longer than the model/i;

/** Socket errors that mean nothing is listening there (as opposed to a connection cut mid-answer). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** Why fetch threw, for a message: undici hides the socket error in `cause`. */
function connectionError(err: unknown): AttemptFailure {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause ? `${e.cause.code ? `${e.cause.code} ` : ""}${e.cause.message ?? ""}`.trim() : "";
  return { retry: true, unreachable: UNREACHABLE.has(e.cause?.code ?? ""), message: `connection failed (${cause || e.message || String(err)})` };
}

/**
 * A Retry-After header as milliseconds from `now`: delay-seconds ("3", "1.5") or an HTTP-date
 * ("Fri, 04 Dec 2026 23:59:00 GMT"; a date in the past is 0). Null for anything else.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return null; // a bare number of another shape is not a date
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before a retry: the backoff, or longer when the server asked for it with Retry-After —
 * honoured up to retryAfterMaxMs (its own cap: a server that names a longer wait than the backoff
 * would choose knows better when it will have room).
 */
export function retryDelayMs(attempt: number, s: Pick<ResolvedHttpSettings, "retryBaseMs" | "retryMaxMs" | "retryAfterMaxMs">, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const backoff = backoffMs(attempt, s.retryBaseMs, s.retryMaxMs, random);
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, s.retryAfterMaxMs));
}

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}

export class HttpModelClient {
  readonly pool: EndpointPool;

  /** A true private field: never serialized or inspected with the client. */
  readonly #apiKey: string | null;

  constructor(
    readonly settings: ResolvedHttpSettings,
    apiKey: string | null,
    /** For messages: e.g. 'target model "Qwen2.5-Math-7B-Instruct"'. */
    private readonly what: string,
  ) {
    this.#apiKey = apiKey;
    this.pool = new EndpointPool(settings.endpoints, settings.cooldownMs);
  }

  /**
   * POSTs `body` to `path` (e.g. "/v1/completions") on a free endpoint and parses the JSON with
   * `parse`; retries as described above. `parse` throws ResponseShapeError for a wrong shape.
   */
  async post<R>(path: string, body: unknown, parse: (json: unknown) => R, signal?: AbortSignal): Promise<PostResult<R>> {
    const s = this.settings;
    const payload = JSON.stringify(body);
    const tried = new Set<string>();
    let last: AttemptFailure | null = null;
    let allUnreachable = true;
    for (let attempt = 0; attempt <= s.retries; attempt++) {
      if (signal?.aborted) throw new WorkbenchError("cancelled", `${this.what}: request cancelled`);
      const lease = await this.pool.acquire(signal);
      tried.add(lease.baseUrl);
      const url = lease.baseUrl + path;
      let outcome: { ok: true; value: R; ms: number } | { ok: false; failure: AttemptFailure };
      try {
        outcome = await this.attempt(url, payload, parse, signal);
      } finally {
        lease.release();
      }
      if (outcome.ok) {
        this.pool.markOk(lease.baseUrl);
        return { value: outcome.value, ms: outcome.ms, baseUrl: lease.baseUrl, attempts: attempt + 1 };
      }
      last = outcome.failure;
      allUnreachable &&= last.unreachable === true;
      const where = `POST ${url}`;
      if (!last.retry) {
        if (last.status === 400 && CONTEXT_RE.test(last.message)) {
          throw new WorkbenchError("context-too-long", `${this.what}: the server refused the prompt as too long for its context window: ${last.message}`, { url, status: 400 });
        }
        throw new WorkbenchError("backend", `${this.what}: ${where} failed: ${last.message}`, { url, ...(last.status ? { status: last.status } : {}), attempts: attempt + 1 });
      }
      if (attempt < s.retries) {
        const delay = retryDelayMs(attempt, s, last.retryAfterMs);
        // Avoided beyond the wait, so the retry prefers another endpoint when there is one.
        this.pool.avoid(lease.baseUrl, Math.max(2 * delay, 1000), last.message);
        await sleep(delay, signal);
      }
    }
    const message = last?.message ?? "no attempt was made";
    // Only a server that never answered rests: one answering with errors is alive, and each
    // request keeps its own retries.
    if (allUnreachable) this.pool.markDown(tried, message);
    throw new WorkbenchError(
      "backend",
      `${this.what}: no usable answer from ${[...tried].join(", ")} after ${s.retries + 1} attempt(s); last: ${message} (expected a 200 with JSON; the problem is recorded as an error and a later --resume retries it)`,
      { endpoints: [...tried], attempts: s.retries + 1, ...(last?.status ? { status: last.status } : {}) },
    );
  }

  private async attempt<R>(
    url: string,
    payload: string,
    parse: (json: unknown) => R,
    signal: AbortSignal | undefined,
  ): Promise<{ ok: true; value: R; ms: number } | { ok: false; failure: AttemptFailure }> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.#apiKey !== null) headers["authorization"] = `Bearer ${this.#apiKey}`;
    const t0 = performance.now();
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await fetch(url, { method: "POST", headers, body: payload, signal: combined });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw new WorkbenchError("cancelled", `${this.what}: request cancelled`);
      if (timeout.aborted) return { ok: false, failure: { retry: true, unreachable: true, message: `no complete response within ${this.settings.timeoutMs} ms (timeoutMs)` } };
      return { ok: false, failure: connectionError(err) };
    }
    const ms = performance.now() - t0;
    if (status < 200 || status >= 300) {
      const msg = `HTTP ${status}: ${serverMessage(text)}`;
      const retry = status === 429 || status === 408 || status >= 500;
      const after = parseRetryAfter(retryAfter) ?? undefined;
      const hint = status === 401 || status === 403 ? " (check the key in the environment variable named by apiKeyEnv)" : status === 404 ? ` (is "${this.settings.model}" the served model name, and does the server offer this endpoint?)` : "";
      return { ok: false, failure: { retry, status, message: msg + hint, ...(after !== undefined ? { retryAfterMs: after } : {}) } };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // A cut-off or garbled body (a proxy, a restarting server) is worth another try.
      return { ok: false, failure: { retry: true, status, message: `the response is not valid JSON: ${clip(text) || "(empty body)"}` } };
    }
    try {
      return { ok: true, value: parse(json), ms };
    } catch (err) {
      if (err instanceof ResponseShapeError) return { ok: false, failure: { retry: false, status, message: err.message } };
      throw err;
    }
  }
}
