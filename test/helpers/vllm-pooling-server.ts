/**
 * A server on 127.0.0.1 that answers a scorer's requests the way each vLLM generation does, over
 * the raw outputs of a real fixture scorer graph (a 1-value PRM head, a 2-class router head). What
 * each generation does was read from vLLM's source at its release tag (docs/remote-models.md has the
 * table and the files):
 *
 *   "0.6.4"  vllm/entrypoints/openai/serving_embedding.py `_get_embedding`: encoding_format "float"
 *            returns the pooler's output as is (per-token rows [[v], …]), which EmbeddingResponseData
 *            (`embedding: Union[List[float], str]`) refuses -> the ValueError becomes a 400 listing
 *            T + 1 validation errors; "base64" returns np.array(rows, float32).tobytes(): T·C values,
 *            row by row, in the server's (little-endian) byte order. No /pooling route.
 *   "0.8.5"  (0.6.6 – 0.9.0) api_server.py: /v1/embeddings of a model that is not an embedding model
 *            falls back to the pooling handler and wraps its rows in EmbeddingResponseData: "base64"
 *            passes, "float" raises a ValidationError outside any handler -> 500. /pooling returns the
 *            pooler's rows (`data: list[list[float]] | list[float] | str`). No request field touches
 *            the activation; the model class's pooler decides (Qwen2ForRewardModel: raw), or the
 *            server's --override-pooler-config '{"softmax": true}' (pooler.py PoolerHead: F.softmax
 *            over the last dimension, one label included).
 *   "0.10.1" (0.10.1 – 0.11.0) pooling_params.py: task "encode" defaults `softmax` to true
 *            (RewardPoolerHead: sigmoid for one label, softmax otherwise); the /pooling request class
 *            is EmbeddingCompletionRequest, which passes only `dimensions` and `normalize` on: a
 *            `softmax`, `activation`, `use_activation` or `task` in the request is ignored, and
 *            `normalize` is refused for "encode". Only --override-pooler-config '{"softmax": false}'
 *            keeps the rows raw. /v1/embeddings of a reward model: HTTP 200 with an error body.
 *   "0.11.1" vllm/config/pooler.py `get_use_activation`: `softmax` or `activation` present — with
 *            any value, false included (`if softmax := getattr(o, "softmax", None) is not None`) —
 *            turns the activation on; otherwise `use_activation` (default True). Also 0.12, 0.13.
 *   "0.20.0" `use_activation` (default True); `softmax`, `activation`, `normalize` are not fields
 *            and are ignored; task "encode" is not a PoolingTask (a 400 validation error);
 *            /v1/embeddings of a reward model raises NotImplementedError -> 501.
 * Every generation answers GET /version unless `versionRoute` is false (a proxy that hides it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { float16ToFloat32 } from "../../main/engine/causal-lm.ts";
import type { ScorerSignature } from "../../main/engine/graph-check.ts";
import { checkScorerGraph } from "../../main/engine/graph-check.ts";
import { KvCache } from "../../main/engine/kv-cache.ts";
import { readModelFolder } from "../../main/engine/model-folder.ts";
import type { SessionHandle, Tensor } from "../../main/engine/ort.ts";
import { createSession, int64Tensor, releaseSession, runSession, sessionInputs, sessionOutputs } from "../../main/engine/ort.ts";
import { resolveScorerConfig } from "../../main/engine/scorer-config.ts";

export const GENERATIONS = ["0.6.4", "0.8.5", "0.10.1", "0.11.1", "0.20.0"] as const;
export type Generation = (typeof GENERATIONS)[number];

export interface VllmServerOptions {
  generation: Generation;
  /** Served model name -> scorer model folder. */
  scorers: Record<string, string>;
  /** Whether GET /version answers (default true). */
  versionRoute?: boolean;
  /**
   * The server started with --override-pooler-config '{"softmax": …}' ("0.8.5" and "0.10.1"); unset,
   * the generation's default (raw on "0.8.5", activated on "0.10.1").
   */
  overridePoolerSoftmax?: boolean;
}

interface Graph {
  handle: SessionHandle;
  sig: ScorerSignature;
  output: string;
}

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** vLLM's error body (ErrorResponse of these versions). */
function vllmError(res: ServerResponse, status: number, message: string): void {
  send(res, status, { object: "error", message, type: status === 404 ? "NotFoundError" : "BadRequestError", param: null, code: status });
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => Math.fround(x / sum));
}

/** The head's activation as vLLM ≥ 0.9's pooler applies it: sigmoid for one label, softmax across labels. */
function activate(rows: number[][]): number[][] {
  return rows.map((row) => (row.length === 1 ? [Math.fround(sigmoid(row[0] as number))] : softmax(row)));
}

/** vLLM 0.8's PoolerHead with softmax on: F.softmax over the last dimension, one label included. */
function softmaxLastDim(rows: number[][]): number[][] {
  return rows.map(softmax);
}

/** The error body vLLM 0.10.1 and later send (ErrorResponse with ErrorInfo). */
function errorBody(message: string, type: string, code: number) {
  return { error: { message, type, param: null, code } };
}

/** numpy's tobytes of float32 rows on a little-endian machine, base64-encoded. */
function base64Float32(rows: number[][]): string {
  const flat = rows.flat();
  const buf = Buffer.alloc(flat.length * 4);
  flat.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString("base64");
}

