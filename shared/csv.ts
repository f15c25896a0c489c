/**
 * CSV for results tables (results.csv: one row per method × threshold), RFC 4180:
 * - a header line of the column names, then one line per row, every line ended by CRLF;
 * - a field is quoted when it holds a comma, a double quote, CR or LF, or starts or ends with a
 *   space (which some readers trim); a quote inside is doubled;
 * - null and undefined are empty fields (so is a column the row does not have); in a one-column
 *   table an empty field is written "" so that the row is not a blank line;
 * - numbers are written exactly and never in exponent notation: the shortest decimal that reads
 *   back as the same double (JavaScript's own), with any exponent expanded, so 1e-7 → 0.0000001 and
 *   1.5e21 → 1500000000000000000000; -0 → 0; NaN, Infinity, -Infinity are written as such (pandas
 *   and R read them back as numbers). No rounding: round before if you want fewer digits;
 * - booleans: true/false; bigint: its digits; Date: ISO 8601; other objects and arrays: their JSON.
 */
import { WorkbenchError } from "./errors.ts";

/** A number in plain decimal notation, exact (the shortest round-trip digits), without an exponent. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "Infinity";
  if (n === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (n === 0) return "0";
  const s = String(n);
  const e = s.indexOf("e");
  if (e === -1) return s;
  const sign = s.startsWith("-") ? "-" : "";
  const mantissa = s.slice(sign.length, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  // Position of the decimal point after the first digit, moved by the exponent.
  const point = (dot === -1 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return formatNumber(value);
    case "boolean":
    case "bigint":
      return String(value);
    case "function":
    case "symbol":
      throw new WorkbenchError("usage", `a CSV cell cannot hold a ${typeof value}`);
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
      return JSON.stringify(value) ?? "";
  }
}

function quote(text: string): string {
  if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/**
 * The rows as CSV text with the given columns, in that order (a row's other keys are left out).
 * Throws "usage" for no columns, a repeated column, or a cell holding a function or symbol.
 */
export function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (columns.length === 0) throw new WorkbenchError("usage", "a CSV needs at least one column");
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new WorkbenchError("usage", `CSV column "${c}" is listed twice`);
    seen.add(c);
  }
  const lines = [columns.map(quote).join(",")];
  for (const row of rows) {
    const cells = columns.map((c) => quote(cellText(Object.hasOwn(row, c) ? row[c] : undefined)));
    // One empty cell alone would be a blank line, which many readers skip: quote it to keep the row.
    lines.push(cells.length === 1 && cells[0] === "" ? '""' : cells.join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
