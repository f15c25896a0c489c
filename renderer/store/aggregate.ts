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
import { ALL_ARBITRAGE, DISAGREE_LIST, wrongList, type IdListRow, type RouterScatterRow, type RunAggregates, type RunRow, type WorkbenchDb } from "./schema.ts";
import { yieldToEventLoop } from "./yield.ts";

function routerName(run: RunRow): string {
  const models = (run.meta.resolved as { models?: { router?: { path?: string } | null } } | undefined)?.models;
  const path = models?.router?.path;
  return typeof path === "string" ? (path.split(/[\\/]/).filter(Boolean).pop() ?? path) : "router";
}

/** What aggregateRun stored: the run's aggregates row and its run-wide scatter (null without one). */
export type AggregateResult = RunAggregates & { routerScatter: RouterScatterData | null };

export async function aggregateRun(db: WorkbenchDb, runId: string): Promise<AggregateResult> {
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
    const all = pairs.length >= 2 ? routerScatter(pairs, tag, { configs: sources }) : null;
    const disagree = [...agreement].filter(([, o]) => o === 3).map(([id]) => id);
    const aggregates: RunAggregates = {
      state: "ready",
      routerSteps: all?.n ?? null,
      disagreeCount: disagree.length,
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
    // The scatters and id lists in their own tables; the run's and configurations' rows, which
    // live queries read again on every change, get only their sizes. One transaction: a screen
    // that sees the analysis ready finds its scatters.
    const scatters: RouterScatterRow[] = Object.entries(byConfig).map(([configId, data]) => ({ runId, configId, data }));
    if (all !== null) scatters.push({ runId, configId: ALL_ARBITRAGE, data: all });
    const lists: IdListRow[] = [{ runId, list: DISAGREE_LIST, ids: disagree }, ...configs.map((c) => ({ runId, list: wrongList(c.configId), ids: wrongIds.get(c.configId) ?? [] }))];
    await db.transaction("rw", [db.runs, db.configs, db.routerScatters, db.idLists], async () => {
      await db.routerScatters.where("runId").equals(runId).delete();
      await db.idLists.where("runId").equals(runId).delete();
      await db.routerScatters.bulkPut(scatters);
      await db.idLists.bulkPut(lists);
      await db.configs.bulkPut(
        configs.map((c, i) => {
          const row = { ...c, wrongCount: wrongIds.get(c.configId)?.length ?? 0 };
          if (run.summary === null) row.summary = summaries[i] ?? null;
          const own = byConfig[c.configId];
          if (own) row.routerSteps = own.n;
          else delete row.routerSteps;
          return row;
        }),
      );
      await db.runs.update(runId, patch);
    });
    return { ...aggregates, routerScatter: all };
  } catch (err) {
    const aggregates: RunAggregates = { state: "failed", routerSteps: null, routerNote: null, error: err instanceof Error ? err.message : String(err) };
    await db.runs.update(runId, { aggregates });
    return { ...aggregates, routerScatter: null };
  }
}
