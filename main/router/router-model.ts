/**
 * Routers as a sweep uses them: anything that turns a (context, draft step) into a score in
 * [0, 1] — escalate to the target when score >= τ. Two kinds: ONNX routers (a model folder whose
 * config.json declares an "arbitrage-router" step_scorer, the paper's recipe) and light routers
 * (a .json model file trained by `arbitrage train-router`).
 */
import { existsSync, statSync } from "node:fs";
import { WorkbenchError } from "../../shared/errors.ts";
import { loadLightRouter } from "./light-router.ts";
import { loadOnnxRouter } from "./onnx-router.ts";
import type { RouterModel } from "./router-input.ts";

export type { RouterInput, RouterModel } from "./router-input.ts";

export interface LoadRouterOptions {
  /** Name shown in reports (default: the folder name, or the file name without .json). */
  name?: string;
  /** ONNX Runtime intra-op threads for ONNX routers. */
  intraOpThreads?: number;
}

/** A folder → ONNX router; a `.json` file → light router; anything else is refused with what was expected. */
export async function loadRouter(path: string, opts: LoadRouterOptions = {}): Promise<RouterModel> {
  if (!existsSync(path)) throw new WorkbenchError("missing-file", `router not found: ${path} (expected a model folder or a light router .json file)`);
  if (statSync(path).isDirectory()) return loadOnnxRouter(path, opts);
  if (path.toLowerCase().endsWith(".json")) return loadLightRouter(path, opts.name);
  throw new WorkbenchError("bad-model", `router ${path}: expected a model folder (ONNX router) or a .json light router file, found another kind of file`);
}
