/** The question text as the toolkit's `parse_question` (evaluation/parser.py) builds it. */
import { pyStrip } from "../grade/py-compat.ts";
import { describeType, preview, RecordIssue } from "./record-issue.ts";
import type { DatasetFormat, DatasetRecord, FieldMapping } from "./types.ts";

function textField(record: DatasetRecord, field: string, role: string): string {
  const value = record[field];
  if (typeof value === "string") return value;
  if (value === undefined) throw new RecordIssue(`missing ${role} field "${field}"`);
  throw new RecordIssue(`expected text in ${role} field "${field}", found ${describeType(value)} ${preview(value)}`);
}

/**
 * With a context field (SVAMP's Body, ASDiv's body, or one a mapping names): context + " " +
 * question, SVAMP adding a final "." to its body when missing; otherwise the question field. Then, as the toolkit does, " (True or False)" or
 * " (Yes or No)" is appended when the ground truth is one of those words, and the text is
 * stripped. Throws RecordIssue for a missing or empty question.
 */
export function questionText(format: DatasetFormat, record: DatasetRecord, mapping: FieldMapping, groundTruth: string): string {
  let question = textField(record, mapping.question, "question");
  if (mapping.context !== undefined) {
    let body = pyStrip(textField(record, mapping.context, "context"));
    if (format === "svamp" && !body.endsWith(".")) body += ".";
    question = `${body} ${pyStrip(question)}`;
  }
  if (format !== "custom") {
    const gt = groundTruth.toLowerCase();
    if (gt === "true" || gt === "false") question += " (True or False)";
    if (gt === "yes" || gt === "no") question += " (Yes or No)";
  }
  question = pyStrip(question);
  if (question === "") throw new RecordIssue(`empty question in field "${mapping.question}"`);
  return question;
}
