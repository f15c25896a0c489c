/**
 * A minimal EventSource for Node tests (Node 20 has none): reads a server-sent event stream with
 * fetch and calls onmessage for each `data:` event. Enough for httpTransport's use.
 */
import type { EventSourceLike } from "../../shared/api/transports/http.ts";

export function nodeEventSource(url: string): EventSourceLike & { opened: Promise<void> } {
  const controller = new AbortController();
  let openedResolve!: () => void;
  const es: EventSourceLike & { opened: Promise<void> } = {
    onmessage: null,
    close: () => controller.abort(),
    opened: new Promise<void>((r) => (openedResolve = r)),
  };
  void (async () => {
    try {
      const res = await fetch(url, { signal: controller.signal, headers: { accept: "text/event-stream" } });
      if (!res.ok || !res.body) throw new Error(`SSE ${res.status}`);
      openedResolve();
      const decoder = new TextDecoder();
      let buf = "";
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block
            .split("\n")
            .filter((l) => l.startsWith("data:"))
            .map((l) => l.slice(5).replace(/^ /, ""))
            .join("\n");
          if (data) es.onmessage?.({ data });
        }
      }
    } catch {
      // closed
    }
  })();
  return es;
}
