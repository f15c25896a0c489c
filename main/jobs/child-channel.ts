/**
 * The parent's side of a link to one worker process, whatever started it: Node's
 * `child_process.fork` (CLI, serve mode) or Electron's `utilityProcess.fork` (the desktop app).
 * JobHost talks only to this interface.
 */
import type { ChildMessage, ParentMessage } from "./worker-protocol.ts";

export interface ChildChannel {
  send(msg: ParentMessage): void;
  onMessage(cb: (msg: unknown) => void): void;
  /** Called once when the process has ended: its exit code, or the signal that ended it. */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  /** Ends the process now (SIGKILL where there are signals). Safe to call after it ended. */
  kill(): void;
  /** The last few KB the process wrote to stderr (for the error of a crashed worker), if captured. */
  stderrTail(): string;
}

/** Starts one worker process. */
export type SpawnWorker = () => ChildChannel;

export type { ChildMessage, ParentMessage };

/** Keeps the last `max` characters of a stream, for error messages. */
export class TailBuffer {
  private text = "";
  constructor(private readonly max = 4096) {}
  push(chunk: string | Buffer): void {
    this.text = (this.text + chunk.toString()).slice(-this.max);
  }
  toString(): string {
    return this.text;
  }
}
