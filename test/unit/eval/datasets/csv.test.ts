/** CSV/TSV as spreadsheets and pandas write them: quoted fields, doubled quotes, line breaks inside fields. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../../../main/eval/datasets/csv.ts";
import { loadDataset } from "../../../../main/eval/datasets/load.ts";
import { withoutSource } from "../../../helpers/problems.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/datasets/${name}`, import.meta.url));

describe("parseCsv", () => {
  it("splits plain and quoted fields, with doubled quotes and delimiters inside quotes", () => {
    expect(parseCsv('a,b,c\n1,"x, y","say ""hi"""\n')).toEqual({
      rows: [
        { line: 1, values: ["a", "b", "c"] },
        { line: 2, values: ["1", "x, y", 'say "hi"'] },
      ],
      errors: [],
    });
  });

  it("keeps line breaks inside quoted fields and numbers records by the line they start on", () => {
    const { rows } = parseCsv('q,a\r\n"two\r\nlines",1\r\n"three\nmore\nlines",2\r\nlast,3');
    expect(rows).toEqual([
      { line: 1, values: ["q", "a"] },
      { line: 2, values: ["two\r\nlines", "1"] },
      { line: 4, values: ["three\nmore\nlines", "2"] },
      { line: 7, values: ["last", "3"] },
    ]);
  });

  it("skips blank lines, keeps empty fields, drops a byte-order mark", () => {
    const { rows } = parseCsv("\uFEFFq,a\n\nx,\n,\n");
    expect(rows).toEqual([
      { line: 1, values: ["q", "a"] },
      { line: 3, values: ["x", ""] },
      { line: 4, values: ["", ""] },
    ]);
  });

  it("reports an unterminated quote at the record that opened it, keeping earlier records", () => {
    const { rows, errors } = parseCsv('q,a\nok,1\n"never closed,2\nmore\n');
    expect(rows).toEqual([
      { line: 1, values: ["q", "a"] },
      { line: 2, values: ["ok", "1"] },
    ]);
    expect(errors).toEqual([{ line: 3, reason: "unterminated quoted field (the quote opened on line 3 is never closed)" }]);
  });

  it("splits TSV on tabs", () => {
    expect(parseCsv('q\ta\n"a\tb"\t2\n', "\t").rows[1]).toEqual({ line: 2, values: ["a\tb", "2"] });
  });
});

describe("loading CSV files", () => {
  it("reads quoted fields with commas, quotes and a line break; a short row is a bad line", async () => {
    const ds = await loadDataset(fixture("quoted.csv"));
    expect(ds.container).toBe("csv");
    expect(ds.fields).toEqual(["qid", "prompt", "target", "difficulty", "category"]);
    expect(withoutSource(ds.problems)).toEqual([
      { id: "q1", question: "What is 1,000 + 234?", answer: "1234", level: "easy", subject: "arithmetic" },
      // the field spans lines 3-4; its answer cell "\boxed{7}" is extracted
      { id: "q2", question: 'Read the "box" below:\r\n$\\boxed{7}$ What number is boxed?', answer: "7", level: "easy", subject: "reading" },
      { id: "q4", question: "Halve 5.", answer: "2.5", level: "easy", subject: "arithmetic" },
    ]);
    expect(ds.errors).toEqual([{ line: 5, reason: "expected 5 fields (as in the header), found 4" }]);
  });

  it("reads a TSV export and a pandas CSV whose index column has no header", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "datasets-csv-"));
    const tsv = join(tmp, "items.tsv");
    writeFileSync(tsv, "id\tquestion\tanswer\nt1\tWhat is 4 + 4?\t8\n");
    const fromTsv = await loadDataset(tsv);
    expect(fromTsv.container).toBe("tsv");
    expect(withoutSource(fromTsv.problems)).toEqual([{ id: "t1", question: "What is 4 + 4?", answer: "8" }]);

    const pandas = join(tmp, "export.csv");
    writeFileSync(pandas, ",question,answer\n0,What is 1 + 1?,2\n1,What is 2 + 2?,4\n");
    const fromPandas = await loadDataset(pandas, { mapping: { id: "column_1" } });
    expect(fromPandas.fields).toEqual(["column_1", "question", "answer"]);
    expect(fromPandas.problems.map((p) => [p.id, p.answer])).toEqual([
      ["0", "2"],
      ["1", "4"],
    ]);
  });
});
