/**
 * Files of a run folder: JSON written atomically (a reader, or a crash, sees the old file or the
 * new one, never half of one), JSON read back with typed errors, and a lock so that two sweeps
 * never write the same run folder at once.
 */
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, fsyncSync, unlinkSync } from "node:fs";
import { link, mkdir, open, readFile, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import os from "node:os";
import { basename, dirname, join } from "node:path";
import { WorkbenchError } from "../../shared/errors.ts";

function errnoCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** fsync a folder so that a rename or a new entry in it survives a power cut; not possible on every platform. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Windows cannot open a folder for sync; the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes `value` as JSON (2-space indent, final newline) to `path` atomically: to a temporary file
 * in the same folder (".<name>.<pid>.<random>.tmp"), fsync'd, then renamed over `path`, then the
 * folder fsync'd. After a crash at any moment `path` holds either its old content or the new one
 * (a stray temp file may remain). Throws "usage" for a value JSON cannot represent, "missing-file"
 * when the folder does not exist.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (err) {
    throw new WorkbenchError("usage", `cannot write ${path}: the value is not JSON (${messageOf(err)})`, { path });
  }
  if (text === undefined) throw new WorkbenchError("usage", `cannot write ${path}: a ${typeof value} is not JSON`, { path });

  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, "wx");
    await handle.writeFile(`${text}\n`, "utf8");
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if (errnoCode(err) === "ENOENT") {
      throw new WorkbenchError("missing-file", `cannot write ${path}: folder ${dir} does not exist`, { path });
    }
    throw new WorkbenchError("internal", `cannot write ${path}: ${messageOf(err)}`, { path, code: errnoCode(err) });
  }
  await syncFolder(dir);
}

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * Offset of the first character where `text` stops being JSON (V8's messages give a position for
 * only some errors). Only called on text JSON.parse rejected; a walk of the JSON grammar.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < " ") fail();
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        i++;
        const e = text[i];
        if (e === "u") {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m === null || m[0] === "" || m[0] === "-") fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else fail();
      }
    } else if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else fail();
      }
    } else if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) number();
    else fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === "number" ? at : 0;
  }
}

/**
 * Reads a JSON file (a leading BOM is ignored). Throws "missing-file" when it does not exist,
 * "bad-config" when it is a folder, empty, or not valid JSON (naming the line and column of the
 * first character that is not), or when `validate` throws.
 * Without `validate`, T is the caller's word for it: nothing is checked.
 */
export async function readJson<T>(path: string, validate?: (value: unknown) => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT") throw new WorkbenchError("missing-file", `expected a JSON file at ${path}, found nothing`, { path });
    if (code === "EISDIR") throw new WorkbenchError("bad-config", `expected a JSON file at ${path}, found a folder`, { path });
    throw new WorkbenchError("internal", `cannot read ${path}: ${messageOf(err)}`, { path, code });
  }
  if (text.trim() === "") throw new WorkbenchError("bad-config", `expected JSON in ${path}, found an empty file`, { path });
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const where = lineCol(body, jsonErrorOffset(body));
    throw new WorkbenchError(
      "bad-config",
      `${path} is not valid JSON at line ${where.line}, column ${where.column}: ${messageOf(err)}`,
      { path, ...where },
    );
  }
  if (validate === undefined) return value as T;
  try {
    return validate(value);
  } catch (err) {
    throw new WorkbenchError("bad-config", `${path} does not have the expected content: ${messageOf(err)}`, { path });
  }
}

/** What a lock file holds. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Linux boot id (/proc/sys/kernel/random/boot_id); a different one means the holder died in an earlier boot. */
  bootId: string | null;
  /** Start time of the holder process in clock ticks since boot (/proc/<pid>/stat), to tell a reused pid apart. */
  processStart: string | null;
  /** Unique per lock, so that a release never removes a lock somebody else took over. */
  token: string;
}

export interface RunLock {
  /** The lock file: <dir>/.lock */
  readonly path: string;
  readonly owner: LockOwner;
  /** Set when a lock left by a dead process was taken over: who held it, and a sentence for the log. */
  readonly tookOver: { previous: LockOwner; note: string } | null;
  /** Removes the lock (if it is still ours). Idempotent. Also done on process exit. */
  release(): Promise<void>;
}

export const LOCK_FILE = ".lock";

function readBootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (start time), read after the command name, which may hold spaces and parentheses. */
function readProcessStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null; // fields[0] is field 3
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === "EPERM"; // exists, owned by someone else
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid !== "number" || typeof v.hostname !== "string" || typeof v.token !== "string") return null;
    return {
      pid: v.pid,
      hostname: v.hostname,
      startedAt: typeof v.startedAt === "string" ? v.startedAt : "",
      bootId: typeof v.bootId === "string" ? v.bootId : null,
      processStart: typeof v.processStart === "string" ? v.processStart : null,
      token: v.token,
    };
  } catch {
    return null;
  }
}

/** Why the holder of a lock on this host is dead, or null when it may be alive. */
function deadReason(owner: LockOwner): string | null {
  const bootId = readBootId();
  if (owner.bootId !== null && bootId !== null && owner.bootId !== bootId) return "the machine has restarted since";
  if (!isAlive(owner.pid)) return `process ${owner.pid} is no longer running`;
  if (owner.pid === process.pid) return null; // this very process: alive
  if (owner.processStart !== null) {
    const now = readProcessStart(owner.pid);
    if (now !== null && now !== owner.processStart) return `process ${owner.pid} is no longer running (its pid is reused)`;
  }
  return null;
}

