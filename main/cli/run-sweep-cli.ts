/** What `arbitrage sweep` and `arbitrage demo` share: run a sweep with a progress bar, then print its table. */
import type { SweepOutcome, SweepRunOptions } from "../jobs/sweep.ts";
import { runSweep } from "../jobs/sweep.ts";
import { createProgress, type Progress } from "../jobs/progress.ts";
import type { ResolvedSpec } from "../speculation/sweep-spec.ts";
import { failedProblemsLine } from "../jobs/failed-problems.ts";
import type { CliIO } from "./command.ts";
import { EXIT_PROBLEMS_FAILED, write } from "./command.ts";
import { formatHeadline, formatSummaryTable } from "./summary-table.ts";

export async function runSweepWithProgress(
  spec: ResolvedSpec,
  label: string,
  io: CliIO,
  opts: Omit<SweepRunOptions, "onStart" | "onProgress" | "onLog" | "signal">,
): Promise<SweepOutcome> {
  let progress: Progress | undefined;
  const outcome = await runSweep(spec, {
    ...opts,
    signal: io.signal,
    onStart: (s) => {
      progress = createProgress({ total: s.total, initialDone: s.done, label, stream: io.stderr, isTTY: Boolean(io.stderr.isTTY) });
    },
    onProgress: (p) => progress?.update({ done: p.done, current: p.current }),
    onLog: (line) => (progress ? progress.log(line) : write(io.stderr, line)),
  });
  progress?.finish();
  write(io.stdout, formatSummaryTable(outcome.summary));
  write(io.stdout, "");
  write(io.stdout, formatHeadline(outcome.summary));
  return outcome;
}

/**
 * How a sweep command ends: 0 when complete; 130 with the resume command when it was stopped;
 * EXIT_PROBLEMS_FAILED with "N of M problems failed (backend): run again with --resume to retry
 * them" as the last line when pairs failed on a server.
 */
export function sweepExit(outcome: SweepOutcome, io: CliIO, resumeCommand: string): number {
  if (outcome.cancelled) {
    write(io.stderr, `stopped before the end: resume with  ${resumeCommand}`);
    return 130;
  }
  const line = failedProblemsLine(outcome.failed);
  if (line !== null) {
    write(io.stderr, line);
    return EXIT_PROBLEMS_FAILED;
  }
  return 0;
}
