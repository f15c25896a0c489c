/**
 * Sweeps whose models are served over HTTP (by the test server over the fixture ONNX models):
 * the same results as the local sweep, with several problems in flight; through injected faults;
 * with a server that dies mid-sweep and a resume after it is back; across several servers of a
 * role; with a local/remote mix; and no API key in any file of the run folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SweepSummary } from "../../../shared/results.ts";
import type { JournalEntry, SweepOutcome } from "../../../main/jobs/sweep.ts";
import { runSweep } from "../../../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { OpenAiTestServer } from "../../helpers/openai-test-server.ts";
import { tinySpec } from "../../helpers/sweep-fixtures.ts";

const scratch = mkdtempSync(join(tmpdir(), "wb-http-sweep-"));
const SECRET = `sk-sweep-${process.pid}-9f8e7d`;
const KEY_ENV = "WB_HTTP_SWEEP_KEY";

let a: OpenAiTestServer;
let b: OpenAiTestServer;
let reference: SweepOutcome;

const MODELS = {
  lms: { "draft-m": fixtureModel("steps-draft"), "target-m": fixtureModel("steps-target") },
  scorers: { "prm-m": fixtureModel("prm-skywork"), "router-m": fixtureModel("router") },
};

beforeAll(async () => {
  process.env[KEY_ENV] = SECRET;
  a = await OpenAiTestServer.start({ ...MODELS, apiKey: SECRET });
  b = await OpenAiTestServer.start({ ...MODELS, apiKey: SECRET });
  reference = await runSweep(resolveSweepSpec(parseSweepSpec(tinySpec()), scratch), { outDir: join(scratch, "local") });
});

afterAll(async () => {
  delete process.env[KEY_ENV];
  await a?.dispose();
  await b?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/** An {http, tokenizer} reference for a served fixture model. */
function remote(model: string, folder: string, servers: OpenAiTestServer[], extra: Record<string, unknown> = {}) {
  const http =
    servers.length === 1
      ? { baseUrl: (servers[0] as OpenAiTestServer).baseUrl }
      : { endpoints: servers.map((s) => ({ baseUrl: s.baseUrl })) };
  return {
    http: { ...http, model, apiKeyEnv: KEY_ENV, retries: 3, retryBaseMs: 5, retryMaxMs: 20, cooldownMs: 60_000, timeoutMs: 10_000, concurrency: 2, ...extra },
    tokenizer: fixtureModel(folder),
  };
}

function remoteModels(servers: OpenAiTestServer[], extra: Record<string, unknown> = {}) {
  return {
    draft: remote("draft-m", "steps-draft", servers, extra),
    target: remote("target-m", "steps-target", servers, extra),
    prm: remote("prm-m", "prm-skywork", servers, extra),
    router: remote("router-m", "router", servers, extra),
  };
}

function spec(models: Record<string, unknown>) {
  return resolveSweepSpec(parseSweepSpec(tinySpec({ models })), scratch);
}

/** Everything but timings (and the speedup, which is made of them). */
function withoutTimings(s: SweepSummary) {
  return {
    runs: s.runs.map((r) => ({ ...r, latencyMs: null, tokensPerSecond: null })),
    cache: s.cache,
    problems: s.problems,
  };
}

/** Each (configuration, problem)'s steps, decisions, scores and answer, timings aside. */
function outcomes(o: SweepOutcome) {
  return o.records
    .map((r) => ({
      key: `${r.config.id}|${r.problemId}`,
      steps: r.steps.map((s) => ({ ...s, ms: null })),
      completion: r.completion,
      correct: r.correct,
      stopReason: r.stopReason,
      tokens: r.tokens,
      error: r.error?.kind ?? null,
    }))
    .sort((x, y) => (x.key < y.key ? -1 : 1));
}

