/**
 * An append-only JSONL journal of finished work that survives `kill -9` at any moment.
 *
 * Format: one JSON value per line, UTF-8, each line terminated by "\n". A record is complete only
 * once its terminating "\n" is in the file; `JSON.stringify` never emits a raw newline, so a line
 * can only be cut short, never split.
 *
 * Durability guarantee (what a caller may rely on):
 * - Each record is serialised to one buffer (`JSON.stringify(record) + "\n"`) and handed to the
 *   OS with a single `write(2)` on a file opened with O_APPEND. Should the OS accept only part of
 *   it (regular files on local disks do not do this in practice), the remainder is written
 *   straight after, before anything else, and `append()` resolves only when the whole line is
 *   written.
 * - Process crash (`kill -9`, OOM kill, uncaught exception, Ctrl-C): every record whose `append()`
 *   promise has resolved is in the file, complete, in append order. A record whose `append()` had
 *   not resolved is either absent or a cut-short last line, which the next `openJournal()` drops,
 *   reports (`recovered`) and truncates away before appending resumes.
 * - OS crash or power loss: a record is on stable storage (fdatasync) once any of these happened
 *   after its write: it was the `fsyncEveryRecords`-th record written since the last sync (that
 *   record's `append()` resolves only after the sync), the `fsyncEveryMs` timer (armed by the first
 *   unsynced write) fired and its sync ran, `sync()` resolved, or `close()` resolved. So once an
 *   `append()` has resolved, fewer than `fsyncEveryRecords` records are unsynced, and none of them
 *   was written more than `fsyncEveryMs` ms ago plus the time a sync waits behind queued writes.
 *   A failed background sync makes every later `append()`, `sync()` and `close()` reject. Unsynced
 *   records may be lost to a power cut; the file system decides what survives, and the next open
 *   drops a damaged last line and refuses (naming the line) damage anywhere else, so no loss is
 *   silent. A newly created journal's folder is synced too, so the file itself survives.
 * - A write that fails (disk full) is truncated back to the last complete line; the `append()`
 *   rejects and the journal stays usable. If even that truncation fails, every later `append()`
 *   rejects with the original error, so nothing is ever written after a torn line.
 *
 * On open, a corrupt line anywhere but last is an error naming its line number: finished work is
 * never dropped silently. Only one writer per file: the run folder's lock (run-folder.ts) ensures it.
 */
import { createReadStream } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { WorkbenchError } from "../../shared/errors.ts";

export interface JournalOptions<T> {
  /** fdatasync after this many records written since the last sync (default 32; 1 = every record; Infinity = never by count). */
  fsyncEveryRecords?: number;
  /** fdatasync this many ms after the first unsynced write at the latest (default 1000; Infinity = never by time). */
  fsyncEveryMs?: number;
  /** Checks (and may convert) each record read at open; throw to reject it. Without it records are trusted to be T. */
  validate?: (value: unknown) => T;
}

/** What `openJournal` dropped from the end of the file: a line cut short by a crash. */
export interface JournalRecovery {
  /** Lines dropped (1: only the last line can be dropped). */
  droppedLines: number;
  /** Bytes dropped from the end of the file. */
  droppedBytes: number;
  /** Byte offset the file was truncated back to (the end of the last complete record). */
  offset: number;
  /** 1-based line number of the dropped line. */
  line: number;
  /** "unterminated": no final "\n"; "invalid-json": a complete last line that does not parse. */
  reason: "unterminated" | "invalid-json";
  /** One sentence for a log. */
  message: string;
}

export interface Journal<T> {
  readonly path: string;
  /** The complete records found at open, in file order. */
  readonly records: readonly T[];
  /** Set when a cut-short last line was dropped at open. */
  readonly recovered: JournalRecovery | null;
  /** Records appended through this handle so far (resolved or in flight). */
  readonly appended: number;
  /** fdatasync calls made on the file so far (open-time repair excluded). */
  readonly syncs: number;
  /** Writes one record as one line; resolves when the line is in the file (and synced, when the count rule says so). */
  append(record: T): Promise<void>;
  /** fdatasync now; resolves when every record appended before the call is on stable storage. */
  sync(): Promise<void>;
  /** Waits for pending appends, syncs and closes. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_FSYNC_EVERY_RECORDS = 32;
const DEFAULT_FSYNC_EVERY_MS = 1000;
const NEWLINE = 0x0a;

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || Number.isNaN(value) || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw new WorkbenchError("usage", `${name} must be a positive integer or Infinity, found ${String(value)}`);
  }
  return value;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

function ioError(action: string, path: string, err: unknown): WorkbenchError {
  const code = errnoCode(err);
  if (code === "ENOENT") {
    return new WorkbenchError("missing-file", `cannot ${action} journal ${path}: its folder ${dirname(path)} does not exist`, {
      path,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new WorkbenchError("internal", `cannot ${action} journal ${path}: ${message}`, { path, code });
}

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 60).toString("utf8");
  return JSON.stringify(bytes.length > 60 ? `${text}…` : text);
}

interface ParsedFile<T> {
  records: T[];
  /** End offset of the last complete, valid record. */
  goodSize: number;
  recovered: JournalRecovery | null;
}

