/**
 * The local half of a remote model: a folder with its tokenizer (tokenizer.json,
 * tokenizer_config.json) and, when present, config.json and generation_config.json — the Hugging
 * Face layout without the weights. The engine's folder reader insists on an ONNX graph; a remote
 * model has none, so this reads just these files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { WorkbenchError } from "../../../shared/errors.ts";
import type { JsonObject } from "../../engine/model-folder.ts";
import { TextTokenizer } from "../../engine/tokenizer.ts";

export interface TokenizerFolder {
  dir: string;
  tokenizer: TextTokenizer;
  config: JsonObject | null;
  generationConfig: JsonObject | null;
  /** The files read, for provenance hashes (never the weights next to them). */
  files: string[];
}

function readJson(path: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new WorkbenchError("bad-model", `${what} at ${path} is not readable JSON: ${(err as Error).message}`, { path });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WorkbenchError("bad-model", `${what} at ${path} should be a JSON object, found ${Array.isArray(value) ? "an array" : typeof value}`, { path });
  }
  return value as JsonObject;
}

/** Reads a tokenizer folder; `needConfig` makes config.json required (scorers declare step_scorer there). */
export function readTokenizerFolder(dirIn: string, opts: { needConfig: boolean; role: string }): TokenizerFolder {
  const dir = resolve(dirIn);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new WorkbenchError("missing-file", `the ${opts.role} model's tokenizer folder ${dir} does not exist (expected tokenizer.json and tokenizer_config.json${opts.needConfig ? " and config.json" : ""})`, { dir });
  }
  const required = ["tokenizer.json", "tokenizer_config.json", ...(opts.needConfig ? ["config.json"] : [])];
  const missing = required.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new WorkbenchError("missing-file", `the ${opts.role} model's tokenizer folder ${dir} is missing ${missing.join(", ")}; it contains: ${readdirSync(dir).sort().join(", ") || "nothing"}`, { dir, missing });
  }
  const files = [join(dir, "tokenizer.json"), join(dir, "tokenizer_config.json")];
  const optional = (name: string, what: string): JsonObject | null => {
    const p = join(dir, name);
    if (!existsSync(p)) return null;
    files.push(p);
    return readJson(p, what);
  };
  const config = optional("config.json", "config.json");
  const generationConfig = optional("generation_config.json", "generation_config.json");
  const tokenizer = new TextTokenizer(readJson(join(dir, "tokenizer.json"), "tokenizer.json"), readJson(join(dir, "tokenizer_config.json"), "tokenizer_config.json"));
  return { dir, tokenizer, config, generationConfig, files: files.sort() };
}
