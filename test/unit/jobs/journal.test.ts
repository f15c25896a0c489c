/**
 * The journal of finished work: what was appended is read back, a crash-cut last line is dropped
 * and reported, a corrupt line in the middle stops the open with its line number, and a process
 * killed with SIGKILL at any moment leaves a complete, in-order prefix.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isWorkbenchError, type ErrorKind } from "../../../shared/errors.ts";
import { openJournal, type JournalOptions } from "../../../main/jobs/journal.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/jobs/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "journal-"));
let counter = 0;
const freshPath = () => join(tmp, `j${++counter}.jsonl`);

interface Rec {
  i: number;
  text?: string;
}

async function failure(path: string, options?: JournalOptions<Rec>): Promise<{ kind: ErrorKind; message: string }> {
  const err = await openJournal<Rec>(path, options).then(
    async (j) => {
      await j.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!isWorkbenchError(err)) throw new Error(`expected a WorkbenchError, got ${String(err)}`);
  return { kind: err.kind, message: err.message };
}

async function writeRecords(path: string, records: Rec[]): Promise<void> {
  const j = await openJournal<Rec>(path);
  for (const r of records) await j.append(r);
  await j.close();
}

describe("append and read back", () => {
  it("a new journal is created empty; records come back in append order, one JSON line each", async () => {
    const path = freshPath();
    const j = await openJournal<Rec>(path);
    expect(j.records).toEqual([]);
    expect(j.recovered).toBeNull();
    await j.append({ i: 0 });
    await j.append({ i: 1, text: "two, with \"quotes\" and\na newline" });
    await j.close();
    expect(readFileSync(path, "utf8")).toBe('{"i":0}\n{"i":1,"text":"two, with \\"quotes\\" and\\na newline"}\n');

    const again = await openJournal<Rec>(path);
    expect(again.records).toEqual([{ i: 0 }, { i: 1, text: "two, with \"quotes\" and\na newline" }]);
    expect(again.recovered).toBeNull();
    await again.append({ i: 2 });
    await again.close();
    const third = await openJournal<Rec>(path);
    expect(third.records.map((r) => r.i)).toEqual([0, 1, 2]);
    await third.close();
  });

  it("appends that are not awaited one by one are still written in call order", async () => {
    const path = freshPath();
    const j = await openJournal<Rec>(path);
    const pending = Array.from({ length: 200 }, (_, i) => j.append({ i, text: "x".repeat(i * 37) }));
    expect(j.appended).toBe(200);
    await Promise.all(pending);
    await j.close();
    const back = await openJournal<Rec>(path);
    expect(back.records.map((r) => r.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await back.close();
  });

  it("reads lines longer than its read buffer and non-ASCII text intact", async () => {
    const path = freshPath();
    const big = "é漢🙂".repeat(300_000); // ~2.7 MB of UTF-8: spans several 1 MiB read chunks
    await writeRecords(path, [{ i: 0, text: big }, { i: 1, text: "ok" }]);
    const j = await openJournal<Rec>(path);
    expect(j.records).toEqual([{ i: 0, text: big }, { i: 1, text: "ok" }]);
    await j.close();
  });

  it("a record JSON cannot represent is refused (usage) and nothing is written; the journal goes on", async () => {
    const path = freshPath();
    const j = await openJournal<unknown>(path);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const bad of [undefined, () => 1, 10n, circular]) {
      const err = await j.append(bad).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isWorkbenchError(err, "usage")).toBe(true);
    }
    await j.append({ i: 0 });
    await j.close();
    expect(readFileSync(path, "utf8")).toBe('{"i":0}\n');
  });

  it("append after close is refused; close twice is harmless", async () => {
    const j = await openJournal<Rec>(freshPath());
    await j.close();
    await j.close();
    const err = await j.append({ i: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWorkbenchError(err, "usage")).toBe(true);
  });

  it("a journal in a folder that does not exist is a missing-file error naming the folder", async () => {
    const f = await failure(join(tmp, "no-such-folder", "j.jsonl"));
    expect(f.kind).toBe("missing-file");
    expect(f.message).toContain(join(tmp, "no-such-folder"));
  });

  it("records can be checked at open; a rejected record names its line", async () => {
    const path = freshPath();
    writeFileSync(path, '{"i":0}\n{"i":"one"}\n{"i":2}\n');
    const validate = (v: unknown): Rec => {
      if (typeof v !== "object" || v === null || typeof (v as Rec).i !== "number") throw new Error("i must be a number");
      return v as Rec;
    };
    const f = await failure(path, { validate });
    expect(f.kind).toBe("bad-config");
    expect(f.message).toMatch(/line 2 \(byte 8\) is not a valid record: i must be a number/);
  });
});

describe("fsync policy", () => {
  it("syncs after every N records written (the Nth append resolves after the sync) and on close", async () => {
    const j = await openJournal<Rec>(freshPath(), { fsyncEveryRecords: 3, fsyncEveryMs: Infinity });
    for (let i = 0; i < 7; i++) await j.append({ i });
    expect(j.syncs).toBe(2); // after records 3 and 6
    await j.sync();
    expect(j.syncs).toBe(3); // record 7
    await j.sync();
    expect(j.syncs).toBe(3); // nothing new to sync
    await j.append({ i: 7 });
    await j.close();
    expect(j.syncs).toBe(4);
  });

  it("syncs at most M ms after an unsynced write even when no more records come", async () => {
    const j = await openJournal<Rec>(freshPath(), { fsyncEveryRecords: 1000, fsyncEveryMs: 30 });
    await j.append({ i: 0 });
    await j.append({ i: 1 });
    expect(j.syncs).toBe(0);
    const deadline = Date.now() + 5000;
    while (j.syncs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(j.syncs).toBe(1);
    await j.close();
    expect(j.syncs).toBe(1); // nothing left to sync at close
  });

  it("rejects sync settings that are not positive integers", async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect((await failure(freshPath(), { fsyncEveryRecords: bad })).kind).toBe("usage");
      expect((await failure(freshPath(), { fsyncEveryMs: bad })).kind).toBe("usage");
    }
  });
});

describe("after a crash", () => {
  it("a half-written last line is dropped and reported, the file is cut back to the last complete line, and appends continue cleanly", async () => {
    const path = freshPath();
    await writeRecords(path, [{ i: 0 }, { i: 1, text: "ünïcode" }, { i: 2 }]);
    const goodBytes = statSync(path).size;
    appendFileSync(path, '{"i":3,"text":"cut sh');

    const j = await openJournal<Rec>(path);
    expect(j.records).toEqual([{ i: 0 }, { i: 1, text: "ünïcode" }, { i: 2 }]);
    expect(j.recovered).toMatchObject({
      droppedLines: 1,
      droppedBytes: 21,
      offset: goodBytes,
      line: 4,
      reason: "unterminated",
    });
    expect(j.recovered?.message).toContain(`21 bytes at byte ${goodBytes}`);
    expect(statSync(path).size).toBe(goodBytes); // truncated before any append
    await j.append({ i: 3 });
    await j.close();

    const again = await openJournal<Rec>(path);
    expect(again.recovered).toBeNull();
    expect(again.records.map((r) => r.i)).toEqual([0, 1, 2, 3]);
    await again.close();
    expect(readFileSync(path, "utf8").endsWith('{"i":2}\n{"i":3}\n')).toBe(true);
  });

  it("a tail of NUL bytes (unwritten blocks after a power cut) is dropped like a cut line", async () => {
    const path = freshPath();
    await writeRecords(path, [{ i: 0 }]);
    appendFileSync(path, Buffer.alloc(4096));
    const j = await openJournal<Rec>(path);
    expect(j.records).toEqual([{ i: 0 }]);
    expect(j.recovered).toMatchObject({ reason: "unterminated", droppedBytes: 4096, offset: 8, line: 2 });
    await j.close();
    expect(statSync(path).size).toBe(8);
  });

  it("a complete last line that is not JSON is dropped too, as invalid-json", async () => {
    const path = freshPath();
    writeFileSync(path, '{"i":0}\n{"i":1\n');
    const j = await openJournal<Rec>(path);
    expect(j.records).toEqual([{ i: 0 }]);
    expect(j.recovered).toMatchObject({ reason: "invalid-json", droppedBytes: 7, offset: 8, line: 2 });
    await j.close();
    expect(readFileSync(path, "utf8")).toBe('{"i":0}\n');
  });

  it("a file holding only a cut line yields no records and starts over from byte 0", async () => {
    const path = freshPath();
    writeFileSync(path, '{"i":0,"te');
    const j = await openJournal<Rec>(path);
    expect(j.records).toEqual([]);
    expect(j.recovered).toMatchObject({ offset: 0, droppedBytes: 10, line: 1 });
    await j.append({ i: 0 });
    await j.close();
    expect(readFileSync(path, "utf8")).toBe('{"i":0}\n');
  });

  it("byte offsets count UTF-8 bytes, not characters", async () => {
    const path = freshPath();
    await writeRecords(path, [{ i: 0, text: "漢字🙂" }]);
    appendFileSync(path, '{"i":1,"text":"漢');
    const j = await openJournal<Rec>(path);
    expect(j.recovered).toMatchObject({ offset: Buffer.byteLength('{"i":0,"text":"漢字🙂"}\n'), droppedBytes: 18 });
    await j.close();
  });
});

describe("corruption in the middle is an error, never silent loss", () => {
  it.each([
    ["garbage", '{"i":0}\nnot json at all\n{"i":2}\n', 2, 8],
    ["a cut line followed by more records", '{"i":0}\n{"i":1,"te{"i":2}\n{"i":3}\n', 2, 8],
    ["an empty line", '{"i":0}\n\n{"i":2}\n', 2, 8],
    ["a bad complete line followed by a cut one", '{"i":0}\n{"i":1,\n{"i":2', 2, 8],
  ])("%s: names the line and byte, and leaves the file untouched", async (_name, content, line, byte) => {
    const path = freshPath();
    writeFileSync(path, content);
    const f = await failure(path);
    expect(f.kind).toBe("bad-config");
    expect(f.message).toContain(`corrupt at line ${line} (byte ${byte})`);
    expect(readFileSync(path, "utf8")).toBe(content);
  });
});

describe("real crashes", () => {
  it("a writer killed with SIGKILL mid-stream, again and again, leaves every acknowledged record, complete and in order", async () => {
    const path = freshPath();
    const writer = fixture("journal-writer.ts");
    const expectedLine = (i: number) => {
      const sizes = [10, 300, 70_000, 5, 8_000_000, 2_000, 250_000];
      return `${JSON.stringify({ i, pad: String.fromCharCode(97 + (i % 26)).repeat(sizes[i % sizes.length] ?? 1) })}\n`;
    };

    let complete = 0; // complete records in the file after the previous kill
    let hadTail = false;
    let tornSeen = 0;
    // Rounds alternate between a kill at a random moment and a kill aimed at the write of an 8 MB
    // record (the kernel stops a large write part-way on SIGKILL), so a cut line is likely though not certain.
    for (const [extra, aimAtBigWrite] of [[3, true], [11, false], [2, true], [6, false], [1, true]] as const) {
      const child = spawn(process.execPath, ["--import", "tsx", writer, path], {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      let opened: string | undefined;
      let maxAck = -1;
      let acks = 0;
      let buffered = "";
      let killScheduled = false;
      child.stdout.on("data", (d: Buffer) => {
        buffered += d.toString();
        let nl: number;
        while ((nl = buffered.indexOf("\n")) !== -1) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.startsWith("open ")) opened = line;
          else if (line.startsWith("ack ")) {
            maxAck = Math.max(maxAck, Number(line.slice(4)));
            acks++;
          } else if (line.startsWith("start ") && acks >= extra && !killScheduled) {
            const big = Number(line.slice(6)) % 7 === 4;
            if (!aimAtBigWrite) {
              killScheduled = true;
              setTimeout(() => child.kill("SIGKILL"), Math.floor(Math.random() * 15));
            } else if (big) {
              // The previous append has resolved, so the file ends at this record's first byte. Watch
              // the size (the kernel grows it page by page during a write) and kill as soon as it moves.
              killScheduled = true;
              const before = statSync(path).size;
              const deadline = Date.now() + 5000;
              while (statSync(path).size === before && Date.now() < deadline);
              child.kill("SIGKILL");
            }
          }
        }
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on("close", (c, s) => resolve([c, s])),
      );
      if (signal !== "SIGKILL") throw new Error(`writer exited on its own (code ${code}): ${stderr}`);

      // The child saw exactly the complete records the previous round left, and recovered a cut tail if there was one.
      expect(opened).toBe(`open ${complete} ${hadTail ? "unterminated" : "clean"}`);

      // The raw file: complete lines are exactly records 0..n-1; whatever follows is a prefix of record n.
      const raw = readFileSync(path);
      const lastNl = raw.lastIndexOf(0x0a);
      const lines = lastNl === -1 ? [] : raw.subarray(0, lastNl).toString("utf8").split("\n");
      lines.forEach((line, k) => expect(`${line}\n` === expectedLine(k), `line ${k + 1} is record ${k}`).toBe(true));
      const tail = raw.subarray(lastNl + 1).toString("utf8");
      expect(expectedLine(lines.length).startsWith(tail)).toBe(true);
      expect(lines.length).toBeGreaterThanOrEqual(maxAck + 1); // every acknowledged append survived
      complete = lines.length;
      hadTail = tail.length > 0;
      if (hadTail) tornSeen++;
    }

    const j = await openJournal<{ i: number; pad: string }>(path);
    expect(j.records.length).toBe(complete);
    expect(j.recovered === null).toBe(!hadTail);
    j.records.forEach((r, k) => expect(r.i).toBe(k));
    await j.append({ i: complete, pad: "" });
    await j.close();
    const final = await openJournal<{ i: number; pad: string }>(path);
    expect(final.records.length).toBe(complete + 1);
    expect(final.recovered).toBeNull();
    await final.close();
    // Kills aimed at a write in progress must have cut at least one line, or recovery went untested.
    expect(tornSeen).toBeGreaterThanOrEqual(1);
  });

  it("a write cut short by a full disk is removed again: the append fails, later appends and the file stay clean", () => {
    const path = freshPath();
    const script = fixture("journal-disk-full.ts");
    // ulimit -f 100: the file may not grow past 102 400 bytes; the 4th 30 kB record is cut short, then EFBIG.
    const res = spawnSync("bash", ["-c", 'ulimit -f 100 && exec "$0" --import tsx "$1" "$2"', process.execPath, script, path], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(res.status, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { ok: number[]; failed: { i: number; kind: string; message: string }; after: string };
    expect(report.ok).toEqual([0, 1, 2]);
    expect(report.failed.i).toBe(3);
    expect(report.failed.kind).toBe("internal");
    expect(report.failed.message).toMatch(/EFBIG|too large/i);
    expect(report.after).toBe("ok");
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([0, 1, 2, -1]);
  });
});
