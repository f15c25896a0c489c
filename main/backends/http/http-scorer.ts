/**
 * A PRM or router served by vLLM as a reward / pooling model. The input is built here, from text,
 * with the scorer's own tokenizer and its config's step_scorer convention (exactly the ids a local
 * StepScorer would feed its graph), and sent as token ids; the per-token outputs that come back are
 * read at the step ends through the declared head (score-reading.ts). Three ways to ask:
 *   "embeddings" POST /v1/embeddings {"input": [ids], "encoding_format": "base64"}
 *                -> data[0].embedding: T·C little-endian float32, base64 (the reference's way: the
 *                   OpenAI SDK asks for base64, and vLLM's float answer cannot hold a reward model's
 *                   one-value rows); a float answer (flat, or rows) is read too
 *   "pooling"    POST /pooling {"input": [ids], + the switch that keeps the values raw on the
 *                   server's vLLM version (vllm-version.ts)} -> data[0].data
 *   "classify"   POST /classify      {"input": [ids]}  -> data[0].probs       (last position, softmaxed)
 * Nothing is applied twice silently. Where raw values could not be asked for in a way the server is
 * known to honour (/v1/embeddings; /pooling before vLLM 0.11.1 or of an unknown version), responses
 * are checked until one shows raw values, and one that shows the activation applied is refused
 * (ActivationCheck below). Over the whole run, values read as logits that all lie in [0, 1] are
 * reported in the run's provenance (runNotes).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { WorkbenchError } from "../../../shared/errors.ts";
import { contextLength } from "../../engine/model-folder.ts";
import type { ResolvedScorerConfig } from "../../engine/scorer-config.ts";
import { resolveScorerConfig } from "../../engine/scorer-config.ts";
import type { StepSource } from "../../engine/scorer-input.ts";
import { buildScorerInput } from "../../engine/scorer-input.ts";
import type { ScoreResult } from "../../engine/scorer.ts";
import type { TextTokenizer } from "../../engine/tokenizer.ts";
import type { RemoteScorerInfo, RunNote, StepScoring } from "../types.ts";
import { HttpModelClient, ResponseShapeError } from "./client.ts";
import type { ResolvedHttpSettings } from "./config.ts";
import { readApiKey } from "./config.ts";
import type { HeadWeights, ReadSpec } from "./score-reading.ts";
import { ActivationWatch, activationShown, decodeFloat32Base64, describeFound, readScores, toRows } from "./score-reading.ts";
import { readTokenizerFolder } from "./tokenizer-folder.ts";
import type { VllmVersion } from "./vllm-version.ts";
import { parseVllmVersion, poolingGeneration, poolingSwitches, probeVllmVersion, rawValuesAssured } from "./vllm-version.ts";

export interface HttpScoreResult extends ScoreResult {
  remote: { baseUrl: string; attempts: number; promptTokens: number | null };
}

const Usage = z.looseObject({ prompt_tokens: z.number().optional() }).nullable().optional();
const EmbeddingsSchema = z.looseObject({ data: z.array(z.looseObject({ embedding: z.unknown() })).min(1), usage: Usage });
const PoolingSchema = z.looseObject({ data: z.array(z.looseObject({ data: z.unknown() })).min(1), usage: Usage });
const ClassifySchema = z.looseObject({
  data: z.array(z.looseObject({ probs: z.array(z.number()).optional(), probabilities: z.array(z.number()).optional(), logits: z.array(z.number()).optional() })).min(1),
  usage: Usage,
});

interface Fetched {
  values: unknown;
  /** Overrides the configured "values" (a /classify answer's probs are probabilities). */
  values_kind: "logits" | "probabilities" | null;
  promptTokens: number | null;
}

/**
 * vLLM 0.9.1 – 0.11.x answer /v1/embeddings for a model that is not an embedding model with an error
 * body under HTTP 200 (api_server.py returns `create_error_response(...)` itself, not as a
 * JSONResponse): {"error": {"message"}} (or {"object": "error", "message"} before 0.10.1).
 */
