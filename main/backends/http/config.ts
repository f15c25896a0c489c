/**
 * How a sweep spec names a model served over HTTP (an OpenAI-compatible vLLM or SGLang server):
 *
 *   { "http": { "baseUrl": "http://gpu1:8000", "model": "Qwen2.5-Math-7B-Instruct",
 *               "apiKeyEnv": "VLLM_API_KEY", "timeoutMs": 120000, "concurrency": 8, "retries": 4 },
 *     "tokenizer": "models/Qwen2.5-Math-7B-Instruct" }
 *
 * `tokenizer` is a local folder with tokenizer.json and tokenizer_config.json (and config.json —
 * with its "step_scorer" key for a PRM or router): prompts are rendered and tokens counted here,
 * scorer inputs are built here, so the server only runs the model. Several servers of one model:
 * `"endpoints": [{ "baseUrl": …, "concurrency": … }, …]` instead of `baseUrl`.
 *
 * The API key itself is never in a spec or a run folder: only the name of the environment
 * variable that holds it.
 */
import { z } from "zod";
import { WorkbenchError } from "../../../shared/errors.ts";
import { checkVllmVersion } from "./vllm-version.ts";

/** How a scorer's per-token outputs are fetched (docs/remote-models.md). */
export const SCORER_PROTOCOLS = ["embeddings", "pooling", "classify"] as const;
export type ScorerProtocol = (typeof SCORER_PROTOCOLS)[number];

const EndpointSchema = z.strictObject({
  baseUrl: z.string().min(1),
  /** Requests in flight to this server at most. */
  concurrency: z.number().int().min(1).optional(),
});

export const HttpSettingsSchema = z.strictObject({
  /** One server (with or without the trailing /v1). */
  baseUrl: z.string().min(1).optional(),
  /** Several servers of the same model; requests go to the least busy one. */
  endpoints: z.array(EndpointSchema).min(1).optional(),
  /** The served model name (vLLM --served-model-name, SGLang --served-model-name). */
  model: z.string().min(1),
  /** Name of the environment variable holding the API key (sent as a Bearer token). */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name (letters, digits, _), not the key itself")
    .optional(),
  /** One request's limit, from sending to the whole response (default 120000). */
  timeoutMs: z.number().int().min(1).optional(),
  /** Requests in flight per endpoint (default 8). */
  concurrency: z.number().int().min(1).optional(),
  /** Retries after a 429, a 5xx, a timeout, a dropped connection or unreadable JSON (default 4). */
  retries: z.number().int().min(0).max(20).optional(),
  /** First retry delay; doubles per retry, with jitter (default 500). */
  retryBaseMs: z.number().int().min(0).optional(),
  /** Longest retry delay of the backoff (default 20000). */
  retryMaxMs: z.number().int().min(0).optional(),
  /** Longest wait a server's Retry-After header may ask for (default 120000); the backoff's own cap does not cut it. */
  retryAfterMaxMs: z.number().int().min(0).optional(),
  /** After a request failed every retry, its endpoint rests this long; with all resting, calls fail at once (default 30000). */
  cooldownMs: z.number().int().min(0).optional(),
  /** Language models: top log-probabilities per token to ask for, for step features (default 5; 0 = none). */
  logprobs: z.number().int().min(0).max(20).optional(),
  /**
   * Language models: the server's context window (vLLM --max-model-len, SGLang --context-length);
   * default: the tokenizer folder's config.json. Each step's max_tokens is cut to what fits, as
   * vLLM refuses prompt + max_tokens beyond it.
   */
  contextLength: z.number().int().min(2).optional(),
  /**
   * Language models: whether prompts get the special tokens the tokenizer puts before a text (BOS);
   * default: yes, as Hugging Face and vLLM do, never twice (engine/tokenizer.ts). Sent to the server
   * as `add_special_tokens`, decided per request.
   */
  addSpecialTokens: z.boolean().optional(),
  /** Scorers: which endpoint returns the per-token outputs (default "embeddings", as the reference implementation). */
  protocol: z.enum(SCORER_PROTOCOLS).optional(),
  /** Scorers: "logits" (raw outputs; the head's sigmoid/softmax is applied here) or "probabilities" (the server applied it). */
  values: z.enum(["logits", "probabilities"]).optional(),
  /** Scorers on vLLM's /pooling: the pooling task to ask for (e.g. "token_classify"); omitted by default. */
  poolingTask: z.string().min(1).optional(),
  /**
   * Scorers: the vLLM version the server runs, which decides the switches a /pooling request needs
   * for raw values (vllm-version.ts). Default: asked of the server (GET /version); give it for a
   * server or proxy that does not answer that.
   */
  vllmVersion: z.string().min(1).optional(),
});
export type HttpSettings = z.infer<typeof HttpSettingsSchema>;

export const HttpModelRefSchema = z.strictObject({
  http: HttpSettingsSchema,
  /** Local folder with the model's tokenizer files (and config.json). */
  tokenizer: z.string().min(1),
});
export type HttpModelRef = z.infer<typeof HttpModelRefSchema>;

