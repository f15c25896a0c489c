/**
 * The HTTP backends against a real server on 127.0.0.1 that answers with the fixture ONNX models
 * (test/helpers/openai-test-server.ts): the same steps and scores as the local models, stop
 * reporting the vLLM and the SGLang way, retries through injected faults, a server that stays
 * down, keys, and several servers of one model.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWorkbenchError } from "../../../shared/errors.ts";
import type { ResolvedHttpSettings } from "../../../main/backends/http/config.ts";
import { resolveHttpSettings } from "../../../main/backends/http/config.ts";
import type { HttpStepOutput } from "../../../main/backends/http/http-lm.ts";
import { HttpLanguageModel } from "../../../main/backends/http/http-lm.ts";
import { HttpStepScorer } from "../../../main/backends/http/http-scorer.ts";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import type { StepSource } from "../../../main/engine/scorer-input.ts";
import { StepScorer } from "../../../main/engine/scorer.ts";
import { contextText, promptFor } from "../../../main/speculation/model-set.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import type { FaultKind, Flavor } from "../../helpers/openai-test-server.ts";
import { OpenAiTestServer } from "../../helpers/openai-test-server.ts";

let server: OpenAiTestServer;
let local: { draft: CausalLM; char: CausalLM; prm: StepScorer; router: StepScorer };

beforeAll(async () => {
  server = await OpenAiTestServer.start({
    lms: { "draft-m": fixtureModel("steps-draft"), "char-m": fixtureModel("char-lm") },
    scorers: { "prm-m": fixtureModel("prm-skywork"), "router-m": fixtureModel("router") },
  });
  local = {
    draft: await CausalLM.load(fixtureModel("steps-draft"), { intraOpThreads: 1 }),
    char: await CausalLM.load(fixtureModel("char-lm"), { intraOpThreads: 1 }),
    prm: await StepScorer.load(fixtureModel("prm-skywork"), { intraOpThreads: 1 }),
    router: await StepScorer.load(fixtureModel("router"), { intraOpThreads: 1 }),
  };
});

afterAll(async () => {
  await server.dispose();
  await local.draft.dispose();
  await local.char.dispose();
  await local.prm.dispose();
  await local.router.dispose();
});

/** Fast retries so fault tests take milliseconds; "/v1" on the URL is accepted and stripped. */
function settings(model: string, extra: Record<string, unknown> = {}, base = server.baseUrl): ResolvedHttpSettings {
  return resolveHttpSettings({ baseUrl: `${base}/v1`, model, retries: 3, retryBaseMs: 5, retryMaxMs: 20, cooldownMs: 300, timeoutMs: 5000, ...extra }, "test");
}

const DECODING = { temperature: 0, seed: 0 };
const STOP = ["\n\n"];