function errorBodyMessage(json: unknown): string | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  const j = json as { error?: unknown; object?: unknown; message?: unknown };
  if (typeof j.error === "object" && j.error !== null && typeof (j.error as { message?: unknown }).message === "string") return (j.error as { message: string }).message;
  if (j.object === "error" && typeof j.message === "string") return j.message;
  return null;
}

function shapeError(what: string, issues: z.core.$ZodIssue[], json: unknown): ResponseShapeError {
  const said = errorBodyMessage(json);
  if (said !== null) return new ResponseShapeError(`expected ${what}, found an error: ${said}`);
  const top = typeof json === "object" && json !== null && !Array.isArray(json) ? ` (the response has keys ${Object.keys(json).slice(0, 8).join(", ") || "none"})` : ` (the response is ${describeFound(json)})`;
  return new ResponseShapeError(`expected ${what}, found: ${issues.map((i) => `${i.path.join(".") || "response"}: ${i.message}`).join("; ")}${top}`);
}

/** A base64 answer decoded; numbers and rows of numbers as they came (toRows checks them). */
function decodeValues(v: unknown, what: string): unknown {
  return typeof v === "string" ? decodeFloat32Base64(v, what) : v;
}

/** What is known of the server's vLLM version, and from where. */
interface ServerVersion {
  version: VllmVersion | null;
  text: string | null;
  /** "the spec's vllmVersion", "GET http://…/version", or why it is not known. */
  source: string;
}

function readHeadWeights(dir: string, file: string): HeadWeights {
  const path = join(dir, file);
  if (!existsSync(path)) throw new WorkbenchError("missing-file", `step_scorer.head_weights names ${file}, which is not in ${dir}`);
  const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<HeadWeights>;
  const width = raw.weight?.[0]?.length ?? -1;
  const ok = Array.isArray(raw.weight) && raw.weight.length > 0 && raw.weight.every((r) => Array.isArray(r) && r.length === width) && Array.isArray(raw.bias) && raw.bias.length === raw.weight.length;
  if (!ok) throw new WorkbenchError("bad-model", `${path} should be {"weight": number[out][hidden], "bias": number[out]} with matching sizes`);
  return raw as HeadWeights;
}

export class HttpStepScorer implements StepScoring {
  readonly info: RemoteScorerInfo;
  readonly tokenizer: TextTokenizer;
  readonly client: HttpModelClient;
  private readonly cfg: ResolvedScorerConfig;
  private readonly head: HeadWeights | null;
  private readonly what: string;
  readonly #apiKey: string | null;
  private version: Promise<ServerVersion> | null = null;
  private knownVersion: ServerVersion | null = null;
  private readonly watch = new ActivationWatch();
  /** Set once a response showed raw values: the server is then known not to activate. */
  private rawShown = false;
  /** Responses whose values showed the head's activation already applied, read as probabilities. */
  private readAsActivated = { responses: 0, values: 0, rowsSumToOne: true };

  private constructor(dir: string, files: string[], tok: TextTokenizer, cfg: ResolvedScorerConfig, head: HeadWeights | null, config: Record<string, unknown>, private readonly settings: ResolvedHttpSettings, apiKey: string | null, role: string) {
    this.tokenizer = tok;
    this.cfg = cfg;
    this.head = head;
    this.#apiKey = apiKey;
    this.what = `${role} model "${settings.model}"`;
    this.client = new HttpModelClient(settings, apiKey, this.what);
    this.info = {
      backend: "openai-http",
      model: settings.model,
      endpoints: settings.endpoints.map((e) => e.baseUrl),
      apiKeyEnv: settings.apiKeyEnv,
      protocol: settings.protocol,
      values: settings.values,
      poolingTask: settings.poolingTask,
      vllmVersion: settings.vllmVersion,
      tokenizerDir: dir,
      tokenizerFiles: files,
      scorer: cfg,
      contextLength: contextLength(config) ?? Number.POSITIVE_INFINITY,
    };
  }

