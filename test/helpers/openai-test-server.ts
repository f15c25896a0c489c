/**
 * A small OpenAI-compatible server on 127.0.0.1 that answers with real ONNX models, in the formats
 * vLLM (or SGLang) uses, so the HTTP backends are exercised end to end with real generations:
 *   POST /v1/completions  a language model writes one step (CausalLM.generateStep)
 *   POST /v1/embeddings   a scorer graph's raw per-token outputs, flattened (a vLLM reward model)
 *   POST /pooling         the same as rows [T][C]
 *   POST /classify        softmax of the last position's outputs
 *   GET  /v1/models
 * As vLLM does, a completion's text prompt gets the tokenizer's special prefix (BOS) unless the
 * request says `add_special_tokens: false` — twice, if the prompt already has one — and a step that
 * ends at EOS lists the EOS token last in its logprobs. Request bodies are kept (`completionBodies`).
 * Faults can be switched on per test: slow responses, 500/503, 429 (with a chosen Retry-After),
 * dropped connections, bodies that are not JSON. `stop()` makes it unreachable (connection refused) and `restart()` brings it
 * back on the same port, for "server down, then back" tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WorkbenchError } from "../../shared/errors.ts";
import { CausalLM, float16ToFloat32 } from "../../main/engine/causal-lm.ts";
import type { ScorerSignature } from "../../main/engine/graph-check.ts";
import { checkScorerGraph } from "../../main/engine/graph-check.ts";
import { KvCache } from "../../main/engine/kv-cache.ts";
import { readModelFolder } from "../../main/engine/model-folder.ts";
import type { SessionHandle, Tensor } from "../../main/engine/ort.ts";
import { createSession, int64Tensor, releaseSession, runSession, sessionInputs, sessionOutputs } from "../../main/engine/ort.ts";
import { resolveScorerConfig } from "../../main/engine/scorer-config.ts";

export type Flavor = "vllm" | "sglang" | "plain";

export type FaultKind = "500" | "503" | "429" | "drop" | "malformed" | "slow";

export interface FaultPlan {
  /** One kind, or several used in turn by successive faults. */
  kind: FaultKind | FaultKind[];
  /** Every n-th matching request gets the fault (1 = all; default 1). */
  every?: number;
  /** At most this many faults (default: unlimited). */
  count?: number;
  /** For "slow": how long to wait before answering (ms). */
  delayMs?: number;
  /** For "429": the Retry-After header (default "0"). */
  retryAfter?: string;
  /** Only these paths (default: all model endpoints). */
  paths?: string[];
  /** At most this many faults for one request body (its retries are identical bodies), so a client with more retries always gets through. */
  perRequest?: number;
}

export interface TestServerOptions {
  /** Served model name -> language model folder. */
  lms?: Record<string, string>;
  /** Served model name -> scorer model folder. */
  scorers?: Record<string, string>;
  /** How the matched stop is reported: vLLM's stop_reason, SGLang's matched_stop, or not at all ("plain"). */
  flavor?: Flavor;
  /** Require this Bearer token. */
  apiKey?: string;
}

interface ScorerGraph {
  handle: SessionHandle;
  sig: ScorerSignature;
  output: string;
}

export interface ServerStats {
  requests: number;
  byPath: Record<string, number>;
  faults: number;
  unauthorized: number;
  inFlight: number;
  maxInFlight: number;
  /** Most requests for one served model in flight at once (from its body being read to the response). */
  maxInFlightByModel: Record<string, number>;
}

const EOS_LOGPROB_STAND_IN = -0.75;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}

function errorBody(status: number, message: string, type = "BadRequestError") {
  // vLLM's error shape.
  return { object: "error", message, type, param: null, code: status };
}

/** One token-id list from an OpenAI "input": ids, [ids], or a string (not supported here). */
function idLists(input: unknown): number[][] | null {
  const isIds = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x));
  if (isIds(input)) return [input];
  if (Array.isArray(input) && input.length > 0 && input.every(isIds)) return input as number[][];
  return null;
}