async function rejection(p: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isWorkbenchError(err)) return { kind: err.kind, message: err.message };
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("the HTTP language model", () => {
  async function walk(flavor: Flavor): Promise<number> {
    server.setFlavor(flavor);
    const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m"), "draft");
    const prompt = promptFor(local.draft, { kind: "chat-template" }, "What is 1+2?");
    expect(promptFor(remote, { kind: "chat-template" }, "What is 1+2?")).toBe(prompt);
    const steps: string[] = [];
    let last = "";
    while (steps.length < 20) {
      const context = contextText(prompt, steps, "\n\n");
      const l = await local.draft.generateStep({ context, stop: STOP, maxTokens: 64, decoding: DECODING });
      const r = (await remote.generateStep({ context, stop: STOP, maxTokens: 64, decoding: DECODING })) as HttpStepOutput;
      expect({ text: r.text, stopReason: r.stopReason, stop: r.stop, logprobs: r.logprobs }).toEqual({ text: l.text, stopReason: l.stopReason, stop: l.stop, logprobs: l.logprobs });
      // The server's usage: generated tokens (an EOS counts), prompt tokens as its tokenizer sees them.
      expect(r.timings.decodeTokens).toBe(l.tokenIds.length + (l.stopReason === "eos" ? 1 : 0));
      expect(r.remote.usage.promptTokens).toBe(local.draft.encode(context).length);
      expect(r.timings.totalMs).toBeGreaterThan(0);
      expect(remote.countTokens(r.text + (r.stop ?? ""))).toBe(local.draft.countTokens(l.text + (l.stop ?? "")));
      last = r.stopReason;
      if (r.stopReason !== "stop") break;
      steps.push(r.text);
    }
    expect(last).toBe("eos");
    return steps.length + 1;
  }

  it("writes the local model's steps to the end of a solution, reading vLLM's stop_reason", async () => {
    expect(await walk("vllm")).toBeGreaterThanOrEqual(2);
  });

  it("and SGLang's matched_stop (the EOS token id ends the answer)", async () => {
    try {
      expect(await walk("sglang")).toBeGreaterThanOrEqual(2);
    } finally {
      server.setFlavor("vllm");
    }
  });

  it("refuses a server that does not say which stop matched, saying why", async () => {
    server.setFlavor("plain");
    try {
      const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m"), "draft");
      const e = await rejection(remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 64, decoding: DECODING }));
      expect(e.kind).toBe("backend");
      expect(e.message).toMatch(/stop_reason.*matched_stop/);
    } finally {
      server.setFlavor("vllm");
    }
  });

  it("ends a step at the context window as a local model does, and refuses a prompt that does not fit", async () => {
    // A random-weight model that writes until the window is full.
    const remote = await HttpLanguageModel.load(fixtureModel("char-lm"), settings("char-m"), "draft");
    const window = local.char.info.contextLength;
    // A context a few tokens short of the window: max_tokens is cut to the room left.
    let context = "What is 1+2?";
    while (local.char.encode(context).length < window - 3) context += "1";
    expect(local.char.encode(context).length).toBeLessThan(window);
    const l = await local.char.generateStep({ context, stop: [], maxTokens: 64, decoding: DECODING });
    const r = await remote.generateStep({ context, stop: [], maxTokens: 64, decoding: DECODING });
    expect(l.stopReason).toBe("context-full");
    expect({ text: r.text, stopReason: r.stopReason }).toEqual({ text: l.text, stopReason: l.stopReason });

    const long = "1+1 ".repeat(window);
    const before = server.stats.requests;
    const e = await rejection(remote.generateStep({ context: long, stop: STOP, maxTokens: 8, decoding: DECODING }));
    expect(e.kind).toBe("context-too-long");
    expect(server.stats.requests).toBe(before); // refused here, before any request

    // A window set larger than the server's: the server's 400 is read as the same kind of error.
    const wide = await HttpLanguageModel.load(fixtureModel("char-lm"), settings("char-m", { contextLength: 100_000 }), "draft");
    const e2 = await rejection(wide.generateStep({ context: long, stop: STOP, maxTokens: 8, decoding: DECODING }));
    expect(e2.kind).toBe("context-too-long");
    expect(e2.message).toMatch(/maximum context length/);
  });

  it("names a model the server does not serve", async () => {
    const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("no-such-model"), "target");
    const before = server.stats.requests;
    const e = await rejection(remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING }));
    expect(e.kind).toBe("backend");
    expect(e.message).toMatch(/target model "no-such-model".*HTTP 404.*served model name/);
    expect(server.stats.requests - before).toBe(1); // a 404 is not retried
  });
});

