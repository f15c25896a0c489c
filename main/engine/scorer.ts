/**
 * A step scorer — a process reward model or an Arbitrage router. One abstraction covers the
 * conventions: a graph output (per-token value, logits, or hidden state) + a position selector
 * (each step's end, or the last position) + a small head (sigmoid, 2-class softmax, or a +/- token
 * pair), all declared in the folder's config.json under "step_scorer" (docs/model-folders.md).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { WorkbenchError } from "../../shared/errors.ts";
import type { ScorerSignature } from "./graph-check.ts";
import { checkScorerGraph } from "./graph-check.ts";
import { CallQueue } from "./call-queue.ts";
import { commonPrefix } from "./common-prefix.ts";
import { KvCache } from "./kv-cache.ts";
import type { FolderOptions, ModelFolder } from "./model-folder.ts";
import { contextLength, readModelFolder } from "./model-folder.ts";
import type { ExecutionProvider, SessionHandle, SessionOptions, Tensor } from "./ort.ts";
import { createSession, int64Tensor, releaseSession, runSession, sessionInputs, sessionOutputs } from "./ort.ts";
import type { ResolvedScorerConfig } from "./scorer-config.ts";
import { resolveScorerConfig } from "./scorer-config.ts";
import type { ScorerInput, StepSource } from "./scorer-input.ts";
import { buildScorerInput } from "./scorer-input.ts";
import { TextTokenizer } from "./tokenizer.ts";
import { float16ToFloat32 } from "./causal-lm.ts";

export type ScorerOptions = FolderOptions &
  SessionOptions & {
    /** Keep the KV cache of the last input and rerun only from the last shared step end (graphs with a past; default true). */
    reusePrefix?: boolean;
  };

export interface StepScorerInfo {
  dir: string;
  onnxPath: string;
  architecture: string;
  scorer: ResolvedScorerConfig;
  outputShape: (number | string)[];
  contextLength: number;
  provider: ExecutionProvider;
  providerFallback?: string;
}

export interface ScoreResult {
  /** One score in [0, 1] per step, read at that step's end. */
  stepScores: number[];
  /** The score a policy decides on: the last step's, or the last position's for `select: "last"`. */
  score: number;
  tokens: number;
  /** Leading positions of the input taken from the previous call's KV cache (0: the whole input ran). */
  reused: number;
  ms: number;
}

/**
 * How many leading positions of `input` a scorer can take from the cache of `held` (the previous
 * input): it restarts at the last step end the two share, so the new run begins with a delimiter
 * and every step after it is whole (a graph may summarise each step, as demo-prm does), and the
 * restart position's own output is the cached one. 0 when no step end is shared.
 */
export function reusablePrefix(held: readonly number[], input: ScorerInput): number {
  const ids = input.ids;
  const common = commonPrefix(held, ids);
  let start = 0;
  for (const p of input.stepEnds) if (p < common && p < ids.length - 1 && p > start) start = p;
  return start;
}

interface HeadWeights {
  weight: number[][];
  bias: number[];
}

function readHeadWeights(folder: ModelFolder, file: string): HeadWeights {
  const path = join(folder.dir, file);
  if (!existsSync(path)) throw new WorkbenchError("missing-file", `step_scorer.head_weights names ${file}, which is not in ${folder.dir}`);
  const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<HeadWeights>;
  const ok =
    Array.isArray(raw.weight) &&
    raw.weight.length > 0 &&
    raw.weight.every((row) => Array.isArray(row) && row.length === (raw.weight?.[0]?.length ?? -1)) &&
    Array.isArray(raw.bias) &&
    raw.bias.length === raw.weight.length;
  if (!ok) {
    throw new WorkbenchError("bad-model", `${path} should be {"weight": number[out][hidden], "bias": number[out]} with matching sizes`);
  }
  return raw as HeadWeights;
}

