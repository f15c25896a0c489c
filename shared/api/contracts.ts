/**
 * The workbench API, defined once. Each method is `{ method, input, output, doc }` with zod
 * schemas; each event is `{ name, payload, doc }`. Everything else is derived from these tables:
 * the typed client (client.ts), the Electron preload's channel allowlist, the IPC handlers'
 * validation and the serve mode's routes (`POST /api/<method>`).
 *
 * Paths are absolute on the machine that runs the main side (the desktop app, or the serve-mode
 * host: on a GPU server, paths on the server). A relative path is resolved against the main side's
 * working directory.
 *
 * Errors come back as WorkbenchError (shared/errors.ts) with a `kind`; arguments that do not fit a
 * method's input are "usage" errors whose details.issues list each field (envelope.ts).
 */
import { z } from "zod";
import { ErrorRecordSchema, FieldIssueSchema } from "./envelope.ts";
import { DatasetFormatNameSchema, DatasetPreviewSchema, ModelInspectionSchema, ModelRoleSchema, PartialMappingSchema } from "./schemas/inspect.ts";
import { ConfigurationSchema, SweepSummarySchema } from "./schemas/results.ts";
import { RunListEntrySchema, RunPageSchema } from "./schemas/run.ts";

export interface MethodContract<M extends string = string, I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  method: M;
  input: I;
  output: O;
  /** One paragraph for the reader of the API. */
  doc: string;
  /** Only the desktop app implements it (serve mode answers an "unsupported" error). */
  desktopOnly?: boolean;
}

export interface EventContract<N extends string = string, P extends z.ZodType = z.ZodType> {
  name: N;
  payload: P;
  doc: string;
}

function defineMethod<M extends string, I extends z.ZodType, O extends z.ZodType>(c: MethodContract<M, I, O>): MethodContract<M, I, O> {
  return c;
}

function defineEvent<N extends string, P extends z.ZodType>(c: EventContract<N, P>): EventContract<N, P> {
  return c;
}

const NoInput = z.strictObject({});

/**
 * A sweep spec as JSON (the same object `arbitrage sweep --spec` reads). Its fields are validated
 * on the main side by main/speculation/sweep-spec.ts (which depends on Node-only modules); a spec that
 * does not validate fails with a "bad-spec" error whose details.issues name each field.
 */
export const SpecJsonSchema = z.record(z.string(), z.unknown());

// ---------------------------------------------------------------- app
const appInfo = defineMethod({
  method: "app.info",
  doc: "Version, where the main side runs, the execution providers onnxruntime-node can load there, the embedded demo suite (whether it is installed, its model and dataset paths, and a ready-made demo spec), and the default runs folder.",
  input: NoInput,
  output: z.object({
    version: z.string(),
    /** "desktop": the Electron app; "serve": `arbitrage serve` (no native dialogs). */
    shell: z.enum(["desktop", "serve"]),
    platform: z.string(),
    executionProviders: z.array(z.string()),
    runsDir: z.string(),
    demo: z.object({
      available: z.boolean(),
      /** Which files are missing when it is not available. */
      missing: z.array(z.string()),
      models: z.object({ draft: z.string(), target: z.string(), prm: z.string(), router: z.string() }),
      dataset: z.string(),
      /** The `arbitrage demo` sweep (40 problems), ready for sweeps.start. */
      spec: SpecJsonSchema,
    }),
  }),
});

// ---------------------------------------------------------------- models, datasets
const modelsInspect = defineMethod({
  method: "models.inspect",
  doc: "Loads a model folder (or a light-router .json for role router) in a worker, the way a sweep would, and says what was detected: architecture, layers, kv heads, vocabulary, context length, execution provider, scorer convention. A folder that cannot be used fails with its typed error (bad-model, bad-graph, bad-tokenizer, missing-file …).",
  input: z.strictObject({
    path: z.string().min(1),
    role: ModelRoleSchema,
    executionProvider: z.enum(["cpu", "cuda", "dml", "coreml", "webgpu"]).optional(),
  }),
  output: ModelInspectionSchema,
});

const datasetsPreview = defineMethod({
  method: "datasets.preview",
  doc: "Reads a benchmark file (JSONL, JSON, CSV/TSV, Parquet) in a worker with the detected or given format and field mapping; returns the mapping, the first `limit` problems (default 5) and the unreadable lines.",
  input: z.strictObject({
    path: z.string().min(1),
    format: DatasetFormatNameSchema.optional(),
    mapping: PartialMappingSchema.optional(),
    limit: z.number().int().min(0).max(100).optional(),
  }),
  output: DatasetPreviewSchema,
});

