/** app.info: what the renderer needs to know about where it runs. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { MethodOutput } from "../../shared/api/contracts.ts";
import type { ApiContext } from "./context.ts";

let providers: Promise<string[]> | null = null;

/** onnxruntime-node's execution providers; loaded once, lazily (listing them loads the native module). */
function executionProviders(): Promise<string[]> {
  providers ??= import("../engine/ort.ts").then(
    (ort) => ort.availableProviders(),
    () => [], // onnxruntime-node cannot load here: no provider works, sweeps will say why
  );
  return providers;
}

export function demoPaths(assetsDir: string) {
  const model = (name: string) => join(assetsDir, "models", name);
  return {
    models: { draft: model("demo-draft"), target: model("demo-target"), prm: model("demo-prm"), router: model("demo-router") },
    dataset: join(assetsDir, "datasets", "arith-steps", "test.jsonl"),
  };
}

export async function appInfo(ctx: ApiContext): Promise<MethodOutput<"app.info">> {
  const paths = demoPaths(ctx.assetsDir);
  const missing = [...Object.values(paths.models).map((m) => join(m, "config.json")), paths.dataset].filter((p) => !existsSync(p));
  // The demo command's spec, with the paths of this installation (the packaged app's assets live
  // outside the asar, elsewhere than the CLI's source tree).
  const { demoSpec, DEMO_PROBLEMS } = await import("../cli/commands/demo.ts");
  const base = demoSpec(DEMO_PROBLEMS, join(ctx.runsDir, "demo"));
  const { out: _out, ...rest } = base;
  const spec = { ...rest, models: paths.models, dataset: { ...base.dataset, path: paths.dataset } };
  return {
    version: ctx.version,
    shell: ctx.shell,
    platform: `${process.platform}-${process.arch}`,
    executionProviders: await executionProviders(),
    runsDir: ctx.runsDir,
    demo: { available: missing.length === 0, missing, models: paths.models, dataset: paths.dataset, spec },
  };
}