  /** Reads the scorer's folder (tokenizer + config.json with step_scorer; no ONNX file) and the API key. */
  static async load(dir: string, settings: ResolvedHttpSettings, role = "scorer"): Promise<HttpStepScorer> {
    const folder = readTokenizerFolder(dir, { needConfig: true, role });
    const config = folder.config as Record<string, unknown>;
    const cfg = resolveScorerConfig(config["step_scorer"], `${folder.dir}/config.json`);
    if (cfg.head === "token-pair") {
      throw new WorkbenchError("bad-config", `${folder.dir}/config.json: a "token-pair" head (${cfg.convention}) reads language-model logits over the whole vocabulary, which vLLM's pooling endpoints do not return; run this scorer locally (ONNX)`);
    }
    if (settings.protocol === "classify" && cfg.select !== "last") {
      throw new WorkbenchError("bad-config", `models.${role}.http.protocol "classify" returns one score for the last position, but ${folder.dir} is read at each step's end (select "${cfg.select}"); use "embeddings" or "pooling"`);
    }
    const files = [...folder.files];
    let head: HeadWeights | null = null;
    if (cfg.headWeights) {
      head = readHeadWeights(folder.dir, cfg.headWeights);
      files.push(join(folder.dir, cfg.headWeights));
    }
    const key = readApiKey(settings, `models.${role}.http`);
    return new HttpStepScorer(folder.dir, files.sort(), folder.tokenizer, cfg, head, config, settings, key, role);
  }

  inputTokens(question: string, steps: string[], opts: { sources?: StepSource[] } = {}): number {
    return buildScorerInput(this.tokenizer, this.cfg, question, steps, opts.sources).ids.length;
  }

