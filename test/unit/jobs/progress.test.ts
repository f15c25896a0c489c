/**
 * Progress for long jobs: one redrawn line on a terminal, sparse plain lines in a log, an ETA that
 * leaves out the first (warm-up) item, and log lines that never corrupt the bar.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isWorkbenchError } from "../../../shared/errors.ts";
import { createProgress, formatDuration, type ProgressOptions } from "../../../main/jobs/progress.ts";

class FakeStream {
  writes: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
  get text(): string {
    return this.writes.join("");
  }
  /** What a terminal shows: "\r" returns to column 0, ESC[K clears to the end of the line, "\n" starts a new line. */
  screen(): string[] {
    const lines: string[][] = [[]];
    let col = 0;
    const data = this.text;
    for (let i = 0; i < data.length; ) {
      const line = lines[lines.length - 1] as string[];
      if (data.startsWith("\x1b[K", i)) {
        line.length = Math.min(line.length, col);
        i += 3;
      } else if (data[i] === "\r") {
        col = 0;
        i++;
      } else if (data[i] === "\n") {
        lines.push([]);
        col = 0;
        i++;
      } else {
        const ch = String.fromCodePoint(data.codePointAt(i) as number);
        line[col++] = ch;
        i += ch.length;
      }
    }
    return lines.map((l) => l.join(""));
  }
}

/** A clock the test moves; timers are vitest's fake timers, moved together with it. */
let clock = 0;
const now = () => clock;
function advance(ms: number): void {
  clock += ms;
  vi.advanceTimersByTime(ms);
}

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

