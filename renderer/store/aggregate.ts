/**
 * What a run needs beyond summary.json, computed from its stored rows: the router score vs oracle Δ
 * scatter (a join over every Arbitrage and oracle step, then ρ with 1000 bootstrap resamples — too
 * heavy for the UI thread on a large run) and, for a run without summary.json (interrupted before
 * the end), the per-configuration summaries. Runs in a Web Worker (aggregate-worker.ts); where none
 * is available it runs inline and yields between configurations.
 *
 * Every number comes from shared/: summarizeConfig and headlineFields (shared/metrics), the join
 * and the scatter (shared/plots), so the store shows what the CLI prints.
 */
import { headlineFields, ProblemOutcomes } from "../../shared/metrics/matched-accuracy.ts";
import { summarizeConfig } from "../../shared/metrics/summarize.ts";
import { RouterPairJoin } from "../../shared/plots/router-pairs.ts";
import { routerScatter } from "../../shared/plots/router-scatter.ts";
import type { RouterScatterData } from "../../shared/plots/types.ts";
import type { ConfigSummary, SweepSummary } from "../../shared/results.ts";
import { configRecords, configRows } from "./queries.ts";
import type { RunAggregates, RunRow, WorkbenchDb } from "./schema.ts";
import { yieldToEventLoop } from "./yield.ts";

function routerName(run: RunRow): string {
  const models = (run.meta.resolved as { models?: { router?: { path?: string } | null } } | undefined)?.models;
  const path = models?.router?.path;
  return typeof path === "string" ? (path.split(/[\\/]/).filter(Boolean).pop() ?? path) : "router";
}

export async function aggregateRun(db: WorkbenchDb, runId: string): Promise<RunAggregates> {
  const run = await db.runs.get(runId);
  if (run === undefined) throw new Error(`aggregateRun: no run ${runId} in the store`);
  try {
    const configs = await configRows(db, runId);
    const join = new RouterPairJoin();
    const summaries: ConfigSummary[] = [];
    const outcomes = new ProblemOutcomes();
    // Per problem: 1 when some configuration got it right, 2 when some got it wrong (3: they disagree).
    const agreement = new Map<string, number>();
    const wrongIds = new Map<string, string[]>();
    for (const c of configs) {
      const records = await configRecords(db, runId, c);
      wrongIds.set(c.configId, records.filter((r) => !r.correct).map((r) => r.problemId));
      for (const r of records) {
        join.add(r);
        outcomes.add(r);
        agreement.set(r.problemId, (agreement.get(r.problemId) ?? 0) | (r.correct ? 1 : 2));
      }
      if (run.summary === null) {
        records.sort((a, b) => (a.problemId < b.problemId ? -1 : 1));
        summaries.push(summarizeConfig({ id: c.configId, method: c.method, threshold: c.threshold }, records));
      }
      await yieldToEventLoop();
    }
    const pairs = join.pairs();
    const sources = join.sources();
    const tag = { runId, runLabel: run.name, source: "run-steps" as const, router: routerName(run) };
    // One scatter per Arbitrage configuration too, so the plot can show one configuration's steps;
    // with 200 bootstrap resamples (said in the plot) and 2000 points drawn, so that a large run's
    // analysis stays within seconds of the run-wide one.
    const byConfig: Record<string, RouterScatterData> = {};
    if (sources.scores.length > 1) {
      for (const configId of sources.scores) {
        const own = join.pairs(configId);
        if (own.length >= 2) byConfig[configId] = routerScatter(own, tag, { configs: { scores: [configId], deltas: sources.deltas }, resamples: 200, maxPoints: 2000 });
        await yieldToEventLoop();
      }
    }
    const aggregates: RunAggregates = {
      state: "ready",
      routerScatter: pairs.length >= 2 ? routerScatter(pairs, tag, { configs: sources }) : null,
      problemsDisagree: [...agreement].filter(([, o]) => o === 3).map(([id]) => id),
      routerNote:
        pairs.length >= 2
          ? null
          : "no router score vs Δ pairs: the run needs an Arbitrage configuration and an oracle or generate configuration that meet the same steps",
      error: null,
    };
    const patch: Partial<RunRow> = { aggregates };
    if (run.summary === null) {
      const summary: SweepSummary = {
        runs: summaries,
        ...headlineFields(summaries, outcomes),
        // The step cache's counts are only in summary.json.
        cache: { stepsComputed: 0, stepsNaive: 0 },
        problems: outcomes.problems,
      };
      patch.summary = summary;
      patch.summarySource = "computed";
    }
    // Each configuration's scatter in its own row (the run's row stays small: live queries re-read it).
    await db.configs.bulkPut(configs.map((c, i) => ({ ...c, ...(run.summary === null ? { summary: summaries[i] ?? null } : {}), ...(byConfig[c.configId] ? { routerScatter: byConfig[c.configId] } : {}), wrongIds: wrongIds.get(c.configId) ?? [] })));
    await db.runs.update(runId, patch);
    return aggregates;
  } catch (err) {
    const aggregates: RunAggregates = { state: "failed", routerScatter: null, routerNote: null, error: err instanceof Error ? err.message : String(err) };
    await db.runs.update(runId, { aggregates });
    return aggregates;
  }
}