export class VllmPoolingServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  private port = 0;

  private constructor(
    private readonly graphs: Map<string, Graph>,
    readonly opts: VllmServerOptions,
  ) {}

  static async start(opts: VllmServerOptions): Promise<VllmPoolingServer> {
    const graphs = new Map<string, Graph>();
    for (const [name, dir] of Object.entries(opts.scorers)) {
      const folder = readModelFolder(dir);
      const cfg = resolveScorerConfig(folder.config["step_scorer"], `${dir}/config.json`);
      const handle = await createSession(folder.onnxPath, { intraOpThreads: 1 });
      graphs.set(name, { handle, sig: checkScorerGraph(sessionInputs(handle.session), sessionOutputs(handle.session), cfg.output), output: cfg.output });
    }
    const s = new VllmPoolingServer(graphs, opts);
    const server = createServer((req, res) => void s.handle(req, res));
    s.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    s.port = (server.address() as AddressInfo).port;
    return s;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async dispose(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    for (const g of this.graphs.values()) await releaseSession(g.handle.session);
  }

  /** Raw per-token outputs of the graph: T rows of C float32 values. */
  private async rows(g: Graph, ids: number[]): Promise<number[][]> {
    const T = ids.length;
    const feeds: Record<string, Tensor> = { input_ids: int64Tensor(ids, [1, T]), attention_mask: int64Tensor(new BigInt64Array(T).fill(1n), [1, T]) };
    if (g.sig.hasPositionIds) feeds["position_ids"] = int64Tensor(Array.from({ length: T }, (_, i) => i), [1, T]);
    if (g.sig.hasTokenTypeIds) feeds["token_type_ids"] = int64Tensor(new BigInt64Array(T), [1, T]);
    if (g.sig.past) new KvCache(g.sig.past).addTo(feeds);
    const out = await runSession(g.handle.session, feeds);
    const t = out[g.output] as Tensor;
    const data = t.type === "float16" ? float16ToFloat32(t.data as Uint16Array) : (t.data as Float32Array);
    const width = data.length / T;
    return Array.from({ length: T }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] as string;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const gen = this.opts.generation;
    if (req.method === "GET" && path === "/version" && this.opts.versionRoute !== false) return send(res, 200, { version: gen });
    if (req.method !== "POST") return send(res, 404, { detail: "Not Found" });
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    this.requests.push({ path, body });
    const g = this.graphs.get(String(body["model"]));
    if (!g) return vllmError(res, 404, `The model \`${String(body["model"])}\` does not exist.`);
    const input = body["input"] as number[][];
    const ids = Array.isArray(input[0]) ? (input[0] as number[]) : (input as unknown as number[]);
    const rows = await this.rows(g, ids);
    const format = body["encoding_format"] ?? "float";
    const usage = { prompt_tokens: ids.length, total_tokens: ids.length, completion_tokens: 0 };

    if (path === "/v1/embeddings") {
      // 0.9.1 – 0.11.x return the handler's ErrorResponse itself: FastAPI sends it with status 200.
      if (gen === "0.10.1" || gen === "0.11.1") return send(res, 200, errorBody("The model does not support Embeddings API", "BadRequestError", 400));
      if (gen === "0.20.0") return send(res, 501, errorBody("The model does not support Embeddings API", "NotImplementedError", 501));
      const pooled = gen === "0.8.5" && this.opts.overridePoolerSoftmax === true ? softmaxLastDim(rows) : rows;
      if (format === "base64") return send(res, 200, { id: "embd-1", object: "list", created: 0, model: body["model"], data: [{ index: 0, object: "embedding", embedding: base64Float32(pooled) }], usage });
      // One error per row under List[float], one for the str branch.
      const n = rows.length + 1;
      if (gen === "0.8.5") return send(res, 500, "Internal Server Error");
      return vllmError(res, 400, `${n} validation errors for EmbeddingResponseData\nembedding.list[float].0\n  Input should be a valid number [type=float_type, input_value=[${rows[0]?.join(", ")}], input_type=list]`);
    }

    if (path === "/pooling") {
      if (gen === "0.6.4") return send(res, 404, { detail: "Not Found" });
      let out = rows;
      const present = (k: string) => body[k] !== undefined && body[k] !== null;
      if (gen === "0.8.5") {
        if (this.opts.overridePoolerSoftmax === true) out = softmaxLastDim(rows);
      } else if (gen === "0.10.1") {
        // PoolingParams(dimensions=…, normalize=…) from the request; verify("encode") refuses normalize.
        if (present("normalize")) return send(res, 400, errorBody("Task encode only supports ['softmax', 'step_tag_id', 'returned_token_ids'] parameters, does not support ['normalize'] parameters", "BadRequestError", 400));
        if (this.opts.overridePoolerSoftmax ?? true) out = activate(rows);
      } else {
        // vllm/tasks.py PoolingTask: "encode" is not one of them from 0.11.1.
        const tasks = gen === "0.11.1" ? ["embed", "classify", "score", "token_embed", "token_classify", "plugin"] : ["embed", "classify", "token_embed", "token_classify", "plugin", "embed&token_classify"];
        if (present("task") && !tasks.includes(String(body["task"]))) {
          return send(res, 400, errorBody(`1 validation error for PoolingCompletionRequest\ntask\n  Input should be ${tasks.map((t) => `'${t}'`).join(", ")} [type=literal_error, input_value='${String(body["task"])}', input_type=str]`, "BadRequestError", 400));
        }
        const activated =
          gen === "0.11.1" && (present("softmax") || present("activation")) ? true : present("use_activation") ? Boolean(body["use_activation"]) : true;
        if (activated) out = activate(rows);
      }
      const data = format === "base64" ? base64Float32(out) : out;
      return send(res, 200, { id: "pool-1", object: "list", created: 0, model: body["model"], data: [{ index: 0, object: "pooling", data }], usage });
    }
    return send(res, 404, { detail: "Not Found" });
  }
}