/**
 * Reads the file as a byte stream, line by line (no limit on file size other than memory for the
 * records themselves), tracking each line's byte offset.
 */
async function readJournalFile<T>(path: string, validate: ((value: unknown) => T) | undefined): Promise<ParsedFile<T>> {
  const records: T[] = [];
  let goodSize = 0;
  let lineNo = 0;
  // A complete line that failed to parse: fatal unless it turns out to be the last line of the file.
  let badComplete: { line: number; offset: number; bytes: Buffer; reason: string } | null = null;
  let carry: Buffer[] = [];
  let carryStart = 0;
  let offset = 0;

  const takeLine = (bytes: Buffer, start: number): void => {
    lineNo++;
    if (badComplete !== null) {
      throw new WorkbenchError(
        "bad-config",
        `journal ${path} is corrupt at line ${badComplete.line} (byte ${badComplete.offset}): ${badComplete.reason}; ` +
          `complete records follow it, so it is not a crash-cut last line. Records after it were not read; ` +
          `repair or move the file (nothing was changed)`,
        { path, line: badComplete.line, offset: badComplete.offset },
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString("utf8"));
    } catch (err) {
      const reason =
        bytes.length === 0 ? "an empty line" : `not valid JSON (${err instanceof Error ? err.message : String(err)}): ${preview(bytes)}`;
      badComplete = { line: lineNo, offset: start, bytes, reason };
      return;
    }
    let record: T;
    if (validate === undefined) {
      record = value as T;
    } else {
      try {
        record = validate(value);
      } catch (err) {
        throw new WorkbenchError(
          "bad-config",
          `journal ${path} line ${lineNo} (byte ${start}) is not a valid record: ${err instanceof Error ? err.message : String(err)}`,
          { path, line: lineNo, offset: start },
        );
      }
    }
    records.push(record);
    goodSize = start + bytes.length + 1;
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, from);
        if (nl === -1) break;
        const piece = chunk.subarray(from, nl);
        const line = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
        takeLine(line, carryStart);
        carry = [];
        carryStart = offset + nl + 1;
        from = nl + 1;
      }
      if (from < chunk.length) carry.push(chunk.subarray(from));
      offset += chunk.length;
    }
  } finally {
    stream.destroy();
  }

  const tail = Buffer.concat(carry);
  const fileSize = offset;
  let recovered: JournalRecovery | null = null;
  const bad = badComplete as { line: number; offset: number; bytes: Buffer; reason: string } | null;
  if (bad !== null && tail.length > 0) {
    // A bad complete line followed by more bytes: it is in the middle.
    takeLine(tail, carryStart); // throws, naming the bad line
  }
  if (bad !== null) {
    recovered = {
      droppedLines: 1,
      droppedBytes: fileSize - bad.offset,
      offset: bad.offset,
      line: bad.line,
      reason: "invalid-json",
      message:
        `dropped the last line of journal ${path} (line ${bad.line}, ${fileSize - bad.offset} bytes at byte ${bad.offset}): ` +
        `${bad.reason}`,
    };
  } else if (tail.length > 0) {
    const line = lineNo + 1;
    recovered = {
      droppedLines: 1,
      droppedBytes: tail.length,
      offset: carryStart,
      line,
      reason: "unterminated",
      message:
        `dropped an incomplete last line of journal ${path} (line ${line}, ${tail.length} bytes at byte ${carryStart}, ` +
        `no final newline: a write cut short by a crash): ${preview(tail)}`,
    };
  }
  return { records, goodSize, recovered };
}

async function syncFolder(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dirname(path), "r");
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or sync a folder; the file's own sync still holds.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Opens (creating if absent) the journal at `path`, reads its complete records, drops a cut-short
 * last line (see `recovered`), and returns a handle that appends after the last complete record.
 * Throws a WorkbenchError: "bad-config" for a corrupt line that is not last (naming its line and byte
 * offset) or a record `validate` rejects; "missing-file" when the folder does not exist.
 */
