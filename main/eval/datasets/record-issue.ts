/** Why one record could not become a problem; the loader turns it into a `{ line, reason }` entry. */
export class RecordIssue extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RecordIssue";
  }
}

/** A short, one-line preview of a value for error messages. */
export function preview(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (value === undefined) text = "nothing";
  else text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "a string", "a number", "a list", "an object", "null" — what a value is, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}
