/** An ONNX router (a StepScorer folder) behind the RouterModel interface. */
import { basename, resolve } from "node:path";
import { WorkbenchError } from "../../shared/errors.ts";
import { StepScorer } from "../engine/scorer.ts";
import type { RouterInput } from "./router-input.ts";
import type { RouterModel } from "./router-input.ts";

export class OnnxRouter implements RouterModel {
  readonly kind = "onnx" as const;
  readonly name: string;
  readonly scorer: StepScorer;

  constructor(scorer: StepScorer, name: string) {
    this.scorer = scorer;
    this.name = name;
  }

  async score(input: RouterInput): Promise<{ score: number; ms: number }> {
    // The candidate is the last step; a step scorer reads the router's score at the last position.
    const r = await this.scorer.score(input.question, input.steps, { sources: input.sources });
    return { score: r.score, ms: r.ms };
  }

  async dispose(): Promise<void> {
    await this.scorer.dispose();
  }
}

export async function loadOnnxRouter(dir: string, opts: { name?: string; intraOpThreads?: number } = {}): Promise<OnnxRouter> {
  const scorer = await StepScorer.load(dir, opts.intraOpThreads === undefined ? {} : { intraOpThreads: opts.intraOpThreads });
  if (scorer.info.scorer.convention !== "arbitrage-router") {
    // A PRM would load and score, but its number means "this step is right", not "the target would
    // do better": evaluating it as a router is a mistake worth stopping.
    await scorer.dispose();
    throw new WorkbenchError(
      "bad-model",
      `${dir} is a "${scorer.info.scorer.convention}" scorer, not a router: a router's config.json declares "step_scorer": {"convention": "arbitrage-router"}`,
    );
  }
  return new OnnxRouter(scorer, opts.name ?? basename(resolve(dir)));
}
