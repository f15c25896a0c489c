/**
 * The typed API client, derived from the contracts: `client.runs.load({ dir })`, or the generic
 * `client.call("runs.load", { dir })`. Inputs are checked before they leave (a bad argument fails
 * here with the same "usage" error the main side would give), outputs and event payloads are
 * checked when they arrive. A failed envelope rejects with a WorkbenchError of its kind.
 *
 * Events: `client.on("sweep.progress", handler)` returns its unsubscribe function. Sweep events
 * are delivered in order per run: one whose seq is not above the last delivered for its run is
 * stale (a late SSE retry, an old IPC message) and dropped, as is anything after a run's end.
 */
import type { z } from "zod";
import { WorkbenchError } from "../errors.ts";
import { EnvelopeSchema, fromErrorRecord, invalidArguments } from "./envelope.ts";
import { EVENTS, METHODS, isEventName } from "./contracts.ts";
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput, WireEvent } from "./contracts.ts";
import type { Transport } from "./transport.ts";

type Namespace<K> = K extends `${infer N}.${string}` ? N : never;

/** `client.models.inspect(input)` etc.: one function per contract, grouped by the part before the dot. */
export type NamespacedMethods = {
  [N in Namespace<MethodName>]: {
    [K in MethodName as K extends `${N}.${infer F}` ? F : never]: (input: MethodInput<K>) => Promise<MethodOutput<K>>;
  };
};

export interface ClientOptions {
  /** Check outputs against the contracts (default true). */
  validateOutputs?: boolean;
  /** Told about an event that was dropped because its payload does not fit its contract. */
  onInvalidEvent?: (event: WireEvent, reason: string) => void;
}

export type ApiClient = NamespacedMethods & {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void;
};

/** Keeps the last seq delivered per run; says whether an event is new. */
export class SeqFilter {
  private readonly last = new Map<string, number>();
  private readonly ended = new Set<string>();

  accept(runId: string, seq: number, isEnd: boolean): boolean {
    if (this.ended.has(runId)) return false;
    const prev = this.last.get(runId) ?? 0;
    if (seq <= prev) return false;
    this.last.set(runId, seq);
    if (isEnd) this.ended.add(runId);
    return true;
  }
}

export function createApiClient(transport: Transport, options: ClientOptions = {}): ApiClient {
  const validateOutputs = options.validateOutputs ?? true;

  async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const contract = METHODS[method];
    if (!contract) throw new WorkbenchError("usage", `unknown API method ${JSON.stringify(method)}`);
    const parsedInput = (contract.input as z.ZodType).safeParse(input);
    if (!parsedInput.success) throw invalidArguments(method, parsedInput.error);
    const raw = await transport.invoke(method, parsedInput.data);
    const env = EnvelopeSchema.safeParse(raw);
    if (!env.success) throw new WorkbenchError("backend", `${method}: the answer is not an API envelope`);
    if (!env.data.ok) throw fromErrorRecord(env.data.error);
    if (!validateOutputs) return env.data.value as MethodOutput<M>;
    const out = (contract.output as z.ZodType).safeParse(env.data.value);
    if (!out.success) {
      const first = out.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(value)"}: ${i.message}`);
      throw new WorkbenchError("internal", `${method}: the answer does not match its contract (${first.join("; ")})`);
    }
    return out.data as MethodOutput<M>;
  }

  // One transport subscription shared by every handler, opened with the first and closed with the last.
  const handlers = new Map<EventName, Set<(payload: never) => void>>();
  const seq = new SeqFilter();
  let unsubscribeTransport: (() => void) | null = null;

  function dispatch(event: WireEvent): void {
    if (!isEventName(event.name)) {
      options.onInvalidEvent?.(event, "unknown event name");
      return;
    }
    const parsed = (EVENTS[event.name].payload as z.ZodType).safeParse(event.payload);
    if (!parsed.success) {
      options.onInvalidEvent?.(event, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      return;
    }
    const payload = parsed.data as { runId?: unknown; seq?: unknown };
    if (typeof payload.runId === "string" && typeof payload.seq === "number") {
      if (!seq.accept(payload.runId, payload.seq, event.name === "sweep.end")) return;
    }
    for (const h of handlers.get(event.name) ?? []) (h as (p: unknown) => void)(parsed.data);
  }

  function on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
    let set = handlers.get(name);
    if (!set) handlers.set(name, (set = new Set()));
    set.add(handler as (payload: never) => void);
    if (unsubscribeTransport === null) unsubscribeTransport = transport.subscribe(dispatch);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(handler as (payload: never) => void);
      const any = [...handlers.values()].some((s) => s.size > 0);
      if (!any && unsubscribeTransport) {
        unsubscribeTransport();
        unsubscribeTransport = null;
      }
    };
  }

  const client: Record<string, unknown> = { call, on };
  for (const method of Object.keys(METHODS) as MethodName[]) {
    const [ns, fn] = method.split(".") as [string, string];
    const group = (client[ns] ??= {}) as Record<string, unknown>;
    group[fn] = (input: unknown) => call(method, input as never);
  }
  return client as ApiClient;
}
