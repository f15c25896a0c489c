/**
 * Decoding settings. Models' generation_config.json often switches sampling on (temperature 0.7,
 * top_p 0.8, …) while RSD and Arbitrage run greedy, so the caller's settings always win, field by
 * field, and the resolved values say where each one came from so a run can store them.
 */
import { z } from "zod";
import { WorkbenchError } from "../../shared/errors.ts";
import type { JsonObject } from "./model-folder.ts";

export const DecodingSchema = z.strictObject({
  /** 0 = greedy. */
  temperature: z.number().min(0).optional(),
  topP: z.number().gt(0).max(1).optional(),
  /** 0 = off. */
  topK: z.number().int().min(0).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});
export type DecodingSettings = z.infer<typeof DecodingSchema>;

export type SettingSource = "caller" | "generation_config" | "default";

export interface ResolvedDecoding {
  temperature: number;
  topP: number;
  topK: number;
  seed: number;
  sources: { temperature: SettingSource; topP: SettingSource; topK: SettingSource; seed: SettingSource };
}

const DEFAULTS = { temperature: 0, topP: 1, topK: 0, seed: 0 };

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Validates the caller's settings (unknown keys are errors) and resolves them over the file's. */
export function checkAndResolveDecoding(settings: unknown, generationConfig: JsonObject | null): ResolvedDecoding {
  const parsed = DecodingSchema.safeParse(settings ?? {});
  if (!parsed.success) {
    throw new WorkbenchError("bad-config", `invalid decoding settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return resolveDecoding(parsed.data, generationConfig);
}

export function resolveDecoding(caller: DecodingSettings, generationConfig: JsonObject | null): ResolvedDecoding {
  const gc = generationConfig ?? {};
  // do_sample: false means greedy whatever temperature the file also lists.
  const sampling = gc["do_sample"] === true;
  const fromFile = {
    temperature: sampling ? (num(gc["temperature"]) ?? 1) : gc["do_sample"] === false ? 0 : undefined,
    topP: sampling ? num(gc["top_p"]) : undefined,
    topK: sampling ? num(gc["top_k"]) : undefined,
    seed: undefined as number | undefined,
  };
  const out = { sources: {} } as ResolvedDecoding;
  for (const key of ["temperature", "topP", "topK", "seed"] as const) {
    const c = caller[key];
    const f = fromFile[key];
    if (c !== undefined) {
      out[key] = c;
      out.sources[key] = "caller";
    } else if (f !== undefined) {
      out[key] = f;
      out.sources[key] = "generation_config";
    } else {
      out[key] = DEFAULTS[key];
      out.sources[key] = "default";
    }
  }
  return out;
}

/** EOS ids: generation_config.json, else config.json (either may hold a list), else the tokenizer's. */
export function eosTokenIds(generationConfig: JsonObject | null, config: JsonObject, tokenizerEos: number | undefined): number[] {
  for (const source of [generationConfig, config]) {
    const v = source?.["eos_token_id"];
    if (typeof v === "number") return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === "number")) return v as number[];
  }
  return tokenizerEos === undefined ? [] : [tokenizerEos];
}
