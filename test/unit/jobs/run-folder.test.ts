/**
 * Run folder files: JSON replaced atomically, JSON read with typed errors, and the lock that keeps
 * two sweeps out of one folder (taken over from a dead holder, never from a live one).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isWorkbenchError, type ErrorKind } from "../../../shared/errors.ts";
import { acquireRunLock, LOCK_FILE, readJson, writeJsonAtomic, type LockOwner } from "../../../main/jobs/run-folder.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/jobs/${name}`, import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "run-folder-"));
let counter = 0;
const freshDir = () => {
  const dir = join(tmp, `run${++counter}`);
  mkdirSync(dir);
  return dir;
};

async function failure(p: Promise<unknown>): Promise<{ kind: ErrorKind; message: string; details: Record<string, unknown> }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWorkbenchError(err)) throw new Error(`expected a WorkbenchError, got ${String(err)}`);
  return { kind: err.kind, message: err.message, details: err.details ?? {} };
}

function tsx(script: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--import", "tsx", fixture(script), ...args], { cwd: repoRoot, stdio: "pipe" });
}

/** Collects a child's stdout lines; `next(prefix)` waits for the first line starting with it. */
function lines(child: ChildProcessWithoutNullStreams) {
  const seen: string[] = [];
  let buffered = "";
  let stderr = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf("\n")) !== -1) {
      seen.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return {
    seen,
    exited,
    async next(prefix: string): Promise<string> {
      for (;;) {
        const line = seen.find((l) => l.startsWith(prefix));
        if (line !== undefined) return line;
        const done = await Promise.race([new Promise<false>((r) => waiters.push(() => r(false))), exited.then(() => true)]);
        if (done && !seen.some((l) => l.startsWith(prefix))) {
          throw new Error(`child ended without "${prefix}": stdout ${JSON.stringify(seen)}, stderr ${stderr}`);
        }
      }
    },
  };
}

/** A pid that was running a moment ago and is not any more. */
function deadPid(): number {
  const res = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(res.stdout);
}

function lockOf(dir: string): LockOwner {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as LockOwner;
}

function writeLock(dir: string, owner: Partial<LockOwner>): void {
  const full: LockOwner = {
    pid: 1,
    hostname: os.hostname(),
    startedAt: "2025-01-01T00:00:00.000Z",
    bootId: null,
    processStart: null,
    token: "t0",
    ...owner,
  };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(full));
}