function journal(dir: string): JournalEntry[] {
  return readFileSync(join(dir, "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as JournalEntry);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("a sweep over remote models", () => {
  it("gives the local sweep's results, several problems in flight, and keeps the key out of the run folder", async () => {
    const out = join(scratch, "remote");
    const logs: string[] = [];
    const o = await runSweep(spec(remoteModels([a])), { outDir: out, onLog: (l) => logs.push(l) });
    expect(o.complete).toBe(true);
    expect(withoutTimings(o.summary)).toEqual(withoutTimings(reference.summary));
    expect(outcomes(o)).toEqual(outcomes(reference));
    // Default parallelism: the largest role capacity (one endpoint x concurrency 2).
    expect(logs.some((l) => /running 2 \(configuration, problem\) pairs at once/.test(l))).toBe(true);
    expect(a.stats.maxInFlightByModel["draft-m"]).toBeLessThanOrEqual(2);
    // Remote calls are priced by measured time: latencies are there, and no calibration was made.
    expect(o.summary.runs.find((r) => r.id === "draft")?.latencyMs.draft).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, "calibration.json"), "utf8"))).toEqual({ draft: null, target: null, prm: null, router: null });
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { models: { draft: { backend: string; model: string; apiKeyEnv: string } } };
    expect(run.models.draft).toMatchObject({ backend: "openai-http", model: "draft-m", apiKeyEnv: KEY_ENV });
    // The step cache keeps each remote step's measured time and the server's token counts.
    const cached = readFileSync(join(out, "step-cache.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { v: { kind: string; decodeMs: number; server?: { promptTokens: number; completionTokens: number } } });
    const lmSteps = cached.filter((e) => e.v.kind === "lm");
    expect(lmSteps).toHaveLength(o.summary.cache.stepsComputed);
    for (const e of lmSteps) {
      expect(e.v.decodeMs).toBeGreaterThan(0);
      expect(e.v.server?.promptTokens).toBeGreaterThan(0);
      expect(e.v.server?.completionTokens).toBeGreaterThan(0);
    }
    for (const f of filesUnder(out)) expect(readFileSync(f, "utf8").includes(SECRET), f).toBe(false);
    expect(a.stats.unauthorized).toBe(0);
  });

  it("gives the same results through 500s, 503s, 429s, dropped connections and broken JSON", async () => {
    // Every third request fails, a request at most twice in a row: 3 retries always get through.
    a.setFault({ kind: ["500", "429", "drop", "malformed", "503"], every: 3, perRequest: 2 });
    try {
      const faults = a.stats.faults;
      const o = await runSweep(spec(remoteModels([a])), { outDir: join(scratch, "faults"), parallel: 3 });
      expect(a.stats.faults - faults).toBeGreaterThanOrEqual(10);
      expect(o.complete).toBe(true);
      expect(withoutTimings(o.summary)).toEqual(withoutTimings(reference.summary));
      expect(outcomes(o)).toEqual(outcomes(reference));
    } finally {
      a.setFault(null);
    }
  });

  it("records the problems a dead server failed, goes on, and fills them in on --resume once it is back", async () => {
    const out = join(scratch, "outage");
    const s = spec(remoteModels([b], { retries: 1 }));
    let stopping: Promise<void> | null = null;
    const first = await runSweep(s, {
      outDir: out,
      onProgress: (p) => {
        if (p.done >= 20 && !stopping) stopping = b.stop();
      },
    });
    await stopping;
    // Every pair has a record, the failed ones as errors; the run is not complete until they are retried.
    expect(first.complete).toBe(false);
    expect(first.cancelled).toBe(false);
    const failed = first.records.filter((r) => r.error?.kind === "backend");
    expect(failed.length).toBeGreaterThan(20);
    expect(first.failed).toMatchObject({ pairs: failed.length, problems: new Set(failed.map((r) => r.problemId)).size, of: 7 });
    const summaryFile = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { complete: boolean; errors: Record<string, number> };
    expect(summaryFile.complete).toBe(false);
    expect(summaryFile.errors["backend"]).toBe(failed.length);
    expect(first.records.filter((r) => !r.error).length).toBeGreaterThanOrEqual(15);
    for (const r of failed) expect(r.error?.message).toMatch(/connection failed|rests/);
    const before = readFileSync(join(out, "journal.jsonl"), "utf8");

    await b.restart();
    const logs: string[] = [];
    const second = await runSweep(s, { outDir: out, resume: true, onLog: (l) => logs.push(l) });
    expect(second.complete).toBe(true);
    expect(second.failed.pairs).toBe(0);
    expect((JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { complete: boolean }).complete).toBe(true);
    expect(logs.some((l) => new RegExp(`${failed.length} pair\\(s\\) that failed on a server error are run again`).test(l))).toBe(true);
    // Finished work is kept as it was; the failed pairs were run again and now match the local sweep.
    expect(readFileSync(join(out, "journal.jsonl"), "utf8").startsWith(before)).toBe(true);
    expect(journal(out)).toHaveLength(91 + failed.length);
    expect(withoutTimings(second.summary)).toEqual(withoutTimings(reference.summary));
    expect(outcomes(second)).toEqual(outcomes(reference));
    const firstDone = new Map(first.records.filter((r) => !r.error).map((r) => [`${r.config.id}|${r.problemId}`, r]));
    for (const r of second.records) {
      const kept = firstDone.get(`${r.config.id}|${r.problemId}`);
      if (kept) expect(r).toEqual(kept);
    }
  });

  it("spreads problems over several servers of a role with the same results, and resumes against other servers", async () => {
    const out = join(scratch, "two-servers");
    const countA = a.stats.byPath["/v1/completions"] ?? 0;
    const countB = b.stats.byPath["/v1/completions"] ?? 0;
    const o = await runSweep(spec(remoteModels([a, b])), { outDir: out, parallel: 4 });
    expect(withoutTimings(o.summary)).toEqual(withoutTimings(reference.summary));
    expect(outcomes(o)).toEqual(outcomes(reference));
    expect((a.stats.byPath["/v1/completions"] ?? 0) - countA).toBeGreaterThan(0);
    expect((b.stats.byPath["/v1/completions"] ?? 0) - countB).toBeGreaterThan(0);
    for (const s of [a, b]) for (const peak of Object.values(s.stats.maxInFlightByModel)) expect(peak).toBeLessThanOrEqual(2);
    // Where models are served is not part of a run's identity: resume the folder against server b alone.
    const again = await runSweep(spec(remoteModels([b], { concurrency: 5, timeoutMs: 20_000 })), { outDir: out, resume: true });
    expect(again.complete).toBe(true);
    expect(withoutTimings(again.summary)).toEqual(withoutTimings(reference.summary));
  });

  it("mixes local and remote models with the same results (one problem at a time)", async () => {
    const models = { draft: fixtureModel("steps-draft"), target: remote("target-m", "steps-target", [a]), prm: fixtureModel("prm-skywork"), router: remote("router-m", "router", [a], { protocol: "pooling" }) };
    const out = join(scratch, "mixed");
    const o = await runSweep(spec(models), { outDir: out });
    expect(withoutTimings(o.summary)).toEqual(withoutTimings(reference.summary));
    expect(outcomes(o)).toEqual(outcomes(reference));
    const cal = JSON.parse(readFileSync(join(out, "calibration.json"), "utf8")) as Record<string, unknown>;
    expect(cal["draft"]).not.toBeNull();
    expect(cal["prm"]).not.toBeNull();
    expect(cal["target"]).toBeNull();
    expect(cal["router"]).toBeNull();
    await expect(runSweep(spec(models), { outDir: join(scratch, "mixed-parallel"), parallel: 2 })).rejects.toThrow(/--parallel 2 needs every model served over HTTP/);
  });
});