// ---------------------------------------------------------------- sweeps
const sweepsValidate = defineMethod({
  method: "sweeps.validate",
  doc: "Checks a sweep spec without running anything: every field error (path + message), missing model folders and dataset file, and on success the configurations it expands to. For a sweep editor that validates as you type.",
  input: z.strictObject({ spec: SpecJsonSchema }),
  output: z.object({
    valid: z.boolean(),
    issues: z.array(FieldIssueSchema),
    /** The configurations (method × threshold) when valid, else []. */
    configurations: z.array(ConfigurationSchema),
  }),
});

const sweepsStart = defineMethod({
  method: "sweeps.start",
  doc: "Starts a sweep in a worker process and answers at once with its run id and run folder; progress, log lines and the end arrive as sweep.* events. `out` (else the spec's out, else <runs folder>/<name>-<time>) is the run folder; `resume` continues an interrupted run there. A spec that does not validate fails with bad-spec; a folder that holds results without `resume` fails with usage.",
  input: z.strictObject({
    spec: SpecJsonSchema,
    out: z.string().min(1).optional(),
    resume: z.boolean().optional(),
    /** Run every configuration end to end with live timings, no step cache. */
    measure: z.boolean().optional(),
  }),
  output: z.object({ runId: z.string(), out: z.string() }),
});

const sweepsCancel = defineMethod({
  method: "sweeps.cancel",
  doc: "Asks a running sweep to stop: it finishes the current problem, writes what is done (resumable) and ends with status \"cancelled\". `cancelled` is false when no such sweep is running.",
  input: z.strictObject({ runId: z.string().min(1) }),
  output: z.object({ cancelled: z.boolean() }),
});

export const ActiveSweepSchema = z.object({
  runId: z.string(),
  out: z.string(),
  name: z.string(),
  /** ISO time the sweep was started. */
  startedAt: z.string(),
  phase: z.enum(["starting", "calibrating", "running", "cancelling"]),
  done: z.number().int(),
  total: z.number().int(),
  current: z.string().nullable(),
  /** The seq of the latest event of this run. */
  seq: z.number().int(),
});
export type ActiveSweep = z.infer<typeof ActiveSweepSchema>;

const sweepsActive = defineMethod({
  method: "sweeps.active",
  doc: "The sweeps running now, with their latest progress (for a page that opens or reloads while a sweep runs).",
  input: NoInput,
  output: z.object({ sweeps: z.array(ActiveSweepSchema) }),
});

// ---------------------------------------------------------------- runs
const runsList = defineMethod({
  method: "runs.list",
  doc: "The run folders directly under `dir` (default: the runs folder) — folders holding a run.json — newest first, with name, start time, completeness, problems, configurations and finished records.",
  input: z.strictObject({ dir: z.string().min(1).optional() }),
  output: z.object({ dir: z.string(), runs: z.array(RunListEntrySchema) }),
});

const runsLoad = defineMethod({
  method: "runs.load",
  doc: "Opens a run folder (one made by the app or by the CLI on another machine): run.json and summary.json validated, and records [offset, offset + limit) of journal.jsonl (default 0 and 1000, at most 10000 a page). Page with nextOffset until it is null.",
  input: z.strictObject({
    dir: z.string().min(1),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  }),
  output: RunPageSchema,
});

const runsProblems = defineMethod({
  method: "runs.problems",
  doc: "The question and ground-truth answer of some of a run's problems, read from the dataset file run.json names (as the sweep read it). `note` says why some have none: the file is gone, changed since the run (sha256), or lacks the id.",
  input: z.strictObject({ dir: z.string().min(1), ids: z.array(z.string()).max(500) }),
  output: z.object({ problems: z.array(z.object({ id: z.string(), question: z.string(), answer: z.string() })), note: z.string().nullable() }),
});

const runsReport = defineMethod({
  method: "runs.report",
  doc: "The run folder's self-contained HTML report (what `arbitrage report --run DIR` writes), as text for the app to save. Made in the job worker.",
  input: z.strictObject({ dir: z.string().min(1) }),
  output: z.object({ html: z.string(), bytes: z.number().int() }),
});

// ---------------------------------------------------------------- dialogs (desktop only)
const FileFilterSchema = z.strictObject({ name: z.string(), extensions: z.array(z.string().min(1)) });
const PickedSchema = z.object({ path: z.string().nullable() });

const dialogsPickModel = defineMethod({
  method: "dialogs.pickModel",
  doc: "Native folder picker for a model folder. `path` null: the user cancelled. Desktop only.",
  input: z.strictObject({ title: z.string().optional() }),
  output: PickedSchema,
  desktopOnly: true,
});

const dialogsPickDataset = defineMethod({
  method: "dialogs.pickDataset",
  doc: "Native file picker for a benchmark file (.jsonl, .json, .csv, .tsv, .parquet). Desktop only.",
  input: z.strictObject({ title: z.string().optional() }),
  output: PickedSchema,
  desktopOnly: true,
});

