/**
 * A progress line on stderr for long scoring runs: rewritten in place on a terminal, and on a
 * pipe or log file a plain line at most every few seconds (so logs stay readable). The last
 * update (done = total) always prints, with the elapsed time.
 */
export function progressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  opts: { intervalMs?: number; now?: () => number } = {},
): { update(done: number, total: number): void } {
  const tty = stream.isTTY === true;
  const interval = opts.intervalMs ?? (tty ? 200 : 5000);
  const now = opts.now ?? Date.now;
  const started = now();
  let last = started;
  const text = (done: number, total: number) => {
    const secs = (now() - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const eta = rate > 0 ? ` eta ${Math.ceil((total - done) / rate)}s` : "";
    return `${label}: ${done}/${total} (${total ? Math.floor((100 * done) / total) : 100}%)${done < total ? eta : ` in ${secs.toFixed(1)}s`}`;
  };
  return {
    update(done, total) {
      const t = now();
      if (done < total && t - last < interval) return;
      last = t;
      stream.write(tty ? `\r${text(done, total)}\x1b[K` : `${text(done, total)}\n`);
      if (tty && done >= total) stream.write("\n");
    },
  };
}
