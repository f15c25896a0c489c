/**
 * What a run's journal.jsonl holds and how its lines are read: one record per finished
 * (configuration, problem), and the rule that a failed server call is retried on resume.
 */
import type { ProblemRecord } from "../../shared/results.ts";
import type { GenerateRow } from "../speculation/step-loop.ts";

/** A journal line: a finished (configuration, problem), with its router-data rows for `generate`. */
export interface JournalEntry {
  record: ProblemRecord;
  rows?: GenerateRow[];
}

export function doneKey(configId: string, problemId: string): string {
  return `${configId}\u0000${problemId}`;
}

/**
 * The journal's records, one per (configuration, problem). A pair that failed because a server
 * could not be reached or answered with an error ("backend") is left out when resuming — it is
 * run again — and a later record for a pair supersedes such a failure (the journal is append-only,
 * so the failure's line stays in the file before it). Other readers of journal.jsonl (reports,
 * the app) call it with `resume: false` to see one record per pair.
 */
export function journalRecords(all: readonly JournalEntry[], resume: boolean): { entries: JournalEntry[]; retrying: number } {
  const isServerFailure = (e: JournalEntry) => e.record.error?.kind === "backend";
  const byKey = new Map<string, JournalEntry>();
  for (const e of all) {
    const key = doneKey(e.record.config.id, e.record.problemId);
    const prev = byKey.get(key);
    if (!prev || isServerFailure(prev)) byKey.set(key, e);
  }
  const latest = [...byKey.values()];
  const entries = resume ? latest.filter((e) => !isServerFailure(e)) : latest;
  return { entries, retrying: latest.length - entries.length };
}
