/** Events from the main side to every connected renderer (SSE clients, the Electron window). */
import type { EventName, EventPayload, WireEvent } from "../../shared/api/contracts.ts";

export class EventBus {
  private readonly listeners = new Set<(event: WireEvent) => void>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const event: WireEvent = { name, payload };
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // One broken listener (a closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: (event: WireEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