describe("the HTTP scorers", () => {
  const cases: { steps: string[]; sources?: StepSource[] }[] = [
    { steps: ["We add 1 and 2."] },
    { steps: ["We add 1 and 2.", "1 + 2 = 3.", "The answer is \\boxed{3}."] },
    { steps: ["First, 2 + 2 = 5.", "So the answer is 5."], sources: [1, 0] },
  ];

  for (const protocol of ["embeddings", "pooling"] as const) {
    it(`score as the local PRM and router do, read from /${protocol === "embeddings" ? "v1/embeddings" : "pooling"}`, async () => {
      const prm = await HttpStepScorer.load(fixtureModel("prm-skywork"), settings("prm-m", { protocol }), "prm");
      const router = await HttpStepScorer.load(fixtureModel("router"), settings("router-m", { protocol }), "router");
      for (const c of cases) {
        const opts = c.sources ? { sources: c.sources } : {};
        for (const [remote, mine] of [
          [prm, local.prm],
          [router, local.router],
        ] as const) {
          const r = await remote.score("What is 1+2?", c.steps, opts);
          const l = await mine.score("What is 1+2?", c.steps, opts);
          expect({ stepScores: r.stepScores, score: r.score, tokens: r.tokens }).toEqual({ stepScores: l.stepScores, score: l.score, tokens: l.tokens });
          expect(r.remote.promptTokens).toBe(l.tokens);
          expect(remote.inputTokens("What is 1+2?", c.steps, opts)).toBe(l.tokens);
        }
      }
    });
  }

  it("score a router from /classify (the last position's probabilities)", async () => {
    const router = await HttpStepScorer.load(fixtureModel("router"), settings("router-m", { protocol: "classify" }), "router");
    for (const c of cases) {
      const opts = c.sources ? { sources: c.sources } : {};
      const r = await router.score("What is 1+2?", c.steps, opts);
      const l = await local.router.score("What is 1+2?", c.steps, opts);
      // The server's softmax and ours round differently in the last bits.
      expect(r.score).toBeCloseTo(l.score, 12);
    }
  });

  it("refuse, at load, a PRM read at step ends over /classify and a token-pair head", async () => {
    await expect(HttpStepScorer.load(fixtureModel("prm-skywork"), settings("prm-m", { protocol: "classify" }), "prm")).rejects.toThrow(/classify.*step's end/);
    await expect(HttpStepScorer.load(fixtureModel("prm-shepherd"), settings("prm-m"), "prm")).rejects.toThrow(/token-pair/);
  });
});

describe("retries", () => {
  const kinds: FaultKind[] = ["500", "503", "429", "drop", "malformed"];
  for (const kind of kinds) {
    it(`recover from ${kind === "drop" ? "dropped connections" : kind === "malformed" ? "bodies that are not JSON" : `HTTP ${kind}`}`, async () => {
      const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m"), "draft");
      const clean = await remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 32, decoding: DECODING });
      const faults = server.stats.faults;
      server.setFault({ kind, count: 2 });
      try {
        const r = (await remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 32, decoding: DECODING })) as HttpStepOutput;
        expect(r.remote.attempts).toBe(3);
        expect(r.text).toBe(clean.text);
        expect(server.stats.faults - faults).toBe(2);
      } finally {
        server.setFault(null);
      }
    });
  }

  it("recover from a response slower than the timeout", async () => {
    const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m", { timeoutMs: 1000 }), "draft");
    server.setFault({ kind: "slow", delayMs: 3000, count: 1 });
    try {
      const r = (await remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 32, decoding: DECODING })) as HttpStepOutput;
      expect(r.remote.attempts).toBe(2);
    } finally {
      server.setFault(null);
    }
  });

  it("give up on a server that keeps answering 500 after the retries, and keep trying it (it is alive)", async () => {
    const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m", { retries: 2 }), "draft");
    server.setFault({ kind: "500" });
    try {
      const before = server.stats.requests;
      const e = await rejection(remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING }));
      expect(e.kind).toBe("backend");
      expect(e.message).toMatch(/after 3 attempt\(s\); last: HTTP 500/);
      expect(server.stats.requests - before).toBe(3);
      await rejection(remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING }));
      expect(server.stats.requests - before).toBe(6);
    } finally {
      server.setFault(null);
    }
  });

  it("rest a server that does not answer at all: fail fast until the cooldown is over, then probe it", async () => {
    const flaky = await OpenAiTestServer.start({ lms: { "draft-m": fixtureModel("steps-draft") } });
    try {
      const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m", { retries: 2, cooldownMs: 400 }, flaky.baseUrl), "draft");
      await flaky.stop();
      const e = await rejection(remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING }));
      expect(e.message).toMatch(/after 3 attempt\(s\); last: connection failed \(ECONNREFUSED/);
      await flaky.restart();
      // Back, but resting: the next call fails at once, without a request.
      const e2 = await rejection(remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING }));
      expect(e2.kind).toBe("backend");
      expect(e2.message).toMatch(/every endpoint .* rests/);
      expect(flaky.stats.requests).toBe(0);
      await new Promise((r) => setTimeout(r, 450));
      const ok = await remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING });
      expect(ok.text.length).toBeGreaterThan(0);
      expect(flaky.stats.requests).toBe(1);
    } finally {
      await flaky.dispose();
    }
  });

  it("report a server that is not there as a backend error naming it", async () => {
    const gone = await OpenAiTestServer.start({});
    const url = gone.baseUrl;
    await gone.dispose();
    const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m", { retries: 1 }, url), "draft");
    const e = await rejection(remote.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING }));
    expect(e.kind).toBe("backend");
    expect(e.message).toContain(url);
    expect(e.message).toMatch(/connection failed/);
  });
});

