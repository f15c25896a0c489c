/**
 * Progress of a long job (a sweep: problems × configurations) for a terminal or a log.
 *
 * On a TTY: one line, redrawn in place ("\r", the line, then ESC[K to clear what a longer earlier
 * line left), at most every `redrawMs` (100 ms):
 *   `sweep [██████░░░░░░░░░░░░░░░░░░] 12/48  25% 1m02s eta 3m10s rsd@0.6 problem arith-test-0011`
 * cut to the terminal width (`stream.columns`, default 80) minus one column, so that it never wraps.
 * Not a TTY (a log file, CI): plain lines
 *   `sweep [12/48] 25% eta 3m10s rsd@0.6 problem arith-test-0011`
 * at most one every `plainIntervalMs` (5 s), plus the last state (done = total, or at finish()).
 * In both modes an update that arrives too soon is not lost: it is shown when the interval ends
 * (an unref'd timer, so it never keeps the process alive). A plain line is printed only when `done`
 * or `current` changed; on a TTY an unchanged update still redraws (after the interval) so that
 * elapsed time and ETA keep moving when the caller sends heartbeats.
 * `log(line)` prints a whole line above the bar (the bar is cleared, the line written, the bar
 * drawn again), so messages and the bar never interleave.
 *
 * ETA: the rate is the mean over items finished after the first one this reporter saw finish:
 * rate = (done − d₁) / (t − t₁), where (t₁, d₁) is the first update that raised `done` above its
 * starting value (`initialDone`, for resumed runs). The first item is left out because it carries
 * the start-up cost (model loading, warm-up, an empty step cache); the plain mean after it is steady
 * and does not jump with each item, unlike a short EWMA. Until a second item has finished the ETA
 * is unknown and shown as "--".
 */
import { WorkbenchError } from "../../shared/errors.ts";

/** The part of a stream a progress reporter uses: `process.stderr` fits, so does a test double. */
export interface ProgressStream {
  write(text: string): unknown;
  /** Terminal width in columns (TTY streams have it); default 80. */
  columns?: number;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Items in all (e.g. problems × configurations). */
  total: number;
  /** Shown first on each line ("sweep"); empty for none. */
  label?: string;
  stream: ProgressStream;
  /** Redraw one line in place (true) or print plain lines (false); default `stream.isTTY === true`. */
  isTTY?: boolean;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Items already done when the job starts (a resumed run); they do not count toward the rate. */
  initialDone?: number;
  /** TTY: minimum ms between redraws (default 100). */
  redrawMs?: number;
  /** Not a TTY: minimum ms between lines (default 5000). */
  plainIntervalMs?: number;
}

export interface ProgressUpdate {
  /** Items finished so far (clamped to 0 … total). */
  done: number;
  /** What is being worked on now, e.g. "rsd@0.6 problem arith-test-0011". */
  current?: string;
}

export interface Progress {
  update(update: ProgressUpdate): void;
  /** Prints a line above the bar (or as a plain line) without corrupting the bar. */
  log(line: string): void;
  /** Shows the final state, ends the bar's line, then prints `summaryLine` if given. Later updates are ignored. */
  finish(summaryLine?: string): void;
}

const CLEAR_TO_EOL = "\x1b[K";

/**
 * A duration for people: "350ms", "45s", "3m10s", "2h05m", "1d04h". Rounded to the unit shown
 * last (ms below 1 s, then seconds, minutes above 1 h, hours above 1 day). Negative counts as 0;
 * NaN and infinities give "--".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "--";
  const t = Math.max(0, ms);
  if (Math.round(t) < 1000) return `${Math.round(t)}ms`;
  const pad = (n: number) => String(n).padStart(2, "0");
  const secs = Math.round(t / 1000);
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return `${Math.floor(secs / 60)}m${pad(secs % 60)}s`;
  const mins = Math.round(t / 60_000);
  if (mins < 1440) return `${Math.floor(mins / 60)}h${pad(mins % 60)}m`;
  const hours = Math.round(t / 3_600_000);
  return `${Math.floor(hours / 24)}d${pad(hours % 24)}h`;
}

/** Control characters (newlines, tabs, escapes) would break the one-line display: shown as spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

/** Cuts `text` to at most `width` code points, ending in "…" when cut. */
function fit(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 0) return "";
  return `${chars.slice(0, width - 1).join("")}…`;
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new WorkbenchError("usage", `progress ${name} must be a whole number ≥ 0, found ${String(value)}`);
  }
  return value;
}

