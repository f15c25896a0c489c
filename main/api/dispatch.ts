/**
 * The one path every call takes on the main side, whichever transport brought it: the method must
 * be in the contracts, the input must fit its zod schema (else a "usage" error listing each
 * field), the handler runs, and its value must fit the output schema (else an "internal" error —
 * a bug here, not the caller's fault). The answer is always an envelope; nothing throws past this.
 */
import type { z } from "zod";
import { WorkbenchError } from "../../shared/errors.ts";
import { METHODS, isMethodName } from "../../shared/api/contracts.ts";
import { errorEnvelope, invalidArguments, okEnvelope, type Envelope } from "../../shared/api/envelope.ts";
import type { Handlers } from "./handlers.ts";

export async function dispatch(handlers: Handlers, method: string, input: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isMethodName(method)) {
      throw new WorkbenchError("usage", `unknown API method ${JSON.stringify(method)}; the methods are: ${Object.keys(METHODS).join(", ")}`, { method });
    }
    const contract = METHODS[method];
    const parsed = (contract.input as z.ZodType).safeParse(input ?? {});
    if (!parsed.success) throw invalidArguments(method, parsed.error);
    const value = await (handlers[method] as (i: unknown) => unknown)(parsed.data);
    const out = (contract.output as z.ZodType).safeParse(value);
    if (!out.success) {
      const first = out.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join(".") || "(value)"}: ${i.message}`);
      throw new WorkbenchError("internal", `${method} produced an answer that does not match its contract (${first.join("; ")})`);
    }
    return okEnvelope(out.data);
  } catch (err) {
    return errorEnvelope(err);
  }
}
