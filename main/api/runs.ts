/**
 * Run folders for the app: the history under a runs folder (runs.list) and one run opened page by
 * page (runs.load). Works on any run folder — one the app is writing now, one the CLI wrote on a
 * GPU server — and validates what it reads against shared/api's schemas, so a folder from another
 * version fails with the field that does not fit instead of a broken plot.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { z } from "zod";
import { WorkbenchError } from "../../shared/errors.ts";
import { ProblemRecordSchema, SummaryFileSchema } from "../../shared/api/schemas/results.ts";
import { RunMetaSchema, type RunListEntry, type RunMeta, type RunPage } from "../../shared/api/schemas/run.ts";
import type { ProblemRecord } from "../../shared/results.ts";
import { RETRIED_KIND } from "../jobs/failed-problems.ts";
import { readJson } from "../jobs/run-folder.ts";

const DEFAULT_PAGE = 1000;

function validator<T>(schema: z.ZodType<T>, what: string) {
  return (value: unknown): T => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const first = r.error.issues.slice(0, 8).map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
    throw new Error(`${what} does not match this version's format (${first.join("; ")})`);
  };
}

export function readRunMeta(dir: string): Promise<RunMeta> {
  return readJson(join(dir, "run.json"), validator(RunMetaSchema, "run.json"));
}

async function readSummary(dir: string): Promise<z.infer<typeof SummaryFileSchema> | null> {
  try {
    return await readJson(join(dir, "summary.json"), validator(SummaryFileSchema, "summary.json"));
  } catch (err) {
    if (err instanceof WorkbenchError && err.kind === "missing-file") return null;
    throw err;
  }
}

/**
 * Walks journal.jsonl line by line without holding the file: calls `onLine` for every complete
 * line (1-based number, text) and returns how many there are and whether a last line was cut short
 * (a sweep killed while writing it — the journal drops it on resume).
 */
async function walkJournal(path: string, onLine: (n: number, text: string) => void): Promise<{ lines: number; torn: string | null }> {
  let n = 0;
  let rest = "";
  try {
    for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
      const parts = (rest + (chunk as string)).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) {
        if (line.trim() === "") continue;
        n++;
        onLine(n, line);
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { lines: 0, torn: null };
    throw new WorkbenchError("internal", `cannot read ${path}: ${(err as Error).message}`, { path });
  }
  return { lines: n, torn: rest.trim() === "" ? null : rest };
}

export async function countJournal(dir: string): Promise<number> {
  return (await walkJournal(join(dir, "journal.jsonl"), () => {})).lines;
}

export async function loadRun(dirIn: string, offset = 0, limit = DEFAULT_PAGE): Promise<RunPage> {
  const dir = resolve(dirIn);
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new WorkbenchError("missing-file", `expected a run folder at ${dir}, found nothing`, { path: dir });
  }
  if (!info.isDirectory()) throw new WorkbenchError("bad-config", `expected a run folder at ${dir}, found a file`, { path: dir });
  const run = await readRunMeta(dir).catch((err: unknown) => {
    if (err instanceof WorkbenchError && err.kind === "missing-file") {
      throw new WorkbenchError("missing-file", `${dir} is not a run folder: it has no run.json (a sweep writes one when it starts)`, { path: dir });
    }
    throw err;
  });
  const summary = await readSummary(dir);
  const records: ProblemRecord[] = [];
  const skipped: RunPage["skipped"] = [];
  const end = offset + limit;
  const walked = await walkJournal(join(dir, "journal.jsonl"), (n, text) => {
    const index = n - 1;
    if (index < offset || index >= end) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      skipped.push({ line: n, reason: `not JSON: ${(err as Error).message}` });
      return;
    }
    const parsed = ProblemRecordSchema.safeParse((value as { record?: unknown } | null)?.record);
    if (parsed.success) records.push(parsed.data);
    else skipped.push({ line: n, reason: parsed.error.issues.slice(0, 3).map((i) => `record.${i.path.map(String).join(".")}: ${i.message}`).join("; ") });
  });
  if (walked.torn !== null && walked.lines + 1 > offset && walked.lines + 1 <= end) {
    skipped.push({ line: walked.lines + 1, reason: "cut short (the sweep stopped while writing it; resuming drops it)" });
  }
  return {
    dir,
    run,
    summary,
    records,
    offset,
    total: walked.lines,
    nextOffset: end < walked.lines ? end : null,
    skipped,
  };
}

/** Run folders directly under `dir` (those holding run.json), newest first. A missing folder lists nothing. */
export async function listRuns(dirIn: string, isActive: (dir: string) => boolean): Promise<RunListEntry[]> {
  const dir = resolve(dirIn);
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    if ((err as NodeJS.ErrnoException).code === "ENOTDIR") throw new WorkbenchError("bad-config", `expected a runs folder at ${dir}, found a file`, { path: dir });
    throw new WorkbenchError("internal", `cannot list ${dir}: ${(err as Error).message}`, { path: dir });
  }
  const entries: RunListEntry[] = [];
  for (const name of names) {
    const runDir = join(dir, name);
    let meta: RunMeta | null = null;
    let problem: string | null = null;
    try {
      meta = await readRunMeta(runDir);
    } catch (err) {
      if (err instanceof WorkbenchError && err.kind === "missing-file") continue; // not a run folder
      problem = (err as Error).message;
    }
    let complete = false;
    let failed = 0;
    try {
      const summary = await readSummary(runDir);
      complete = summary?.complete === true;
      failed = summary?.errors?.[RETRIED_KIND] ?? 0;
    } catch (err) {
      problem ??= (err as Error).message;
    }
    entries.push({
      dir: runDir,
      name: meta?.resolved.name ?? basename(runDir),
      started: meta?.started ?? null,
      complete,
      failed,
      active: isActive(runDir),
      problems: meta?.dataset.count ?? null,
      configurations: meta?.resolved.configurations.length ?? null,
      records: await countJournal(runDir),
      problem,
    });
  }
  return entries.sort((a, b) => (b.started ?? "").localeCompare(a.started ?? "") || a.dir.localeCompare(b.dir));
}
