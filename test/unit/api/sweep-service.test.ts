/**
 * SweepService: each run's events carry its id and a rising seq, and every run ends with exactly one
 * sweep.end — complete, cancelled, or failed with a typed error when its worker crashes.
 */
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { WireEvent } from "../../../shared/api/contracts.ts";
import { EventBus } from "../../../main/api/event-bus.ts";
import { SweepService } from "../../../main/api/sweep-service.ts";
import { forkWorker } from "../../../main/jobs/fork-channel.ts";
import { JobHost } from "../../../main/jobs/job-host.ts";
import { tinySpec } from "../../helpers/sweep-fixtures.ts";

const MISBEHAVE = fileURLToPath(new URL("../../fixtures/workers/misbehave.ts", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "sweep-service-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function service(behaviour?: string) {
  const bus = new EventBus();
  const events: WireEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const host = new JobHost(behaviour ? forkWorker({ entry: MISBEHAVE, args: [behaviour], output: null }) : forkWorker({ output: null }));
  const svc = new SweepService(host, bus, { runsDir: join(tmp, "runs"), cwd: tmp });
  const ended = (runId: string) =>
    new Promise<WireEvent>((resolve) => {
      const check = () => {
        const end = events.find((e) => e.name === "sweep.end" && (e.payload as { runId: string }).runId === runId);
        if (end) resolve(end);
        else setTimeout(check, 20);
      };
      check();
    });
  return { svc, events, ended };
}

describe("SweepService", () => {
  it("a worker that crashes ends its run as failed with a typed error; the service goes on", async () => {
    const { svc, events, ended } = service("crash");
    const { runId, out } = svc.start({ spec: tinySpec(), out: join(tmp, "crashed") });
    const end = (await ended(runId)).payload as { status: string; error: { kind: string; message: string }; seq: number; out: string };
    expect(end.status).toBe("failed");
    expect(end.out).toBe(out);
    expect(end.error.kind).toBe("internal");
    expect(end.error.message).toMatch(/exited with code 3/);
    const mine = events.filter((e) => (e.payload as { runId: string }).runId === runId);
    expect(mine.map((e) => (e.payload as { seq: number }).seq)).toEqual(mine.map((_, i) => i + 1));
    expect(mine.filter((e) => e.name === "sweep.end")).toHaveLength(1);
    expect(svc.active()).toEqual([]);
    // The next sweep starts as usual.
    const again = svc.start({ spec: tinySpec(), out: join(tmp, "crashed-2") });
    expect((await ended(again.runId)).payload).toMatchObject({ status: "failed" });
  });

  it("puts a run without an out folder under the runs folder, named after the spec", () => {
    const { svc } = service("hang");
    const { runId, out } = svc.start({ spec: tinySpec() });
    expect(out.startsWith(join(tmp, "runs", "tiny-"))).toBe(true);
    expect(svc.active().map((s) => s.runId)).toEqual([runId]);
    svc.killAll();
  });

  it("cancel: the real worker stops after the current problem and the run ends as cancelled", async () => {
    const { svc, events, ended } = service();
    const { runId } = svc.start({ spec: tinySpec(), out: join(tmp, "cancel-me") });
    await new Promise<void>((resolve) => {
      const check = () => {
        const running = events.some((e) => e.name === "sweep.progress" && (e.payload as { runId: string; done: number }).runId === runId && (e.payload as { phase: string }).phase === "running" && (e.payload as { done: number }).done >= 2);
        if (running) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    expect(svc.cancel(runId)).toBe(true);
    const end = (await ended(runId)).payload as { status: string; summary: { problems: number } | null };
    expect(end.status).toBe("cancelled");
    expect(end.summary).not.toBeNull();
    expect(events.some((e) => e.name === "sweep.progress" && (e.payload as { phase: string }).phase === "cancelling")).toBe(true);
    // Before the first problem the sweep times its models' calls: said as its own phase.
    const phases = events.filter((e) => e.name === "sweep.progress" && (e.payload as { runId: string }).runId === runId).map((e) => (e.payload as { phase: string }).phase);
    expect(phases.filter((p, i) => p !== phases[i - 1]).slice(0, 3)).toEqual(["starting", "calibrating", "running"]);
    // While calibrating, done of total count its timing rounds (the phase's ETA), and it ends with all of them done.
    const rounds = events
      .filter((e) => e.name === "sweep.progress" && (e.payload as { runId: string; phase: string }).runId === runId && (e.payload as { phase: string }).phase === "calibrating")
      .map((e) => [(e.payload as { done: number }).done, (e.payload as { total: number }).total]);
    expect(rounds.at(-1)![0]).toBeGreaterThanOrEqual(7); // at least 2 warm-up rounds and 5 timed
    expect(rounds.at(-1)![0]).toBe(rounds.at(-1)![1]);
    expect(svc.cancel(runId)).toBe(false);
  });
});
