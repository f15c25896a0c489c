/**
 * A language model served by vLLM or SGLang, writing one step per POST /v1/completions: the whole
 * context as the prompt text, `stop` = the step delimiter(s), the run's temperature / top_p /
 * top_k / seed and every other sampling field neutral (samplingFields), `max_tokens` = the step's
 * token limit, `logprobs` for the step features, `add_special_tokens` by the model's rule. The
 * server keeps its own prefix cache, so nothing is kept here between calls.
 *
 * Timings are the client-side latency of the call (as a local model's totalMs), and the server's
 * token counts (usage) stand where a local model reports the tokens it prefilled and decoded.
 */
import { WorkbenchError } from "../../../shared/errors.ts";
import type { StepOutput, StepRequest } from "../../engine/causal-lm.ts";
import type { DecodingSettings, ResolvedDecoding } from "../../engine/decoding.ts";
import { checkAndResolveDecoding, eosTokenIds } from "../../engine/decoding.ts";
import { contextLength } from "../../engine/model-folder.ts";
import { promptSpecialTokens, type TextTokenizer } from "../../engine/tokenizer.ts";
import type { RemoteLmInfo, StepWriter } from "../types.ts";
import { HttpModelClient } from "./client.ts";
import type { ResolvedHttpSettings } from "./config.ts";
import { readApiKey } from "./config.ts";
import { readCompletion } from "./completion.ts";
import type { TokenizerFolder } from "./tokenizer-folder.ts";
import { readTokenizerFolder } from "./tokenizer-folder.ts";

/** A step from a server: the engine's StepOutput plus where it came from and the server's counts. */
export interface HttpStepOutput extends StepOutput {
  remote: {
    baseUrl: string;
    attempts: number;
    usage: { promptTokens: number | null; completionTokens: number | null; cachedTokens: number | null };
  };
}

/**
 * Every sampling field the step loop relies on, sent explicitly. vLLM (`--generation-config auto`,
 * its default) and SGLang fill a field a request leaves out from the model's generation_config.json
 * — Qwen2.5 instruct models ship repetition_penalty 1.05 — so a "greedy" step would not be greedy.
 * The penalties and min_p are neutral here (the loop has no such setting); top_k -1 means off in
 * both servers.
 */
export function samplingFields(decoding: ResolvedDecoding): Record<string, number> {
  return {
    temperature: decoding.temperature,
    top_p: decoding.topP,
    top_k: decoding.topK > 0 ? decoding.topK : -1,
    min_p: 0,
    repetition_penalty: 1,
    frequency_penalty: 0,
    presence_penalty: 0,
    seed: decoding.seed,
  };
}

export class HttpLanguageModel implements StepWriter {
  readonly info: RemoteLmInfo;
  readonly tokenizer: TextTokenizer;
  readonly client: HttpModelClient;
  /** Whether a logprobs token is EOS: a server that stops at EOS lists that token last (completion.ts). */
  private readonly isEosToken: (token: string) => boolean;

  private constructor(
    private readonly folder: TokenizerFolder,
    private readonly settings: ResolvedHttpSettings,
    apiKey: string | null,
    role: string,
  ) {
    this.tokenizer = folder.tokenizer;
    this.client = new HttpModelClient(settings, apiKey, `${role} model "${settings.model}"`);
    const cfg = folder.config ?? {};
    this.info = {
      backend: "openai-http",
      model: settings.model,
      endpoints: settings.endpoints.map((e) => e.baseUrl),
      apiKeyEnv: settings.apiKeyEnv,
      tokenizerDir: folder.dir,
      tokenizerFiles: folder.files,
      contextLength: settings.contextLength ?? contextLength(cfg) ?? Number.POSITIVE_INFINITY,
      eosTokenIds: eosTokenIds(folder.generationConfig, cfg, folder.tokenizer.specialId("eos")),
      hasChatTemplate: folder.tokenizer.chatTemplate !== null,
      specialTokens: promptSpecialTokens(folder.tokenizer, settings.addSpecialTokens),
      logprobs: settings.logprobs,
    };
    // vLLM writes the token's text, "" when special tokens are skipped in the output, or
    // "token_id:N" with --return-tokens-as-token-ids.
    const eos = new Set(["", ...this.info.eosTokenIds.flatMap((id) => [folder.tokenizer.decode([id]), `token_id:${id}`])]);
    this.isEosToken = (token) => eos.has(token);
  }

