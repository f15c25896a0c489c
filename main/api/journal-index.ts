/**
 * Where each record of a journal.jsonl starts, so a page of records is one read of its bytes
 * instead of a walk over the whole file. Opening a run of 170,000 records page by page used to
 * re-read the whole journal for every page (import time grew with the square of the run's size);
 * now the file is scanned once, and a journal that grew (a sweep still writing it) is scanned only
 * from where the last scan stopped.
 *
 * The index trusts that a journal only grows by appending. It starts over when that is not so: the
 * file is another one (inode), is shorter than what was indexed, or its bytes just before the
 * indexed end changed (a resume that truncated back to an earlier record and appended again).
 */
import { open, stat, type FileHandle } from "node:fs/promises";
import { WorkbenchError } from "../../shared/errors.ts";

const NEWLINE = 0x0a;
const SCAN_CHUNK = 4 << 20;
/** Bytes kept from just before the indexed end to notice a journal rewritten under the index. */
const FINGERPRINT = 256;
/** Journals kept indexed at once (each costs 8 bytes per record). */
const MAX_CACHED = 8;

export interface JournalView {
  /** Complete, non-blank lines (records, readable or not). */
  lines: number;
  /** Text after the last newline: a record cut short while being written, or null. */
  torn: string | null;
  /** The complete lines [from, from + count) with their 1-based line numbers. */
  read(from: number, count: number): Promise<{ line: number; text: string }[]>;
}

interface Index {
  ino: number;
  /** Byte offset where each complete non-blank line starts. */
  starts: number[];
  /** Byte offset just after the last newline scanned (the start of a possible torn tail). */
  end: number;
  fingerprint: Buffer;
}

function isBlank(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = buf[i] as number;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** Extends `index` over the bytes [index.end, size): every complete line's start. */
async function scan(fh: FileHandle, index: Index, size: number): Promise<void> {
  let lineStart = index.end;
  // Whether the line being read has shown a non-blank byte in an earlier chunk.
  let sawContent = false;
  let pos = index.end;
  while (pos < size) {
    const buf = await readAt(fh, pos, Math.min(SCAN_CHUNK, size - pos));
    if (buf.length === 0) break;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, from);
      if (nl === -1) {
        sawContent ||= !isBlank(buf, from, buf.length);
        break;
      }
      if (sawContent || !isBlank(buf, from, nl)) index.starts.push(lineStart);
      sawContent = false;
      lineStart = pos + nl + 1;
      from = nl + 1;
    }
    pos += buf.length;
  }
  index.end = lineStart;
}

async function fingerprintOf(fh: FileHandle, end: number): Promise<Buffer> {
  const from = Math.max(0, end - FINGERPRINT);
  return readAt(fh, from, end - from);
}

const cache = new Map<string, Index>();
const locks = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call for the same path (a scan must not run twice at once). */
function serialized<T>(path: string, work: () => Promise<T>): Promise<T> {
  const before = locks.get(path) ?? Promise.resolve();
  const next = before.then(work, work);
  const settled = next.catch(() => undefined);
  locks.set(path, settled);
  void settled.then(() => {
    if (locks.get(path) === settled) locks.delete(path);
  });
  return next;
}

/**
 * Opens `path` and brings its index up to date, then calls `use` with a view of it; the file stays
 * open only for the call. A missing journal is an empty one (a sweep that has not finished a
 * problem yet).
 */
export function withJournal<T>(path: string, use: (view: JournalView) => Promise<T>): Promise<T> {
  return serialized(path, async () => {
    let fh: FileHandle;
    try {
      fh = await open(path, "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        cache.delete(path);
        return use({ lines: 0, torn: null, read: () => Promise.resolve([]) });
      }
      throw new WorkbenchError("internal", `cannot read ${path}: ${(err as Error).message}`, { path });
    }
    try {
      const info = await fh.stat();
      const size = info.size;
      let index = cache.get(path);
      if (index !== undefined && (index.ino !== info.ino || size < index.end || !(await fingerprintOf(fh, index.end)).equals(index.fingerprint))) index = undefined;
      if (index === undefined) index = { ino: info.ino, starts: [], end: 0, fingerprint: Buffer.alloc(0) };
      if (size > index.end) {
        await scan(fh, index, size);
        index.fingerprint = await fingerprintOf(fh, index.end);
      }
      cache.delete(path);
      cache.set(path, index);
      while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);

      const tail = size > index.end ? (await readAt(fh, index.end, size - index.end)).toString("utf8") : "";
      const idx = index;
      const view: JournalView = {
        lines: idx.starts.length,
        torn: tail.trim() === "" ? null : tail,
        async read(from, count) {
          const first = Math.max(0, from);
          const last = Math.min(idx.starts.length, first + Math.max(0, count));
          if (first >= last) return [];
          const begin = idx.starts[first] as number;
          const stop = last < idx.starts.length ? (idx.starts[last] as number) : idx.end;
          const text = (await readAt(fh, begin, stop - begin)).toString("utf8");
          const out: { line: number; text: string }[] = [];
          let n = first;
          for (const line of text.split("\n")) {
            if (line.trim() === "") continue;
            n += 1;
            out.push({ line: n, text: line });
          }
          return out;
        },
      };
      return await use(view);
    } catch (err) {
      if (err instanceof WorkbenchError) throw err;
      throw new WorkbenchError("internal", `cannot read ${path}: ${(err as Error).message}`, { path });
    } finally {
      await fh.close();
    }
  });
}

/** Records in a journal (complete non-blank lines). */
export function countJournalLines(path: string): Promise<number> {
  return withJournal(path, (view) => Promise.resolve(view.lines));
}

/** Forgets every index (tests). */
export function clearJournalIndex(): void {
  cache.clear();
}
