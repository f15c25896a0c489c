/**
 * What crosses a process boundary for every API call: `{ ok: true, value }` or
 * `{ ok: false, error }`, where `error` is the plain-data ErrorRecord of shared/errors.ts. The
 * client turns a failed envelope back into a WorkbenchError, so a caller catches typed errors no
 * matter which transport carried them.
 */
import { z } from "zod";
import { ERROR_KINDS, WorkbenchError, fromErrorRecord, toErrorRecord, type ErrorRecord } from "../errors.ts";

export const ErrorRecordSchema = z.object({
  kind: z.enum(ERROR_KINDS),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorRecord };

/** The envelope's outer shape; `value` is checked against the method's output schema separately. */
export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorRecordSchema }),
]);

export function okEnvelope<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function errorEnvelope(err: unknown): Envelope<never> {
  return { ok: false, error: toErrorRecord(err) };
}

/** One field that did not validate: a dotted path ("" for the whole value) and what is wrong. */
export interface FieldIssue {
  path: string;
  message: string;
}

export const FieldIssueSchema = z.object({ path: z.string(), message: z.string() });

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/**
 * A "usage" error for arguments that do not fit a method's input schema. The message lists every
 * field ("spec.methods.0.method: Invalid option…"); details.issues carries them as data so a form
 * can put each message beside its field.
 */
export function invalidArguments(method: string, error: z.ZodError): WorkbenchError {
  const issues = zodIssues(error);
  const lines = issues.map((i) => `  - ${i.path || "(input)"}: ${i.message}`);
  return new WorkbenchError("usage", `invalid arguments for ${method}:\n${lines.join("\n")}`, { method, issues });
}

/** Field issues carried by an error (input validation or a sweep spec), or [] when it has none. */
export function issuesOf(err: unknown): FieldIssue[] {
  if (!(err instanceof WorkbenchError)) return [];
  const parsed = z.array(FieldIssueSchema).safeParse(err.details?.["issues"]);
  return parsed.success ? parsed.data : [];
}

/**
 * Methods that exist only in the desktop app (native dialogs) answer this in serve mode; the
 * renderer catches it with `isUnsupported` and falls back (a typed path, a browser download).
 */
export function unsupported(method: string, where: string): WorkbenchError {
  return new WorkbenchError("unsupported", `${method} is not available in ${where}`, { unsupported: true, method });
}

export function isUnsupported(err: unknown): boolean {
  return err instanceof WorkbenchError && err.kind === "unsupported";
}

export { fromErrorRecord, toErrorRecord };
export type { ErrorRecord };
