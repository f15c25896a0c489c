/**
 * Run folders for the app: the history under a runs folder (runs.list) and one run opened page by
 * page (runs.load). Works on any run folder — one the app is writing now, one the CLI wrote on a
 * GPU server — and validates what it reads against shared/api's schemas, so a folder from another
 * version fails with the field that does not fit instead of a broken plot.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { z } from "zod";
import { WorkbenchError } from "../../shared/errors.ts";
import { ProblemRecordSchema, SummaryFileSchema } from "../../shared/api/schemas/results.ts";
import { RunMetaSchema, type CostSummary, type RunListEntry, type RunMeta, type RunPage } from "../../shared/api/schemas/run.ts";
import type { ProblemRecord } from "../../shared/results.ts";
import { RETRIED_KIND } from "../jobs/failed-problems.ts";
import { readJson } from "../jobs/run-folder.ts";
import { countJournalLines, withJournal } from "./journal-index.ts";

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

function medianOf(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** calibration.json in brief (CostSummary); null without one, or one this version cannot read. */
async function readCosts(dir: string): Promise<CostSummary | null> {
  type Costs = { decode?: { ms?: unknown }[]; points?: { ms?: unknown }[] } | null | undefined;
  let raw: Record<string, Costs>;
  try {
    raw = await readJson(join(dir, "calibration.json"), (v) => v as Record<string, Costs>);
  } catch {
    return null;
  }
  const ms = (rows: { ms?: unknown }[] | undefined) => medianOf((rows ?? []).map((r) => r.ms).filter((x): x is number => typeof x === "number" && Number.isFinite(x)));
  return { draft: ms(raw.draft?.decode), target: ms(raw.target?.decode), prm: ms(raw.prm?.points), router: ms(raw.router?.points) };
}

export async function countJournal(dir: string): Promise<number> {
  return countJournalLines(join(dir, "journal.jsonl"));
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
  // Read once, with the first page (the import stores it with the run's row).
  const costs = offset === 0 ? await readCosts(dir) : null;
  const records: ProblemRecord[] = [];
  const skipped: RunPage["skipped"] = [];
  const end = offset + limit;
  // The journal's line index makes a page one read of its bytes, whatever the offset.
  const { total, torn } = await withJournal(join(dir, "journal.jsonl"), async (journal) => {
    for (const { line, text } of await journal.read(offset, limit)) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        skipped.push({ line, reason: `not JSON: ${(err as Error).message}` });
        continue;
      }
      const parsed = ProblemRecordSchema.safeParse((value as { record?: unknown } | null)?.record);
      if (parsed.success) records.push(parsed.data);
      else skipped.push({ line, reason: parsed.error.issues.slice(0, 3).map((i) => `record.${i.path.map(String).join(".")}: ${i.message}`).join("; ") });
    }
    return { total: journal.lines, torn: journal.torn };
  });
  if (torn !== null && total + 1 > offset && total + 1 <= end) {
    skipped.push({ line: total + 1, reason: "cut short (the sweep stopped while writing it; resuming drops it)" });
  }
  return {
    dir,
    run,
    summary,
    costs,
    records,
    offset,
    total,
    nextOffset: end < total ? end : null,
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
