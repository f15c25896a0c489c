/**
 * The question and ground truth of a run's problems, for the trace viewer: the journal holds what
 * each configuration did, not the problem itself, so they are read from the run's dataset file as
 * run.json names it (path, format and field mapping as the sweep resolved them). When the file is
 * gone or has changed since the run (its sha256 differs), the answer says so instead of showing
 * another file's text as this run's.
 */
import { stat } from "node:fs/promises";
import { WorkbenchError } from "../../shared/errors.ts";
import { loadDataset } from "../eval/datasets/load.ts";
import { DatasetFormatSchema, type PartialFieldMapping } from "../eval/datasets/types.ts";
import { readRunMeta } from "./runs.ts";

export interface ProblemText {
  id: string;
  question: string;
  answer: string;
}

export interface RunProblems {
  problems: ProblemText[];
  /** Why some or all problems have no text (dataset missing, changed, id not in it), else null. */
  note: string | null;
}

interface Cached {
  key: string;
  sha256: string;
  byId: Map<string, ProblemText>;
}

/** Datasets kept loaded (a trace viewer asks for one problem at a time). */
const MAX_CACHED = 4;
const cache = new Map<string, Cached>();

async function datasetOf(path: string, format: string, mapping: PartialFieldMapping | undefined): Promise<Cached> {
  const info = await stat(path);
  const key = `${path}\u0000${info.size}\u0000${info.mtimeMs}\u0000${format}\u0000${JSON.stringify(mapping ?? {})}`;
  const hit = cache.get(path);
  if (hit !== undefined && hit.key === key) return hit;
  const parsedFormat = DatasetFormatSchema.safeParse(format);
  const loaded = await loadDataset(path, { ...(parsedFormat.success ? { format: parsedFormat.data } : {}), ...(mapping ? { mapping } : {}) });
  const entry: Cached = { key, sha256: loaded.sha256, byId: new Map(loaded.problems.map((p) => [p.id, { id: p.id, question: p.question, answer: p.answer }])) };
  cache.delete(path);
  cache.set(path, entry);
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return entry;
}

export async function runProblems(dir: string, ids: readonly string[]): Promise<RunProblems> {
  const meta = await readRunMeta(dir);
  const ds = meta.dataset as { path: string; sha256: string; format: string; mapping?: PartialFieldMapping };
  let data: Cached;
  try {
    data = await datasetOf(ds.path, ds.format, ds.mapping);
  } catch (err) {
    const gone = err instanceof WorkbenchError ? err.kind === "missing-file" : (err as NodeJS.ErrnoException).code === "ENOENT";
    return { problems: [], note: gone ? `the run's dataset ${ds.path} is not there any more: no question or ground truth to show` : `the run's dataset ${ds.path} cannot be read (${(err as Error).message})` };
  }
  if (data.sha256 !== ds.sha256) {
    return { problems: [], note: `the run's dataset ${ds.path} has changed since the run (sha256 ${data.sha256.slice(0, 12)}…, the run read ${ds.sha256.slice(0, 12)}…): its text is not shown as this run's` };
  }
  const problems = ids.map((id) => data.byId.get(id)).filter((p): p is ProblemText => p !== undefined);
  const missing = ids.filter((id) => !data.byId.has(id));
  return { problems, note: missing.length > 0 ? `not in the run's dataset ${ds.path}: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}` : null };
}
