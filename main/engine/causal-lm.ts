/**
 * A decoder-only language model (draft or target) that writes one reasoning step at a time.
 *
 * The shared context is text: draft and target may tokenize differently. Each call syncs this
 * model's KV cache to the context it is given — the longest common prefix of cached ids and the
 * context's ids is kept, anything after it is rolled back, and only the new tokens are prefilled.
 * That one rule covers a step this model wrote, a step the other model wrote (prefilled), and a
 * discarded draft step (rolled back); and because the whole context is tokenized, ids at a step
 * boundary are exactly those of tokenizing the whole context.
 */
import { performance } from "node:perf_hooks";
import { WorkbenchError } from "../../shared/errors.ts";
import { createRng, hashSeed } from "../../shared/stats/random.ts";
import type { DecodingSettings, ResolvedDecoding } from "./decoding.ts";
import { checkAndResolveDecoding, eosTokenIds } from "./decoding.ts";
import type { CausalLmSignature } from "./graph-check.ts";
import { checkCausalLmGraph } from "./graph-check.ts";
import { CallQueue } from "./call-queue.ts";
import { commonPrefix } from "./common-prefix.ts";
import { KvCache } from "./kv-cache.ts";
import type { FolderOptions, ModelFolder } from "./model-folder.ts";
import { contextLength, readModelFolder } from "./model-folder.ts";
import type { ExecutionProvider, SessionHandle, SessionOptions, Tensor } from "./ort.ts";
import { createSession, int64Tensor, makeTensor, releaseSession, runSession, sessionInputs, sessionOutputs } from "./ort.ts";
import { pickToken } from "./sampling.ts";
import { StepText } from "./step-stop.ts";
import { promptSpecialTokens, TextTokenizer, type PromptSpecialTokens } from "./tokenizer.ts";

export interface CausalLmOptions extends FolderOptions, SessionOptions {
  /**
   * Whether a context gets the special tokens the tokenizer puts before a text (BOS), unless it
   * already begins with them. Default true, as Hugging Face's `tokenizer(text)` (tokenizer.ts).
   */
  addSpecialTokens?: boolean;
  /** Recompute the whole context on every forward pass instead of reusing the cache (reference runs, tests). */
  reuseCache?: boolean;
  /** Let onnxruntime write the presents into the cache's own buffers (default true; false: it allocates them per run, for comparison). */
  preallocateCache?: boolean;
}

/** What was detected about a model: plain data for reports, run provenance and the app. */
export interface CausalLmInfo {
  dir: string;
  onnxPath: string;
  onnxFiles: string[];
  architecture: string;
  layers: number;
  kvHeads: number;
  headDim: number;
  kvType: "float32" | "float16";
  vocabSize: number;
  tokenizerVocabSize: number;
  contextLength: number;
  hasPositionIds: boolean;
  eosTokenIds: number[];
  hasChatTemplate: boolean;
  /** How prompts get special tokens (BOS), and why. */
  specialTokens: PromptSpecialTokens;
  provider: ExecutionProvider;
  providerFallback?: string;
}

export type StopReason = "stop" | "eos" | "max-tokens" | "context-full";

export interface StepRequest {
  /** The whole context so far: prompt plus accepted steps and their delimiters. */
  context: string;
  /** Stop strings; the step ends before the first one. Default ["\n\n"]. */
  stop?: string[];
  /** Most tokens this step may have. Default 256. */
  maxTokens?: number;
  decoding?: DecodingSettings;
  signal?: AbortSignal;
}

export interface StepTimings {
  tokenizeMs: number;
  prefillMs: number;
  prefillTokens: number;
  decodeMs: number;
  decodeTokens: number;
  totalMs: number;
}

