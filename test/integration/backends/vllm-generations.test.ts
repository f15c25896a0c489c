/**
 * A served PRM (1-value head) and router (2-class head) read through each vLLM generation's
 * responses (test/helpers/vllm-pooling-server.ts copies them from vLLM's source): the scores at the
 * step ends must be the local scorer's, and so must the RSD and Arbitrage decisions that follow.
 * Where a server applies the head's activation and the spec says "logits", it must not go unnoticed:
 * refused where no switch the server honours was sent, reported in the provenance otherwise.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Configuration, Method } from "../../../shared/results.ts";
import { configId } from "../../../shared/results.ts";
import { resolveHttpSettings } from "../../../main/backends/http/config.ts";
import { HttpStepScorer } from "../../../main/backends/http/http-scorer.ts";
import type { StepScoring } from "../../../main/backends/types.ts";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import { StepScorer } from "../../../main/engine/scorer.ts";
import { runSweep } from "../../../main/jobs/sweep.ts";
import type { Provenance } from "../../../main/jobs/provenance.ts";
import { LiveOracle } from "../../../main/speculation/live-oracle.ts";
import { promptFor } from "../../../main/speculation/model-set.ts";
import type { LoopResult } from "../../../main/speculation/step-loop.ts";
import { runStepLoop } from "../../../main/speculation/step-loop.ts";
import type { ProblemContext } from "../../../main/speculation/step-oracle.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { tinySpec } from "../../helpers/sweep-fixtures.ts";
import type { Generation } from "../../helpers/vllm-pooling-server.ts";
import { VllmPoolingServer } from "../../helpers/vllm-pooling-server.ts";

const SCORERS = { prm: fixtureModel("prm-skywork"), router: fixtureModel("router") };
const QUESTION = "What is 1+2?";
const STEPS = ["We add 1 and 2.", "1 + 2 = 3.", "The answer is \\boxed{3}."];
const LIMITS = { maxSteps: 100, maxTotalTokens: 4096 };

let local: { draft: CausalLM; target: CausalLM; prm: StepScorer; router: StepScorer };
let ctx: ProblemContext;
const servers: VllmPoolingServer[] = [];
const scratch = mkdtempSync(join(tmpdir(), "wb-vllm-gen-"));

async function serve(generation: Generation, versionRoute = true, overridePoolerSoftmax?: boolean): Promise<VllmPoolingServer> {
  const s = await VllmPoolingServer.start({ generation, scorers: SCORERS, versionRoute, ...(overridePoolerSoftmax === undefined ? {} : { overridePoolerSoftmax }) });
  servers.push(s);
  return s;
}

function settings(server: VllmPoolingServer, model: "prm" | "router", extra: Record<string, unknown> = {}) {
  return resolveHttpSettings({ baseUrl: server.baseUrl, model, retries: 1, retryBaseMs: 5, retryMaxMs: 10, timeoutMs: 10_000, ...extra }, "test");
}

async function remote(server: VllmPoolingServer, extra: Record<string, unknown> = {}) {
  return {
    prm: await HttpStepScorer.load(SCORERS.prm, settings(server, "prm", extra), "prm"),
    router: await HttpStepScorer.load(SCORERS.router, settings(server, "router", extra), "router"),
  };
}

const cfg = (method: Method, threshold: number): Configuration => ({ id: configId(method, threshold), method, threshold });

/** The step loop with local draft and target and the given PRM and router. */
function loop(config: Configuration, prm: StepScoring, router: StepScoring): Promise<LoopResult> {
  const oracle = new LiveOracle({ draft: local.draft, target: local.target, prm, router, lightRouter: null }, ctx);
  return runStepLoop(config, oracle, LIMITS, "\n\n");
}

/** What a policy decided at each step, with the scores it decided on. */
const decisions = (r: LoopResult) => r.steps.map((s) => ({ decision: s.decision, prm: s.prmDraft, router: s.router, text: s.text }));