function progress(stream: FakeStream, extra: Partial<ProgressOptions> = {}) {
  return createProgress({ total: 48, label: "sweep", stream, now, ...extra });
}

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [349.6, "350ms"],
    [999.4, "999ms"],
    [999.6, "1s"],
    [45_000, "45s"],
    [59_600, "1m00s"],
    [190_000, "3m10s"],
    [3_599_000, "59m59s"],
    [3_599_600, "1h00m"],
    [7_500_000, "2h05m"],
    [86_399_000, "1d00h"],
    [100_800_000, "1d04h"],
    [-5, "0ms"],
    [Number.NaN, "--"],
    [Number.POSITIVE_INFINITY, "--"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("on a terminal", () => {
  it("draws one line in place: carriage return, label, bar, done/total, percent, elapsed, ETA, current item, clear to end of line", () => {
    const s = new FakeStream(true, 120);
    const p = progress(s);
    advance(10_000);
    p.update({ done: 1, current: "rsd@0.6 problem arith-test-0002" }); // first item: warm-up, no ETA yet
    advance(2_000);
    p.update({ done: 2, current: "rsd@0.6 problem arith-test-0003" });
    advance(2_000);
    p.update({ done: 12, current: "rsd@0.6 problem arith-test-0013" });
    expect(s.writes).toEqual([
      `\rsweep [${"░".repeat(24)}] 1/48   2% 10s eta -- rsd@0.6 problem arith-test-0002\x1b[K`,
      `\rsweep [█${"░".repeat(23)}] 2/48   4% 12s eta 1m32s rsd@0.6 problem arith-test-0003\x1b[K`,
      // 11 items in the 4 s since the first finished: 2.75/s, 36 left → 13 s
      `\rsweep [${"█".repeat(6)}${"░".repeat(18)}] 12/48  25% 14s eta 13s rsd@0.6 problem arith-test-0013\x1b[K`,
    ]);
    expect(s.screen()).toEqual([`sweep [${"█".repeat(6)}${"░".repeat(18)}] 12/48  25% 14s eta 13s rsd@0.6 problem arith-test-0013`]);
  });

  it("redraws at most every 100 ms; the latest state is drawn when the interval ends", () => {
    const s = new FakeStream(true, 120);
    const p = progress(s);
    p.update({ done: 0, current: "a" });
    advance(30);
    p.update({ done: 1, current: "b" });
    advance(30);
    p.update({ done: 2, current: "c" });
    expect(s.writes).toHaveLength(1);
    advance(39);
    expect(s.writes).toHaveLength(1);
    advance(1); // 100 ms after the first draw
    expect(s.writes).toHaveLength(2);
    expect(s.writes[1]).toContain(" 2/48 ");
    expect(s.writes[1]).toContain(" c\x1b[K");
    advance(1000);
    expect(s.writes).toHaveLength(2); // nothing new to show, nothing drawn
  });

  it("draws the last item at once, even inside the interval", () => {
    const s = new FakeStream(true, 120);
    const p = createProgress({ total: 2, stream: s, now });
    p.update({ done: 1 });
    advance(10);
    p.update({ done: 2 });
    expect(s.writes).toHaveLength(2);
    expect(s.screen()[0]).toMatch(/^\[█+\] 2\/2 100% 10ms done$/);
  });

  it("cuts the line to the terminal width minus one column, with an ellipsis, and drops the bar on narrow terminals", () => {
    const s = new FakeStream(true, 40);
    const p = progress(s);
    p.update({ done: 3, current: "arbitrage@0.3 problem a-very-long-problem-identifier-0042" });
    const shown = s.screen()[0] as string;
    expect(Array.from(shown)).toHaveLength(39);
    expect(shown).toBe("sweep 3/48   6% 0ms eta -- arbitrage@0…");
  });

  it("assumes 80 columns when the stream does not say", () => {
    const s = new FakeStream(true);
    const p = progress(s);
    p.update({ done: 1, current: "x".repeat(200) });
    expect(Array.from(s.screen()[0] as string)).toHaveLength(79);
    expect(s.screen()[0]).toContain(`[${"░".repeat(24)}]`);
  });

  it("shows a current item with newlines or escapes on one line", () => {
    const s = new FakeStream(true, 120);
    const p = progress(s);
    p.update({ done: 1, current: "problem\nwith\ttabs\x1b[31m red" });
    expect(s.screen()).toHaveLength(1);
    expect(s.screen()[0]).toMatch(/problem with tabs \[31m red$/);
  });

  it("log() prints whole lines above the bar and redraws the bar below them", () => {
    const s = new FakeStream(true, 120);
    const p = progress(s);
    p.update({ done: 5, current: "rsd@0.3 problem p-6" });
    p.log("problem p-4: error context-too-long (prompt 9000 tokens > 8192)");
    p.log("short");
    const bar = `sweep [${"██"}${"░".repeat(22)}] 5/48  10% 0ms eta -- rsd@0.3 problem p-6`;
    expect(s.screen()).toEqual(["problem p-4: error context-too-long (prompt 9000 tokens > 8192)", "short", bar]);
  });

  it("log() before any bar, and after finish, is a plain line", () => {
    const s = new FakeStream(true, 120);
    const p = progress(s);
    p.log("loading models");
    p.finish();
    p.log("after");
    expect(s.screen()).toEqual(["loading models", `sweep [${"░".repeat(24)}] 0/48   0% 0ms eta --`, "after", ""]);
  });

  it("finish() draws the final state, ends the line, prints the summary, and ignores later updates", () => {
    const s = new FakeStream(true, 120);
    const p = createProgress({ total: 4, label: "sweep", stream: s, now });
    p.update({ done: 3, current: "c" });
    advance(50);
    p.update({ done: 4, current: "d" });
    advance(65_000);
    p.finish("4 configurations, 2 problems: accuracy 0.50 … 1.00");
    p.update({ done: 1 });
    advance(1000);
    expect(s.screen()).toEqual([
      `sweep [${"█".repeat(24)}] 4/4 100% 1m05s done d`,
      "4 configurations, 2 problems: accuracy 0.50 … 1.00",
      "",
    ]);
  });

  it("is chosen from stream.isTTY unless isTTY is given", () => {
    const a = new FakeStream(true, 120);
    progress(a).update({ done: 1 });
    expect(a.writes[0]?.startsWith("\r")).toBe(true);
    const b = new FakeStream(true, 120);
    progress(b, { isTTY: false }).update({ done: 1 });
    expect(b.writes[0]).toBe("sweep [1/48] 2% eta --\n");
  });
});

describe("not on a terminal", () => {
  it("prints plain lines, at most one per interval, plus the last one", () => {
    const s = new FakeStream(false);
    const p = progress(s);
    for (let i = 1; i <= 48; i++) {
      advance(1000);
      p.update({ done: i, current: `rsd@0.6 problem arith-test-${String(i + 1).padStart(4, "0")}` });
    }
    p.finish("done: 48 problems");
    const lines = s.text.split("\n");
    expect(lines.pop()).toBe("");
    // Updates at 1 s, 2 s, …, 48 s: the first is printed at once; later ones wait for the interval
    // timer (6 s, 11 s, …), which prints the latest state then, ETA measured at that moment
    // (at 11 s: 9 items in the 10 s since the first → 38 left take 42 s); done = total prints at once.
    expect(lines).toEqual([
      "sweep [1/48] 2% eta -- rsd@0.6 problem arith-test-0002",
      "sweep [5/48] 10% eta 54s rsd@0.6 problem arith-test-0006",
      "sweep [10/48] 20% eta 42s rsd@0.6 problem arith-test-0011",
      "sweep [15/48] 31% eta 35s rsd@0.6 problem arith-test-0016",
      "sweep [20/48] 41% eta 29s rsd@0.6 problem arith-test-0021",
      "sweep [25/48] 52% eta 24s rsd@0.6 problem arith-test-0026",
      "sweep [30/48] 62% eta 19s rsd@0.6 problem arith-test-0031",
      "sweep [35/48] 72% eta 13s rsd@0.6 problem arith-test-0036",
      "sweep [40/48] 83% eta 8s rsd@0.6 problem arith-test-0041",
      "sweep [45/48] 93% eta 3s rsd@0.6 problem arith-test-0046",
      "sweep [48/48] 100% took 48s rsd@0.6 problem arith-test-0049",
      "done: 48 problems",
    ]);
    expect(s.text).not.toMatch(/\r|\x1b/);
  });

  it("an update held back by the interval is printed when the interval ends", () => {
    const s = new FakeStream(false);
    const p = progress(s);
    p.update({ done: 0, current: "rsd@0.3 problem p-1" });
    advance(1000);
    p.update({ done: 1, current: "rsd@0.3 problem p-2" }); // then p-2 takes a long time
    expect(s.writes).toHaveLength(1);
    advance(4000);
    expect(s.writes).toEqual(["sweep [0/48] 0% eta -- rsd@0.3 problem p-1\n", "sweep [1/48] 2% eta -- rsd@0.3 problem p-2\n"]);
    advance(60_000);
    expect(s.writes).toHaveLength(2);
  });

  it("finish() prints the last state if it was not printed yet, and nothing twice", () => {
    const s = new FakeStream(false);
    const p = progress(s);
    p.update({ done: 1 });
    advance(100);
    p.update({ done: 2 });
    p.finish(); // stopped early (Ctrl-C): the last state still appears
    expect(s.writes).toEqual(["sweep [1/48] 2% eta --\n", "sweep [2/48] 4% eta 5s\n"]);

    const t = new FakeStream(false);
    const q = progress(t);
    q.update({ done: 1 });
    q.finish("bye");
    expect(t.writes).toEqual(["sweep [1/48] 2% eta --\n", "bye\n"]);
  });

  it("log() prints plain lines", () => {
    const s = new FakeStream(false);
    const p = progress(s);
    p.update({ done: 1 });
    p.log("note: step cache loaded (1234 steps)\n");
    expect(s.text).toBe("sweep [1/48] 2% eta --\nnote: step cache loaded (1234 steps)\n");
  });
});

describe("ETA", () => {
  it("leaves out the first item: a slow warm-up does not inflate it", () => {
    const s = new FakeStream(false);
    const p = createProgress({ total: 10, stream: s, now, plainIntervalMs: 1 });
    advance(60_000); // loading models, first item
    p.update({ done: 1 });
    for (let i = 2; i <= 4; i++) {
      advance(2_000);
      p.update({ done: i });
    }
    // Mean including the first item would be 66 s / 4 = 16.5 s per item (99 s left); after it, 2 s per item.
    expect(s.writes.at(-1)).toBe("[4/10] 40% eta 12s\n");
  });

  it("on a resumed run, items done before the start do not count toward the rate", () => {
    const s = new FakeStream(false);
    const p = createProgress({ total: 100, stream: s, now, initialDone: 90, plainIntervalMs: 1 });
    p.update({ done: 90 });
    advance(5_000);
    p.update({ done: 91 });
    advance(1_000);
    p.update({ done: 92 });
    expect(s.writes).toEqual(["[90/100] 90% eta --\n", "[91/100] 91% eta --\n", "[92/100] 92% eta 8s\n"]);
  });

  it("a job with nothing to do is complete, not NaN", () => {
    const s = new FakeStream(false);
    const p = createProgress({ total: 0, stream: s, now });
    p.update({ done: 0 });
    p.finish();
    expect(s.text).toBe("[0/0] 100% took 0ms\n");
  });

  it("done outside 0 … total is clamped; a total that is not a whole number ≥ 0 is a usage error", () => {
    const s = new FakeStream(false);
    const p = createProgress({ total: 5, stream: s, now, plainIntervalMs: 1 });
    p.update({ done: 9 });
    expect(s.text).toBe("[5/5] 100% took 0ms\n");
    for (const total of [-1, 2.5, Number.NaN]) {
      let err: unknown;
      try {
        createProgress({ total, stream: s, now });
      } catch (e) {
        err = e;
      }
      expect(isWorkbenchError(err, "usage")).toBe(true);
    }
  });
});