export class OpenAiTestServer {
  /** Every /v1/completions request body, in arrival order. */
  readonly completionBodies: Record<string, unknown>[] = [];
  readonly stats: ServerStats = { requests: 0, byPath: {}, faults: 0, unauthorized: 0, inFlight: 0, maxInFlight: 0, maxInFlightByModel: {} };
  private readonly inFlightByModel = new Map<string, number>();
  private server: Server | null = null;
  private port = 0;
  private fault: FaultPlan | null = null;
  private faultSeen = 0;
  private faultDone = 0;
  private readonly faultsPerBody = new Map<string, number>();
  /** One request at a time per model: a CausalLM keeps one KV cache. */
  private readonly locks = new Map<string, Promise<void>>();

  private constructor(
    private readonly lms: Map<string, CausalLM>,
    private readonly scorers: Map<string, ScorerGraph>,
    private readonly opts: TestServerOptions,
  ) {}

  static async start(opts: TestServerOptions): Promise<OpenAiTestServer> {
    const lms = new Map<string, CausalLM>();
    // Special tokens are added here per request, as vLLM decides them (add_special_tokens).
    for (const [name, dir] of Object.entries(opts.lms ?? {})) lms.set(name, await CausalLM.load(dir, { intraOpThreads: 1, addSpecialTokens: false }));
    const scorers = new Map<string, ScorerGraph>();
    for (const [name, dir] of Object.entries(opts.scorers ?? {})) {
      const folder = readModelFolder(dir);
      const cfg = resolveScorerConfig(folder.config["step_scorer"], `${dir}/config.json`);
      const handle = await createSession(folder.onnxPath, { intraOpThreads: 1 });
      const sig = checkScorerGraph(sessionInputs(handle.session), sessionOutputs(handle.session), cfg.output);
      scorers.set(name, { handle, sig, output: cfg.output });
    }
    const s = new OpenAiTestServer(lms, scorers, opts);
    await s.listen(0);
    return s;
  }

  /** The server root, e.g. "http://127.0.0.1:40123". */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setFlavor(flavor: Flavor): void {
    this.opts.flavor = flavor;
  }

  /** Switches a fault on (or off with null); counting starts afresh. */
  setFault(plan: FaultPlan | null): void {
    this.fault = plan;
    this.faultSeen = 0;
    this.faultDone = 0;
    this.faultsPerBody.clear();
  }

