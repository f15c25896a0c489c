/**
 * What a sweep that lost problems says about them. A (configuration, problem) pair whose model
 * call failed on a server (error kind "backend": down, refusing, answering errors after every
 * retry) is recorded as an error so the sweep goes on, and `--resume` runs it again
 * (journal-records.ts). Until then the run is not complete, whatever its table shows: summary.json
 * says `complete: false` and counts errors per kind, the CLI ends with its own exit code and a
 * line saying what to do, and the app shows the same. Other error kinds (a prompt longer than the
 * model's window, …) are outcomes of the problem: resuming would only repeat them.
 */
import type { ProblemRecord } from "../../shared/results.ts";

/** The error kind a --resume retries. */
export const RETRIED_KIND = "backend";

export interface FailedProblems {
  /** Distinct problems with at least one pair that failed on a server (and would be retried). */
  problems: number;
  /** Problems in the slice. */
  of: number;
  /** Pairs that failed on a server: what a --resume runs again. */
  pairs: number;
  /** Records with an error, by error kind (every kind). */
  byKind: Record<string, number>;
}

export function countFailedProblems(records: readonly ProblemRecord[], problemsInSlice: number): FailedProblems {
  const byKind: Record<string, number> = {};
  const problems = new Set<string>();
  let pairs = 0;
  for (const r of records) {
    if (!r.error) continue;
    byKind[r.error.kind] = (byKind[r.error.kind] ?? 0) + 1;
    if (r.error.kind === RETRIED_KIND) {
      pairs++;
      problems.add(r.problemId);
    }
  }
  return { problems: problems.size, of: problemsInSlice, pairs, byKind };
}

/** The CLI's last line for a sweep with failed problems, or null when none failed. */
export function failedProblemsLine(f: FailedProblems): string | null {
  if (f.pairs === 0) return null;
  return `${f.problems} of ${f.of} problems failed (${RETRIED_KIND}): run again with --resume to retry them`;
}
