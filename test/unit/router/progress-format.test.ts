/** The scoring progress line and the table's number format. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { fmt, fmtCI } from "../../../main/router/format.ts";
import { progressReporter } from "../../../main/router/progress.ts";

function sink(tty: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (tty) s.isTTY = true;
  let text = "";
  s.on("data", (d) => (text += String(d)));
  return { s, text: () => text };
}

describe("progressReporter", () => {
  it("on a pipe: a line at most every interval, and always the last one with the elapsed time", async () => {
    let t = 0;
    const out = sink(false);
    const p = progressReporter(out.s, "scoring with r", { intervalMs: 1000, now: () => t });
    for (let done = 1; done <= 10; done++) {
      t = done * 300; // 0.3 s a row
      p.update(done, 10);
    }
    await new Promise((r) => setImmediate(r));
    expect(out.text().split("\n").filter(Boolean)).toEqual([
      "scoring with r: 4/10 (40%) eta 2s",
      "scoring with r: 8/10 (80%) eta 1s",
      "scoring with r: 10/10 (100%) in 3.0s",
    ]);
  });

  it("on a terminal: rewrites one line in place and ends it with a newline", async () => {
    let t = 0;
    const out = sink(true);
    const p = progressReporter(out.s, "x", { intervalMs: 0, now: () => t });
    t = 500;
    p.update(1, 2);
    t = 1000;
    p.update(2, 2);
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe("\rx: 1/2 (50%) eta 1s\x1b[K\rx: 2/2 (100%) in 1.0s\x1b[K\n");
  });
});

describe("fmt", () => {
  it("fixed decimals, n/a for undefined, no negative zero", () => {
    expect(fmt(0.12345)).toBe("0.123");
    expect(fmt(null)).toBe("n/a");
    expect(fmt(-0.0001)).toBe("0.000");
    expect(fmt(-0.02)).toBe("-0.020");
    expect(fmtCI([0.1, 0.25])).toBe("[0.100, 0.250]");
    expect(fmtCI(null)).toBe("n/a");
  });
});