  private listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening and cuts every open connection: the server is down (connection refused). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    if (this.server) return;
    await this.listen(this.port);
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const lm of this.lms.values()) await lm.dispose();
    for (const s of this.scorers.values()) await releaseSession(s.handle.session);
  }

  private async exclusive<T>(name: string, f: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    let done!: () => void;
    const next = new Promise<void>((r) => (done = r));
    this.locks.set(name, prev.then(() => next));
    await prev;
    try {
      return await f();
    } finally {
      done();
    }
  }

  /** The fault for this request, if the plan picks it. */
  private pickFault(path: string, body: string): { kind: FaultKind; delayMs: number; retryAfter: string } | null {
    const f = this.fault;
    if (!f) return null;
    if (f.paths && !f.paths.includes(path)) return null;
    this.faultSeen++;
    if (this.faultSeen % (f.every ?? 1) !== 0) return null;
    if (f.count !== undefined && this.faultDone >= f.count) return null;
    const key = `${path}\u0000${body}`;
    const forBody = this.faultsPerBody.get(key) ?? 0;
    if (f.perRequest !== undefined && forBody >= f.perRequest) return null;
    this.faultsPerBody.set(key, forBody + 1);
    const kinds = Array.isArray(f.kind) ? f.kind : [f.kind];
    const kind = kinds[this.faultDone % kinds.length] as FaultKind;
    this.faultDone++;
    this.stats.faults++;
    return { kind, delayMs: f.delayMs ?? 1000, retryAfter: f.retryAfter ?? "0" };
  }

  /** Counts a model's requests in flight until the response closes. */
  private track(model: string, res: ServerResponse): void {
    const n = (this.inFlightByModel.get(model) ?? 0) + 1;
    this.inFlightByModel.set(model, n);
    this.stats.maxInFlightByModel[model] = Math.max(this.stats.maxInFlightByModel[model] ?? 0, n);
    res.on("close", () => this.inFlightByModel.set(model, (this.inFlightByModel.get(model) ?? 1) - 1));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] as string;
    this.stats.requests++;
    this.stats.byPath[path] = (this.stats.byPath[path] ?? 0) + 1;
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    res.on("close", () => this.stats.inFlight--);
    try {
      const raw = await readBody(req);
      if (this.opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.opts.apiKey}`) {
        this.stats.unauthorized++;
        send(res, 401, { error: { message: "Unauthorized", type: "AuthenticationError", code: 401 } });
        return;
      }
      if (req.method === "GET" && path === "/v1/models") {
        send(res, 200, { object: "list", data: [...this.lms.keys(), ...this.scorers.keys()].map((id) => ({ id, object: "model" })) });
        return;
      }
      const fault = req.method === "POST" ? this.pickFault(path, raw) : null;
      if (fault) {
        switch (fault.kind) {
          case "500":
          case "503":
            send(res, Number(fault.kind), errorBody(Number(fault.kind), "injected server error", "InternalServerError"));
            return;
          case "429":
            send(res, 429, errorBody(429, "injected: too many requests", "RateLimitError"), { "retry-after": fault.retryAfter });
            return;
          case "drop":
            req.socket.destroy();
            return;
          case "malformed":
            res.writeHead(200, { "content-type": "application/json" });
            res.end('{"id": "cmpl-x", "choices": [{"text": "The ans');
            return;
          case "slow":
            await sleep(fault.delayMs);
            break;
        }
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        send(res, 400, errorBody(400, "the request body is not JSON"));
        return;
      }
      if (typeof body["model"] === "string") this.track(body["model"], res);
      if (req.method === "POST" && path === "/v1/completions") return await this.completions(body, res);
      if (req.method === "POST" && (path === "/v1/embeddings" || path === "/pooling" || path === "/classify")) return await this.pooling(path, body, res);
      send(res, 404, errorBody(404, `no route ${req.method} ${path}`, "NotFoundError"));
    } catch (err) {
      if (!res.headersSent) send(res, 500, errorBody(500, (err as Error).message, "InternalServerError"));
    }
  }

  private async completions(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const name = String(body["model"]);
    const lm = this.lms.get(name);
    if (!lm) return send(res, 404, errorBody(404, `The model \`${name}\` does not exist.`, "NotFoundError"));
    this.completionBodies.push(body);
    const text = Array.isArray(body["prompt"]) ? body["prompt"][0] : body["prompt"];
    if (typeof text !== "string") return send(res, 400, errorBody(400, "prompt must be a string"));
    // vLLM's default: the tokenizer's special tokens are added to a text prompt, whatever it holds.
    const prompt = body["add_special_tokens"] === false ? text : lm.tokenizer.specialPrefix.tokens.join("") + text;
    const stop = typeof body["stop"] === "string" ? [body["stop"]] : ((body["stop"] as string[] | undefined) ?? []);
    const maxTokens = Number(body["max_tokens"] ?? 16);
    const topK = Number(body["top_k"] ?? 0);
    const decoding = {
      temperature: Number(body["temperature"] ?? 1),
      topP: Number(body["top_p"] ?? 1),
      topK: topK < 0 ? 0 : topK,
      seed: Number(body["seed"] ?? 0),
    };
    const promptTokens = lm.encode(prompt).length;
    // vLLM validates prompt + max_tokens against the window before generating.
    if (promptTokens + maxTokens > lm.info.contextLength) {
      return send(
        res,
        400,
        errorBody(400, `This model's maximum context length is ${lm.info.contextLength} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`),
      );
    }
    let out;
    try {
      out = await this.exclusive(name, () => lm.generateStep({ context: prompt, stop, maxTokens, decoding }));
    } catch (err) {
      if (err instanceof WorkbenchError && err.kind === "context-too-long") return send(res, 400, errorBody(400, `This model's maximum context length is ${lm.info.contextLength} tokens. ${err.message}`));
      throw err;
    }
    const eos = out.stopReason === "eos";
    const finish = out.stopReason === "stop" || eos ? "stop" : "length";
    const k = Number(body["logprobs"] ?? 0);
    // vLLM lists the EOS token that ended a step last; the engine does not report its
    // log-probability, so a stand-in value (lower than the scripted models' others) is used.
    const eosId = eos ? (lm.info.eosTokenIds[0] as number) : null;
    const ids = eosId === null ? out.tokenIds : [...out.tokenIds, eosId];
    const lps = eosId === null ? out.logprobs : [...out.logprobs, EOS_LOGPROB_STAND_IN];
    const logprobs =
      k > 0
        ? {
            tokens: ids.map((id) => lm.tokenizer.decode([id])),
            token_logprobs: lps,
            // Only the sampled token is known here: a one-entry top list.
            top_logprobs: ids.map((id, i) => ({ [lm.tokenizer.decode([id])]: lps[i] as number })),
            text_offset: [],
          }
        : null;
    const choice: Record<string, unknown> = { index: 0, text: out.text, logprobs, finish_reason: finish };
    const flavor = this.opts.flavor ?? "vllm";
    if (flavor === "vllm") choice["stop_reason"] = out.stopReason === "stop" ? out.stop : null;
    if (flavor === "sglang") choice["matched_stop"] = out.stopReason === "stop" ? out.stop : eos ? (lm.info.eosTokenIds[0] ?? null) : null;
    const completion = out.tokenIds.length + (eos ? 1 : 0);
    send(res, 200, {
      id: `cmpl-${this.stats.requests}`,
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model: name,
      choices: [choice],
      usage: { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion },
    });
  }

  /** Raw per-token outputs of a scorer graph: [T][C] (C = 1 for a value head). */
  private async runScorer(s: ScorerGraph, ids: number[]): Promise<number[][]> {
    const T = ids.length;
    const feeds: Record<string, Tensor> = {
      input_ids: int64Tensor(ids, [1, T]),
      attention_mask: int64Tensor(new BigInt64Array(T).fill(1n), [1, T]),
    };
    if (s.sig.hasPositionIds) feeds["position_ids"] = int64Tensor(Array.from({ length: T }, (_, i) => i), [1, T]);
    if (s.sig.hasTokenTypeIds) feeds["token_type_ids"] = int64Tensor(new BigInt64Array(T), [1, T]);
    if (s.sig.past) new KvCache(s.sig.past).addTo(feeds);
    if (s.handle.session.inputNames.includes("num_logits_to_keep")) feeds["num_logits_to_keep"] = int64Tensor([0], []);
    const out = await runSession(s.handle.session, feeds);
    const t = out[s.output] as Tensor;
    const data = t.type === "float16" ? float16ToFloat32(t.data as Uint16Array) : (t.data as Float32Array);
    const perPosition = t.dims.length >= 2 && t.dims[1] === T;
    const rows = perPosition ? T : 1;
    const width = data.length / rows;
    return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));
  }

  private async pooling(path: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const name = String(body["model"]);
    const s = this.scorers.get(name);
    if (!s) return send(res, 404, errorBody(404, `The model \`${name}\` does not exist.`, "NotFoundError"));
    const lists = idLists(body["input"]);
    if (!lists) return send(res, 400, errorBody(400, "this test server takes token ids as input"));
    const data: unknown[] = [];
    let tokens = 0;
    for (const [index, ids] of lists.entries()) {
      tokens += ids.length;
      const rows = await this.exclusive(name, () => this.runScorer(s, ids));
      if (path === "/v1/embeddings") data.push({ index, object: "embedding", embedding: rows.flat() });
      else if (path === "/pooling") data.push({ index, object: "pooling", data: rows });
      else {
        const last = rows[rows.length - 1] as number[];
        const max = Math.max(...last);
        const exps = last.map((v) => Math.exp(v - max));
        const sum = exps.reduce((a, b) => a + b, 0);
        const probs = exps.map((e) => e / sum);
        data.push({ index, label: `LABEL_${probs.indexOf(Math.max(...probs))}`, probs, num_classes: probs.length });
      }
    }
    send(res, 200, { id: `pool-${this.stats.requests}`, object: "list", created: Math.floor(Date.now() / 1000), model: name, data, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }
}
