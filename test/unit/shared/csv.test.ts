/** results.csv: RFC 4180 quoting, empty cells for missing values, and numbers written exactly without exponents. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isWorkbenchError } from "../../../shared/errors.ts";
import { formatNumber, toCsv } from "../../../shared/csv.ts";
import { createRng } from "../../../shared/stats/random.ts";

describe("toCsv", () => {
  it("writes a header and one CRLF-terminated line per row, columns in the order given", () => {
    const rows = [
      { method: "rsd", threshold: 0.3, accuracy: 0.5, extra: "ignored" },
      { method: "arbitrage", threshold: 0.9, accuracy: 0.625 },
    ];
    expect(toCsv(rows, ["method", "threshold", "accuracy"])).toBe(
      "method,threshold,accuracy\r\nrsd,0.3,0.5\r\narbitrage,0.9,0.625\r\n",
    );
    expect(toCsv([], ["a", "b"])).toBe("a,b\r\n");
  });

  it("quotes fields with commas, quotes, line breaks, or edge spaces, doubling inner quotes", () => {
    const rows = [
      { text: "a, b" },
      { text: 'say "hi"' },
      { text: "two\nlines" },
      { text: "cr\rhere" },
      { text: " padded " },
      { text: "plain text; with: other punctuation" },
    ];
    expect(toCsv(rows, ["text"])).toBe(
      'text\r\n"a, b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\n" padded "\r\nplain text; with: other punctuation\r\n',
    );
    expect(toCsv([], ["a,b", 'q"'])).toBe('"a,b","q"""\r\n');
  });

  it("writes null, undefined and absent values as empty fields; a lone empty field as \"\" so the row survives", () => {
    expect(toCsv([{ a: null, b: undefined }, { c: 1 }], ["a", "b", "c"])).toBe("a,b,c\r\n,,\r\n,,1\r\n");
    expect(toCsv([{ a: null }, { a: 1 }], ["a"])).toBe('a\r\n""\r\n1\r\n');
  });

  it("writes booleans, bigints, dates and nested values readably", () => {
    const row = { ok: true, no: false, big: 12345678901234567890n, at: new Date(Date.UTC(2025, 4, 6, 7, 8, 9)), obj: { a: [1, "x"] } };
    expect(toCsv([row], ["ok", "no", "big", "at", "obj"])).toBe(
      'ok,no,big,at,obj\r\ntrue,false,12345678901234567890,2025-05-06T07:08:09.000Z,"{""a"":[1,""x""]}"\r\n',
    );
  });

  it("refuses no columns, repeated columns, and cells that are functions or symbols (usage)", () => {
    const usage = (f: () => unknown) => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      return isWorkbenchError(err, "usage");
    };
    expect(usage(() => toCsv([], []))).toBe(true);
    expect(usage(() => toCsv([], ["a", "a"]))).toBe(true);
    expect(usage(() => toCsv([{ a: () => 1 }], ["a"]))).toBe(true);
    expect(usage(() => toCsv([{ a: Symbol("s") }], ["a"]))).toBe(true);
  });

  it.runIf(spawnSync("python3", ["-c", "import csv"]).status === 0)(
    "reads back cell for cell with Python's csv module",
    () => {
      const rows = [
        { id: "p-1", text: 'He said "2, 3"\nthen left', rate: 1e-7, n: 3 },
        { id: "p-2", text: " lead", rate: null, n: -0 },
        { id: "p,3", text: "", rate: 0.1 + 0.2, n: 1.5e21 },
      ];
      const columns = ["id", "text", "rate", "n"];
      const path = join(mkdtempSync(join(tmpdir(), "csv-")), "results.csv");
      writeFileSync(path, toCsv(rows, columns));
      const py = spawnSync(
        "python3",
        ["-c", "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))", path],
        { encoding: "utf8" },
      );
      expect(py.status, py.stderr).toBe(0);
      expect(JSON.parse(py.stdout)).toEqual([
        columns,
        ["p-1", 'He said "2, 3"\nthen left', "0.0000001", "3"],
        ["p-2", " lead", "", "0"],
        ["p,3", "", "0.30000000000000004", "1500000000000000000000"],
      ]);
    },
  );
});

describe("formatNumber", () => {
  it.each([
    [0, "0"],
    [-0, "0"],
    [123, "123"],
    [0.625, "0.625"],
    [-12.5, "-12.5"],
    [1e-7, "0.0000001"],
    [1.2345e-7, "0.00000012345"],
    [-2.5e-8, "-0.000000025"],
    [1e21, "1000000000000000000000"],
    [1.5e21, "1500000000000000000000"],
    [-1.2345e22, "-12345000000000000000000"],
    [0.1 + 0.2, "0.30000000000000004"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
  ])("%s → %s", (n, text) => {
    expect(formatNumber(n)).toBe(text);
  });

  it("handles the extremes: the smallest subnormal and the largest double", () => {
    expect(formatNumber(5e-324)).toBe(`0.${"0".repeat(323)}5`);
    expect(formatNumber(Number.MAX_VALUE)).toBe(`17976931348623157${"0".repeat(292)}`);
  });

  it("never writes an exponent, and always reads back as the very same double", () => {
    const rng = createRng(20250101);
    const view = new DataView(new ArrayBuffer(8));
    const wrong: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      // Half: random bit patterns (every finite double is possible, subnormals included);
      // half: random mantissas at random powers of ten.
      let x: number;
      if (k % 2 === 0) {
        view.setUint32(0, rng.uint32());
        view.setUint32(4, rng.uint32());
        x = view.getFloat64(0);
        if (!Number.isFinite(x)) continue;
      } else {
        x = (rng.float() - 0.5) * 10 ** rng.int(-300, 300);
      }
      const text = formatNumber(x);
      // -0 is written 0, which reads back as 0 (=== -0).
      if (!/^-?\d+(\.\d+)?$/.test(text) || Number(text) !== x) wrong.push(`${x} → ${text}`);
    }
    expect(wrong).toEqual([]);
  });
});
