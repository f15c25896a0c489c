import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WorkbenchError } from "../../../shared/errors.ts";
import { forkWorker } from "../../jobs/fork-channel.ts";
import { JobHost } from "../../jobs/job-host.ts";
import { packageVersion } from "../../jobs/provenance.ts";
import { ensureRendererBuilt } from "../../server/renderer-build.ts";
import { startServer } from "../../server/server.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, parseNumberOption } from "../parse-args.ts";

export const DEFAULT_PORT = 8765;
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const usage = `usage: arbitrage serve [--port N] [--open] [--runs DIR]

  --port N     port on 127.0.0.1 (default ${DEFAULT_PORT}, or the next free one; 0: any free port)
  --open       open the URL in the default browser
  --runs DIR   runs folder: where new sweeps go and what the run history lists (default: runs)

Serves the workbench UI and its API on 127.0.0.1 only, with a random access token in the URL.
The first line printed is that URL. The UI is built first (a few seconds) when dist/ is missing or
older than its sources. From another machine, tunnel to it:
  ssh -N -L ${DEFAULT_PORT}:127.0.0.1:${DEFAULT_PORT} you@gpu-server   # then open the printed URL here
Sweeps run in worker processes. Ctrl-C stops the server; running sweeps stop after their current
problem and can be resumed.`;

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: "ignore", detached: true });
    child.on("error", () => {}); // no browser here: the URL is printed anyway
    child.unref();
  } catch {
    // as above
  }
}

export const serveCommand: Command = {
  name: "serve",
  summary: "the workbench UI and API on 127.0.0.1 with an access token (headless servers, SSH tunnels)",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { port: { type: "string" }, open: { type: "boolean" }, runs: { type: "string" } }, usage);
    const explicitPort = parseNumberOption(values.port, "--port", { integer: true, min: 0 });
    if (explicitPort !== undefined && explicitPort > 65535) throw new WorkbenchError("usage", `--port expects a port number 0…65535, found ${explicitPort}`);
    const runsDir = resolve(io.cwd, values.runs ?? "runs");
    // A fresh clone has no dist/ yet: build it before the URL is printed, so the first page works.
    await ensureRendererBuilt(ROOT, (line) => write(io.stderr, line));
    const host = new JobHost(forkWorker({ output: io.stderr }));
    const base = {
      staticDir: resolve(ROOT, "dist/renderer"),
      runsDir,
      assetsDir: resolve(ROOT, "assets"),
      cwd: io.cwd,
      version: packageVersion() ?? "0.0.0",
      host,
    };
    // The default port may be taken (another server, a notebook): try the next few. An explicit one must be free.
    const ports = explicitPort !== undefined ? [explicitPort] : Array.from({ length: 10 }, (_, i) => DEFAULT_PORT + i);
    let running: Awaited<ReturnType<typeof startServer>> | undefined;
    for (const port of ports) {
      try {
        running = await startServer({ ...base, port });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
        if (port === ports[ports.length - 1]) {
          throw new WorkbenchError("usage", explicitPort !== undefined ? `port ${port} on 127.0.0.1 is in use; choose another with --port` : `ports ${ports[0]}–${port} on 127.0.0.1 are in use; choose one with --port`);
        }
      }
    }
    const server = running as NonNullable<typeof running>;
    write(io.stdout, server.url); // first line of output: scripts and tests read it
    write(io.stderr, `arbitrage serve: listening on 127.0.0.1:${server.port} (loopback only); runs folder ${runsDir}`);
    write(io.stderr, `from another machine: ssh -N -L ${server.port}:127.0.0.1:${server.port} <this host>, then open the URL above`);
    write(io.stderr, "Ctrl-C to stop");
    if (values.open) openBrowser(server.url);

    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener("abort", () => done(), { once: true });
    });
    // Ask running sweeps to stop after their current problem, give them a moment, then close.
    const active = server.core.sweeps.active();
    if (active.length > 0) {
      write(io.stderr, `stopping ${active.length} running sweep(s); their run folders can be resumed`);
      for (const s of active) server.core.sweeps.cancel(s.runId);
      const deadline = Date.now() + 20_000;
      while (server.core.sweeps.active().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
    await server.close();
    return 0;
  },
};
