/**
 * Messages between a JobHost (parent) and a job worker (child). One worker does one task and exits:
 * a crash or an out-of-memory ends that task only, and the next starts with a clean heap.
 *
 *   child  → parent  ready                      the worker has loaded and listens (sent first)
 *   parent → child   task {task}                what to do (sent once, after ready)
 *   parent → child   cancel                     stop soon: a sweep finishes its current problem
 *   child  → parent  started {…counts}          a sweep knows its slice (after loading models)
 *   child  → parent  progress {done,total,current}
 *   child  → parent  log {line}
 *   child  → parent  result {value}             the task's answer; the worker exits after it
 *   child  → parent  error {error}              a typed ErrorRecord instead of a result
 */
import type { ErrorRecord } from "../../shared/errors.ts";
import type { SweepSummary } from "../../shared/results.ts";
import type { ResolvedSpec } from "../speculation/sweep-spec.ts";
import type { FailedProblems } from "./failed-problems.ts";

export interface SweepTask {
  kind: "sweep";
  spec: ResolvedSpec;
  specAsGiven: unknown;
  outDir: string;
  resume: boolean;
  measure: boolean;
}

/** Short work that must not run on the serving thread either (loading an ONNX model, parsing a big file). */
export interface CallTask {
  kind: "call";
  method: "models.inspect" | "datasets.preview" | "runs.report";
  input: unknown;
}

export type WorkerTask = SweepTask | CallTask;

export interface SweepResult {
  outDir: string;
  summary: SweepSummary;
  complete: boolean;
  cancelled: boolean;
  failed: FailedProblems;
}

export type ParentMessage = { type: "task"; task: WorkerTask } | { type: "cancel" };

export type ChildMessage =
  | { type: "ready" }
  | { type: "started"; total: number; done: number; problems: number; configurations: number }
  | { type: "progress"; done: number; total: number; current: string }
  | { type: "log"; line: string }
  | { type: "phase"; phase: "calibrating"; rounds?: { done: number; total: number } }
  | { type: "result"; value: unknown }
  | { type: "error"; error: ErrorRecord };

const CHILD_TYPES = new Set(["ready", "started", "progress", "log", "phase", "result", "error"]);

/** A message from a worker, or null for anything else (a stray message must not be taken as an answer). */
export function asChildMessage(value: unknown): ChildMessage | null {
  if (value === null || typeof value !== "object") return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === "string" && CHILD_TYPES.has(type) ? (value as ChildMessage) : null;
}
