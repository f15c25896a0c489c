/** Slices a sweep runs on: a window in file order, or explicit ids in the order given. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isWorkbenchError } from "../../../../shared/errors.ts";
import { loadDataset } from "../../../../main/eval/datasets/load.ts";
import { selectProblems, sliceDataset } from "../../../../main/eval/datasets/slice.ts";
import { DatasetRefSchema } from "../../../../main/eval/datasets/types.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/datasets/${name}`, import.meta.url));
const ids = (ps: { id: string }[]) => ps.map((p) => p.id);

describe("slicing", async () => {
  const ds = await loadDataset(fixture("math500.jsonl"));
  const all = ["test/prealgebra/9001.json", "test/precalculus/9002.json", "test/prealgebra/9003.json", "test/algebra/9004.json"];

  it("offset/limit take a window in file order; an empty spec keeps everything", () => {
    expect(ids(selectProblems(ds.problems, {}))).toEqual(all);
    expect(ids(selectProblems(ds.problems, { offset: 1, limit: 2 }))).toEqual(all.slice(1, 3));
    expect(ids(selectProblems(ds.problems, { limit: 10 }))).toEqual(all);
    expect(ids(selectProblems(ds.problems, { offset: 3 }))).toEqual(all.slice(3));
  });

  it("ids select those problems in the order given", () => {
    expect(ids(selectProblems(ds.problems, { ids: [all[3]!, all[0]!] }))).toEqual([all[3], all[0]]);
  });

  it("sliceDataset updates the count and records the slice", () => {
    const sliced = sliceDataset(ds, { offset: 2 });
    expect(sliced.count).toBe(2);
    expect(sliced.slice).toEqual({ offset: 2 });
    expect(sliced.sha256).toBe(ds.sha256);
    expect(ds.count).toBe(4); // the original is untouched
  });

  it("unknown or repeated ids, an offset past the end, or a mixed spec are bad-spec errors", () => {
    const fail = (spec: unknown) => {
      try {
        selectProblems(ds.problems, spec as never);
      } catch (err) {
        expect(isWorkbenchError(err, "bad-spec")).toBe(true);
        return (err as Error).message;
      }
      throw new Error("expected a bad-spec error");
    };
    expect(fail({ ids: ["nope", all[0]] })).toContain('found 1 that are not: "nope"');
    expect(fail({ ids: [all[0], all[0]] })).toContain("more than once");
    expect(fail({ offset: 4 })).toContain("found 4");
    expect(fail({ ids: [all[0]], limit: 1 })).toContain("expected a slice");
    expect(fail({ limit: 0 })).toContain("expected a slice");
  });

  it("a sweep spec can name a dataset with format, mapping and slice, validated by zod", () => {
    expect(DatasetRefSchema.parse({ path: "b.csv", format: "custom", mapping: { question: "q" }, slice: { limit: 5 } })).toEqual({
      path: "b.csv",
      format: "custom",
      mapping: { question: "q" },
      slice: { limit: 5 },
    });
    expect(DatasetRefSchema.safeParse({ path: "b.csv", format: "mmlu" }).success).toBe(false);
    expect(DatasetRefSchema.safeParse({ path: "b.csv", extra: 1 }).success).toBe(false);
  });
});