export function createProgress(options: ProgressOptions): Progress {
  const total = checkCount("total", options.total);
  const initialDone = Math.min(total, checkCount("initialDone", options.initialDone ?? 0));
  const stream = options.stream;
  const tty = options.isTTY ?? stream.isTTY === true;
  const now = options.now ?? Date.now;
  const interval = tty ? (options.redrawMs ?? 100) : (options.plainIntervalMs ?? 5000);
  const label = oneLine(options.label ?? "").trim();
  const started = now();

  let done = initialDone;
  let current = "";
  let firstFinish: { t: number; done: number } | null = null;
  let lastShown = Number.NEGATIVE_INFINITY; // time of the last draw/print
  let shownState = ""; // done + current of the last draw/print
  let barOnScreen = false;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const state = () => `${done}\u0000${current}`;

  const eta = (t: number): number => {
    if (done >= total) return 0;
    if (firstFinish === null || done <= firstFinish.done || t <= firstFinish.t) return Number.NaN;
    const rate = (done - firstFinish.done) / (t - firstFinish.t);
    return (total - done) / rate;
  };

  const percent = () => (total === 0 ? 100 : Math.floor((100 * done) / total));

  const ttyLine = (t: number): string => {
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
    const barWidth = columns >= 80 ? 24 : columns >= 50 ? 12 : 0;
    const parts: string[] = [];
    if (label !== "") parts.push(label);
    if (barWidth > 0) {
      const filled = total === 0 ? barWidth : Math.floor((barWidth * done) / total);
      parts.push(`[${"█".repeat(filled)}${"░".repeat(barWidth - filled)}]`);
    }
    parts.push(`${done}/${total}`, `${String(percent()).padStart(3)}%`, formatDuration(t - started));
    parts.push(done >= total ? "done" : `eta ${formatDuration(eta(t))}`);
    if (current !== "") parts.push(current);
    return fit(parts.join(" "), columns - 1);
  };

  const plainLine = (t: number): string => {
    const parts: string[] = [];
    if (label !== "") parts.push(label);
    parts.push(`[${done}/${total}]`, `${percent()}%`);
    parts.push(done >= total ? `took ${formatDuration(t - started)}` : `eta ${formatDuration(eta(t))}`);
    if (current !== "") parts.push(current);
    return parts.join(" ");
  };

  const show = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const t = now();
    if (tty) {
      stream.write(`\r${ttyLine(t)}${CLEAR_TO_EOL}`);
      barOnScreen = true;
    } else {
      stream.write(`${plainLine(t)}\n`);
    }
    lastShown = t;
    shownState = state();
  };

  const showSoon = () => {
    const changed = state() !== shownState;
    // A plain line only when something changed; a TTY line also to tick elapsed time and ETA.
    if (!changed && !tty) return;
    const t = now();
    const wait = lastShown + interval - t;
    if (wait <= 0 || (done >= total && changed)) {
      show();
    } else if (timer === undefined && changed) {
      timer = setTimeout(() => {
        timer = undefined;
        if (!finished && state() !== shownState) show();
      }, wait);
      timer.unref?.();
    }
  };

  return {
    update({ done: d, current: c }) {
      if (finished) return;
      const clamped = Number.isFinite(d) ? Math.min(total, Math.max(0, Math.floor(d))) : done;
      if (clamped > done && firstFinish === null && clamped > initialDone) firstFinish = { t: now(), done: clamped };
      done = clamped;
      if (c !== undefined) current = oneLine(c).trim();
      showSoon();
    },

    log(line) {
      const text = line.replace(/\r?\n$/, "");
      if (tty && barOnScreen && !finished) {
        stream.write(`\r${CLEAR_TO_EOL}${text}\n`);
        show();
      } else {
        stream.write(`${text}\n`);
      }
    },

    finish(summaryLine) {
      if (finished) return;
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (tty) {
        show();
        stream.write("\n");
      } else if (state() !== shownState) {
        show();
      }
      finished = true;
      if (summaryLine !== undefined) stream.write(`${summaryLine.replace(/\r?\n$/, "")}\n`);
    },
  };
}
