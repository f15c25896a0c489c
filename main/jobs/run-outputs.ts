/**
 * The files a finished (or stopped) sweep leaves for people and other programs: summary.json,
 * results.csv (one row per configuration), matched-accuracy.csv (the headline and its curve with
 * their intervals), steps.jsonl (one line per step) and, for `generate`,
 * router-data.jsonl (docs/router-data.md), optionally class-balanced.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SweepSummary } from "../../shared/results.ts";
import { toCsv } from "../../shared/csv.ts";
import { arbitrageView, describeHeadline, oracleView } from "../../shared/metrics/headline-text.ts";
import { wilsonInterval } from "../../shared/stats/wilson.ts";
import { createRng, hashSeed, shuffle } from "../../shared/stats/random.ts";
import type { ResolvedSpec } from "../speculation/sweep-spec.ts";
import { writeJsonAtomic } from "./run-folder.ts";
import type { JournalEntry } from "./journal-records.ts";

export async function writeRunOutputs(
  out: string,
  spec: ResolvedSpec,
  summary: SweepSummary,
  entries: JournalEntry[],
  /**
   * `complete`: every pair ran and none waits for a retry; `errors`: records with an error, by
   * kind (failed-problems.ts).
   */
  state: { complete: boolean; errors: Record<string, number> },
  questions: ReadonlyMap<string, string>,
): Promise<void> {
  await writeJsonAtomic(join(out, "summary.json"), { ...summary, complete: state.complete, errors: state.errors });
  const columns = [
    "method", "threshold", "problems", "errors", "accuracy", "accuracy_ci95_lo", "accuracy_ci95_hi", "accuracy_strict", "acceptance_rate", "target_step_share",
    "latency_ms_mean", "latency_ms_draft", "latency_ms_target", "latency_ms_prm", "latency_ms_router", "latency_ms_overhead",
    "tokens_draft_accepted", "tokens_draft_discarded", "tokens_target", "tokens_per_second", "mean_steps",
  ];
  const rows = summary.runs.map((r) => {
    const ci = wilsonInterval(Math.round(r.accuracy * r.problems), r.problems);
    return {
      method: r.method,
      threshold: r.threshold,
      problems: r.problems,
      errors: r.errors,
      accuracy: r.accuracy,
      accuracy_ci95_lo: ci?.[0] ?? null,
      accuracy_ci95_hi: ci?.[1] ?? null,
      accuracy_strict: r.accuracyStrict,
      acceptance_rate: r.acceptanceRate,
      target_step_share: r.targetStepShare,
      latency_ms_mean: r.latencyMs.mean,
      latency_ms_draft: r.latencyMs.draft,
      latency_ms_target: r.latencyMs.target,
      latency_ms_prm: r.latencyMs.prm,
      latency_ms_router: r.latencyMs.router,
      latency_ms_overhead: r.latencyMs.overhead,
      tokens_draft_accepted: r.tokens.draftAccepted,
      tokens_draft_discarded: r.tokens.draftDiscarded,
      tokens_target: r.tokens.target,
      tokens_per_second: r.tokensPerSecond,
      mean_steps: r.meanSteps,
    };
  });
  writeFileSync(join(out, "results.csv"), toCsv(rows, columns));
  writeFileSync(join(out, "matched-accuracy.csv"), matchedAccuracyCsv(summary));
  const ordered = [...entries].sort(
    (a, b) => spec.configurations.findIndex((c) => c.id === a.record.config.id) - spec.configurations.findIndex((c) => c.id === b.record.config.id) || (a.record.problemId < b.record.problemId ? -1 : a.record.problemId > b.record.problemId ? 1 : 0),
  );
  const stepLines: string[] = [];
  for (const { record: r } of ordered) {
    for (const s of r.steps) {
      stepLines.push(JSON.stringify({ config: r.config.id, method: r.config.method, threshold: r.config.threshold, problem_id: r.problemId, ...s }));
    }
  }
  writeFileSync(join(out, "steps.jsonl"), stepLines.length ? `${stepLines.join("\n")}\n` : "");
  const gen = ordered.filter((e) => e.rows && e.rows.length > 0);
  if (gen.length > 0) {
    const all = gen.flatMap((e) =>
      (e.rows ?? []).map((row) => ({
        problem_id: e.record.problemId,
        data_name: spec.name,
        question: questions.get(e.record.problemId) ?? "",
        level: e.record.level,
        ...row,
      })),
    );
    let kept = all;
    if (spec.generate.downsample) {
      writeFileSync(join(out, "router-data.all.jsonl"), all.map((r) => JSON.stringify(r)).join("\n") + "\n");
      kept = downsample(all, spec.generate.seed);
    }
    writeFileSync(join(out, "router-data.jsonl"), kept.map((r) => JSON.stringify(r)).join("\n") + "\n");
  }
}

/**
 * matched-accuracy.csv: the headline of each candidate over RSD (a "headline" row with its sentence)
 * and its curve ("curve" rows), with 95 % bootstrap intervals. Empty but for the header when the run
 * has no RSD or no Arbitrage.
 */
export function matchedAccuracyCsv(summary: SweepSummary): string {
  const columns = ["candidate", "row", "accuracy", "speedup", "speedup_ci95_lo", "speedup_ci95_hi", "accuracy_ci95_lo", "accuracy_ci95_hi", "rsd_ms", "candidate_ms", "problems", "resamples", "statement"];
  const rows: Record<string, string | number | null>[] = [];
  const add = (candidate: string, m: SweepSummary["matchedAccuracy"] | SweepSummary["oracleMatchedAccuracy"], candidateMs: number, statement: string) => {
    if (m === null) return;
    rows.push({
      candidate, row: "headline", accuracy: m.accuracy, speedup: m.speedup, speedup_ci95_lo: m.ci95?.[0] ?? null, speedup_ci95_hi: m.ci95?.[1] ?? null,
      accuracy_ci95_lo: m.accuracyCi95?.[0] ?? null, accuracy_ci95_hi: m.accuracyCi95?.[1] ?? null, rsd_ms: m.rsdMs, candidate_ms: candidateMs, problems: m.problems, resamples: m.resamples, statement,
    });
    for (const p of m.curve) {
      rows.push({ candidate, row: "curve", accuracy: p.accuracy, speedup: p.speedup, speedup_ci95_lo: p.ci95?.[0] ?? null, speedup_ci95_hi: p.ci95?.[1] ?? null, problems: m.problems, resamples: m.resamples });
    }
  };
  if (summary.matchedAccuracy) add("arbitrage", summary.matchedAccuracy, summary.matchedAccuracy.arbitrageMs, describeHeadline(arbitrageView(summary.matchedAccuracy)));
  if (summary.oracleMatchedAccuracy) add("oracle", summary.oracleMatchedAccuracy, summary.oracleMatchedAccuracy.oracleMs, describeHeadline(oracleView(summary.oracleMatchedAccuracy)));
  return toCsv(rows, columns);
}

/** Class-balanced downsampling: as many label-0 rows as label-1 rows (or the reverse), seeded. */
export function downsample<R extends { label: 0 | 1 }>(rows: R[], seed: number): R[] {
  const pos = rows.filter((r) => r.label === 1);
  const neg = rows.filter((r) => r.label === 0);
  const n = Math.min(pos.length, neg.length);
  const rng = createRng(hashSeed("downsample", seed));
  const keep = new Set<R>([...shuffle(rng, pos).slice(0, n), ...shuffle(rng, neg).slice(0, n)]);
  return rows.filter((r) => keep.has(r));
}

