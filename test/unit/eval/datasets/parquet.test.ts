/**
 * Parquet files as Hugging Face exports them (snappy-compressed columns, 64-bit integers, list
 * columns), written here with hyparquet-writer and read back by the loader through hyparquet.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../../../main/eval/datasets/load.ts";
import { withoutSource } from "../../../helpers/problems.ts";

const tmp = mkdtempSync(join(tmpdir(), "datasets-parquet-"));

function writeParquet(name: string, columnData: Parameters<typeof parquetWriteBuffer>[0]["columnData"]): string {
  const path = join(tmp, name);
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData })));
  return path;
}

describe("Parquet datasets", () => {
  it("a MATH500-style export loads as math500 (ground truth from the solution's box)", async () => {
    const path = writeParquet("test-00000-of-00001.parquet", [
      { name: "problem", data: ["Compute $1+1$.", "Compute $\\frac{1}{2}+\\frac{1}{4}$."], type: "STRING" },
      { name: "solution", data: ["$1+1=\\boxed{2}$", "$\\frac{2}{4}+\\frac{1}{4}=\\boxed{\\dfrac34}$"], type: "STRING" },
      { name: "answer", data: ["2", "\\frac{3}{4}"], type: "STRING" },
      { name: "subject", data: ["Prealgebra", "Prealgebra"], type: "STRING" },
      { name: "level", data: [BigInt(1), BigInt(2)], type: "INT64" },
      { name: "unique_id", data: ["test/p/1.json", "test/p/2.json"], type: "STRING" },
    ]);
    const ds = await loadDataset(path);
    expect(ds.container).toBe("parquet");
    expect(ds.format).toBe("math500");
    expect(ds.fields).toEqual(["problem", "solution", "answer", "subject", "level", "unique_id"]);
    expect(withoutSource(ds.problems)).toEqual([
      { id: "test/p/1.json", question: "Compute $1+1$.", answer: "2", level: 1, subject: "Prealgebra" },
      // \dfrac34 -> \frac34 -> \frac{3}{4}; level arrives as a 64-bit integer and becomes a number
      { id: "test/p/2.json", question: "Compute $\\frac{1}{2}+\\frac{1}{4}$.", answer: "\\frac{3}{4}", level: 2, subject: "Prealgebra" },
    ]);
  });

  it("an OlympiadBench export with a list column takes final_answer[0]", async () => {
    const path = writeParquet("olympiadbench.parquet", [
      { name: "id", data: [BigInt(1606), BigInt(1607)], type: "INT64" },
      { name: "question", data: ["How many moves?", "Find all pairs."], type: "STRING" },
      { name: "final_answer", data: [["$2$"], ["$(1,2)$", "$(2,1)$"]] },
      { name: "subfield", data: ["Combinatorics", "Algebra"], type: "STRING" },
    ]);
    const ds = await loadDataset(path);
    expect(ds.format).toBe("olympiadbench");
    expect(ds.problems.map((p) => [p.id, p.answer, p.subject])).toEqual([
      ["1606", "2", "Combinatorics"],
      ["1607", "(1,2)", "Algebra"],
    ]);
  });

  it("a custom export uses the detected mapping; a null cell is a bad record numbered by row", async () => {
    const path = writeParquet("train.parquet", [
      { name: "query", data: ["What is 3 * 3?", "What is 8 - 5?", "What is 10 / 2?"], type: "STRING" },
      { name: "label", data: ["9", null, "5"], type: "STRING" },
    ]);
    const ds = await loadDataset(path, { keepRaw: true });
    expect(ds.format).toBe("custom");
    expect(ds.mapping).toEqual({ id: null, question: "query", answer: "label" });
    expect(ds.problems.map((p) => [p.id, p.answer])).toEqual([
      ["0", "9"],
      ["2", "5"],
    ]);
    expect(ds.problems[0]!.raw).toEqual({ query: "What is 3 * 3?", label: "9" });
    expect(ds.errors).toEqual([{ line: 2, reason: 'empty answer field "label"' }]);
  });

  it("is recognised by its magic bytes whatever its name", async () => {
    const path = writeParquet("download.bin", [
      { name: "question", data: ["Janet has 2 apples and buys 3. How many?"], type: "STRING" },
      { name: "answer", data: ["2 + 3 = 5\n#### 5"], type: "STRING" },
    ]);
    const ds = await loadDataset(path);
    expect(ds.container).toBe("parquet");
    expect(ds.format).toBe("gsm8k");
    expect(ds.problems[0]!.answer).toBe("5");
  });
});
