/**
 * Text <-> token ids through @huggingface/tokenizers, and chat templates through @huggingface/jinja.
 * Draft, target and scorers may each have their own tokenizer: the engine exchanges text, never ids.
 */
import { Tokenizer } from "@huggingface/tokenizers";
import { WorkbenchError } from "../../shared/errors.ts";
import { renderChatTemplate, type ChatMessage } from "./chat-template.ts";
import type { JsonObject } from "./model-folder.ts";

export type { ChatMessage };

export interface SpecialTokens {
  bos: string | null;
  eos: string | null;
  unk: string | null;
  pad: string | null;
}

function tokenText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && typeof (v as { content?: unknown }).content === "string") {
    return (v as { content: string }).content;
  }
  return null;
}

function pickChatTemplate(cfg: JsonObject): string | null {
  const t = cfg["chat_template"];
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    // A list of named templates: the "default" one, else the first.
    const named = t as { name?: string; template?: string }[];
    const def = named.find((x) => x.name === "default") ?? named[0];
    return typeof def?.template === "string" ? def.template : null;
  }
  return null;
}

/**
 * The special tokens a tokenizer puts before a text when asked to add them — what Hugging Face's
 * `tokenizer(text)` and vLLM's text prompts get by default (BOS, for most models that have one).
 */
export interface SpecialPrefix {
  ids: number[];
  /** Their text, e.g. ["<bos>"]. */
  tokens: string[];
  /**
   * Which file says so: tokenizer.json's `post_processor`; tokenizer_config.json's `add_bos_token`,
   * which overrides the BOS part as transformers' Llama / Gemma tokenizer classes do (true adds it,
   * false removes it); or "none" when the tokenizer adds nothing before a text.
   */
  from: "post_processor" | "add_bos_token" | "none";
}

/** How one model's prompts get special tokens, as run.json records it (models.<role>.specialTokens). */
export interface PromptSpecialTokens {
  /** Whether prompts get the tokenizer's special prefix (never twice: not when a prompt begins with it). */
  add: boolean;
  /** "spec": the model's `addSpecialTokens` in the sweep spec; "default": as Hugging Face's `tokenizer(text)` and vLLM do. */
  source: "spec" | "default";
  /** The tokens the tokenizer puts before a text (empty when none) and which file says so. */
  tokens: string[];
  from: SpecialPrefix["from"];
}

function startsWith(ids: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= ids.length && prefix.every((id, i) => ids[i] === id);
}

export class TextTokenizer {
  readonly special: SpecialTokens;
  /** What this tokenizer adds before a text; `encodePrompt` adds it, once. */
  readonly specialPrefix: SpecialPrefix;
  readonly chatTemplate: string | null;
  /** One more than the largest id the tokenizer can produce (added tokens included). */
  readonly vocabSize: number;
  private readonly tok: Tokenizer;

  constructor(tokenizerJson: JsonObject, tokenizerConfig: JsonObject) {
    // The JS tokenizer reads unk/bos/eos from the config object; normalise AddedToken dicts to text.
    const cfg: JsonObject = { ...tokenizerConfig };
    for (const key of ["bos_token", "eos_token", "unk_token", "pad_token"]) {
      const text = tokenText(cfg[key]);
      if (text !== null) cfg[key] = text;
    }
    try {
      this.tok = new Tokenizer(tokenizerJson, cfg);
    } catch (err) {
      throw new WorkbenchError("bad-tokenizer", `tokenizer.json could not be loaded: ${(err as Error).message}`);
    }
    this.special = {
      bos: tokenText(cfg["bos_token"]),
      eos: tokenText(cfg["eos_token"]),
      unk: tokenText(cfg["unk_token"]),
      pad: tokenText(cfg["pad_token"]),
    };
    this.chatTemplate = pickChatTemplate(tokenizerConfig);
    let maxId = -1;
    for (const id of this.tok.get_vocab(true).values()) if (id > maxId) maxId = id;
    this.vocabSize = maxId + 1;
    this.specialPrefix = this.findSpecialPrefix(tokenizerConfig["add_bos_token"]);
  }