export async function openJournal<T>(path: string, options: JournalOptions<T> = {}): Promise<Journal<T>> {
  const everyRecords = checkPositive("fsyncEveryRecords", options.fsyncEveryRecords, DEFAULT_FSYNC_EVERY_RECORDS);
  const everyMs = checkPositive("fsyncEveryMs", options.fsyncEveryMs, DEFAULT_FSYNC_EVERY_MS);

  let existed = true;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new WorkbenchError("usage", `journal path ${path} is not a file`, { path });
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    if (errnoCode(err) !== "ENOENT") throw ioError("read", path, err);
    existed = false;
  }

  let parsed: ParsedFile<T> = { records: [], goodSize: 0, recovered: null };
  if (existed) {
    try {
      parsed = await readJournalFile(path, options.validate);
    } catch (err) {
      if (err instanceof WorkbenchError) throw err;
      throw ioError("read", path, err);
    }
  }

  let handle: FileHandle;
  try {
    handle = await open(path, "a");
  } catch (err) {
    throw ioError("open", path, err);
  }
  try {
    if (parsed.recovered !== null) {
      await handle.truncate(parsed.goodSize);
      await handle.datasync();
    }
    if (!existed) await syncFolder(path);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw ioError("repair", path, err);
  }

  return new JournalWriter<T>(path, handle, parsed, everyRecords, everyMs);
}

class JournalWriter<T> implements Journal<T> {
  readonly path: string;
  readonly records: readonly T[];
  readonly recovered: JournalRecovery | null;
  appended = 0;
  syncs = 0;

  private handle: FileHandle;
  private size: number;
  private unsynced = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Every write/sync/close runs in this chain, one at a time, in call order. */
  private chain: Promise<void> = Promise.resolve();
  /** Set when the file may end in a torn line we could not remove, or a background sync failed. */
  private broken: Error | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly everyRecords: number;
  private readonly everyMs: number;

  constructor(path: string, handle: FileHandle, parsed: ParsedFile<T>, everyRecords: number, everyMs: number) {
    this.path = path;
    this.handle = handle;
    this.records = parsed.records;
    this.recovered = parsed.recovered;
    this.size = parsed.goodSize;
    this.everyRecords = everyRecords;
    this.everyMs = everyMs;
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const result = this.chain.then(task);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  append(record: T): Promise<void> {
    if (this.closing) return Promise.reject(new WorkbenchError("usage", `journal ${this.path} is closed`, { path: this.path }));
    let json: string | undefined;
    try {
      json = JSON.stringify(record);
    } catch (err) {
      return Promise.reject(
        new WorkbenchError("usage", `journal record cannot be written as JSON: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
    if (json === undefined) {
      return Promise.reject(new WorkbenchError("usage", `journal record cannot be written as JSON: found ${typeof record}`));
    }
    const line = Buffer.from(`${json}\n`, "utf8");
    this.appended++;
    return this.enqueue(() => this.writeLine(line));
  }

  private async writeLine(line: Buffer): Promise<void> {
    if (this.broken !== undefined) throw this.broken;
    try {
      let written = 0;
      while (written < line.length) {
        const { bytesWritten } = await this.handle.write(line, written, line.length - written, null);
        if (bytesWritten <= 0) throw new Error("the OS accepted no bytes");
        written += bytesWritten;
      }
    } catch (err) {
      const error = ioError("append to", this.path, err);
      try {
        await this.handle.truncate(this.size);
      } catch {
        this.broken = error;
      }
      throw error;
    }
    this.size += line.length;
    this.unsynced++;
    if (this.unsynced >= this.everyRecords) {
      await this.syncNow();
    } else if (this.timer === undefined && Number.isFinite(this.everyMs)) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.enqueue(() => this.syncNow()).catch((err: unknown) => {
          this.broken ??= err instanceof Error ? err : new Error(String(err));
        });
      }, this.everyMs);
      this.timer.unref();
    }
  }

  private async syncNow(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.unsynced === 0) return;
    try {
      await this.handle.datasync();
      this.syncs++;
    } catch (err) {
      throw ioError("sync", this.path, err);
    }
    this.unsynced = 0;
  }

  sync(): Promise<void> {
    if (this.closing) return this.chain;
    return this.enqueue(async () => {
      if (this.broken !== undefined) throw this.broken;
      await this.syncNow();
    });
  }

  close(): Promise<void> {
    this.closing = true;
    this.closed ??= this.enqueue(async () => {
      try {
        await this.syncNow();
      } finally {
        await this.handle.close();
      }
      if (this.broken !== undefined) throw this.broken;
    });
    return this.closed;
  }
}

