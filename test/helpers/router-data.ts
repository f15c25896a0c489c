/**
 * Synthetic router data in the `generate` format (docs/router-data.md, draft_features spelled as
 * the step loop writes them), with a planted relation between the draft's mean log-probability
 * and the oracle label — or none, for a control.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRng, hashSeed } from "../../shared/stats/index.ts";

export interface SyntheticOptions {
  problems: number;
  stepsPerProblem: number;
  seed: number;
  /** "planted": y = 1[mean_logprob + small noise < −1]; "none": y independent of every feature. */
  signal: "planted" | "none";
  /** Share of label-0 rows whose Δ is exactly 0 (identical steps). */
  tieShare?: number;
}

export function syntheticRows(o: SyntheticOptions): Record<string, unknown>[] {
  const rng = createRng(hashSeed(o.seed, "synthetic-router-rows"));
  const rows: Record<string, unknown>[] = [];
  for (let p = 0; p < o.problems; p++) {
    const context: string[] = [];
    const sources: (0 | 1)[] = [];
    for (let s = 0; s < o.stepsPerProblem; s++) {
      const meanLogprob = -2 * rng.float();
      const noise = (rng.float() - 0.5) * 0.2;
      const y = o.signal === "planted" ? (meanLogprob + noise < -1 ? 1 : 0) : rng.float() < 0.4 ? 1 : 0;
      const prmDraft = 0.2 + 0.6 * rng.float();
      const tie = y === 0 && rng.float() < (o.tieShare ?? 0.3);
      const delta = y === 1 ? 0.05 + 0.3 * rng.float() : tie ? 0 : -(0.05 + 0.3 * rng.float());
      const draftStep = `step ${s} of problem ${p}: ${Math.round(rng.float() * 100)}`;
      rows.push({
        problem_id: `synth-${p}`,
        data_name: "synthetic",
        level: 1 + (p % 3),
        question: `Problem ${p}: what is ${p} + ${s}?`,
        step_index: s,
        context_steps: [...context],
        context_sources: [...sources],
        draft_step: draftStep,
        target_step: tie ? draftStep : `${draftStep} (target)`,
        prm_draft: prmDraft,
        prm_target: prmDraft + delta,
        delta,
        label: y,
        draft_features: {
          tokens: 5 + Math.floor(rng.float() * 30),
          meanLogprob,
          minLogprob: meanLogprob - 2 * rng.float(),
          meanEntropy: rng.float(),
        },
      });
      context.push(y === 1 ? `${draftStep} (target)` : draftStep);
      sources.push(y === 1 ? 1 : 0);
    }
  }
  return rows;
}

export function toJsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

export function writeJsonl(path: string, rows: readonly unknown[]): string {
  writeFileSync(path, toJsonl(rows));
  return path;
}

/** Path of a file under test/fixtures/router. */
export function routerFixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/router/${name}`, import.meta.url));
}