  /** The ids the post-processor puts before a probe text, then add_bos_token's say on the BOS. */
  private findSpecialPrefix(addBosToken: unknown): SpecialPrefix {
    let ids: number[] = [];
    for (const probe of ["a", "0", " ", "\n"]) {
      const plain = this.tok.encode(probe, { add_special_tokens: false }).ids;
      const added = this.tok.encode(probe, { add_special_tokens: true }).ids;
      if (plain.length === 0 || plain.some((id) => id === undefined || id === null)) continue;
      // Where the plain ids sit inside the added ones: what comes before them is the prefix.
      const at = added.findIndex((_, k) => startsWith(added.slice(k), plain));
      if (at >= 0) {
        ids = added.slice(0, at);
        break;
      }
    }
    let from: SpecialPrefix["from"] = ids.length > 0 ? "post_processor" : "none";
    const bos = this.specialId("bos");
    if (typeof addBosToken === "boolean" && bos !== undefined) {
      const has = ids.includes(bos);
      if (addBosToken && !has) {
        ids = [bos, ...ids];
        from = "add_bos_token";
      } else if (!addBosToken && has) {
        ids = ids.filter((id) => id !== bos);
        from = "add_bos_token";
      }
    }
    return { ids, tokens: ids.map((id) => this.tok.id_to_token(id) ?? String(id)), from };
  }

  /**
   * A prompt's (or a context's) ids with the tokenizer's special prefix when `addSpecialTokens`,
   * as `tokenizer(text)` gives them — except when the text already begins with that prefix (a chat
   * template or a custom template that writes BOS): never two BOS. Tokens the tokenizer would put
   * after a text (EOS, on the few that add one) are not added: the model continues this text.
   */
  encodePrompt(text: string, addSpecialTokens: boolean): number[] {
    const ids = this.encode(text, false);
    const prefix = this.specialPrefix.ids;
    if (!addSpecialTokens || prefix.length === 0 || startsWith(ids, prefix)) return ids;
    return [...prefix, ...ids];
  }

  /** Whether `encodePrompt(text, true)` adds the prefix to this text (it does not already begin with it). */
  addsPrefixTo(text: string): boolean {
    const prefix = this.specialPrefix.ids;
    return prefix.length > 0 && !startsWith(this.encode(text, false), prefix);
  }

  /** Special tokens are not added unless asked: prompts carry them explicitly (chat templates do). */
  encode(text: string, addSpecialTokens = false): number[] {
    const ids = this.tok.encode(text, { add_special_tokens: addSpecialTokens }).ids;
    for (const id of ids) {
      if (id === undefined || id === null) {
        throw new WorkbenchError("bad-tokenizer", `the tokenizer produced no id for part of ${JSON.stringify(text.slice(0, 40))} (no unk_token configured?)`);
      }
    }
    return ids;
  }

  decode(ids: readonly number[], skipSpecialTokens = false): string {
    if (ids.length === 0) return "";
    return this.tok.decode(ids as number[], { skip_special_tokens: skipSpecialTokens, clean_up_tokenization_spaces: false });
  }

  tokenToId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  /** The id of a special token's text, if the tokenizer has it. */
  specialId(which: keyof SpecialTokens): number | undefined {
    const text = this.special[which];
    return text === null ? undefined : this.tok.token_to_id(text);
  }

  applyChatTemplate(messages: ChatMessage[], opts: { addGenerationPrompt?: boolean; extra?: JsonObject } = {}): string {
    if (this.chatTemplate === null) {
      throw new WorkbenchError("bad-tokenizer", "this model's tokenizer_config.json has no chat_template; choose another prompt template");
    }
    return renderChatTemplate(this.chatTemplate, messages, this.specialTokenVars(), opts.extra ?? {}, opts.addGenerationPrompt ?? true);
  }

  /** bos_token, eos_token, … as a chat template expects them. */
  specialTokenVars(): Record<string, string> {
    const vars: Record<string, string> = {};
    if (this.special.bos !== null) vars["bos_token"] = this.special.bos;
    if (this.special.eos !== null) vars["eos_token"] = this.special.eos;
    if (this.special.unk !== null) vars["unk_token"] = this.special.unk;
    if (this.special.pad !== null) vars["pad_token"] = this.special.pad;
    return vars;
  }
}

/** A model's rule for its prompts: the spec's `addSpecialTokens` when given, else add (the default everywhere else). */
export function promptSpecialTokens(tokenizer: TextTokenizer, fromSpec: boolean | null | undefined): PromptSpecialTokens {
  const spec = typeof fromSpec === "boolean";
  return { add: spec ? fromSpec : true, source: spec ? "spec" : "default", tokens: [...tokenizer.specialPrefix.tokens], from: tokenizer.specialPrefix.from };
}
