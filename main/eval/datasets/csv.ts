import type { LineError } from "./types.ts";

export interface CsvRow {
  /** 1-based line on which the record starts. */
  line: number;
  values: string[];
}

export interface CsvParse {
  rows: CsvRow[];
  /** Records that could not be split (an unterminated quote). */
  errors: LineError[];
}

/**
 * Splits CSV (RFC 4180) or TSV text into records: fields may be quoted with `"`, a quote inside a
 * quoted field is written `""`, and quoted fields may hold delimiters and line breaks (LF, CRLF or
 * CR). Characters after a closing quote are kept, as Python's csv module does. Blank lines are
 * skipped. A quote left open at the end of the text makes that record an error; records before it
 * are kept.
 */
export function parseCsv(text: string, delimiter = ","): CsvParse {
  const rows: CsvRow[] = [];
  const errors: LineError[] = [];
  let values: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 1;
  let fieldStarted = false; // a field has content or the record has a delimiter

  const endField = () => {
    values.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    const blank = values.length === 1 && values[0] === "" && !fieldStarted;
    if (!blank) rows.push({ line: recordLine, values });
    values = [];
    fieldStarted = false;
  };

  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === "") {
      inQuotes = true;
      quoteLine = line;
      fieldStarted = true;
    } else if (c === delimiter) {
      endField();
      fieldStarted = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (inQuotes) {
    errors.push({ line: recordLine, reason: `unterminated quoted field (the quote opened on line ${quoteLine} is never closed)` });
  } else if (fieldStarted || field !== "" || values.length > 0) {
    endRecord();
  }
  return { rows, errors };
}