beforeAll(async () => {
  local = {
    draft: await CausalLM.load(fixtureModel("steps-draft"), { intraOpThreads: 1 }),
    target: await CausalLM.load(fixtureModel("steps-target"), { intraOpThreads: 1 }),
    prm: await StepScorer.load(SCORERS.prm, { intraOpThreads: 1 }),
    router: await StepScorer.load(SCORERS.router, { intraOpThreads: 1 }),
  };
  const template = { kind: "chat-template" as const };
  ctx = {
    question: QUESTION,
    prompts: { draft: promptFor(local.draft, template, QUESTION), target: promptFor(local.target, template, QUESTION) },
    delimiter: "\n\n",
    stop: ["\n\n"],
    maxStepTokens: 64,
    decoding: { temperature: 0, topP: 1, topK: 0, seed: 0 },
  };
});

afterAll(async () => {
  for (const s of servers) await s.dispose();
  for (const m of Object.values(local)) await m.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/** Thresholds that split the local scores of the draft's steps, so both decisions occur. */
async function splittingThresholds(): Promise<{ rsd: number; arbitrage: number }> {
  const all = await loop(cfg("rsd", 0), local.prm, local.router);
  const prm = all.steps.map((s) => s.prmDraft as number).sort((a, b) => a - b);
  const arb = await loop(cfg("arbitrage", 2), local.prm, local.router);
  const router = arb.steps.map((s) => s.router as number).sort((a, b) => a - b);
  const mid = (v: number[]) => ((v[0] as number) + (v[v.length - 1] as number)) / 2;
  return { rsd: mid(prm), arbitrage: mid(router) };
}

describe("each vLLM generation, read the way the workbench asks it", () => {
  // 0.10.1 – 0.11.0 take no request field that keeps the values raw: only a server started with
  // --override-pooler-config '{"softmax": false}' returns them.
  const cases: { generation: Generation; protocol: "embeddings" | "pooling"; sent: Record<string, unknown>; overridePoolerSoftmax?: boolean }[] = [
    { generation: "0.6.4", protocol: "embeddings", sent: { encoding_format: "base64" } },
    { generation: "0.8.5", protocol: "embeddings", sent: { encoding_format: "base64" } },
    { generation: "0.8.5", protocol: "pooling", sent: {} },
    { generation: "0.10.1", protocol: "pooling", sent: { softmax: false }, overridePoolerSoftmax: false },
    { generation: "0.11.1", protocol: "pooling", sent: { use_activation: false } },
    { generation: "0.20.0", protocol: "pooling", sent: { use_activation: false } },
  ];
  for (const c of cases) {
    it(`vLLM ${c.generation}${c.overridePoolerSoftmax === false ? " (--override-pooler-config softmax false)" : ""}, /${c.protocol === "embeddings" ? "v1/embeddings" : "pooling"}: the local scores at every step end, and the same RSD and Arbitrage decisions`, async () => {
      const server = await serve(c.generation, true, c.overridePoolerSoftmax);
      const r = await remote(server, { protocol: c.protocol });
      for (const [mine, theirs] of [
        [r.prm, local.prm],
        [r.router, local.router],
      ] as const) {
        const a = await mine.score(QUESTION, STEPS);
        const b = await theirs.score(QUESTION, STEPS);
        expect(a.stepScores).toEqual(b.stepScores);
        expect(a.score).toBe(b.score);
      }
      const t = await splittingThresholds();
      for (const config of [cfg("rsd", t.rsd), cfg("arbitrage", t.arbitrage)]) {
        const want = decisions(await loop(config, local.prm, local.router));
        expect(new Set(want.map((d) => d.decision)).size).toBe(2); // the threshold splits them
        expect(decisions(await loop(config, r.prm, r.router))).toEqual(want);
      }
      const asked = server.requests.filter((q) => q.path === (c.protocol === "embeddings" ? "/v1/embeddings" : "/pooling"));
      expect(asked.length).toBeGreaterThan(0);
      for (const q of asked) expect(q.body).toMatchObject(c.sent);
      if (c.protocol === "pooling") {
        for (const q of asked) for (const k of ["softmax", "activation", "use_activation"].filter((k) => !(k in c.sent))) expect(q.body).not.toHaveProperty(k);
        expect(r.prm.runNotes()).toEqual([{ level: "info", message: expect.stringContaining(`served by vLLM ${c.generation} (GET ${server.baseUrl}/version)`) }]);
      } else {
        expect(r.prm.runNotes()).toEqual([]);
      }
    });
  }
});

describe("a server that applies the activation", () => {
  it("vLLM 0.10.1 as started by default: its activated answers are read as the probabilities they are (the local scores, the same decisions), with a warning naming the cause and both fixes", async () => {
    for (const versionRoute of [true, false]) {
      const server = await serve("0.10.1", versionRoute);
      const r = await remote(server, { protocol: "pooling", ...(versionRoute ? {} : { vllmVersion: "0.10.1" }) });
      const source = versionRoute ? `GET ${server.baseUrl}/version` : "the spec's vllmVersion";
      for (const [mine, theirs] of [
        [r.prm, local.prm],
        [r.router, local.router],
      ] as const) {
        const a = await mine.score(QUESTION, STEPS);
        const b = await theirs.score(QUESTION, STEPS);
        a.stepScores.forEach((x, i) => expect(x).toBeCloseTo(b.stepScores[i] as number, 6));
      }
      const t = await splittingThresholds();
      for (const config of [cfg("rsd", t.rsd), cfg("arbitrage", t.arbitrage)]) {
        expect(decisions(await loop(config, r.prm, r.router)).map((d) => d.decision)).toEqual(decisions(await loop(config, local.prm, local.router)).map((d) => d.decision));
      }
      const warning = r.prm.runNotes().find((n) => n.level === "warning")?.message ?? "";
      expect(warning).toMatch(/prm model "prm": "values" is "logits", but all \d+ values in \d+ response\(s\) lay in \[0, 1\]: the server applied the head's sigmoid itself, so they were read as the probabilities they are, not activated again/);
      expect(warning).toContain(`vLLM 0.10.1 (${source}) applies it by default, and its /pooling request has no field that turns it off (0.10.1 – 0.11.0)`);
      expect(warning).toMatch(/--override-pooler-config '\{"softmax": false\}' .*or set "values": "probabilities"/);
      expect(r.router.runNotes().find((n) => n.level === "warning")?.message).toMatch(/router model "router": .* and every row summed to 1: the server applied the head's softmax itself/);
      // Only the field 0.10.1's PoolingParams holds (dropped by its request class); nothing that 0.11.1 – 0.13 would read backwards.
      for (const q of server.requests.filter((q) => q.path === "/pooling")) {
        expect(q.body).toMatchObject({ softmax: false });
        for (const k of ["activation", "use_activation", "normalize"]) expect(q.body).not.toHaveProperty(k);
      }
    }
  });

  it("vLLM 0.10.1 read as the probabilities it returns: the local scores to float32 precision, and the same decisions", async () => {
    const server = await serve("0.10.1");
    const r = await remote(server, { protocol: "pooling", values: "probabilities" });
    for (const [mine, theirs] of [
      [r.prm, local.prm],
      [r.router, local.router],
    ] as const) {
      const a = await mine.score(QUESTION, STEPS);
      const b = await theirs.score(QUESTION, STEPS);
      a.stepScores.forEach((x, i) => expect(x).toBeCloseTo(b.stepScores[i] as number, 6));
    }
    const t = await splittingThresholds();
    for (const config of [cfg("rsd", t.rsd), cfg("arbitrage", t.arbitrage)]) {
      expect(decisions(await loop(config, r.prm, r.router)).map((d) => d.decision)).toEqual(decisions(await loop(config, local.prm, local.router)).map((d) => d.decision));
    }
    expect(r.prm.runNotes()).toEqual([{ level: "info", message: expect.stringContaining("served by vLLM 0.10.1") }]);
  });

  it("behind a proxy that hides its version (use_activation sent, ignored by 0.10.1): read as probabilities, not activated twice, and said so", async () => {
    const server = await serve("0.10.1", false);
    const r = await remote(server, { protocol: "pooling" });
    const a = await r.prm.score(QUESTION, STEPS);
    const b = await local.prm.score(QUESTION, STEPS);
    a.stepScores.forEach((x, i) => expect(x).toBeCloseTo(b.stepScores[i] as number, 6));
    expect(r.prm.runNotes().find((n) => n.level === "warning")?.message).toMatch(/The server's vLLM version is not known \(GET .*\/version answered HTTP 404\); vLLM 0\.10\.1 – 0\.11\.0 apply it by default and ignore the "use_activation": false that was sent/);
    expect(server.requests.at(-1)?.body).toMatchObject({ use_activation: false });
    expect(server.requests.at(-1)?.body).not.toHaveProperty("softmax");
  });

  it("a model whose own pooler activates (vLLM 0.8.5 started with softmax on) is read as probabilities on both endpoints, with the cause", async () => {
    const server = await serve("0.8.5", true, true);
    for (const protocol of ["pooling", "embeddings"] as const) {
      const r = await remote(server, { protocol });
      const a = await r.router.score(QUESTION, STEPS);
      const b = await local.router.score(QUESTION, STEPS);
      a.stepScores.forEach((x, i) => expect(x).toBeCloseTo(b.stepScores[i] as number, 6));
      expect(r.router.runNotes().find((n) => n.level === "warning")?.message).toMatch(
        protocol === "pooling" ? /every row summed to 1: .*vLLM 0\.8\.5 \(GET .*\) takes no per-request switch/ : /every row summed to 1: .*\/v1\/embeddings takes no activation switch/,
      );
    }
  });

  it("a 0.11.1 server said to be 0.10.1 (sent softmax: false, which 0.11.1 reads backwards): the activated answers are read as probabilities", async () => {
    const server = await serve("0.11.1");
    const r = await remote(server, { protocol: "pooling", vllmVersion: "0.10.1" });
    const a = await r.prm.score(QUESTION, STEPS);
    const b = await local.prm.score(QUESTION, STEPS);
    a.stepScores.forEach((x, i) => expect(x).toBeCloseTo(b.stepScores[i] as number, 6));
    expect(r.prm.runNotes().find((n) => n.level === "warning")?.message).toMatch(/lay in \[0, 1\]: the server applied the head's sigmoid itself, so they were read as the probabilities they are/);
  });

  it("sent a switch the server ignores (a 0.10.1 server said to be 0.11.1): the doubled activation changes the decisions, and it is reported, not silent", async () => {
    const server = await serve("0.10.1", false);
    const r = await remote(server, { protocol: "pooling", vllmVersion: "0.11.1" });
    const local05 = decisions(await loop(cfg("rsd", 0.5), local.prm, local.router));
    const remote05 = decisions(await loop(cfg("rsd", 0.5), r.prm, r.router));
    // sigmoid(probability) > 0.5 always: at δ = 0.5 every draft step passes.
    expect(remote05.every((d) => d.decision === "accept")).toBe(true);
    expect(local05.some((d) => d.decision === "escalate")).toBe(true);
    const prmNotes = r.prm.runNotes();
    expect(prmNotes[0]).toMatchObject({ level: "info", message: expect.stringMatching(/served by vLLM 0\.11\.1 \(the spec's vllmVersion\); \/pooling requests carried \{"use_activation":false\}$/) });
    expect(prmNotes[1]).toMatchObject({ level: "warning", message: expect.stringMatching(/prm model "prm": all \d+ values in its \d+ response\(s\) lie in \[0, 1\], although "values" is "logits".*sigmoid/) });
    await r.router.score(QUESTION, STEPS);
    expect(r.router.runNotes()[1]?.message).toMatch(/router model "router": .* and every row sums to 1, .*softmax/);
  });

  it("raw values never trigger the warning, nor do probabilities the spec asked for", async () => {
    const raw = await remote(await serve("0.8.5"), { protocol: "pooling" });
    await raw.prm.score(QUESTION, STEPS);
    expect(raw.prm.runNotes()).toEqual([{ level: "info", message: expect.stringMatching(/served by vLLM 0\.8\.5 .*carried \{\}; its responses showed raw values$/) }]);
    const server = await serve("0.20.0");
    const probs = await remote(server, { protocol: "pooling", values: "probabilities" });
    const s = await probs.prm.score(QUESTION, STEPS);
    // The server's sigmoid, read as it is: the local scores to float32 precision.
    const l = await local.prm.score(QUESTION, STEPS);
    s.stepScores.forEach((x, i) => expect(x).toBeCloseTo(l.stepScores[i] as number, 6));
    expect(server.requests.at(-1)?.body).not.toHaveProperty("use_activation");
    expect(probs.prm.runNotes().filter((n) => n.level === "warning")).toEqual([]);
  });
});

describe("errors that say what was found", () => {
  it("vLLM 0.6.4's float answer (before base64 was asked) is the server's own validation error", async () => {
    const server = await serve("0.6.4");
    const r = await fetch(`${server.baseUrl}/v1/embeddings`, { method: "POST", body: JSON.stringify({ model: "prm", input: [[1, 2, 3]] }) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/^4 validation errors for EmbeddingResponseData/);
  });

  it("vLLM 0.8.5's float answer is a 500 (its /v1/embeddings falls back to /pooling for a reward model)", async () => {
    const server = await serve("0.8.5");
    const r = await fetch(`${server.baseUrl}/v1/embeddings`, { method: "POST", body: JSON.stringify({ model: "prm", input: [[1, 2, 3]] }) });
    expect(r.status).toBe(500);
  });

  it("/v1/embeddings of a reward model on vLLM 0.9.1 and later: the server's own message, under HTTP 200 or 501", async () => {
    const ok200 = await remote(await serve("0.10.1"), { protocol: "embeddings" });
    await expect(ok200.prm.score(QUESTION, STEPS)).rejects.toThrow(/expected an embeddings list .*found an error: The model does not support Embeddings API/);
    const current = await remote(await serve("0.20.0"), { protocol: "embeddings" });
    await expect(current.prm.score(QUESTION, STEPS)).rejects.toThrow(/HTTP 501: The model does not support Embeddings API/);
  });

  it("a task the server's generation does not know, and /pooling on a generation without it", async () => {
    const current = await remote(await serve("0.20.0"), { protocol: "pooling", poolingTask: "encode" });
    await expect(current.prm.score(QUESTION, STEPS)).rejects.toThrow(/HTTP 400: 1 validation error for PoolingCompletionRequest\s+task\s+Input should be 'embed', 'classify', 'token_embed', 'token_classify'/);
    const old = await remote(await serve("0.6.4"), { protocol: "pooling" });
    await expect(old.prm.score(QUESTION, STEPS)).rejects.toThrow(/POST .*\/pooling failed: HTTP 404.*does the server offer this endpoint/);
  });

  it("an answer of another shape names what it holds", async () => {
    const answers: Record<string, unknown> = {
      "/pooling": { object: "list", results: [{ scores: [0.1] }] },
      "/v1/embeddings": { data: [{ index: 0, embedding: { values: [0.1] } }] },
      "/version": { name: "not vLLM" },
    };
    const odd = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const path = (req.url ?? "").split("?")[0] as string;
        res.writeHead(path in answers ? 200 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify(answers[path] ?? { detail: "Not Found" }));
      });
    });
    await new Promise<void>((resolve) => odd.listen(0, "127.0.0.1", () => resolve()));
    try {
      const base = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
      const s = (protocol: "embeddings" | "pooling") => resolveHttpSettings({ baseUrl: base, model: "prm", protocol, retries: 0 }, "test");
      const pooling = await HttpStepScorer.load(SCORERS.prm, s("pooling"), "prm");
      await expect(pooling.score(QUESTION, STEPS)).rejects.toThrow(/expected a pooling list .*found: data: .*\(the response has keys object, results\)/);
      expect(pooling.runNotes()[0]?.message).toMatch(/version is not known \(GET .*\/version answered "\{\\"name\\":\\"not vLLM\\"\}", not \{"version": "x\.y\.z"\}\)/);
      const embeddings = await HttpStepScorer.load(SCORERS.prm, s("embeddings"), "prm");
      await expect(embeddings.score(QUESTION, STEPS)).rejects.toThrow(/found an object with keys values \(an embedding of the last token only .*"protocol": "pooling"\)/);
    } finally {
      await new Promise<void>((resolve) => odd.close(() => resolve()));
    }
  });

  it("servers of one role that need different switches are refused, naming both versions", async () => {
    const a = await serve("0.10.1");
    const b = await serve("0.20.0");
    const s = resolveHttpSettings({ endpoints: [{ baseUrl: a.baseUrl }, { baseUrl: b.baseUrl }], model: "prm", protocol: "pooling", retries: 0 }, "test");
    const prm = await HttpStepScorer.load(SCORERS.prm, s, "prm");
    await expect(prm.score(QUESTION, STEPS)).rejects.toThrow(/servers run vLLM versions that need different \/pooling switches \(.*: 0\.10\.1, .*: 0\.20\.0\)/);
  });
});

describe("a sweep", () => {
  it("records the server's version and the doubled-activation warning in run.json's provenance", async () => {
    // A 0.10.1 server said to be 0.11.1: the use_activation sent is ignored, and only the values tell.
    const misdeclared = await serve("0.10.1", false);
    const good = await serve("0.20.0");
    const http = (server: VllmPoolingServer, model: string, folder: string, extra: Record<string, unknown> = {}) => ({ http: { baseUrl: server.baseUrl, model, protocol: "pooling", retries: 0, ...extra }, tokenizer: folder });
    const models = { draft: fixtureModel("steps-draft"), target: fixtureModel("steps-target"), prm: http(misdeclared, "prm", SCORERS.prm, { vllmVersion: "0.11.1" }), router: http(good, "router", SCORERS.router) };
    const spec = resolveSweepSpec(parseSweepSpec(tinySpec({ models, methods: [{ method: "rsd", thresholds: [0.5] }, { method: "arbitrage", thresholds: [0.5] }] })), scratch);
    const logs: string[] = [];
    const out = join(scratch, "sweep");
    await runSweep(spec, { outDir: out, onLog: (m: string) => logs.push(m) });
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { provenance: Provenance };
    const notes = run.provenance.notes ?? [];
    expect(notes.filter((n) => n.role === "prm").map((n) => n.level)).toEqual(["info", "warning"]);
    expect(notes.find((n) => n.role === "prm" && n.level === "warning")?.message).toMatch(/lie in \[0, 1\]/);
    expect(notes.filter((n) => n.role === "router")).toEqual([{ role: "router", level: "info", message: expect.stringContaining("served by vLLM 0.20.0") }]);
    expect(logs.some((l) => /^prm: warning: .*recorded in run\.json provenance\.notes/.test(l))).toBe(true);
    // A resumed run that learns the same again adds nothing.
    await runSweep(spec, { outDir: out, resume: true, onLog: () => {} });
    const again = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { provenance: Provenance };
    expect(again.provenance.notes).toEqual(notes);
  });
  it("against a vLLM 0.10.1 started by default, scores every pair as a local PRM does and records why in run.json", async () => {
    const server = await serve("0.10.1");
    const run = async (prm: unknown, name: string) => {
      const models = { draft: fixtureModel("steps-draft"), target: fixtureModel("steps-target"), prm };
      const spec = resolveSweepSpec(parseSweepSpec(tinySpec({ models, methods: [{ method: "rsd", thresholds: [0.5] }] })), scratch);
      const out = join(scratch, name);
      await runSweep(spec, { outDir: out, onLog: () => {} });
      const lines = readFileSync(join(out, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { record: { problemId: string; correct: boolean; error?: { kind: string }; steps: { decision?: string }[] } });
      const notes = (JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { provenance: Provenance }).provenance.notes ?? [];
      return { lines, notes };
    };
    const remoteRun = await run({ http: { baseUrl: server.baseUrl, model: "prm", protocol: "pooling", retries: 0 }, tokenizer: SCORERS.prm }, "sweep-activated");
    const localRun = await run(SCORERS.prm, "sweep-local-prm");
    // The dataset's seventh problem is too long for the scripted models: a context-too-long error of its own.
    expect(remoteRun.lines.filter((l) => l.record.error && l.record.error.kind !== "context-too-long")).toEqual([]);
    const view = (ls: typeof remoteRun.lines) => ls.map((l) => [l.record.problemId, l.record.correct, l.record.steps.map((st) => st.decision ?? null)]);
    expect(view(remoteRun.lines)).toEqual(view(localRun.lines));
    expect(remoteRun.notes.filter((n) => n.role === "prm" && n.level === "warning").map((n) => n.message)).toEqual([expect.stringMatching(/read as the probabilities they are, not activated again\. vLLM 0\.10\.1 .*applies it by default/)]);
  });
});
