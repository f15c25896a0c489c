import { WorkbenchError } from "../../../shared/errors.ts";
import { FORMATS, type FormatFields } from "./formats.ts";
import { PartialFieldMappingSchema, type DatasetFormat, type FieldMapping, type PartialFieldMapping } from "./types.ts";

/** The first candidate present in `fields`: exact spelling first, then ignoring case. */
export function pickField(fields: readonly string[], candidates: readonly string[]): string | undefined {
  for (const c of candidates) if (fields.includes(c)) return c;
  for (const c of candidates) {
    const found = fields.find((f) => f.toLowerCase() === c.toLowerCase());
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The mapping a format's field candidates give for these fields (roles that do not resolve are left out). */
export function detectMapping(format: DatasetFormat, fields: readonly string[]): PartialFieldMapping {
  const spec: FormatFields = FORMATS[format].fields;
  const out: PartialFieldMapping = {};
  for (const role of ["id", "question", "answer", "context", "level", "subject"] as const) {
    const candidates = spec[role];
    if (!candidates) continue;
    const field = pickField(fields, candidates);
    if (field !== undefined) out[role] = field;
  }
  return out;
}

/**
 * The mapping used to read a file: the format's auto-detected fields, overridden role by role by
 * `override` (a field name, or `id: null` to number problems by position). Every named field must
 * be in the file; question and answer must resolve (and SVAMP/ASDiv's context). Throws
 * WorkbenchError("bad-dataset") saying which role is missing and what fields the file has.
 */
export function resolveMapping(
  format: DatasetFormat,
  fields: readonly string[],
  override: PartialFieldMapping | undefined,
  path: string,
): FieldMapping {
  let checked: PartialFieldMapping = {};
  if (override !== undefined) {
    const parsed = PartialFieldMappingSchema.safeParse(override);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "mapping"}: ${i.message}`).join("; ");
      throw new WorkbenchError("bad-dataset", `${path}: expected a field mapping {id, question, answer, level?, subject?, context?} of field names, found ${issues}`);
    }
    checked = parsed.data;
  }
  const fieldList = fields.length > 0 ? fields.map((f) => JSON.stringify(f)).join(", ") : "none";
  for (const [role, field] of Object.entries(checked)) {
    if (typeof field === "string" && !fields.includes(field)) {
      throw new WorkbenchError("bad-dataset", `${path}: the mapping names field "${field}" for ${role}, but the file has no such field (fields: ${fieldList})`);
    }
  }
  const merged: PartialFieldMapping = { ...detectMapping(format, fields), ...checked };
  const spec = FORMATS[format].fields;
  const need = (role: "question" | "answer" | "context"): string => {
    const field = merged[role];
    if (field === undefined) {
      const expected = spec[role]?.map((f) => JSON.stringify(f)).join(" or ") ?? "a field";
      throw new WorkbenchError(
        "bad-dataset",
        `${path}: expected a ${role} field for format ${format} (${expected}), found fields ${fieldList}; pass a mapping (--map ${role}=FIELD) or another --format`,
      );
    }
    return field;
  };
  const mapping: FieldMapping = { id: merged.id ?? null, question: need("question"), answer: need("answer") };
  if (spec.context) mapping.context = need("context");
  else if (merged.context !== undefined) mapping.context = merged.context;
  if (merged.level !== undefined) mapping.level = merged.level;
  if (merged.subject !== undefined) mapping.subject = merged.subject;
  return mapping;
}
