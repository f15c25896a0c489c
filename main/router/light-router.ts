/**
 * The light router as a RouterModel: a JSON model file (light-model.ts) scored in microseconds on
 * the CPU, from draft-side features only. Save and load go through the same schema, so a file
 * that loads scores exactly as the model that was saved.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";
import { WorkbenchError } from "../../shared/errors.ts";
import { featureVector } from "./light-features.ts";
import { LightRouterFileSchema, lightScore, type LightRouterFile } from "./light-model.ts";
import type { RouterInput } from "./router-input.ts";
import type { RouterModel } from "./router-input.ts";

export class LightRouter implements RouterModel {
  readonly kind = "light" as const;
  readonly name: string;
  readonly file: LightRouterFile;

  constructor(file: LightRouterFile, name: string) {
    this.file = file;
    this.name = name;
  }

  /** Synchronous scoring, for training and evaluation loops that need no await per row. */
  scoreSync(input: RouterInput): number {
    return lightScore(this.file, featureVector(input, this.file.features, this.name));
  }

  async score(input: RouterInput): Promise<{ score: number; ms: number }> {
    const t0 = performance.now();
    const score = this.scoreSync(input);
    return { score, ms: performance.now() - t0 };
  }

  async dispose(): Promise<void> {}
}

/** Validates a parsed model file; `where` names it in the error. */
export function parseLightRouterFile(raw: unknown, where: string): LightRouterFile {
  const parsed = LightRouterFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`);
    throw new WorkbenchError("bad-model", `${where} is not a light router model file (format "arbitrage-light-router", version 1): ${issues.join("; ")}`);
  }
  return parsed.data;
}

export function loadLightRouter(path: string, name = basename(path).replace(/\.json$/i, "")): LightRouter {
  if (!existsSync(path)) throw new WorkbenchError("missing-file", `light router file not found: ${path}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new WorkbenchError("bad-model", `${path} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return new LightRouter(parseLightRouterFile(raw, path), name);
}

export function saveLightRouter(path: string, file: LightRouterFile): void {
  // Validate before writing: a file this function writes always loads back.
  parseLightRouterFile(file, "the model to save");
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
