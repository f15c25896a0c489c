/**
 * Reads a model folder in the Hugging Face / transformers.js layout (docs/model-folders.md):
 * config.json, generation_config.json, tokenizer.json, tokenizer_config.json and an ONNX graph in
 * onnx/ or at the top. Returns plain data; nothing here runs a model.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { WorkbenchError } from "../../shared/errors.ts";

export type JsonObject = Record<string, unknown>;

export interface ModelFolder {
  dir: string;
  config: JsonObject;
  generationConfig: JsonObject | null;
  tokenizerJson: JsonObject;
  tokenizerConfig: JsonObject;
  /** The graph chosen for this load. */
  onnxPath: string;
  /** Every graph file the folder offers, relative to the folder (e.g. "onnx/model_fp16.onnx"). */
  onnxFiles: string[];
}

export interface FolderOptions {
  /** Pick `model_<variant>.onnx` (e.g. "fp16", "q4", "quantized"). */
  variant?: string;
  /** Or name the graph file explicitly, relative to the folder. */
  file?: string;
}

function readJson(path: string, what: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new WorkbenchError("missing-file", `cannot read ${what} at ${path}: ${(err as Error).message}`, { path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new WorkbenchError("bad-model", `${what} at ${path} is not valid JSON: ${(err as Error).message}`, { path });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WorkbenchError("bad-model", `${what} at ${path} should be a JSON object, found ${Array.isArray(value) ? "an array" : typeof value}`, { path });
  }
  return value as JsonObject;
}

function listOnnx(dir: string): string[] {
  const found: string[] = [];
  for (const sub of ["onnx", "."]) {
    const d = join(dir, sub);
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d).sort()) {
      if (f.endsWith(".onnx")) found.push(sub === "." ? f : `${sub}/${f}`);
    }
  }
  return found;
}

function chooseGraph(dir: string, files: string[], opts: FolderOptions): string {
  if (opts.file) {
    const p = resolve(dir, opts.file);
    if (!existsSync(p)) {
      throw new WorkbenchError("missing-file", `graph file ${opts.file} not found in ${dir}; available: ${files.join(", ") || "none"}`);
    }
    return p;
  }
  const base = opts.variant ? `model_${opts.variant}.onnx` : "model.onnx";
  for (const candidate of [`onnx/${base}`, base]) {
    if (files.includes(candidate)) return join(dir, candidate);
  }
  const what = opts.variant ? `variant "${opts.variant}" (${base})` : "onnx/model.onnx or model.onnx";
  throw new WorkbenchError("missing-file", `no ${what} in ${dir}; graph files found: ${files.join(", ") || "none"}`, {
    dir,
    available: files,
  });
}

export function readModelFolder(dirIn: string, opts: FolderOptions = {}): ModelFolder {
  const dir = resolve(dirIn);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new WorkbenchError("missing-file", `model folder ${dir} does not exist (expected a folder with config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx)`, { dir });
  }
  const required = ["config.json", "tokenizer.json", "tokenizer_config.json"];
  const missing = required.filter((f) => !existsSync(join(dir, f)));
  const onnxFiles = listOnnx(dir);
  if (onnxFiles.length === 0) missing.push("onnx/model.onnx (or model.onnx)");
  if (missing.length > 0) {
    const present = readdirSync(dir).sort();
    throw new WorkbenchError(
      "missing-file",
      `model folder ${dir} is missing ${missing.join(", ")}; it contains: ${present.join(", ") || "nothing"}`,
      { dir, missing, present },
    );
  }
  const genPath = join(dir, "generation_config.json");
  return {
    dir,
    config: readJson(join(dir, "config.json"), "config.json"),
    generationConfig: existsSync(genPath) ? readJson(genPath, "generation_config.json") : null,
    tokenizerJson: readJson(join(dir, "tokenizer.json"), "tokenizer.json"),
    tokenizerConfig: readJson(join(dir, "tokenizer_config.json"), "tokenizer_config.json"),
    onnxPath: chooseGraph(dir, onnxFiles, opts),
    onnxFiles,
  };
}

/** The model's context window from config.json, under any of the names exporters use. */
export function contextLength(config: JsonObject): number | null {
  for (const key of ["max_position_embeddings", "n_positions", "max_sequence_length", "seq_length", "n_ctx"]) {
    const v = config[key];
    if (typeof v === "number" && v > 0) return v;
  }
  return null;
}