function softmaxAt(v: ArrayLike<number>, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i] as number);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += Math.exp((v[i] as number) - max);
  return Math.exp((v[index] as number) - max) / sum;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export class StepScorer {
  readonly info: StepScorerInfo;
  readonly tokenizer: TextTokenizer;
  private readonly cfg: ResolvedScorerConfig;
  private readonly handle: SessionHandle;
  private readonly sig: ScorerSignature;
  private readonly head: HeadWeights | null;
  private readonly pairIds: [number, number] | null;
  /** Present when the graph takes a past and outputs one row per position: the prefix cache. */
  private readonly cache: KvCache | null;
  private heldIds: number[] = [];
  private heldRows: Float32Array = new Float32Array(0);
  private readonly calls = new CallQueue();
  private disposed = false;

  private constructor(
    folder: ModelFolder,
    handle: SessionHandle,
    sig: ScorerSignature,
    tok: TextTokenizer,
    cfg: ResolvedScorerConfig,
    head: HeadWeights | null,
    reusePrefix: boolean,
  ) {
    this.handle = handle;
    this.sig = sig;
    this.tokenizer = tok;
    this.cfg = cfg;
    this.head = head;
    const arch = folder.config["architectures"];
    this.info = {
      dir: folder.dir,
      onnxPath: folder.onnxPath,
      architecture: Array.isArray(arch) && typeof arch[0] === "string" ? arch[0] : String(folder.config["model_type"] ?? "unknown"),
      scorer: cfg,
      outputShape: sig.output.shape,
      contextLength: contextLength(folder.config) ?? Number.POSITIVE_INFINITY,
      provider: handle.provider,
      ...(handle.fallbackReason ? { providerFallback: handle.fallbackReason } : {}),
    };
    const shape = sig.output.shape;
    const perPosition = shape.length === 3 || (shape.length === 2 && typeof shape[1] !== "number");
    this.cache = reusePrefix && sig.past && perPosition ? new KvCache(sig.past) : null;
    this.pairIds = null;
    if (cfg.head === "token-pair") {
      const ids = cfg.tokenPair.map((t) => {
        const enc = tok.encode(t, false);
        const id = enc[enc.length - 1];
        if (id === undefined) throw new WorkbenchError("bad-tokenizer", `token_pair entry ${JSON.stringify(t)} encodes to no token`);
        return id;
      });
      this.pairIds = [ids[0] as number, ids[1] as number];
    }
  }

  static async load(dir: string, opts: ScorerOptions = {}): Promise<StepScorer> {
    const folder = readModelFolder(dir, opts);
    const cfg = resolveScorerConfig(folder.config["step_scorer"], `${folder.dir}/config.json`);
    const tok = new TextTokenizer(folder.tokenizerJson, folder.tokenizerConfig);
    const head = cfg.headWeights ? readHeadWeights(folder, cfg.headWeights) : null;
    const handle = await createSession(folder.onnxPath, opts);
    try {
      const sig = checkScorerGraph(sessionInputs(handle.session), sessionOutputs(handle.session), cfg.output);
      StepScorer.checkHeadFits(sig, cfg, head, tok);
      return new StepScorer(folder, handle, sig, tok, cfg, head, opts.reusePrefix ?? true);
    } catch (err) {
      await releaseSession(handle.session);
      throw err;
    }
  }

  /** The output's last axis must fit the head; checked when the graph fixes it. */
  private static checkHeadFits(sig: ScorerSignature, cfg: ResolvedScorerConfig, head: HeadWeights | null, tok: TextTokenizer): void {
    const shape = sig.output.shape;
    const last = shape.length >= 3 ? shape[shape.length - 1] : shape.length === 2 ? 1 : null;
    const fixed = typeof last === "number" && last > 0 ? last : null;
    const problem = (msg: string) =>
      new WorkbenchError("bad-graph", `output "${sig.output.name}" [${shape.join(", ")}] does not fit step_scorer head "${cfg.head}": ${msg}`);
    if (head) {
      if (fixed !== null && head.weight[0]?.length !== fixed) throw problem(`head_weights expect hidden size ${head.weight[0]?.length}, the output has ${fixed}`);
      if (cfg.head === "sigmoid" && head.weight.length !== 1) throw problem("a sigmoid head needs head_weights with one output row");
      if (cfg.head === "softmax" && head.weight.length < 2) throw problem("a softmax head needs head_weights with at least two output rows");
      return;
    }
    if (fixed === null) return;
    if (cfg.head === "sigmoid" && fixed !== 1) throw problem(`a sigmoid head reads one value per position, the output has ${fixed}`);
    if (cfg.head === "softmax" && fixed < 2) throw problem("a softmax head needs at least two classes");
    if (cfg.head === "softmax" && cfg.positiveIndex >= fixed) throw problem(`positive_index ${cfg.positiveIndex} is outside ${fixed} classes`);
    if (cfg.head === "token-pair" && fixed < tok.vocabSize) throw problem(`a token-pair head reads LM logits over the vocabulary (${tok.vocabSize}), the output has ${fixed}`);
  }

  /** The value at one position, through the head, as a number in [0, 1]. */
  private readAt(data: Float32Array, width: number, pos: number): number {
    let vec: ArrayLike<number> = data.subarray(pos * width, (pos + 1) * width);
    if (this.head) {
      const h = vec;
      vec = this.head.weight.map((row, o) => {
        let acc = this.head?.bias[o] ?? 0;
        for (let j = 0; j < row.length; j++) acc += (row[j] as number) * (h[j] as number);
        return acc;
      });
    }
    let s: number;
    switch (this.cfg.head) {
      case "sigmoid":
        s = sigmoid(vec[0] as number);
        break;
      case "softmax":
        s = softmaxAt(vec, this.cfg.positiveIndex);
        break;
      case "token-pair": {
        const [a, b] = this.pairIds as [number, number];
        s = softmaxAt([vec[a] as number, vec[b] as number], this.cfg.positiveIndex);
        break;
      }
    }
    if (!Number.isFinite(s)) {
      throw new WorkbenchError("non-finite-output", `scorer ${this.info.dir} produced a non-finite score at position ${pos}`);
    }
    return s;
  }

  /** The length of the input this scorer would build, without running it. */
  inputTokens(question: string, steps: string[], opts: { sources?: StepSource[] } = {}): number {
    return this.input(question, steps, opts).ids.length;
  }

  /** The token ids (and step ends) this scorer would build for a call. */
  input(question: string, steps: string[], opts: { sources?: StepSource[] } = {}): ScorerInput {
    return buildScorerInput(this.tokenizer, this.cfg, question, steps, opts.sources);
  }

  /** Whether calls reuse the KV cache of the previous call's shared prefix (see `reusablePrefix`). */
  get reusesPrefix(): boolean {
    return this.cache !== null;
  }

  /** The ids whose cache the next call can reuse. */
  get heldInput(): readonly number[] {
    return this.heldIds;
  }

  /** Forgets the prefix cache (the next call runs its whole input). */
  reset(): void {
    this.cache?.reset();
    this.heldIds = [];
    this.heldRows = new Float32Array(0);
  }

  /**
   * Scores each step of a solution. `sources` says who wrote each step (0 draft, 1 target) for
   * routers trained with "Model 0:/1:" annotations.
   */
  score(question: string, steps: string[], opts: { sources?: StepSource[] } = {}): Promise<ScoreResult> {
    return this.calls.run(() => this.scoreNow(question, steps, opts)); // calls share the prefix cache
  }

  private async scoreNow(question: string, steps: string[], opts: { sources?: StepSource[] }): Promise<ScoreResult> {
    if (this.disposed) throw new WorkbenchError("internal", `scorer ${this.info.dir} was used after dispose()`);
    const t0 = performance.now();
    const input = this.input(question, steps, opts);
    const T = input.ids.length;
    if (T > this.info.contextLength) {
      throw new WorkbenchError("context-too-long", `the scorer's input is ${T} tokens but ${this.info.dir} has a context window of ${this.info.contextLength}`, {
        tokens: T,
        contextLength: this.info.contextLength,
      });
    }
    const start = this.cache ? reusablePrefix(this.heldIds, input) : 0;
    const n = T - start;
    const feeds: Record<string, Tensor> = {
      input_ids: int64Tensor(start === 0 ? input.ids : input.ids.slice(start), [1, n]),
      attention_mask: int64Tensor(new BigInt64Array(T).fill(1n), [1, T]),
    };
    if (this.sig.hasPositionIds) feeds["position_ids"] = int64Tensor(Array.from({ length: n }, (_, i) => start + i), [1, n]);
    if (this.sig.hasTokenTypeIds) feeds["token_type_ids"] = int64Tensor(new BigInt64Array(n), [1, n]);
    let fetches: Record<string, Tensor | null> | undefined;
    if (this.cache) {
      this.cache.crop(start); // 0: empty
      this.cache.addTo(feeds);
      fetches = { [this.cfg.output]: null };
      this.cache.outputsFor(n, fetches);
    } else if (this.sig.past) {
      new KvCache(this.sig.past).addTo(feeds);
    }
    if (this.handle.session.inputNames.includes("num_logits_to_keep")) {
      feeds["num_logits_to_keep"] = int64Tensor([0], []);
    }
    let out: Record<string, Tensor>;
    try {
      out = await runSession(this.handle.session, feeds, fetches);
    } catch (err) {
      this.reset();
      throw err;
    }
    const t = out[this.cfg.output] as Tensor;
    const chunk = t.type === "float16" ? float16ToFloat32(t.data as Uint16Array) : (t.data as Float32Array);
    // [1, C] is a sequence classifier: one row, read as the last position.
    const perPosition = t.dims.length >= 2 && t.dims[1] === n;
    const width = t.dims.length >= 3 ? (t.dims[t.dims.length - 1] as number) : perPosition ? 1 : (t.dims[1] as number);
    let data = chunk;
    if (this.cache) {
      if (!perPosition) {
        this.reset();
        throw new WorkbenchError("bad-graph", `scorer ${this.info.dir}: output "${this.cfg.output}" has ${t.dims[1]} rows for ${n} new positions`);
      }
      this.cache.commit();
      // Rows up to and including the restart position (a step end) come from the previous call; the
      // rest are new (the chunk's first row is that restart position again).
      const held = start > 0 ? start + 1 : 0;
      data = new Float32Array(T * width);
      data.set(this.heldRows.subarray(0, held * width));
      data.set(chunk.subarray((held - start) * width), held * width);
      this.heldIds = input.ids;
      this.heldRows = data;
    }
    let stepScores: number[];
    let score: number;
    if (perPosition) {
      stepScores = input.stepEnds.map((p) => this.readAt(data, width, p));
      score = this.cfg.select === "last" ? this.readAt(data, width, T - 1) : (stepScores[stepScores.length - 1] as number);
    } else {
      score = this.readAt(data, width, 0);
      stepScores = steps.map((_, k) => (k === steps.length - 1 ? score : Number.NaN));
    }
    return { stepScores, score, tokens: T, reused: start, ms: performance.now() - t0 };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cache?.release();
    this.heldIds = [];
    this.heldRows = new Float32Array(0);
    await releaseSession(this.handle.session);
  }
}
