/** What the API handlers need from the shell that hosts them (the Electron app, or serve mode). */
import type { JobHost } from "../jobs/job-host.ts";
import type { EventBus } from "./event-bus.ts";

export interface ApiContext {
  shell: "desktop" | "serve";
  version: string;
  /** Default folder for new runs and for runs.list. */
  runsDir: string;
  /** The folder holding models/ and datasets/ of the embedded demo suite. */
  assetsDir: string;
  /** Relative paths in specs and requests are resolved against this. */
  cwd: string;
  host: JobHost;
  bus: EventBus;
}