describe("remote model references in a sweep spec", () => {
  it("name the field that is wrong", () => {
    const ok = (model: string) => ({ http: { baseUrl: "http://gpu1:8000/v1", model }, tokenizer: "x" });
    const others = { draft: ok("d"), target: ok("t"), prm: ok("p"), router: ok("r") };
    const bad = (http: Record<string, unknown>) => () => parseSweepSpec(tinySpec({ models: { ...others, target: { http, tokenizer: "x" } } }));
    expect(bad({ baseUrl: "http://h:1", model: 7 })).toThrow(/models\.target: http\.model: .*expected string/);
    expect(bad({ baseUrl: "http://h:1", model: "m", retires: 3 })).toThrow(/retires/);
    expect(bad({ baseUrl: "http://h:1", model: "m", apiKeyEnv: "sk-123" })).toThrow(/apiKeyEnv.*environment variable name/);
    const resolved = resolveSweepSpec(parseSweepSpec(tinySpec({ models: others })), scratch);
    expect(resolved.models.draft.http?.endpoints).toEqual([{ baseUrl: "http://gpu1:8000", concurrency: 8 }]);
    expect(resolved.models.draft.path).toBe(join(scratch, "x"));
    const resolve = (http: Record<string, unknown>) => () => resolveSweepSpec(parseSweepSpec(tinySpec({ models: { ...others, prm: { http, tokenizer: "x" } } })), scratch);
    expect(resolve({ model: "m" })).toThrow(/models\.prm\.http: give either "baseUrl".*or "endpoints"/);
    expect(resolve({ baseUrl: "http://user:pw@h:1", model: "m" })).toThrow(/credentials in the URL/);
    expect(resolve({ baseUrl: "ftp://h:1", model: "m" })).toThrow(/http:\/\/ or https:\/\//);
  });
});