  /** Reads the tokenizer folder and the API key; contacts no server (a server that is down fails the problems that need it, not the load). */
  static async load(tokenizerDir: string, settings: ResolvedHttpSettings, role = "language"): Promise<HttpLanguageModel> {
    const folder = readTokenizerFolder(tokenizerDir, { needConfig: false, role });
    const key = readApiKey(settings, `models.${role}.http`);
    return new HttpLanguageModel(folder, settings, key, role);
  }

  resolveDecoding(settings: DecodingSettings = {}): ResolvedDecoding {
    return checkAndResolveDecoding(settings, this.folder.generationConfig);
  }

  encode(text: string): number[] {
    return this.tokenizer.encodePrompt(text, this.info.specialTokens.add);
  }

  /**
   * `add_special_tokens` for a request: the server adds the tokenizer's special prefix (as encode()
   * does here) unless the model's rule says not to or the text already begins with it.
   */
  private addsSpecialTokens(context: string): boolean {
    return this.info.specialTokens.add && this.tokenizer.addsPrefixTo(context);
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text, false).length;
  }

  async generateStep(req: StepRequest): Promise<HttpStepOutput> {
    if (req.context.length === 0) throw new WorkbenchError("usage", "generateStep needs a non-empty context (at least the prompt)");
    const decoding = this.resolveDecoding(req.decoding);
    const stops = req.stop ?? ["\n\n"];
    const wanted = req.maxTokens ?? 256;
    // vLLM refuses prompt + max_tokens beyond its window; a local model stops when the window is
    // full ("context-full"). Cutting max_tokens to the room left gives the same step and reason.
    let room = Number.POSITIVE_INFINITY;
    if (Number.isFinite(this.info.contextLength)) {
      const n = this.encode(req.context).length;
      if (n + 1 > this.info.contextLength) {
        throw new WorkbenchError(
          "context-too-long",
          `the context is ${n} tokens but "${this.settings.model}" has a context window of ${this.info.contextLength} (${this.settings.contextLength ? "http.contextLength" : `max_position_embeddings in ${this.folder.dir}/config.json`}) and needs room for at least one new token`,
          { tokens: n, contextLength: this.info.contextLength },
        );
      }
      room = this.info.contextLength - n;
    }
    const maxTokens = Math.min(wanted, room);
    const body: Record<string, unknown> = {
      model: this.settings.model,
      prompt: req.context,
      max_tokens: maxTokens,
      ...samplingFields(decoding),
      stop: stops,
      n: 1,
      stream: false,
      add_special_tokens: this.addsSpecialTokens(req.context),
    };
    if (this.settings.logprobs > 0) body["logprobs"] = this.settings.logprobs;
    const r = await this.client.post("/v1/completions", body, (json) => readCompletion(json, stops, this.isEosToken), req.signal);
    const c = r.value;
    const completion = c.usage.completionTokens ?? c.logprobs.length;
    return {
      text: c.text,
      stopReason: c.stopReason === "max-tokens" && maxTokens < wanted ? "context-full" : c.stopReason,
      stop: c.stop,
      // The server's token ids are not part of the completions format; nothing is fed locally.
      tokenIds: [],
      fed: 0,
      logprobs: c.logprobs,
      entropies: c.entropies,
      decoding,
      timings: {
        tokenizeMs: 0,
        prefillMs: 0,
        prefillTokens: Math.max(0, (c.usage.promptTokens ?? 0) - (c.usage.cachedTokens ?? 0)),
        decodeMs: r.ms,
        decodeTokens: completion,
        totalMs: r.ms,
      },
      remote: { baseUrl: r.baseUrl, attempts: r.attempts, usage: c.usage },
    };
  }

  reset(): void {
    // The server's prefix cache is the server's business.
  }

  async dispose(): Promise<void> {
    // Nothing held: fetch's keep-alive connections close on their own.
  }
}
