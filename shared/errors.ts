/**
 * Errors a user can cause (a bad file, a bad model, a bad spec) are typed: they carry a `kind` that
 * survives a process boundary, and a message that says what was expected and what was found.
 */
export const ERROR_KINDS = [
  "usage", // a command line or API call that does not fit its contract
  "missing-file", // a path that should exist does not
  "bad-config", // a JSON/YAML config that does not validate
  "bad-model", // a model folder that does not follow a supported layout
  "bad-graph", // an ONNX graph whose inputs/outputs match no supported convention
  "bad-tokenizer", // tokenizer files that cannot be used with the model
  "context-too-long", // a prompt longer than the model's context window
  "non-finite-output", // NaN or infinity in logits or scores
  "provider-unavailable", // an execution provider that is not installed
  "bad-dataset", // a dataset file that cannot be read at all
  "bad-spec", // a sweep spec that does not validate
  "backend", // a remote backend that failed (HTTP, timeouts)
  "cancelled", // the user stopped the job
  "unsupported", // a feature this shell does not offer (e.g. native dialogs in serve mode)
  "internal", // a bug: anything not foreseen
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class WorkbenchError extends Error {
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "WorkbenchError";
    this.kind = kind;
    this.details = details;
  }
}

/** Plain-data form of an error, safe to send over IPC/HTTP or to write into a journal. */
export interface ErrorRecord {
  kind: ErrorKind;
  message: string;
  details?: Record<string, unknown>;
}

export function toErrorRecord(err: unknown): ErrorRecord {
  if (err instanceof WorkbenchError) {
    return err.details === undefined
      ? { kind: err.kind, message: err.message }
      : { kind: err.kind, message: err.message, details: err.details };
  }
  if (err instanceof Error) return { kind: "internal", message: err.message };
  return { kind: "internal", message: String(err) };
}

export function fromErrorRecord(rec: ErrorRecord): WorkbenchError {
  return new WorkbenchError(rec.kind, rec.message, rec.details);
}

export function isWorkbenchError(err: unknown, kind?: ErrorKind): err is WorkbenchError {
  return err instanceof WorkbenchError && (kind === undefined || err.kind === kind);
}
