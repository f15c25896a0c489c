/**
 * One handler per contract, shared by serve mode and the Electron app. Each receives its input
 * already validated by the dispatcher. Work that loads models or parses big files goes to a job
 * worker; the hosting thread only reads small JSON files and streams journals.
 */
import { resolve } from "node:path";
import type { z } from "zod";
import type { MethodName, MethodOutput, Methods } from "../../shared/api/contracts.ts";
import { unsupported } from "../../shared/api/envelope.ts";
import { appInfo } from "./app-info.ts";
import type { ApiContext } from "./context.ts";
import { runProblems } from "./run-problems.ts";
import { listRuns, loadRun } from "./runs.ts";
import { checkSpec } from "./spec-check.ts";
import { SweepService } from "./sweep-service.ts";

export type Handler<M extends MethodName> = (input: z.output<Methods[M]["input"]>) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** Models and datasets can take a while to load on a busy machine, but an inspection never runs for minutes. */
const CALL_TIMEOUT_MS = 5 * 60_000;

export interface CoreHandlers {
  handlers: Handlers;
  sweeps: SweepService;
}

/**
 * The handlers; `desktop` supplies the dialogs (Electron's main process). Without it the dialog
 * methods answer an "unsupported" error, which the renderer turns into a typed path or a download.
 */
export function createHandlers(ctx: ApiContext, desktop?: Pick<Handlers, "dialogs.pickModel" | "dialogs.pickDataset" | "dialogs.pickRunFolder" | "dialogs.saveFile">): CoreHandlers {
  const sweeps = new SweepService(ctx.host, ctx.bus, { runsDir: ctx.runsDir, cwd: ctx.cwd });
  const where = ctx.shell === "serve" ? "serve mode (no native dialogs: type the path)" : "this shell";
  const noDialog = (method: MethodName) => () => {
    throw unsupported(method, where);
  };
  const inWorker = <T>(method: "models.inspect" | "datasets.preview", input: { path: string }) =>
    ctx.host.run<T>({ kind: "call", method, input: { ...input, path: resolve(ctx.cwd, input.path) } }, { timeoutMs: CALL_TIMEOUT_MS }).result;

  const handlers: Handlers = {
    "app.info": () => appInfo(ctx),
    "models.inspect": (input) => inWorker<MethodOutput<"models.inspect">>("models.inspect", input),
    "datasets.preview": (input) => inWorker<MethodOutput<"datasets.preview">>("datasets.preview", input),
    "sweeps.validate": ({ spec }) => {
      const check = checkSpec(spec, ctx.cwd);
      return { valid: check.issues.length === 0, issues: check.issues, configurations: check.configurations };
    },
    "sweeps.start": (input) => sweeps.start(input),
    "sweeps.cancel": ({ runId }) => ({ cancelled: sweeps.cancel(runId) }),
    "sweeps.active": () => ({ sweeps: sweeps.active() }),
    "runs.list": async ({ dir }) => {
      const d = resolve(ctx.cwd, dir ?? ctx.runsDir);
      return { dir: d, runs: await listRuns(d, (p) => sweeps.isActive(p)) };
    },
    "runs.load": ({ dir, offset, limit }) => loadRun(resolve(ctx.cwd, dir), offset, limit),
    "runs.problems": ({ dir, ids }) => runProblems(resolve(ctx.cwd, dir), ids),
    "runs.report": ({ dir }) =>
      ctx.host.run<MethodOutput<"runs.report">>({ kind: "call", method: "runs.report", input: { dir: resolve(ctx.cwd, dir) } }, { timeoutMs: CALL_TIMEOUT_MS }).result,
    "dialogs.pickModel": desktop?.["dialogs.pickModel"] ?? noDialog("dialogs.pickModel"),
    "dialogs.pickDataset": desktop?.["dialogs.pickDataset"] ?? noDialog("dialogs.pickDataset"),
    "dialogs.pickRunFolder": desktop?.["dialogs.pickRunFolder"] ?? noDialog("dialogs.pickRunFolder"),
    "dialogs.saveFile": desktop?.["dialogs.saveFile"] ?? noDialog("dialogs.saveFile"),
  };
  return { handlers, sweeps };
}
