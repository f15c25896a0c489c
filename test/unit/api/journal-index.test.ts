/**
 * The journal's line index: pages read at any offset equal a plain split of the file, a journal
 * that grows is indexed from where it stopped, and one rewritten under the index (truncated back,
 * replaced) is indexed again rather than read at stale offsets.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { clearJournalIndex, countJournalLines, withJournal } from "../../../main/api/journal-index.ts";

const tmp = mkdtempSync(join(tmpdir(), "journal-index-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => clearJournalIndex());

const line = (i: number, pad = 0) => `${JSON.stringify({ i, pad: "x".repeat(pad) })}\n`;

function plainLines(text: string): string[] {
  const parts = text.split("\n");
  parts.pop();
  return parts.filter((l) => l.trim() !== "");
}

async function page(path: string, from: number, count: number) {
  return withJournal(path, async (j) => ({ lines: j.lines, torn: j.torn, rows: await j.read(from, count) }));
}

describe("journal index", () => {
  it("serves every page of a journal with blank lines and CRLF exactly as a plain split would", async () => {
    const path = join(tmp, "mixed.jsonl");
    let text = "";
    for (let i = 0; i < 250; i++) text += i % 17 === 0 ? `\n  \n${line(i)}` : i % 23 === 0 ? line(i).replace("\n", "\r\n") : line(i);
    writeFileSync(path, text);
    const expected = plainLines(text);
    for (const [from, count] of [[0, 7], [13, 50], [240, 100], [249, 1], [250, 5], [0, 1000]] as const) {
      const got = await page(path, from, count);
      expect(got.lines).toBe(expected.length);
      expect(got.rows.map((r) => r.text)).toEqual(expected.slice(from, from + count));
      // Line numbers count records (non-blank lines), as the skipped-line reports do.
      expect(got.rows.map((r) => r.line)).toEqual(expected.slice(from, from + count).map((_, k) => from + k + 1));
    }
  });

  it("indexes a line that straddles two scan chunks (4 MiB)", async () => {
    const path = join(tmp, "big.jsonl");
    const lines = Array.from({ length: 9 }, (_, i) => line(i, 700_000));
    writeFileSync(path, lines.join(""));
    const got = await page(path, 0, 100);
    expect(got.lines).toBe(9);
    expect(got.rows.map((r) => (JSON.parse(r.text) as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("follows a journal that grows, and reports a torn tail without counting it", async () => {
    const path = join(tmp, "growing.jsonl");
    writeFileSync(path, line(0) + line(1));
    expect(await countJournalLines(path)).toBe(2);
    appendFileSync(path, line(2) + '{"i": 3, "cut');
    const torn = await page(path, 2, 10);
    expect(torn.lines).toBe(3);
    expect(torn.torn).toBe('{"i": 3, "cut');
    expect(torn.rows.map((r) => r.text)).toEqual([line(2).trim()]);
    appendFileSync(path, ' short"}\n' + line(4));
    const whole = await page(path, 0, 10);
    expect(whole.lines).toBe(5);
    expect(whole.torn).toBeNull();
    expect(whole.rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it("starts over when the journal was truncated back and written again, or replaced", async () => {
    const path = join(tmp, "rewritten.jsonl");
    writeFileSync(path, line(0) + line(1) + line(2));
    expect(await countJournalLines(path)).toBe(3);
    // A resume that keeps only the first record, then appends longer records past the old end.
    truncateSync(path, line(0).length);
    appendFileSync(path, line(10, 40) + line(11, 40));
    const after = await page(path, 0, 10);
    expect(after.rows.map((r) => (JSON.parse(r.text) as { i: number }).i)).toEqual([0, 10, 11]);
    const other = join(tmp, "other.jsonl");
    writeFileSync(other, line(7));
    renameSync(other, path);
    expect((await page(path, 0, 10)).rows.map((r) => r.text)).toEqual([line(7).trim()]);
  });

  it("reads a missing journal as an empty one", async () => {
    expect(await page(join(tmp, "none.jsonl"), 0, 10)).toEqual({ lines: 0, torn: null, rows: [] });
  });
});
