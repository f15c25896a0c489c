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

export class TextTokenizer {
  readonly special: SpecialTokens;
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
