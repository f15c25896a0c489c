/**
 * The desktop app's transport: the preload's `window.workbench` bridge (main/app/preload.ts), which
 * forwards calls over IPC channels allowed by the contracts and hands main's events over.
 */
import { EnvelopeSchema, type Envelope } from "../envelope.ts";
import type { MethodName, WireEvent } from "../contracts.ts";
import type { Transport, WorkbenchBridge } from "../transport.ts";

export function ipcTransport(bridge: WorkbenchBridge): Transport {
  return {
    async invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
      let raw: unknown;
      try {
        raw = await bridge.invoke(method, input);
      } catch (err) {
        // ipcRenderer.invoke rejects only when no handler answered (the main side is broken).
        return { ok: false, error: { kind: "internal", message: `${method}: ${(err as Error).message}` } };
      }
      const env = EnvelopeSchema.safeParse(raw);
      return env.success ? (env.data as Envelope<unknown>) : { ok: false, error: { kind: "internal", message: `${method}: the answer is not an API envelope` } };
    },
    subscribe(handler: (event: WireEvent) => void): () => void {
      return bridge.onEvent(handler);
    },
  };
}
