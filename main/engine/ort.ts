/**
 * The one module that imports onnxruntime-node and chooses execution providers. Everything else
 * calls `createSession` and `runSession`, so swapping the runtime (or mocking nothing at all in
 * tests) stays a one-file change.
 *
 * Note: `session.run` blocks the JS thread for the whole forward pass. Host the engine in a worker
 * process (the CLI's sweep runner, Electron's utilityProcess), never on a UI or HTTP thread.
 */
import ort from "onnxruntime-node";
import { WorkbenchError } from "../../shared/errors.ts";

export type Tensor = ort.Tensor;
export type Session = ort.InferenceSession;
export type TensorType = ort.Tensor.Type;
export type TypedArray = ort.Tensor.DataType;

import { EXECUTION_PROVIDERS, type ExecutionProvider } from "./providers.ts";
export { EXECUTION_PROVIDERS, type ExecutionProvider } from "./providers.ts";

export interface SessionOptions {
  executionProvider?: ExecutionProvider;
  /** Threads for one operator. Several models share the CPU, so each gets a small, explicit budget. */
  intraOpThreads?: number;
}

export interface SessionHandle {
  session: Session;
  /** The provider the session actually runs on (after any fallback). */
  provider: ExecutionProvider;
  /** Why a requested provider was not used, if it was not. */
  fallbackReason?: string;
  path: string;
}

/** The providers onnxruntime-node says it can load here ("bundled" or installed). */
export function availableProviders(): ExecutionProvider[] {
  const names = new Set<string>();
  for (const b of ort.listSupportedBackends()) {
    // cuda/tensorrt are listed as not bundled: present only after ONNXRUNTIME_NODE_INSTALL=cuda12.
    if (b.bundled || b.name === "cuda") names.add(b.name);
  }
  names.add("cpu");
  return EXECUTION_PROVIDERS.filter((p) => names.has(p));
}

function ortSessionOptions(provider: ExecutionProvider, threads: number | undefined): ort.InferenceSession.SessionOptions {
  const opts: ort.InferenceSession.SessionOptions = {
    executionProviders: provider === "cpu" ? ["cpu"] : [provider],
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    interOpNumThreads: 1,
  };
  if (threads !== undefined) opts.intraOpNumThreads = threads;
  return opts;
}

/**
 * Creates an inference session on the requested provider; when that provider cannot be loaded
 * (not installed, no device) it falls back to the CPU and says why, instead of failing the run.
 */
export async function createSession(path: string, options: SessionOptions = {}): Promise<SessionHandle> {
  const requested = options.executionProvider ?? "cpu";
  try {
    const session = await ort.InferenceSession.create(path, ortSessionOptions(requested, options.intraOpThreads));
    return { session, provider: requested, path };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] ?? String(err) : String(err);
    if (requested === "cpu") {
      throw new WorkbenchError("bad-graph", `onnxruntime could not load ${path}: ${reason}`, { path });
    }
    let session: Session;
    try {
      session = await ort.InferenceSession.create(path, ortSessionOptions("cpu", options.intraOpThreads));
    } catch (cpuErr) {
      const cpuReason = cpuErr instanceof Error ? cpuErr.message.split("\n")[0] : String(cpuErr);
      throw new WorkbenchError("bad-graph", `onnxruntime could not load ${path}: ${cpuReason}`, { path });
    }
    const hint =
      requested === "cuda"
        ? " (install the CUDA provider with ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci on Linux x64)"
        : "";
    return {
      session,
      provider: "cpu",
      path,
      fallbackReason: `execution provider "${requested}" is unavailable${hint}: ${reason}; using cpu`,
    };
  }
}

export interface IoSpec {
  name: string;
  isTensor: boolean;
  type: string;
  /** Symbolic dims are strings, fixed dims numbers, unknown dims -1. */
  shape: (number | string)[];
}

function metadataList(names: readonly string[], metadata: unknown): IoSpec[] {
  const list = Array.isArray(metadata) ? (metadata as Record<string, unknown>[]) : [];
  return names.map((name, i) => {
    const m = list.find((x) => x["name"] === name) ?? list[i] ?? {};
    return {
      name,
      isTensor: m["isTensor"] !== false,
      type: typeof m["type"] === "string" ? (m["type"] as string) : "unknown",
      shape: Array.isArray(m["shape"]) ? (m["shape"] as (number | string)[]) : [],
    };
  });
}

export function sessionInputs(session: Session): IoSpec[] {
  return metadataList(session.inputNames, (session as unknown as { inputMetadata?: unknown }).inputMetadata);
}

export function sessionOutputs(session: Session): IoSpec[] {
  return metadataList(session.outputNames, (session as unknown as { outputMetadata?: unknown }).outputMetadata);
}

export function describeIo(specs: IoSpec[]): string {
  return specs.map((s) => `${s.name}: ${s.type}[${s.shape.join(", ")}]`).join("; ");
}

export function makeTensor(type: TensorType, data: TypedArray, dims: readonly number[]): Tensor {
  return new ort.Tensor(type, data as never, dims);
}

export function int64Tensor(values: ArrayLike<number> | BigInt64Array, dims: readonly number[]): Tensor {
  const data = values instanceof BigInt64Array ? values : BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  return new ort.Tensor("int64", data, dims);
}

/**
 * Runs a session after checking the feed against the graph's declared inputs, so export drift
 * (a renamed or missing input) fails with a list of names rather than an opaque native error.
 */
export async function runSession(
  session: Session,
  feeds: Record<string, Tensor>,
  fetches?: Record<string, Tensor | null>,
): Promise<Record<string, Tensor>> {
  const names = session.inputNames;
  let missing: string[] | null = null;
  let extra = false;
  for (const n of names) if (feeds[n] === undefined) (missing ??= []).push(n);
  if (missing) {
    throw new WorkbenchError(
      "bad-graph",
      `the graph needs inputs that were not provided: ${missing.join(", ")}. Graph inputs: ${describeIo(sessionInputs(session))}`,
    );
  }
  for (const n in feeds) if (!names.includes(n)) extra = true;
  let picked = feeds;
  if (extra) {
    picked = {};
    for (const n of names) picked[n] = feeds[n] as Tensor;
  }
  try {
    return (await (fetches ? session.run(picked, fetches) : session.run(picked))) as Record<string, Tensor>;
  } catch (err) {
    const given = Object.entries(picked)
      .map(([n, t]) => `${n}: ${t.type}[${t.dims.join(", ")}]`)
      .join("; ");
    const reason = err instanceof Error ? err.message : String(err);
    throw new WorkbenchError("bad-graph", `onnxruntime failed: ${reason}\nfed: ${given}`);
  }
}

export async function releaseSession(session: Session): Promise<void> {
  await session.release();
}

export function disposeTensor(t: Tensor | undefined): void {
  // CPU tensors in onnxruntime-node are garbage collected; dispose() releases GPU-backed data early.
  if (t && t.location !== "cpu") t.dispose();
}