  /**
   * The server's vLLM version: the spec's, or asked once of every endpoint (GET /version). Endpoints
   * whose versions need different switches are refused; when none answers at all, the next call asks
   * again.
   */
  private serverVersion(): Promise<ServerVersion> {
    if (this.settings.vllmVersion !== null) {
      return Promise.resolve({ version: parseVllmVersion(this.settings.vllmVersion), text: this.settings.vllmVersion, source: "the spec's vllmVersion" });
    }
    if (!this.version) {
      const asked = (async (): Promise<ServerVersion> => {
        const probes = await Promise.all(this.settings.endpoints.map((e) => probeVllmVersion(e.baseUrl, this.#apiKey, Math.min(this.settings.timeoutMs, 10_000)).then((p) => ({ baseUrl: e.baseUrl, p }))));
        const found = probes.flatMap(({ baseUrl, p }) => (p.found ? [{ baseUrl, text: p.version, v: parseVllmVersion(p.version) as VllmVersion }] : []));
        const first = found[0];
        if (first) {
          const differing = found.filter((f) => poolingGeneration(f.v) !== poolingGeneration(first.v));
          if (differing.length > 0) {
            throw new WorkbenchError("bad-config", `${this.what}: its servers run vLLM versions that need different /pooling switches (${found.map((f) => `${f.baseUrl}: ${f.text}`).join(", ")}); serve one version, or set "vllmVersion" to say which switches to send`);
          }
          return { version: first.v, text: first.text, source: `GET ${first.baseUrl}/version` };
        }
        const reasons = probes.map(({ p }) => (p.found ? "" : p.reason)).join("; ");
        if (probes.every(({ p }) => !p.found && p.unreachable)) this.version = null; // ask again next time
        return { version: null, text: null, source: reasons };
      })();
      this.version = asked;
      asked.catch(() => (this.version = null));
    }
    return this.version;
  }

  private async request(ids: number[], signal?: AbortSignal) {
    const model = this.settings.model;
    const usage = (u: { prompt_tokens?: number | undefined } | null | undefined) => u?.prompt_tokens ?? null;
    switch (this.settings.protocol) {
      case "embeddings":
        return this.client.post("/v1/embeddings", { model, input: [ids], encoding_format: "base64" }, (json): Fetched => {
          const p = EmbeddingsSchema.safeParse(json);
          if (!p.success) throw shapeError('an embeddings list ({"data": [{"embedding": "<base64>" or [...]}]})', p.error.issues, json);
          return { values: decodeValues(p.data.data[0]?.embedding, this.what), values_kind: null, promptTokens: usage(p.data.usage) };
        }, signal);
      case "pooling": {
        const v = await this.serverVersion();
        this.knownVersion = v;
        const body = { model, input: [ids], ...(this.settings.poolingTask ? { task: this.settings.poolingTask } : {}), ...poolingSwitches(v.version, this.settings.values) };
        return this.client.post("/pooling", body, (json): Fetched => {
          const p = PoolingSchema.safeParse(json);
          if (!p.success) throw shapeError('a pooling list ({"data": [{"data": [...]}]})', p.error.issues, json);
          return { values: decodeValues(p.data.data[0]?.data, this.what), values_kind: null, promptTokens: usage(p.data.usage) };
        }, signal);
      }
      case "classify":
        return this.client.post("/classify", { model, input: [ids] }, (json): Fetched => {
          const p = ClassifySchema.safeParse(json);
          if (!p.success) throw shapeError('a classification list ({"data": [{"probs": [...]}]})', p.error.issues, json);
          const d = p.data.data[0] as z.infer<typeof ClassifySchema>["data"][number];
          const probs = d.probs ?? d.probabilities;
          if (probs) return { values: probs, values_kind: "probabilities", promptTokens: usage(p.data.usage) };
          if (d.logits) return { values: d.logits, values_kind: "logits", promptTokens: usage(p.data.usage) };
          throw new ResponseShapeError(`expected "probs" (or "logits") in the classification result, found keys ${Object.keys(d).join(", ")}`);
        }, signal);
    }
  }

  /** The server's version as the /pooling requests used it, and values that look already activated. */
  runNotes(): RunNote[] {
    const notes: RunNote[] = [];
    const v = this.knownVersion;
    if (this.settings.protocol === "pooling" && v) {
      const sent = JSON.stringify(poolingSwitches(v.version, this.settings.values));
      // Where no honoured switch was sent, what the responses showed is the evidence that they were raw.
      const shown = this.settings.values === "logits" && !rawValuesAssured(v.version) && this.rawShown ? "; its responses showed raw values" : "";
      notes.push(
        v.version
          ? { level: "info", message: `${this.what} is served by vLLM ${v.text} (${v.source}); /pooling requests carried ${sent}${shown}` }
          : { level: "info", message: `${this.what}: the server's vLLM version is not known (${v.source}); /pooling requests carried ${sent}, which keeps values raw on vLLM 0.11.1 and later${shown}` },
      );
    }
    const read = this.readAsActivated;
    if (read.responses > 0) {
      const fn = read.rowsSumToOne ? "softmax" : "sigmoid";
      notes.push({
        level: "warning",
        message:
          `${this.what}: "values" is "logits", but all ${read.values} values in ${read.responses} response(s) lay in [0, 1]${read.rowsSumToOne ? " and every row summed to 1" : ""}: ` +
          `the server applied the head's ${fn} itself, so they were read as the probabilities they are, not activated again${this.rawShown ? " (a later response showed raw values: those earlier ones may have been raw logits that happened to lie in [0, 1])" : ""}. ${this.activationCause()} ` +
          `To silence this, start vLLM with --override-pooler-config '{"softmax": false}' (vLLM 0.6 – 0.11.0) so that it returns raw values, or set "values": "probabilities"`,
      });
    }
    const looks = this.watch.looksActivated();
    if (looks) {
      notes.push({
        level: "warning",
        message:
          `${this.what}: all ${looks.values} values in its ${looks.responses} response(s) lie in [0, 1]${looks.rowsSumToOne ? " and every row sums to 1" : ""}, although "values" is "logits": ` +
          `the server has probably applied the head's ${looks.rowsSumToOne ? "softmax" : "sigmoid"} already, and the workbench applied it again. ` +
          `Check what the server returns for your vLLM version (docs/remote-models.md), or set "values": "probabilities"`,
      });
    }
    return notes;
  }

  async score(question: string, steps: string[], opts: { sources?: StepSource[]; signal?: AbortSignal } = {}): Promise<HttpScoreResult> {
    const input = buildScorerInput(this.tokenizer, this.cfg, question, steps, opts.sources);
    const T = input.ids.length;
    if (T > this.info.contextLength) {
      throw new WorkbenchError("context-too-long", `the scorer's input is ${T} tokens but ${this.info.tokenizerDir}/config.json gives a context window of ${this.info.contextLength}`, {
        tokens: T,
        contextLength: this.info.contextLength,
      });
    }
    const r = await this.request(input.ids, opts.signal);
    const lastOnly = this.settings.protocol === "classify" || this.cfg.select === "last" || input.stepEnds[input.stepEnds.length - 1] === T - 1;
    const rows = this.rowsOf(r.value.values, T, steps.length, lastOnly);
    let spec: ReadSpec = { cfg: this.cfg, values: r.value.values_kind ?? this.settings.values, head: this.head, what: this.what };
    if (spec.values === "logits" && !this.head && this.settings.protocol !== "classify") {
      if (this.alreadyActivated(rows.rows)) spec = { ...spec, values: "probabilities" };
      else this.watch.observe(rows.rows);
    }
    const { stepScores, score } = readScores(rows, input.stepEnds, T, spec);
    // A server may cache prefixes, but the client cannot see it: reported as a whole-input call.
    return { stepScores, score, tokens: T, reused: 0, ms: r.ms, remote: { baseUrl: r.baseUrl, attempts: r.attempts, promptTokens: r.value.promptTokens } };
  }

  /**
   * ActivationCheck: where no switch the server is known to honour asked for raw values, a response
   * whose values show the head's activation already applied (every value in [0, 1], every row of
   * several values summing to 1) is read as the probabilities it is — the server's sigmoid / softmax
   * is the head's own, so the score is the same as reading raw values, and applying it again would
   * be wrong. Recorded as a warning in the run's provenance (runNotes), never silent. Once a response
   * has shown raw values (a value outside [0, 1], or a row that does not sum to 1: no sigmoid or
   * softmax leaves either), the server is known not to activate and later responses are raw.
   */
  private alreadyActivated(rows: readonly (readonly number[])[]): boolean {
    if (this.rawShown) return false;
    if (this.settings.protocol === "pooling" && rawValuesAssured(this.knownVersion?.version ?? null)) return false;
    const shown = activationShown(rows);
    if (!shown.activated) {
      this.rawShown = true;
      return false;
    }
    this.readAsActivated.responses++;
    this.readAsActivated.values += shown.values;
    this.readAsActivated.rowsSumToOne &&= shown.rowsSumToOne;
    return true;
  }

  /** Why the server could apply the activation although the workbench wants raw values. */
  private activationCause(): string {
    if (this.settings.protocol === "embeddings") return "/v1/embeddings takes no activation switch: the served model's pooler decides.";
    const v = this.knownVersion;
    if (!v?.version) return `The server's vLLM version is not known (${v?.source ?? "not asked"}); vLLM 0.10.1 – 0.11.0 apply it by default and ignore the "use_activation": false that was sent.`;
    if (poolingGeneration(v.version) === "server-activates") {
      return `vLLM ${v.text} (${v.source}) applies it by default, and its /pooling request has no field that turns it off (0.10.1 – 0.11.0).`;
    }
    return `vLLM ${v.text} (${v.source}) takes no per-request switch: the served model's pooler applies it (as Qwen2ForProcessRewardModel's does).`;
  }

  private rowsOf(values: unknown, T: number, S: number, lastOnly: boolean) {
    try {
      return toRows(values, T, S, lastOnly, this.what);
    } catch (err) {
      if (!(err instanceof WorkbenchError) || this.settings.protocol === "classify") throw err;
      const hint =
        this.settings.protocol === "pooling"
          ? ' (one row for the whole input means the server pooled the last token only: on vLLM 0.11.1 and later ask for per-token outputs with "poolingTask": "token_classify", or "token_embed" where the model is served as an embedding model)'
          : ' (an embedding of the last token only means the server serves the model as an embedding model, not a reward model: use "protocol": "pooling")';
      throw new WorkbenchError(err.kind, err.message + hint, err.details);
    }
  }

  async dispose(): Promise<void> {
    // Nothing held.
  }
}