export interface StepOutput {
  /** The step's text, up to (not including) the stop string. */
  text: string;
  stopReason: StopReason;
  stop: string | null;
  /** Generated ids, including the one that completed the stop string (not an EOS). */
  tokenIds: number[];
  /**
   * How many of tokenIds were fed through the model, so the KV cache now holds the context's ids
   * followed by tokenIds[0, fed). The last sampled token is only fed if generation went on past it.
   */
  fed: number;
  logprobs: number[];
  entropies: number[];
  timings: StepTimings;
  decoding: ResolvedDecoding;
}

function now(): number {
  return performance.now();
}

export class CausalLM {
  readonly info: CausalLmInfo;
  readonly tokenizer: TextTokenizer;
  private readonly folder: ModelFolder;
  private readonly handle: SessionHandle;
  private readonly sig: CausalLmSignature;
  private readonly cache: KvCache;
  private readonly specialTokens: PromptSpecialTokens;
  private readonly reuseCache: boolean;
  private readonly eos: Set<number>;
  private cachedIds: number[] = [];
  private disposed = false;
  // Buffers reused across decode steps: one-token ids/positions and a long run of mask ones.
  private readonly oneId = new BigInt64Array(1);
  private readonly onePos = new BigInt64Array(1);
  private maskOnes = new BigInt64Array(0);
  private preallocate = true;
  private readonly calls = new CallQueue();
  private logitsBuffer: Float32Array | Uint16Array | null = null;
  private lastContext = "";
  private lastContextIds: number[] = [];

  private constructor(folder: ModelFolder, handle: SessionHandle, sig: CausalLmSignature, tokenizer: TextTokenizer, opts: CausalLmOptions) {
    this.folder = folder;
    this.handle = handle;
    this.sig = sig;
    this.tokenizer = tokenizer;
    this.cache = new KvCache(sig);
    this.specialTokens = promptSpecialTokens(tokenizer, opts.addSpecialTokens);
    this.reuseCache = opts.reuseCache ?? true;
    this.preallocate = opts.preallocateCache ?? true;
    const ctx = contextLength(folder.config);
    const eos = eosTokenIds(folder.generationConfig, folder.config, tokenizer.specialId("eos"));
    this.eos = new Set(eos);
    const arch = folder.config["architectures"];
    this.info = {
      dir: folder.dir,
      onnxPath: folder.onnxPath,
      onnxFiles: folder.onnxFiles,
      architecture: Array.isArray(arch) && typeof arch[0] === "string" ? arch[0] : String(folder.config["model_type"] ?? "unknown"),
      layers: sig.layers,
      kvHeads: sig.kvHeads,
      headDim: sig.headDim,
      kvType: sig.kvType,
      vocabSize: sig.logitsVocab ?? tokenizer.vocabSize,
      tokenizerVocabSize: tokenizer.vocabSize,
      contextLength: ctx ?? Number.POSITIVE_INFINITY,
      hasPositionIds: sig.hasPositionIds,
      eosTokenIds: eos,
      hasChatTemplate: tokenizer.chatTemplate !== null,
      specialTokens: this.specialTokens,
      provider: handle.provider,
      ...(handle.fallbackReason ? { providerFallback: handle.fallbackReason } : {}),
    };
  }

  /** Opens a model folder, checks its graph and tokenizer, and creates the session. */
  static async load(dir: string, opts: CausalLmOptions = {}): Promise<CausalLM> {
    const folder = readModelFolder(dir, opts);
    const tokenizer = new TextTokenizer(folder.tokenizerJson, folder.tokenizerConfig);
    const handle = await createSession(folder.onnxPath, opts);
    try {
      const cfg = folder.config;
      const heads = typeof cfg["num_attention_heads"] === "number" ? cfg["num_attention_heads"] : null;
      const hidden = typeof cfg["hidden_size"] === "number" ? cfg["hidden_size"] : null;
      const sig = checkCausalLmGraph(sessionInputs(handle.session), sessionOutputs(handle.session), {
        kvHeads: typeof cfg["num_key_value_heads"] === "number" ? cfg["num_key_value_heads"] : heads,
        headDim: typeof cfg["head_dim"] === "number" ? cfg["head_dim"] : heads && hidden ? hidden / heads : null,
      });
      if (sig.logitsVocab !== null && tokenizer.vocabSize > sig.logitsVocab) {
        throw new WorkbenchError(
          "bad-tokenizer",
          `the tokenizer has ${tokenizer.vocabSize} tokens but the model's logits have ${sig.logitsVocab}: tokenizer.json does not belong to this graph`,
          { tokenizerVocab: tokenizer.vocabSize, logitsVocab: sig.logitsVocab },
        );
      }
      return new CausalLM(folder, handle, sig, tokenizer, opts);
    } catch (err) {
      await releaseSession(handle.session);
      throw err;
    }
  }

