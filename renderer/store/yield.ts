/**
 * Lets the event loop run (input, paint, timers) between chunks of work. A MessageChannel message
 * is a macrotask that, unlike setTimeout, is not clamped to 4 ms once calls nest.
 */
interface PortLike {
  addEventListener(type: "message", listener: () => void): void;
  start(): void;
  close(): void;
  postMessage(message: null): void;
}
type ChannelCtor = new () => { port1: PortLike; port2: PortLike };

export function yieldToEventLoop(): Promise<void> {
  const MC = (globalThis as unknown as { MessageChannel?: ChannelCtor }).MessageChannel;
  if (MC === undefined) return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MC();
    channel.port1.addEventListener("message", () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    });
    channel.port1.start();
    channel.port2.postMessage(null);
  });
}