describe("keys", () => {
  it("are sent from the named environment variable and never appear in messages", async () => {
    const secret = `sk-test-${process.pid}-a1b2c3`;
    const locked = await OpenAiTestServer.start({ lms: { "draft-m": fixtureModel("steps-draft") }, apiKey: secret });
    try {
      process.env["WB_TEST_KEY_RIGHT"] = secret;
      process.env["WB_TEST_KEY_WRONG"] = `${secret}-wrong`;
      const right = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m", { apiKeyEnv: "WB_TEST_KEY_RIGHT" }, locked.baseUrl), "draft");
      expect((await right.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING })).text.length).toBeGreaterThan(0);
      expect(JSON.stringify(right.info)).not.toContain(secret);
      expect(JSON.stringify(right.client)).not.toContain(secret);
      expect(inspect(right.client, { depth: 5 })).not.toContain(secret);

      const wrong = await HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m", { apiKeyEnv: "WB_TEST_KEY_WRONG" }, locked.baseUrl), "draft");
      const e = await rejection(wrong.generateStep({ context: "What is 1+2?", stop: STOP, maxTokens: 8, decoding: DECODING }));
      expect(e.kind).toBe("backend");
      expect(e.message).toMatch(/HTTP 401.*apiKeyEnv/);
      expect(e.message).not.toContain(secret);
      expect(locked.stats.unauthorized).toBe(1); // a 401 is not retried

      await expect(HttpLanguageModel.load(fixtureModel("steps-draft"), settings("draft-m", { apiKeyEnv: "WB_TEST_KEY_UNSET" }, locked.baseUrl), "draft")).rejects.toThrow(
        /apiKeyEnv names WB_TEST_KEY_UNSET, which is not set/,
      );
    } finally {
      delete process.env["WB_TEST_KEY_RIGHT"];
      delete process.env["WB_TEST_KEY_WRONG"];
      await locked.dispose();
    }
  });
});

describe("several servers of one model", () => {
  it("share the requests, never exceed a server's concurrency, and carry on when one is down", async () => {
    const second = await OpenAiTestServer.start({ lms: { "draft-m": fixtureModel("steps-draft") } });
    try {
      const s = resolveHttpSettings(
        { endpoints: [{ baseUrl: server.baseUrl }, { baseUrl: second.baseUrl }], model: "draft-m", concurrency: 2, retries: 3, retryBaseMs: 5, retryMaxMs: 20, cooldownMs: 60_000 },
        "test",
      );
      const remote = await HttpLanguageModel.load(fixtureModel("steps-draft"), s, "draft");
      const questions = Array.from({ length: 10 }, (_, i) => `What is ${i}+${i}?`);
      const firstCounts = [server.stats.byPath["/v1/completions"] ?? 0, second.stats.byPath["/v1/completions"] ?? 0];
      const texts = await Promise.all(questions.map((q) => remote.generateStep({ context: q, stop: STOP, maxTokens: 16, decoding: DECODING })));
      const expected = await Promise.all(questions.map((q) => local.draft.generateStep({ context: q, stop: STOP, maxTokens: 16, decoding: DECODING })));
      expect(texts.map((t) => t.text)).toEqual(expected.map((t) => t.text));
      expect((server.stats.byPath["/v1/completions"] ?? 0) - (firstCounts[0] as number)).toBeGreaterThan(0);
      expect((second.stats.byPath["/v1/completions"] ?? 0) - (firstCounts[1] as number)).toBeGreaterThan(0);
      for (const peak of remote.client.pool.peak.values()) expect(peak).toBe(2);
      expect(second.stats.maxInFlightByModel["draft-m"]).toBeLessThanOrEqual(2);

      // One server goes down: its failed attempts are retried on the other.
      await second.stop();
      const after = await Promise.all(questions.map((q) => remote.generateStep({ context: q, stop: STOP, maxTokens: 16, decoding: DECODING })));
      expect(after.map((t) => t.text)).toEqual(expected.map((t) => t.text));
    } finally {
      await second.dispose();
    }
  });
});
