import { describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import type { Envelope } from "../../../shared/api/envelope.ts";
import { issuesOf } from "../../../shared/api/envelope.ts";
import { createApiClient } from "../../../shared/api/client.ts";
import { METHODS, METHOD_NAMES, EVENTS, type MethodName, type WireEvent } from "../../../shared/api/contracts.ts";
import type { Transport } from "../../../shared/api/transport.ts";

function fakeTransport(answer: (method: MethodName, input: unknown) => Envelope<unknown>) {
  const calls: { method: MethodName; input: unknown }[] = [];
  let handler: ((e: WireEvent) => void) | null = null;
  let subscriptions = 0;
  const transport: Transport = {
    async invoke(method, input) {
      calls.push({ method, input });
      return answer(method, input);
    },
    subscribe(h) {
      subscriptions++;
      handler = h;
      return () => {
        subscriptions--;
        handler = null;
      };
    },
  };
  return { transport, calls, emit: (e: WireEvent) => handler?.(e), subscriptions: () => subscriptions };
}

describe("contracts", () => {
  it("each method's key is its own name, and every name has a namespace and a function", () => {
    for (const name of METHOD_NAMES) {
      expect(METHODS[name].method).toBe(name);
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(METHODS[name].doc.length).toBeGreaterThan(20);
    }
    for (const [name, e] of Object.entries(EVENTS)) expect(e.name).toBe(name);
  });
});

describe("createApiClient", () => {
  it("calls through the transport and returns the validated value", async () => {
    const t = fakeTransport(() => ({ ok: true, value: { cancelled: true } }));
    const api = createApiClient(t.transport);
    await expect(api.sweeps.cancel({ runId: "r1" })).resolves.toEqual({ cancelled: true });
    expect(t.calls).toEqual([{ method: "sweeps.cancel", input: { runId: "r1" } }]);
  });

  it("rejects bad arguments before they leave, naming the field", async () => {
    const t = fakeTransport(() => ({ ok: true, value: {} }));
    const api = createApiClient(t.transport);
    const err = await api.runs.load({ dir: "/x", limit: -3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).kind).toBe("usage");
    expect((err as WorkbenchError).message).toContain("limit");
    expect(issuesOf(err).map((i) => i.path)).toEqual(["limit"]);
    // unknown keys are refused too
    await expect(api.call("runs.list", { dir: "/x", extra: 1 } as never)).rejects.toThrow(/extra|Unrecognized/);
    expect(t.calls).toHaveLength(0);
  });

  it("turns a failed envelope into a WorkbenchError of the same kind", async () => {
    const t = fakeTransport(() => ({ ok: false, error: { kind: "bad-model", message: "no config.json in /m" } }));
    const api = createApiClient(t.transport);
    const err = (await api.models.inspect({ path: "/m", role: "draft" }).catch((e: unknown) => e)) as WorkbenchError;
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.kind).toBe("bad-model");
    expect(err.message).toBe("no config.json in /m");
  });

  it("refuses an answer that does not match the method's output", async () => {
    const t = fakeTransport(() => ({ ok: true, value: { cancelled: "yes" } }));
    const api = createApiClient(t.transport);
    await expect(api.sweeps.cancel({ runId: "r" })).rejects.toThrow(/does not match its contract/);
    const lax = createApiClient(t.transport, { validateOutputs: false });
    await expect(lax.sweeps.cancel({ runId: "r" })).resolves.toEqual({ cancelled: "yes" });
  });

  it("delivers sweep events in order per run and drops stale, duplicate and post-end ones", () => {
    const t = fakeTransport(() => ({ ok: true, value: {} }));
    const api = createApiClient(t.transport);
    const seen: string[] = [];
    const offP = api.on("sweep.progress", (p) => seen.push(`${p.runId}:p${p.seq}:${p.done}`));
    const offE = api.on("sweep.end", (p) => seen.push(`${p.runId}:end${p.seq}:${p.status}`));
    expect(t.subscriptions()).toBe(1);
    const progress = (runId: string, seq: number, done: number) =>
      t.emit({ name: "sweep.progress", payload: { runId, seq, phase: "running", done, total: 10, current: null, elapsedMs: 5 } });
    progress("a", 1, 1);
    progress("a", 3, 3);
    progress("a", 2, 2); // stale
    progress("a", 3, 3); // duplicate
    progress("b", 1, 7); // another run keeps its own counter
    t.emit({ name: "sweep.end", payload: { runId: "a", seq: 4, out: "/o", status: "cancelled", summary: null, error: null } });
    progress("a", 5, 4); // after the end
    t.emit({ name: "sweep.progress", payload: { runId: "b", seq: 2, done: "x" } }); // invalid payload
    t.emit({ name: "nope", payload: {} });
    expect(seen).toEqual(["a:p1:1", "a:p3:3", "b:p1:7", "a:end4:cancelled"]);
    offP();
    expect(t.subscriptions()).toBe(1);
    offE();
    expect(t.subscriptions()).toBe(0);
  });
});
