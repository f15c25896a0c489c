/** What `arbitrage sweep` and `arbitrage demo` share: run a sweep with a progress bar, then print its table. */
import type { SweepOutcome, SweepRunOptions } from "../jobs/sweep.ts";
import { runSweep } from "../jobs/sweep.ts";
import { createProgress, type Progress } from "../jobs/progress.ts";
import type { ResolvedSpec } from "../speculation/sweep-spec.ts";
import type { CliIO } from "./command.ts";
import { write } from "./command.ts";
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
