/** The real job worker (main/jobs/worker.ts under tsx) run by JobHost: inspections, previews, a sweep and its cancel. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkbenchError } from "../../../shared/errors.ts";
import { DatasetPreviewSchema, ModelInspectionSchema } from "../../../shared/api/index.ts";
import { forkWorker } from "../../../main/jobs/fork-channel.ts";
import { JobHost, type JobEvent } from "../../../main/jobs/job-host.ts";
import type { SweepResult } from "../../../main/jobs/worker-protocol.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { TINY_DATASET, tinySpec } from "../../helpers/sweep-fixtures.ts";

const host = new JobHost(forkWorker({ output: null }));
const tmp = mkdtempSync(join(tmpdir(), "worker-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const call = (method: "models.inspect" | "datasets.preview", input: unknown) => host.run({ kind: "call", method, input }, { timeoutMs: 90_000 }).result;

describe("job worker", () => {
  it("inspects a language model, a PRM and a router, each as its contract says", async () => {
    const lm = ModelInspectionSchema.parse(await call("models.inspect", { path: fixtureModel("steps-draft"), role: "draft" }));
    expect(lm.kind).toBe("lm");
    if (lm.kind !== "lm") return;
    expect(lm.layers).toBeGreaterThan(0);
    expect(lm.vocabSize).toBeGreaterThan(0);
    expect(lm.provider).toBe("cpu");
    const prm = ModelInspectionSchema.parse(await call("models.inspect", { path: fixtureModel("prm-skywork"), role: "prm" }));
    expect(prm).toMatchObject({ kind: "scorer", convention: "skywork-prm", head: "sigmoid" });
    const router = ModelInspectionSchema.parse(await call("models.inspect", { path: fixtureModel("router"), role: "router" }));
    expect(router).toMatchObject({ kind: "scorer", convention: "arbitrage-router" });
  });

  it("answers typed errors for a bad model folder, a missing path and a PRM given as router", async () => {
    const bad = (await call("models.inspect", { path: fixtureModel("bad-graph"), role: "target" }).catch((e: unknown) => e)) as WorkbenchError;
    expect(bad).toBeInstanceOf(WorkbenchError);
    expect(["bad-graph", "bad-model"]).toContain(bad.kind);
    const missing = (await call("models.inspect", { path: join(tmp, "nope"), role: "draft" }).catch((e: unknown) => e)) as WorkbenchError;
    expect(missing.kind).toBe("missing-file");
    const wrongRole = (await call("models.inspect", { path: fixtureModel("prm-skywork"), role: "router" }).catch((e: unknown) => e)) as WorkbenchError;
    expect(wrongRole.kind).toBe("bad-model");
    expect(wrongRole.message).toMatch(/not a router/);
  });

  it("previews a dataset with its mapping, first problems and unreadable lines", async () => {
    const p = DatasetPreviewSchema.parse(await call("datasets.preview", { path: TINY_DATASET, limit: 2 }));
    expect(p.problems).toHaveLength(2);
    expect(p.problems[0]).toMatchObject({ id: "tiny-00", answer: "3" });
    expect(p.count).toBeGreaterThan(2);
    const bad = DatasetPreviewSchema.parse(await call("datasets.preview", { path: join(import.meta.dirname, "../../fixtures/datasets/bad-lines.jsonl") }));
    expect(bad.errorCount).toBeGreaterThan(0);
    expect(bad.errors[0]?.line).toBeGreaterThan(0);
  });

  it("runs a sweep on the fixture models, streaming started/progress and writing the run folder", async () => {
    const raw = tinySpec();
    const spec = resolveSweepSpec(parseSweepSpec(raw), process.cwd());
    const out = join(tmp, "sweep");
    const events: JobEvent[] = [];
    const res = (await host.run({ kind: "sweep", spec, specAsGiven: raw, outDir: out, resume: false, measure: false }, { onEvent: (e) => events.push(e) }).result) as SweepResult;
    expect(res.complete).toBe(true);
    expect(res.outDir).toBe(out);
    const started = events.find((e) => e.type === "started");
    expect(started).toMatchObject({ type: "started", configurations: spec.configurations.length });
    const total = (started as { total: number }).total;
    const last = events.filter((e) => e.type === "progress").at(-1);
    expect(last).toMatchObject({ done: total, total });
    expect(res.summary.runs).toHaveLength(spec.configurations.length);
    expect(readFileSync(join(out, "journal.jsonl"), "utf8").trim().split("\n")).toHaveLength(total);
    expect(existsSync(join(out, ".lock"))).toBe(false);
  });

  it("cancel stops a sweep after the current problem, with what is done written and resumable", async () => {
    const raw = tinySpec();
    const spec = resolveSweepSpec(parseSweepSpec(raw), process.cwd());
    const out = join(tmp, "cancelled");
    let total = 0;
    const job = host.run<SweepResult>({ kind: "sweep", spec, specAsGiven: raw, outDir: out, resume: false, measure: false }, {
      onEvent: (e) => {
        if (e.type === "started") total = e.total;
        if (e.type === "progress" && e.done >= 3) job.cancel();
      },
    });
    const res = await job.result;
    expect(res.complete).toBe(false);
    const lines = readFileSync(join(out, "journal.jsonl"), "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThan(total);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { complete: boolean };
    expect(summary.complete).toBe(false);
    const resumed = await host.run<SweepResult>({ kind: "sweep", spec, specAsGiven: raw, outDir: out, resume: true, measure: false }).result;
    expect(resumed.complete).toBe(true);
    expect(readFileSync(join(out, "journal.jsonl"), "utf8").trim().split("\n")).toHaveLength(total);
  });
});