export interface ResolvedEndpoint {
  /** The server root: scheme, host, port and any path prefix, without a trailing "/v1". */
  baseUrl: string;
  concurrency: number;
}

/** Every default applied: what a run stores (no secret in it). */
export interface ResolvedHttpSettings {
  endpoints: ResolvedEndpoint[];
  model: string;
  apiKeyEnv: string | null;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  retryAfterMaxMs: number;
  cooldownMs: number;
  logprobs: number;
  contextLength: number | null;
  /** The spec's choice, or null for the default (the tokenizer's rule). */
  addSpecialTokens: boolean | null;
  protocol: ScorerProtocol;
  values: "logits" | "probabilities";
  poolingTask: string | null;
  vllmVersion: string | null;
}

/** Checks a base URL and reduces it to the server root ("http://h:8000/v1/" -> "http://h:8000"). */
export function normalizeBaseUrl(raw: string, where: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WorkbenchError("bad-spec", `${where}: expected an http(s) URL such as "http://gpu1:8000", found ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WorkbenchError("bad-spec", `${where}: expected an http:// or https:// URL, found ${url.protocol}`);
  }
  if (url.username || url.password) {
    // A password in a URL would be written into run.json: keys go through apiKeyEnv only.
    throw new WorkbenchError("bad-spec", `${where}: credentials in the URL are not allowed (they would be stored with the run); put the key in an environment variable and name it in apiKeyEnv`);
  }
  if (url.search || url.hash) throw new WorkbenchError("bad-spec", `${where}: expected a server address without ?query or #fragment, found ${JSON.stringify(raw)}`);
  let path = url.pathname.replace(/\/+$/, "");
  if (path.endsWith("/v1")) path = path.slice(0, -3);
  return `${url.protocol}//${url.host}${path}`;
}

export function resolveHttpSettings(s: HttpSettings, where: string): ResolvedHttpSettings {
  if ((s.baseUrl === undefined) === (s.endpoints === undefined)) {
    throw new WorkbenchError("bad-spec", `${where}: give either "baseUrl" (one server) or "endpoints" (a list of servers), not ${s.baseUrl === undefined ? "neither" : "both"}`);
  }
  const perEndpoint = s.concurrency ?? 8;
  const list = s.endpoints ?? [{ baseUrl: s.baseUrl as string }];
  const endpoints = list.map((e, i) => ({
    baseUrl: normalizeBaseUrl(e.baseUrl, s.endpoints ? `${where}.endpoints.${i}.baseUrl` : `${where}.baseUrl`),
    concurrency: e.concurrency ?? perEndpoint,
  }));
  const seen = new Set<string>();
  for (const e of endpoints) {
    if (seen.has(e.baseUrl)) throw new WorkbenchError("bad-spec", `${where}.endpoints: ${e.baseUrl} is listed twice (raise its concurrency instead)`);
    seen.add(e.baseUrl);
  }
  return {
    endpoints,
    model: s.model,
    apiKeyEnv: s.apiKeyEnv ?? null,
    timeoutMs: s.timeoutMs ?? 120_000,
    retries: s.retries ?? 4,
    retryBaseMs: s.retryBaseMs ?? 500,
    retryMaxMs: s.retryMaxMs ?? 20_000,
    retryAfterMaxMs: s.retryAfterMaxMs ?? 120_000,
    cooldownMs: s.cooldownMs ?? 30_000,
    logprobs: s.logprobs ?? 5,
    contextLength: s.contextLength ?? null,
    addSpecialTokens: s.addSpecialTokens ?? null,
    protocol: s.protocol ?? "embeddings",
    values: s.values ?? "logits",
    poolingTask: s.poolingTask ?? null,
    vllmVersion: s.vllmVersion === undefined ? null : checkVllmVersion(s.vllmVersion, `${where}.vllmVersion`),
  };
}

/**
 * The settings that decide a remote model's outputs — not where it is served or how patiently:
 * a run folder may be resumed against other servers (more of them, new addresses, other limits)
 * and its results stay the same.
 */
export function outputIdentity(s: ResolvedHttpSettings): Pick<ResolvedHttpSettings, "model" | "logprobs" | "contextLength" | "addSpecialTokens" | "protocol" | "values" | "poolingTask"> {
  return { model: s.model, logprobs: s.logprobs, contextLength: s.contextLength, addSpecialTokens: s.addSpecialTokens, protocol: s.protocol, values: s.values, poolingTask: s.poolingTask };
}

/** Reads the API key named by `apiKeyEnv`; a name that is not set is an error, not an anonymous request. */
export function readApiKey(s: ResolvedHttpSettings, where: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (s.apiKeyEnv === null) return null;
  const key = env[s.apiKeyEnv];
  if (key === undefined || key === "") {
    throw new WorkbenchError("bad-config", `${where}: apiKeyEnv names ${s.apiKeyEnv}, which is not set in the environment (set it to the server's API key, or remove apiKeyEnv for a server without one)`);
  }
  return key;
}
