/** Reads and deletes: what the screens ask the store. */
import Dexie from "dexie";
import type { ConfigSummary, ProblemRecord } from "../../shared/results.ts";
import type { RunSummaries } from "../../shared/plots/run-input.ts";
import type { ConfigRow, ProblemRow, RunRow, StepRow, WorkbenchDb } from "./schema.ts";

/** Deletes a run and every row of it, in one transaction (all or nothing). */
export async function deleteRun(db: WorkbenchDb, runId: string): Promise<void> {
  await db.transaction("rw", [db.runs, db.configs, db.problems, db.steps], async () => {
    await db.steps.where("runId").equals(runId).delete();
    await db.problems.where("runId").equals(runId).delete();
    await db.configs.where("runId").equals(runId).delete();
    await db.runs.delete(runId);
  });
}

/** Newest first (by start time, then import time). */
export async function listRuns(db: WorkbenchDb): Promise<RunRow[]> {
  const runs = await db.runs.toArray();
  return runs.sort((a, b) => (b.startedAt ?? b.importedAt).localeCompare(a.startedAt ?? a.importedAt));
}

export async function configRows(db: WorkbenchDb, runId: string): Promise<ConfigRow[]> {
  const rows = await db.configs.where("runId").equals(runId).toArray();
  return rows.sort((a, b) => a.order - b.order);
}

/** The run-level plots' input: the configurations' summaries in the run's order. */
export function runSummaries(run: RunRow, label = run.name): RunSummaries | null {
  if (run.summary === null) return null;
  return { runId: run.id, runLabel: label, configs: run.summary.runs as ConfigSummary[] };
}

export async function problemsOf(db: WorkbenchDb, runId: string, configId: string): Promise<ProblemRow[]> {
  return db.problems.where("[runId+configId]").equals([runId, configId]).toArray();
}

/** Every configuration's result on one problem (the v2 index). */
export async function configsOfProblem(db: WorkbenchDb, runId: string, problemId: string): Promise<ProblemRow[]> {
  return db.problems.where("[runId+problemId]").equals([runId, problemId]).toArray();
}

function stripStep(s: StepRow): ProblemRecord["steps"][number] {
  const { runId: _r, configId: _c, problemId: _p, ...step } = s;
  return step;
}

export function toRecord(p: ProblemRow, config: Pick<ConfigRow, "configId" | "method" | "threshold">, steps: StepRow[]): ProblemRecord {
  const record: ProblemRecord = {
    config: { id: config.configId, method: config.method, threshold: config.threshold },
    problemId: p.problemId,
    level: p.level,
    subject: p.subject,
    steps: steps.map(stripStep).sort((a, b) => a.index - b.index),
    completion: p.completion,
    extracted: p.extracted,
    correct: p.correct,
    correctStrict: p.correctStrict,
    stopReason: p.stopReason,
    tokens: p.tokens,
    latencyMs: p.latencyMs,
    harnessMs: p.harnessMs,
  };
  if (p.error !== null) record.error = p.error;
  return record;
}

/** One problem record, reassembled from its rows; null when the store has no such problem. */
export async function problemRecord(db: WorkbenchDb, runId: string, configId: string, problemId: string): Promise<ProblemRecord | null> {
  const [p, c] = await Promise.all([db.problems.get([runId, configId, problemId]), db.configs.get([runId, configId])]);
  if (p === undefined || c === undefined) return null;
  const steps = await db.steps
    .where("[runId+configId+problemId+index]")
    .between([runId, configId, problemId, Dexie.minKey], [runId, configId, problemId, Dexie.maxKey])
    .toArray();
  return toRecord(p, c, steps);
}

/** Every record of one configuration, reassembled (the aggregator reads a run one configuration at a time). */
export async function configRecords(db: WorkbenchDb, runId: string, config: ConfigRow): Promise<ProblemRecord[]> {
  const [problems, steps] = await Promise.all([
    problemsOf(db, runId, config.configId),
    db.steps.where("[runId+configId]").equals([runId, config.configId]).toArray(),
  ]);
  const byProblem = new Map<string, StepRow[]>();
  for (const s of steps) {
    let list = byProblem.get(s.problemId);
    if (list === undefined) byProblem.set(s.problemId, (list = []));
    list.push(s);
  }
  return problems.map((p) => toRecord(p, config, byProblem.get(p.problemId) ?? []));
}