  /** The caller's settings over this model's generation_config.json, field by field. */
  resolveDecoding(settings: DecodingSettings = {}): ResolvedDecoding {
    return checkAndResolveDecoding(settings, this.folder.generationConfig);
  }

  /** Token ids of a context, as this model's tokenizer sees it. */
  encode(text: string): number[] {
    if (text === this.lastContext) return this.lastContextIds;
    const ids = this.tokenizer.encodePrompt(text, this.specialTokens.add);
    this.lastContext = text;
    this.lastContextIds = ids;
    return ids;
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text, false).length;
  }

  /** Number of positions held in the KV cache. */
  get cachedLength(): number {
    return this.cache.length;
  }

  /**
   * Where each run's presents go: the cache's preallocated buffers (the fast path), or buffers
   * onnxruntime allocates per run (after a graph refused preallocated outputs).
   */
  get cacheWrites(): "preallocated" | "per-run" {
    return this.preallocate ? "preallocated" : "per-run";
  }

  private ensureOpen(): void {
    if (this.disposed) throw new WorkbenchError("internal", `model ${this.info.dir} was used after dispose()`);
  }

  private checkLength(n: number): void {
    if (n + 1 > this.info.contextLength) {
      throw new WorkbenchError(
        "context-too-long",
        `the context is ${n} tokens but ${this.info.dir} has a context window of ${this.info.contextLength} (max_position_embeddings) and needs room for at least one new token`,
        { tokens: n, contextLength: this.info.contextLength },
      );
    }
  }

  private maskView(total: number): BigInt64Array {
    if (this.maskOnes.length < total) {
      this.maskOnes = new BigInt64Array(Math.max(total, this.maskOnes.length * 2, 256)).fill(1n);
    }
    return this.maskOnes.subarray(0, total);
  }

  /** Runs the graph on `ids` after the cached positions; returns the logits of the last position. */
  private async forward(ids: readonly number[]): Promise<{ logits: Float32Array; offset: number }> {
    const past = this.cache.length;
    const n = ids.length;
    const feeds: Record<string, Tensor> = {};
    if (n === 1) {
      this.oneId[0] = BigInt(ids[0] as number);
      feeds["input_ids"] = makeTensor("int64", this.oneId, [1, 1]);
    } else {
      feeds["input_ids"] = int64Tensor(ids, [1, n]);
    }
    feeds["attention_mask"] = makeTensor("int64", this.maskView(past + n), [1, past + n]);
    if (this.sig.hasPositionIds) {
      if (n === 1) {
        this.onePos[0] = BigInt(past);
        feeds["position_ids"] = makeTensor("int64", this.onePos, [1, 1]);
      } else {
        feeds["position_ids"] = int64Tensor(Array.from({ length: n }, (_, i) => past + i), [1, n]);
      }
    }
    if (this.sig.hasNumLogitsToKeep) feeds["num_logits_to_keep"] = int64Tensor([1], []);
    if (this.sig.hasUseCacheBranch) feeds["use_cache_branch"] = makeTensor("bool", new Uint8Array([past > 0 ? 1 : 0]), [1]);
    this.cache.addTo(feeds);
    const out = await this.run(feeds, n);
    for (const id of ids) this.cachedIds.push(id);
    const logits = out["logits"] as Tensor;
    const rows = logits.dims[1] as number;
    const vocab = logits.dims[2] as number;
    let data = logits.data as Float32Array;
    if (logits.type === "float16") data = float16ToFloat32(logits.data as Uint16Array);
    return { logits: data, offset: (rows - 1) * vocab };
  }

  /**
   * One session run that advances the cache by `n` positions. The presents (and a decode step's
   * logits) are written into preallocated buffers; a graph whose outputs can't be preallocated (an
   * unusual present layout) is run the plain way from then on.
   */
  private async run(feeds: Record<string, Tensor>, n: number): Promise<Record<string, Tensor>> {
    if (this.preallocate) {
      const fetches: Record<string, Tensor | null> = { logits: n === 1 ? this.decodeLogits() : null };
      this.cache.outputsFor(n, fetches);
      let out: Record<string, Tensor>;
      try {
        out = await runSession(this.handle.session, feeds, fetches);
      } catch {
        // Only if the plain run works was preallocation the problem; otherwise report the run's error.
        const plain = await runSession(this.handle.session, feeds);
        this.preallocate = false;
        this.cache.update(plain);
        return plain;
      }
      this.cache.commit();
      const logits = fetches["logits"];
      // The logits were written into our buffer: read them there (the returned tensor may be a copy).
      return logits ? { ...out, logits } : out;
    }
    const out = await runSession(this.handle.session, feeds);
    this.cache.update(out);
    return out;
  }

  /** The [1, 1, vocab] logits buffer reused by every decode step (null when the vocab size is symbolic). */
  private decodeLogits(): Tensor | null {
    const vocab = this.sig.logitsVocab;
    if (vocab === null) return null;
    if (!this.logitsBuffer) {
      this.logitsBuffer = this.sig.logitsType === "float16" ? new Uint16Array(vocab) : new Float32Array(vocab);
    }
    return makeTensor(this.sig.logitsType, this.logitsBuffer, [1, 1, vocab]);
  }

  /**
   * Brings the cache to `ids` minus at least its last token, then feeds the rest; returns the
   * logits for the next position and what was prefilled.
   */
  private async sync(ids: readonly number[]): Promise<{ logits: Float32Array; offset: number; prefilled: number }> {
    let keep = this.reuseCache ? commonPrefix(this.cachedIds, ids) : 0;
    if (keep >= ids.length) keep = ids.length - 1;
    this.cache.crop(keep);
    this.cachedIds.length = keep;
    const rest = ids.slice(keep);
    const r = await this.forward(rest);
    return { ...r, prefilled: rest.length };
  }

  /** Logits for the token after `context` (for checks and scoring experiments). */
  nextTokenLogits(context: string): Promise<Float32Array> {
    return this.calls.run(() => this.nextTokenLogitsNow(context));
  }

  private async nextTokenLogitsNow(context: string): Promise<Float32Array> {
    this.ensureOpen();
    const ids = this.encode(context);
    if (ids.length === 0) throw new WorkbenchError("usage", "nextTokenLogits needs a non-empty context");
    this.checkLength(ids.length);
    const r = await this.sync(ids);
    return r.logits.slice(r.offset, r.offset + this.info.vocabSize);
  }

  /** Prefills the cache up to `context` (e.g. after the other model wrote a step); returns the time it took. */
  prefill(context: string): Promise<{ ms: number; tokens: number }> {
    return this.calls.run(() => this.prefillNow(context));
  }

  private async prefillNow(context: string): Promise<{ ms: number; tokens: number }> {
    this.ensureOpen();
    const t0 = now();
    const ids = this.encode(context);
    const r = await this.prefillIdsNow(ids);
    return { ms: now() - t0, tokens: r.tokens };
  }

  /**
   * Brings the cache to exactly these ids (rolling back to the common prefix, prefilling the rest)
   * and returns the time of that sync alone — the cost a step pays before its first new token.
   */
  prefillIds(ids: readonly number[]): Promise<{ ms: number; tokens: number }> {
    return this.calls.run(() => this.prefillIdsNow(ids));
  }

  private async prefillIdsNow(ids: readonly number[]): Promise<{ ms: number; tokens: number }> {
    this.ensureOpen();
    if (ids.length === 0) return { ms: 0, tokens: 0 };
    this.checkLength(ids.length);
    const t0 = now();
    const r = await this.sync(ids);
    return { ms: now() - t0, tokens: r.prefilled };
  }

  /** Writes one step after `context`: until a stop string, an EOS, `maxTokens`, or the context window. */
  generateStep(req: StepRequest): Promise<StepOutput> {
    return this.calls.run(() => this.generateStepNow(req));
  }

  private async generateStepNow(req: StepRequest): Promise<StepOutput> {
    this.ensureOpen();
    const t0 = now();
    const decoding = this.resolveDecoding(req.decoding);
    const stops = req.stop ?? ["\n\n"];
    const maxTokens = req.maxTokens ?? 256;
    const ids = this.encode(req.context);
    if (ids.length === 0) throw new WorkbenchError("usage", "generateStep needs a non-empty context (at least the prompt)");
    this.checkLength(ids.length);
    const tTok = now();

    // Same (seed, context) -> same step, whatever this process generated before.
    const rng = decoding.temperature > 0 ? createRng(hashSeed(decoding.seed, req.context)) : null;
    const limit = Math.min(this.info.tokenizerVocabSize, this.info.vocabSize);
    const step = new StepText(this.tokenizer, stops);
    const logprobs: number[] = [];
    const entropies: number[] = [];
    const tokenIds: number[] = [];

    let { logits, offset, prefilled } = await this.sync(ids);
    const tPrefill = now();
    let decodeMs = 0;
    let decodeTokens = 0;
    let stopReason: StopReason = "max-tokens";
    let stopHit: { text: string; stop: string } | null = null;

    while (true) {
      const pick = pickToken(logits, offset, limit, decoding, rng);
      if (this.eos.has(pick.id)) {
        stopReason = "eos";
        break;
      }
      tokenIds.push(pick.id);
      logprobs.push(pick.logprob);
      entropies.push(pick.entropy);
      const hit = step.push(pick.id);
      if (hit) {
        stopReason = "stop";
        stopHit = hit;
        break;
      }
      if (tokenIds.length >= maxTokens) {
        stopReason = "max-tokens";
        break;
      }
      if (this.cache.length + 1 >= this.info.contextLength) {
        stopReason = "context-full";
        break;
      }
      if (req.signal?.aborted) throw new WorkbenchError("cancelled", "generation cancelled");
      const td = now();
      const r = this.reuseCache ? await this.forward([pick.id]) : await this.sync([...ids, ...tokenIds]);
      decodeMs += now() - td;
      decodeTokens++;
      logits = r.logits;
      offset = r.offset;
    }
    const total = now() - t0;
    return {
      text: stopHit ? stopHit.text : step.text,
      stopReason,
      stop: stopHit ? stopHit.stop : null,
      tokenIds,
      fed: stopReason === "eos" ? tokenIds.length : Math.max(0, tokenIds.length - 1),
      logprobs,
      entropies,
      decoding,
      timings: {
        tokenizeMs: tTok - t0,
        prefillMs: tPrefill - tTok,
        prefillTokens: prefilled,
        decodeMs,
        decodeTokens,
        totalMs: total,
      },
    };
  }

  /** Forgets the cache (the next call prefills from scratch). */
  reset(): void {
    this.cache.reset();
    this.cachedIds = [];
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.release();
    this.cachedIds = [];
    await releaseSession(this.handle.session);
  }
}

/** IEEE half -> single precision, for graphs whose logits are float16. */
export function float16ToFloat32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i] as number;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * 2 ** -14 * (frac / 1024);
    else if (exp === 31) out[i] = frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else out[i] = sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}