describe("writeJsonAtomic and readJson", () => {
  it("write indented JSON with a final newline, replace it whole, and leave no temp file", async () => {
    const dir = freshDir();
    const path = join(dir, "summary.json");
    await writeJsonAtomic(path, { runs: [{ method: "rsd", threshold: 0.5 }], speedup: null });
    expect(readFileSync(path, "utf8")).toBe('{\n  "runs": [\n    {\n      "method": "rsd",\n      "threshold": 0.5\n    }\n  ],\n  "speedup": null\n}\n');
    await writeJsonAtomic(path, [1, 2]);
    expect(await readJson<number[]>(path)).toEqual([1, 2]);
    expect(readdirSync(dir)).toEqual(["summary.json"]);
  });

  it("refuse a value JSON cannot hold (usage), leaving the old file as it was", async () => {
    const dir = freshDir();
    const path = join(dir, "spec.json");
    await writeJsonAtomic(path, { ok: true });
    for (const bad of [undefined, 1n, () => 0]) expect((await failure(writeJsonAtomic(path, bad))).kind).toBe("usage");
    expect(await readJson(path)).toEqual({ ok: true });
    expect(readdirSync(dir)).toEqual(["spec.json"]);
  });

  it("writing into a folder that does not exist is missing-file", async () => {
    const f = await failure(writeJsonAtomic(join(tmp, "nowhere", "x.json"), {}));
    expect(f.kind).toBe("missing-file");
    expect(f.message).toContain(join(tmp, "nowhere"));
  });

  it("a reader never sees a half-written file, even while a writer is killed with SIGKILL", async () => {
    const dir = freshDir();
    const path = join(dir, "state.json");
    const child = tsx("atomic-writer.ts", [path]);
    const out = lines(child);
    await out.next("wrote 0");
    const versions = new Set<string>();
    for (let k = 0; k < 100; k++) {
      const v = await readJson<{ version: string; items: Array<{ i: number; text: string }> }>(path);
      expect(v.items.length).toBe(v.version === "a" ? 4_000 : 6_000);
      expect(v.items.at(-1)?.text).toBe(v.version === "a" ? "item 3999 of a" : "item 5999 of b, longer");
      versions.add(v.version);
    }
    child.kill("SIGKILL");
    expect((await out.exited).signal).toBe("SIGKILL");
    expect(["a", "b"]).toContain((await readJson<{ version: string }>(path)).version);
    expect(versions.size).toBe(2); // the file really was being replaced while we read it
    // At most a stray temp file of the killed write is left, never a damaged target.
    expect(readdirSync(dir).filter((n) => n !== "state.json").every((n) => /^\.state\.json\.\d+\.[0-9a-f]+\.tmp$/.test(n))).toBe(true);
  });

  it("readJson: missing-file when absent; bad-config for a folder, an empty file, or a validator's refusal", async () => {
    const dir = freshDir();
    expect((await failure(readJson(join(dir, "none.json")))).kind).toBe("missing-file");
    const folder = await failure(readJson(dir));
    expect([folder.kind, folder.message]).toEqual(["bad-config", `expected a JSON file at ${dir}, found a folder`]);
    writeFileSync(join(dir, "empty.json"), " \n");
    expect((await failure(readJson(join(dir, "empty.json")))).message).toContain("found an empty file");
    writeFileSync(join(dir, "n.json"), '{"n":"7"}');
    const validate = (v: unknown) => {
      const n = (v as { n?: unknown }).n;
      if (typeof n !== "number") throw new Error(`n must be a number, found ${JSON.stringify(n)}`);
      return { n };
    };
    const refused = await failure(readJson(join(dir, "n.json"), validate));
    expect(refused.kind).toBe("bad-config");
    expect(refused.message).toContain('n must be a number, found "7"');
    writeFileSync(join(dir, "m.json"), '\ufeff{"n":7}');
    expect(await readJson(join(dir, "m.json"), validate)).toEqual({ n: 7 });
  });

  it.each([
    ['{\n  "a": 1,\n  "b": \n}', 4, 1],
    ['{"a":1', 1, 7],
    ["[1,2,,3]", 1, 6],
    ['{"a":1}x', 1, 8],
    ['{\n  "a": tru\n}', 2, 11],
    ['{\n  "s": "tab\there"\n}', 2, 12],
    ["{'a': 1}", 1, 2],
    ['{"a": 01}', 1, 8],
  ])("readJson names the line and column where %j stops being JSON", async (text, line, column) => {
    const path = join(freshDir(), "bad.json");
    writeFileSync(path, text);
    const f = await failure(readJson(path));
    expect(f.kind).toBe("bad-config");
    expect(f.message).toContain(`is not valid JSON at line ${line}, column ${column}: `);
    expect(f.details).toMatchObject({ line, column });
  });
});