function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on ${o.hostname}${o.startedAt === "" ? "" : `, since ${o.startedAt}`}`;
}

/** A guard older than this was left by a process that died inside the few milliseconds it holds one. */
const TAKEOVER_GUARD_STALE_MS = 10_000;

/**
 * Runs `fn` holding `.lock.takeover` in `dir` (created atomically as a hard link of `tmp`); "busy"
 * when another process holds it. A guard left behind by a dead process is removed once it is old.
 */
async function underTakeoverGuard<T>(dir: string, tmp: string, fn: () => Promise<T>): Promise<T | "busy"> {
  const guard = join(dir, ".lock.takeover");
  try {
    await link(tmp, guard);
  } catch (err) {
    if (errnoCode(err) !== "EEXIST") throw err;
    const age = await stat(guard).then((st) => Date.now() - st.mtimeMs, () => 0);
    if (age > TAKEOVER_GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
    return "busy";
  }
  try {
    return await fn();
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/**
 * Takes the run folder's lock (<dir>/.lock, created with the folder if needed) or throws "usage"
 * naming who holds it. A lock whose holder is dead — same host, and its pid is not running, or runs
 * a different process (pid reused), or the machine restarted since — is taken over, and `tookOver`
 * says so. A lock held from another host is never taken over (its process cannot be checked): the
 * error says to remove the file if that sweep is gone.
 *
 * The lock file appears atomically with its full content (written to a temp file, then hard-linked
 * into place, which fails if a lock exists). A takeover removes the dead lock under a short-lived
 * guard, after re-reading that it is still the one judged dead, so two processes taking over at once
 * cannot both win (moving the lock aside and putting back a live one could: seen under load).
 * Released by `release()`, or on process exit ('exit' event: normal end, process.exit(), uncaught
 * exception). A process killed by a signal leaves its lock, which the next run takes over.
 */
export async function acquireRunLock(dir: string): Promise<RunLock> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new WorkbenchError("usage", `cannot create run folder ${dir}: ${messageOf(err)}`, { path: dir });
  }
  const lockPath = join(dir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    bootId: readBootId(),
    processStart: readProcessStart(process.pid),
    token: randomBytes(8).toString("hex"),
  };
  const tmp = join(dir, `.lock.${process.pid}.${owner.token}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, "wx");
    await handle.writeFile(`${JSON.stringify(owner)}\n`, "utf8");
    await handle.sync();
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new WorkbenchError("internal", `cannot write lock file in ${dir}: ${messageOf(err)}`, { path: dir });
  } finally {
    await handle?.close().catch(() => undefined);
  }

  let tookOver: RunLock["tookOver"] = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(tmp, lockPath);
        break;
      } catch (err) {
        if (errnoCode(err) !== "EEXIST") throw err;
      }
      if (attempt >= 5) throw new WorkbenchError("usage", `cannot take the lock ${lockPath}: others keep taking it`, { path: lockPath });

      let text: string;
      try {
        text = await readFile(lockPath, "utf8");
      } catch (err) {
        if (errnoCode(err) === "ENOENT") continue; // released meanwhile: try again
        throw err;
      }
      const holder = parseOwner(text);
      if (holder === null) {
        throw new WorkbenchError(
          "bad-config",
          `run folder ${dir} has an unreadable lock file ${lockPath}; if no sweep is writing this folder, delete the file`,
          { path: lockPath },
        );
      }
      const sameHost = holder.hostname === owner.hostname;
      const reason = sameHost ? deadReason(holder) : null;
      if (reason === null) {
        throw new WorkbenchError(
          "usage",
          `run folder ${dir} is in use by another sweep (${describeOwner(holder)}); wait for it to finish or use another folder` +
            (sameHost ? "" : `; if that sweep is no longer running, delete ${lockPath}`),
          { path: lockPath, holder },
        );
      }
      // Remove the dead lock under a short-lived guard, after checking it is still the one judged dead:
      // two processes that both judged it dead must not each remove what the other just created.
      const removed = await underTakeoverGuard(dir, tmp, async () => {
        const now = parseOwner(await readFile(lockPath, "utf8").catch(() => ""));
        if (now?.token !== holder.token) return false; // gone, or replaced: look again
        await unlink(lockPath);
        return true;
      });
      if (removed !== true) {
        if (removed === "busy") await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
        continue;
      }
      tookOver = {
        previous: holder,
        note: `took over the lock of run folder ${dir} from ${describeOwner(holder)}: ${reason}`,
      };
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    if (err instanceof WorkbenchError) throw err;
    throw new WorkbenchError("internal", `cannot take the lock ${lockPath}: ${messageOf(err)}`, { path: lockPath });
  }
  await unlink(tmp).catch(() => undefined);
  await syncFolder(dir);

  let released = false;
  /** Removes the lock file if it still holds our token. Sync: also runs inside the 'exit' event. */
  const releaseSync = () => {
    if (released) return;
    released = true;
    process.removeListener("exit", releaseSync);
    try {
      if (parseOwner(readFileSync(lockPath, "utf8"))?.token === owner.token) unlinkSync(lockPath);
    } catch {
      // already gone
    }
    try {
      const fd = openSync(dir, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // cannot sync a folder on this platform
    }
  };
  process.on("exit", releaseSync);

  return {
    path: lockPath,
    owner,
    tookOver,
    release: async () => releaseSync(),
  };
}
