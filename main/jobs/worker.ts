/**
 * The job worker: a child process that runs one task (a sweep, or a short call such as loading a
 * model to inspect it) and exits. Started by JobHost with `child_process.fork` under tsx's loader
 * (CLI, serve mode) or as an Electron utilityProcess (the desktop app, from the bundled
 * dist/app/worker.js). ONNX Runtime blocks its thread for a whole forward pass, so this is the only
 * place models run for the app and the server.
 */
import { toErrorRecord, WorkbenchError } from "../../shared/errors.ts";
import type { ChildMessage, ParentMessage, WorkerTask } from "./worker-protocol.ts";
import { runWorkerTask } from "./worker-tasks.ts";

/** The parent link: Electron's process.parentPort in a utilityProcess, Node's IPC channel after fork. */
interface Port {
  send(msg: ChildMessage): void;
  onMessage(cb: (msg: ParentMessage) => void): void;
  /** Sends the last message and ends the process once it has gone out. */
  close(last: ChildMessage): void;
}

function parentLink(): Port {
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(ev: "message", cb: (e: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) {
    return {
      send: (m) => electronPort.postMessage(m),
      onMessage: (cb) => electronPort.on("message", (e) => cb(e.data as ParentMessage)),
      // postMessage has no completion callback: give the port a moment to flush before leaving.
      close: (m) => {
        electronPort.postMessage(m);
        setTimeout(() => process.exit(0), 100);
      },
    };
  }
  if (typeof process.send === "function") {
    return {
      send: (m) => void process.send?.(m),
      onMessage: (cb) => process.on("message", (m) => cb(m as ParentMessage)),
      // Disconnect once the message is written; the process then ends when nothing else is pending,
      // and is made to end shortly after if something (a native thread pool) keeps it alive.
      close: (m) => {
        process.send?.(m, undefined, {}, () => {
          process.disconnect?.();
          setTimeout(() => process.exit(0), 2000).unref();
        });
      },
    };
  }
  throw new Error("the job worker must be started by a JobHost (no IPC channel to a parent)");
}

const port = parentLink();
const controller = new AbortController();
let started = false;

function finish(msg: ChildMessage): void {
  port.close(msg);
}

port.onMessage((msg) => {
  if (msg.type === "cancel") {
    controller.abort();
    return;
  }
  if (msg.type !== "task" || started) return;
  started = true;
  void run(msg.task);
});

async function run(task: WorkerTask): Promise<void> {
  try {
    const value = await runWorkerTask(task, {
      signal: controller.signal,
      emit: (m) => port.send(m),
    });
    finish({ type: "result", value });
  } catch (err) {
    finish({ type: "error", error: toErrorRecord(err instanceof WorkbenchError || err instanceof Error ? err : new Error(String(err))) });
  }
}

port.send({ type: "ready" });
