/**
 * Serve mode's transport: `POST <base>/api/<method>` with a JSON body and the access token as a
 * Bearer header; events over server-sent events from `GET <base>/api/events?token=…` (EventSource
 * cannot send headers, so the token rides in the query there). The server answers every call,
 * failed ones included, with an envelope; only a dead connection or a non-JSON answer becomes a
 * "backend" envelope here.
 */
import type { Envelope } from "../envelope.ts";
import type { MethodName, WireEvent } from "../contracts.ts";
import type { Transport } from "../transport.ts";

/** The part of the DOM EventSource this transport uses (Node tests pass their own). */
export interface EventSourceLike {
  onmessage: ((ev: { data: string }) => void) | null;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

export interface HttpTransportOptions {
  fetch?: typeof fetch;
  eventSource?: EventSourceFactory;
}

function defaultEventSource(url: string): EventSourceLike {
  const ES = (globalThis as unknown as { EventSource?: new (url: string) => EventSourceLike }).EventSource;
  if (!ES) throw new Error("EventSource is not available here: pass options.eventSource");
  return new ES(url);
}

export function httpTransport(baseUrl: string, token: string, options: HttpTransportOptions = {}): Transport {
  const base = baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const openEvents = options.eventSource ?? defaultEventSource;

  async function invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch (err) {
      return { ok: false, error: { kind: "backend", message: `cannot reach the workbench server at ${base}: ${(err as Error).message}` } };
    }
    const text = await res.text();
    try {
      return JSON.parse(text) as Envelope<unknown>;
    } catch {
      return { ok: false, error: { kind: "backend", message: `${method}: HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}` } };
    }
  }

  // One EventSource for all subscribers (the browser reconnects it by itself after a drop).
  const subscribers = new Set<(event: WireEvent) => void>();
  let source: EventSourceLike | null = null;

  function subscribe(handler: (event: WireEvent) => void): () => void {
    subscribers.add(handler);
    if (source === null) {
      source = openEvents(`${base}/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (ev) => {
        let event: WireEvent;
        try {
          event = JSON.parse(ev.data) as WireEvent;
        } catch {
          return; // not ours: the client only takes validated events anyway
        }
        for (const s of subscribers) s(event);
      };
    }
    return () => {
      subscribers.delete(handler);
      if (subscribers.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }

  return { invoke, subscribe };
}

/** The access token of a serve-mode page: `?token=` of its own URL. */
export function tokenFromUrl(href: string): string | null {
  try {
    return new URL(href).searchParams.get("token");
  } catch {
    return null;
  }
}
