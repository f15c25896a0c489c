/**
 * A PRM or router served by vLLM as a reward / pooling model. The input is built here, from text,
 * with the scorer's own tokenizer and its config's step_scorer convention (exactly the ids a local
 * StepScorer would feed its graph), and sent as token ids; the per-token outputs that come back are
 * read at the step ends through the declared head (score-reading.ts). Three ways to ask:
 *   "embeddings" POST /v1/embeddings {"input": [ids]}  -> data[0].embedding   (the reference's way)
 *   "pooling"    POST /pooling       {"input": [ids]}  -> data[0].data
 *   "classify"   POST /classify      {"input": [ids]}  -> data[0].probs       (last position, softmaxed)
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
import type { RemoteScorerInfo, StepScoring } from "../types.ts";
import { HttpModelClient, ResponseShapeError } from "./client.ts";
import type { ResolvedHttpSettings } from "./config.ts";
import { readApiKey } from "./config.ts";
import type { HeadWeights, ReadSpec } from "./score-reading.ts";
import { readScores, toRows } from "./score-reading.ts";
import { readTokenizerFolder } from "./tokenizer-folder.ts";

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

function shapeError(what: string, issues: z.core.$ZodIssue[]): ResponseShapeError {
  return new ResponseShapeError(`expected ${what}, found: ${issues.map((i) => `${i.path.join(".") || "response"}: ${i.message}`).join("; ")}`);
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

  private constructor(dir: string, files: string[], tok: TextTokenizer, cfg: ResolvedScorerConfig, head: HeadWeights | null, config: Record<string, unknown>, private readonly settings: ResolvedHttpSettings, apiKey: string | null, role: string) {
    this.tokenizer = tok;
    this.cfg = cfg;
    this.head = head;
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

  private request(ids: number[], signal?: AbortSignal) {
    const model = this.settings.model;
    switch (this.settings.protocol) {
      case "embeddings":
        return this.client.post("/v1/embeddings", { model, input: [ids] }, (json): Fetched => {
          const p = EmbeddingsSchema.safeParse(json);
          if (!p.success) throw shapeError('an embeddings list ({"data": [{"embedding": [...]}]})', p.error.issues);
          const emb = p.data.data[0]?.embedding;
          if (typeof emb === "string") throw new ResponseShapeError("the embedding came back base64-encoded; expected a list of numbers");
          return { values: emb, values_kind: null, promptTokens: p.data.usage?.prompt_tokens ?? null };
        }, signal);
      case "pooling":
        return this.client.post("/pooling", { model, input: [ids], ...(this.settings.poolingTask ? { task: this.settings.poolingTask } : {}) }, (json): Fetched => {
          const p = PoolingSchema.safeParse(json);
          if (!p.success) throw shapeError('a pooling list ({"data": [{"data": [...]}]})', p.error.issues);
          return { values: p.data.data[0]?.data, values_kind: null, promptTokens: p.data.usage?.prompt_tokens ?? null };
        }, signal);
      case "classify":
        return this.client.post("/classify", { model, input: [ids] }, (json): Fetched => {
          const p = ClassifySchema.safeParse(json);
          if (!p.success) throw shapeError('a classification list ({"data": [{"probs": [...]}]})', p.error.issues);
          const d = p.data.data[0] as z.infer<typeof ClassifySchema>["data"][number];
          const probs = d.probs ?? d.probabilities;
          if (probs) return { values: probs, values_kind: "probabilities", promptTokens: p.data.usage?.prompt_tokens ?? null };
          if (d.logits) return { values: d.logits, values_kind: "logits", promptTokens: p.data.usage?.prompt_tokens ?? null };
          throw new ResponseShapeError('expected "probs" (or "logits") in the classification result');
        }, signal);
    }
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
    const rows = toRows(r.value.values, T, steps.length, lastOnly, this.what);
    const spec: ReadSpec = { cfg: this.cfg, values: r.value.values_kind ?? this.settings.values, head: this.head, what: this.what };
    const { stepScores, score } = readScores(rows, input.stepEnds, T, spec);
    // A server may cache prefixes, but the client cannot see it: reported as a whole-input call.
    return { stepScores, score, tokens: T, reused: 0, ms: r.ms, remote: { baseUrl: r.baseUrl, attempts: r.attempts, promptTokens: r.value.promptTokens } };
  }

  async dispose(): Promise<void> {
    // Nothing held.
  }
}
