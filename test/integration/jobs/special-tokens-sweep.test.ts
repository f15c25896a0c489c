/**
 * Sweeps on a model whose tokenizer adds BOS (steps-bos: it writes "Start 1. … \boxed{3}" after
 * exactly one BOS, ends at once without one, and starts a character late after two), local and
 * served over HTTP the way vLLM serves it: a custom template without BOS, the model's chat template
 * (which writes BOS) and a custom template that starts with BOS all give one BOS; the spec's
 * `addSpecialTokens: false` gives none; run.json records which rule applied and why.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSweep } from "../../../main/jobs/sweep.ts";
import { parseSweepSpec, resolveSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { OpenAiTestServer } from "../../helpers/openai-test-server.ts";
import { TINY_DATASET } from "../../helpers/sweep-fixtures.ts";

const scratch = mkdtempSync(join(tmpdir(), "wb-special-tokens-"));
let server: OpenAiTestServer;
let n = 0;

beforeAll(async () => {
  server = await OpenAiTestServer.start({ lms: { bos: fixtureModel("steps-bos") } });
});

afterAll(async () => {
  await server?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const NO_BOS = { kind: "custom", template: "Question: {question}\nAnswer:\n" };
const WITH_BOS = { kind: "custom", template: "<bos>Question: {question}\nAnswer:\n" };
const CHAT = { kind: "chat-template" };

type Ref = string | Record<string, unknown>;
const local = (extra: Record<string, unknown> = {}): Ref => (Object.keys(extra).length ? { path: fixtureModel("steps-bos"), ...extra } : fixtureModel("steps-bos"));
const remote = (extra: Record<string, unknown> = {}): Ref => ({ http: { baseUrl: server.baseUrl, model: "bos", retries: 0, timeoutMs: 300_000, ...extra }, tokenizer: fixtureModel("steps-bos") });

async function sweep(model: Ref, prompt: unknown) {
  const out = join(scratch, `run-${n++}`);
  const spec = parseSweepSpec({
    models: { draft: model, target: model },
    dataset: { path: TINY_DATASET, ids: ["tiny-00"] },
    prompt,
    methods: [{ method: "target" }],
    decoding: { temperature: 0 },
  });
  const outcome = await runSweep(resolveSweepSpec(spec, scratch), { outDir: out });
  const record = outcome.records[0];
  const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { models: { target: { specialTokens: unknown } } };
  return { completion: record?.completion ?? null, correct: record?.correct ?? null, error: record?.error ?? null, specialTokens: run.models.target.specialTokens };
}

describe.each([
  ["a local model", local],
  ["a model served like vLLM", remote],
])("%s whose tokenizer adds BOS", (_name, ref) => {
  it("gets one BOS with a custom template, with its chat template that writes BOS, and with a template that starts with BOS", { timeout: 300_000 }, async () => {
    for (const prompt of [NO_BOS, CHAT, WITH_BOS]) {
      const r = await sweep(ref(), prompt);
      expect(r.error, JSON.stringify(prompt)).toBeNull();
      expect(r.completion, JSON.stringify(prompt)).toBe("Start 1.\n\nThen 2.\n\nThe answer is \\boxed{3}.");
      expect(r.correct).toBe(true);
      expect(r.specialTokens).toEqual({ add: true, source: "default", tokens: ["<bos>"], from: "post_processor" });
    }
  });

  it("gets none with addSpecialTokens: false in its spec, recorded as the spec's choice", { timeout: 300_000 }, async () => {
    const r = await sweep(ref({ addSpecialTokens: false }), NO_BOS);
    expect(r.error).toBeNull();
    expect(r.completion).toBe("");
    expect(r.correct).toBe(false);
    expect(r.specialTokens).toEqual({ add: false, source: "spec", tokens: ["<bos>"], from: "post_processor" });
  });
});

describe("requests to a served model", () => {
  it("say add_special_tokens by the same rule, and send every sampling field with neutral values", { timeout: 300_000 }, async () => {
    server.completionBodies.length = 0;
    await sweep(remote(), NO_BOS);
    await sweep(remote(), CHAT);
    const bodies = [...server.completionBodies];
    const noBos = bodies.filter((b) => String(b["prompt"]).startsWith("Question:"));
    const withBos = bodies.filter((b) => String(b["prompt"]).startsWith("<bos>"));
    expect(noBos.length).toBeGreaterThan(0);
    expect(withBos.length).toBeGreaterThan(0);
    for (const b of noBos) expect(b["add_special_tokens"]).toBe(true);
    for (const b of withBos) expect(b["add_special_tokens"]).toBe(false);
    for (const b of bodies) {
      expect(b).toMatchObject({ temperature: 0, top_p: 1, top_k: -1, min_p: 0, repetition_penalty: 1, frequency_penalty: 0, presence_penalty: 0, seed: 0 });
    }
  });
});
