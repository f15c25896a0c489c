import { WorkbenchError } from "../../../shared/errors.ts";
import { SliceSpecSchema, type LoadedDataset, type Problem, type SliceSpec } from "./types.ts";

/**
 * The problems a sweep runs: `{ offset?, limit? }` (a window, in file order) or `{ ids }` (those
 * problems, in the order given). Throws WorkbenchError("bad-spec") for ids the dataset does not
 * have, repeated ids, or an offset past the end.
 */
export function selectProblems(problems: readonly Problem[], spec: SliceSpec): Problem[] {
  const parsed = SliceSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "slice"}: ${i.message}`).join("; ");
    throw new WorkbenchError("bad-spec", `expected a slice { offset?, limit? } or { ids: [...] }, found ${issues}`);
  }
  const s = parsed.data;
  if ("ids" in s) {
    const byId = new Map(problems.map((p) => [p.id, p]));
    const seen = new Set<string>();
    const repeated = s.ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
    if (repeated.length > 0) throw new WorkbenchError("bad-spec", `expected distinct problem ids, found ${repeated.slice(0, 5).map((id) => JSON.stringify(id)).join(", ")} more than once`);
    const missing = s.ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      const shown = missing.slice(0, 10).map((id) => JSON.stringify(id)).join(", ");
      const more = missing.length > 10 ? ` and ${missing.length - 10} more` : "";
      throw new WorkbenchError("bad-spec", `expected ids of problems in the dataset, found ${missing.length} that are not: ${shown}${more}`);
    }
    return s.ids.map((id) => byId.get(id)!);
  }
  const offset = s.offset ?? 0;
  if (offset > 0 && offset >= problems.length) {
    throw new WorkbenchError("bad-spec", `expected an offset below the number of problems (${problems.length}), found ${offset}`);
  }
  return problems.slice(offset, s.limit === undefined ? undefined : offset + s.limit);
}

/** The dataset restricted to a slice (count updated, the slice recorded for provenance). */
export function sliceDataset(dataset: LoadedDataset, spec: SliceSpec): LoadedDataset {
  const problems = selectProblems(dataset.problems, spec);
  return { ...dataset, problems, count: problems.length, slice: spec };
}