const dialogsPickRunFolder = defineMethod({
  method: "dialogs.pickRunFolder",
  doc: "Native folder picker for a run folder (to open with runs.load). Desktop only.",
  input: z.strictObject({ title: z.string().optional() }),
  output: PickedSchema,
  desktopOnly: true,
});

const dialogsSaveFile = defineMethod({
  method: "dialogs.saveFile",
  doc: "Native save dialog, then writes `content` (utf8 text, or base64 for PNG) to the chosen path. `path` null: cancelled, nothing written. Desktop only; in serve mode the renderer downloads the file through the browser instead.",
  input: z.strictObject({
    defaultName: z.string().min(1),
    content: z.string(),
    encoding: z.enum(["utf8", "base64"]),
    filters: z.array(FileFilterSchema).optional(),
  }),
  output: PickedSchema,
  desktopOnly: true,
});

/** Every method, by name. */
export const METHODS = {
  [appInfo.method]: appInfo,
  [modelsInspect.method]: modelsInspect,
  [datasetsPreview.method]: datasetsPreview,
  [sweepsValidate.method]: sweepsValidate,
  [sweepsStart.method]: sweepsStart,
  [sweepsCancel.method]: sweepsCancel,
  [sweepsActive.method]: sweepsActive,
  [runsList.method]: runsList,
  [runsLoad.method]: runsLoad,
  [runsProblems.method]: runsProblems,
  [runsReport.method]: runsReport,
  [dialogsPickModel.method]: dialogsPickModel,
  [dialogsPickDataset.method]: dialogsPickDataset,
  [dialogsPickRunFolder.method]: dialogsPickRunFolder,
  [dialogsSaveFile.method]: dialogsSaveFile,
} as const;

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]["input"]>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]["output"]>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}

// ---------------------------------------------------------------- events
/**
 * Every event of a sweep carries its run id and a sequence number that increases by one with each
 * event of that run (progress, log and end share one counter); the client drops any event whose
 * seq is not above the last one it delivered for that run, and everything after its end.
 */
const RunTagged = { runId: z.string(), seq: z.number().int().min(1) };

const sweepProgress = defineEvent({
  name: "sweep.progress",
  doc: "Progress of a sweep. phase \"starting\": loading the dataset and models; \"calibrating\": measuring the models' call costs or warming them up, before the first problem (`done` of `total` timing rounds, 0 of 0 until the first round ends; `total` is an estimate until the warm-up ends); \"running\": `done` of `total` (configuration, problem) pairs, `current` the pair being worked on. Resumed runs start with done > 0.",
  payload: z.object({
    ...RunTagged,
    phase: z.enum(["starting", "calibrating", "running", "cancelling"]),
    done: z.number().int().min(0),
    total: z.number().int().min(0),
    current: z.string().nullable(),
    /** Milliseconds since the sweep was started. */
    elapsedMs: z.number().min(0),
  }),
});

const sweepLog = defineEvent({
  name: "sweep.log",
  doc: "One line the runner logged (resuming, skipped dataset lines, a problem that failed and was recorded as an error …).",
  payload: z.object({ ...RunTagged, line: z.string() }),
});

const sweepEnd = defineEvent({
  name: "sweep.end",
  doc: "The sweep ended: \"complete\"; \"cancelled\" (what was done is written, resumable); \"problems-failed\" (every pair ran, but `failed` pairs failed on a server and a resume runs them again); or \"failed\" with the typed error (a bad model, a crashed worker …; finished problems stay in the journal). The summary covers the records written, when there is one.",
  payload: z.object({
    ...RunTagged,
    out: z.string(),
    status: z.enum(["complete", "cancelled", "problems-failed", "failed"]),
    summary: SweepSummarySchema.nullable(),
    error: ErrorRecordSchema.nullable(),
    /** With "problems-failed": distinct problems and pairs that failed on a server, and the line the CLI ends with. */
    failed: z.object({ problems: z.number().int(), of: z.number().int(), pairs: z.number().int(), line: z.string() }).optional(),
  }),
});

const appMenu = defineEvent({
  name: "app.menu",
  doc: "A native menu item was chosen (desktop only). For the open-* actions the main side has already shown the picker: `path` is what the user chose (the action is not sent when cancelled). \"export\" carries no path: the renderer exports the current view.",
  payload: z.object({
    action: z.enum(["open-model", "open-dataset", "open-run", "export"]),
    path: z.string().nullable(),
  }),
});

/** Every event, by name. */
export const EVENTS = {
  [sweepProgress.name]: sweepProgress,
  [sweepLog.name]: sweepLog,
  [sweepEnd.name]: sweepEnd,
  [appMenu.name]: appMenu,
} as const;

export type Events = typeof EVENTS;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]["payload"]>;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENTS, name);
}

/** An event on the wire (SSE data line, IPC message): its name and payload. */
export interface WireEvent {
  name: string;
  payload: unknown;
}