describe("acquireRunLock", () => {
  it("creates the folder and a lock file naming this process; release removes it; the folder can be locked again", async () => {
    const dir = join(tmp, "new-run", "nested");
    const lock = await acquireRunLock(dir);
    expect(lock.path).toBe(join(dir, LOCK_FILE));
    expect(lock.tookOver).toBeNull();
    expect(lockOf(dir)).toMatchObject({ pid: process.pid, hostname: os.hostname(), token: lock.owner.token });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]); // no temp file left
    await lock.release();
    await lock.release();
    expect(existsSync(lock.path)).toBe(false);
    const again = await acquireRunLock(dir);
    await again.release();
  });

  it("a second lock on a folder already locked by this process is refused", async () => {
    const dir = freshDir();
    const lock = await acquireRunLock(dir);
    const f = await failure(acquireRunLock(dir));
    expect(f.kind).toBe("usage");
    expect(f.message).toContain(`is in use by another sweep (pid ${process.pid} on ${os.hostname()}`);
    await lock.release();
  });

  it("a live sweep in another process keeps the folder; once it is killed with SIGKILL the lock is taken over with a note", async () => {
    const dir = freshDir();
    const child = tsx("lock-holder.ts", [dir, "hold"]);
    const out = lines(child);
    await out.next("locked ");
    const f = await failure(acquireRunLock(dir));
    expect(f.kind).toBe("usage");
    expect(f.message).toContain(`pid ${child.pid} on ${os.hostname()}`);
    expect(f.details.holder).toMatchObject({ pid: child.pid });

    child.kill("SIGKILL");
    await out.exited;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true); // a killed process cannot clean up
    const lock = await acquireRunLock(dir);
    expect(lock.tookOver?.previous.pid).toBe(child.pid);
    expect(lock.tookOver?.note).toBe(
      `took over the lock of run folder ${dir} from pid ${child.pid} on ${os.hostname()}, since ${lock.tookOver?.previous.startedAt}: ` +
        `process ${child.pid} is no longer running`,
    );
    expect(lockOf(dir).pid).toBe(process.pid);
    await lock.release();
  });

  it.each(["exit", "throw"])("a process that ends (%s) without calling release() leaves no lock behind", async (mode) => {
    const dir = freshDir();
    const child = tsx("lock-holder.ts", [dir, mode]);
    const out = lines(child);
    await out.next("locked ");
    const { code } = await out.exited;
    expect(code).toBe(mode === "exit" ? 0 : 1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("of several processes starting at once, exactly one gets the lock — also when they all find a dead lock to take over", async () => {
    for (const stale of [false, true]) {
      const dir = freshDir();
      if (stale) writeLock(dir, { pid: deadPid(), token: "dead" });
      const at = String(Date.now() + 3000); // all children try at this moment (they need ~1 s to start)
      const children = Array.from({ length: 3 }, () => tsx("lock-holder.ts", [dir, "hold", at]));
      const outs = children.map(lines);
      const results = await Promise.all(outs.map((o) => Promise.race([o.next("locked "), o.next("error ")])));
      const winners = results.filter((r) => r.startsWith("locked "));
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.startsWith("error usage ")).length).toBe(2);
      const won = JSON.parse((winners[0] as string).slice(7)) as { owner: LockOwner; tookOver: { previous: LockOwner } | null };
      expect(lockOf(dir).token).toBe(won.owner.token);
      // A child that starts late can find the dead lock already removed by another one and take the
      // free slot without a takeover; then that other one loses. Either way the dead lock is gone.
      if (stale) expect(["dead", null]).toContain(won.tookOver?.previous.token ?? null);
      else expect(won.tookOver).toBeNull();
      expect(readdirSync(dir).filter((f) => f.startsWith(".lock.stale.") || f === ".lock.takeover")).toEqual([]);
      children.forEach((c) => c.kill("SIGKILL"));
      await Promise.all(outs.map((o) => o.exited));
    }
  });

  it("a lock from another host is never taken over: the error says how to clear it", async () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid(), hostname: "gpu-server-7" });
    const f = await failure(acquireRunLock(dir));
    expect(f.kind).toBe("usage");
    expect(f.message).toContain("in use by another sweep (pid");
    expect(f.message).toContain(`on gpu-server-7, since 2025-01-01T00:00:00.000Z); wait for it to finish or use another folder; if that sweep is no longer running, delete ${join(dir, LOCK_FILE)}`);
  });

  it.runIf(existsSync("/proc/sys/kernel/random/boot_id"))(
    "a lock whose pid now belongs to another process (reused pid, or an earlier boot) is taken over",
    async () => {
      // pid 1 is always alive, but it is not the process that wrote these locks.
      const reused = freshDir();
      writeLock(reused, { pid: 1, processStart: "1234567890" });
      const a = await acquireRunLock(reused);
      expect(a.tookOver?.note).toContain("process 1 is no longer running (its pid is reused)");
      await a.release();

      const rebooted = freshDir();
      writeLock(rebooted, { pid: 1, bootId: "00000000-0000-0000-0000-000000000000" });
      const b = await acquireRunLock(rebooted);
      expect(b.tookOver?.note).toContain("the machine has restarted since");
      await b.release();

      const live = freshDir();
      writeLock(live, { pid: 1 }); // nothing says pid 1 is not the holder: it is alive
      expect((await failure(acquireRunLock(live))).kind).toBe("usage");
    },
  );

  it("an unreadable lock file is an error, not a takeover", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), "");
    const f = await failure(acquireRunLock(dir));
    expect(f.kind).toBe("bad-config");
    expect(f.message).toContain("if no sweep is writing this folder, delete the file");
  });

  it("release() leaves alone a lock that someone else has taken over meanwhile", async () => {
    const dir = freshDir();
    const lock = await acquireRunLock(dir);
    writeLock(dir, { pid: 1, token: "someone-else" });
    await lock.release();
    expect(lockOf(dir).token).toBe("someone-else");
  });
});
