/**
 * npm run bench:engine — what the step loop adds over the bare forward pass.
 *
 * For the largest model available (the demo target when assets/models has it, else the largest
 * test fixture) on one CPU thread, side by side in one run:
 *   - loop: per-token time of CausalLM.generateStep's decode loop (forward + cache update +
 *     sampling + incremental detokenization + stop check), median over runs;
 *   - bare: one `session.run` decode step with every input prepared in advance, at the same
 *     context length, median over repeats;
 *   - the same loop with onnxruntime allocating the presents per run (what preallocation saves);
 *   - prefill throughput for a 200-token prompt.
 * Headline figures are printed last, one per line, as `name: value`.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { CausalLM } from "../main/engine/causal-lm.ts";
import { createSession, int64Tensor, makeTensor, releaseSession, runSession, type Tensor } from "../main/engine/ort.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const candidates = [`${root}assets/models/demo-target`, `${root}test/fixtures/models/char-lm`];
const modelDir = process.env["BENCH_MODEL"] ?? (candidates.find((d) => existsSync(`${d}/config.json`)) as string);
const PROMPT_TOKENS = 200;
const GEN_TOKENS = 48;
const RUNS = Number(process.env["BENCH_RUNS"] ?? 15);
const DEMO_TEST = `${root}assets/datasets/arith-steps/test.jsonl`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function main(): Promise<void> {
  const lm = await CausalLM.load(modelDir, { intraOpThreads: 1 });
  const info = lm.info;
  // A prompt of exactly PROMPT_TOKENS tokens that the model goes on writing from for GEN_TOKENS more
  // (a trained model stops at EOS after a repeated sentence): for the demo target, a demo problem with
  // the start of its reference solution; for the random-weight fixture, any text.
  let source = "";
  if (existsSync(DEMO_TEST)) {
    for (const line of readFileSync(DEMO_TEST, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { problem: string; solution: string };
      source = lm.tokenizer.applyChatTemplate([{ role: "user", content: r.problem }]) + r.solution;
      if (lm.encode(source).length >= PROMPT_TOKENS + 2 * GEN_TOKENS) break;
    }
  }
  const unit = "Tom has 12 apples and buys 7 more. ";
  while (lm.encode(source).length < PROMPT_TOKENS) source += unit;
  const ids = lm.encode(source).slice(0, PROMPT_TOKENS);
  const prompt = lm.tokenizer.decode(ids);
  console.log(`model: ${modelDir} (${info.layers} layers, ${info.kvHeads} kv heads x ${info.headDim}, vocab ${info.vocabSize}, ${info.kvType} cache, 1 thread)`);

  // Prefill throughput.
  const prefillMs: number[] = [];
  for (let r = 0; r < RUNS + 2; r++) {
    lm.reset();
    const t = await lm.prefill(prompt);
    if (r >= 2) prefillMs.push(t.ms);
  }
  const prefillTokS = (PROMPT_TOKENS / median(prefillMs)) * 1000;

  // The bare session.run at the middle of the generated span, inputs prepared in advance. It runs
  // interleaved with the loop below, so both see the same machine load.
  const handle = await createSession(info.onnxPath, { intraOpThreads: 1 });
  const session = handle.session;
  const ctxLen = PROMPT_TOKENS + GEN_TOKENS;
  const names = session.inputNames;
  const emptyPast: Record<string, Tensor> = {};
  for (const n of names.filter((x) => x.startsWith("past_key_values."))) {
    const dtype = info.kvType;
    emptyPast[n] = makeTensor(dtype, dtype === "float16" ? new Uint16Array(0) : new Float32Array(0), [1, info.kvHeads, 0, info.headDim]);
  }
  const prefillIds = Array.from({ length: ctxLen }, (_, i) => ids[i % ids.length] as number);
  const feeds0: Record<string, Tensor> = {
    input_ids: int64Tensor(prefillIds, [1, ctxLen]),
    attention_mask: int64Tensor(new BigInt64Array(ctxLen).fill(1n), [1, ctxLen]),
    ...emptyPast,
  };
  if (names.includes("position_ids")) feeds0["position_ids"] = int64Tensor(Array.from({ length: ctxLen }, (_, i) => i), [1, ctxLen]);
  const pre = await runSession(session, feeds0);
  // One prepared feed per context length the loop passes through (PROMPT_TOKENS … +GEN_TOKENS): the
  // shapes grow by one each step in the loop, and onnxruntime's allocations depend on the shapes, so
  // the bare baseline grows the same way. The past is cut out of one long prefill, in advance.
  const steps: Record<string, Tensor>[] = [];
  const pastNames = names.filter((x) => x.startsWith("past_key_values."));
  for (let k = 0; k < GEN_TOKENS; k++) {
    const L = PROMPT_TOKENS + k;
    const feeds: Record<string, Tensor> = {
      input_ids: int64Tensor([ids[k % ids.length] as number], [1, 1]),
      attention_mask: int64Tensor(new BigInt64Array(L + 1).fill(1n), [1, L + 1]),
    };
    if (names.includes("position_ids")) feeds["position_ids"] = int64Tensor([L], [1, 1]);
    for (const n of pastNames) {
      const full = pre[n.replace("past_key_values.", "present.")] as Tensor;
      const [, heads, T, hd] = full.dims as number[];
      const src = full.data as Float32Array | Uint16Array;
      const out = new (src.constructor as Float32ArrayConstructor)(heads! * L * hd!);
      for (let h = 0; h < heads!; h++) out.set(src.subarray(h * T! * hd!, h * T! * hd! + L * hd!), h * L * hd!);
      feeds[n] = makeTensor(info.kvType, out as never, [1, heads!, L, hd!]);
    }
    steps.push(feeds);
  }

  const loopPerToken: number[] = [];
  const forwardPerToken: number[] = [];
  const bare: number[] = [];
  // This machine alternates slow and fast stretches (other tenants, memory management): the two
  // sides take turns going first, so neither always lands in the same phase.
  const bareBlock = async (): Promise<number[]> => {
    const runs: number[] = [];
    for (let k = 0; k < GEN_TOKENS; k++) {
      const t0 = performance.now();
      await session.run(steps[k] as Record<string, Tensor>);
      runs.push(performance.now() - t0);
    }
    return runs;
  };
  const loopBlock = async (model = lm) => {
    model.reset();
    await model.prefill(prompt);
    return model.generateStep({ context: prompt, maxTokens: GEN_TOKENS, stop: [], decoding: { temperature: 0 } });
  };
  // The same loop with onnxruntime allocating the presents on every run (the engine before it kept
  // its cache in preallocated buffers), run in the same rounds.
  const plainLm = await CausalLM.load(modelDir, { intraOpThreads: 1, preallocateCache: false });
  const plainPerToken: number[] = [];
  for (let r = 0; r < RUNS + 2; r++) {
    let runs: number[];
    let out: Awaited<ReturnType<typeof loopBlock>>;
    if (r % 2 === 0) {
      out = await loopBlock();
      runs = await bareBlock();
    } else {
      runs = await bareBlock();
      out = await loopBlock();
    }
    const plain = await loopBlock(plainLm);
    if (r < 2 || out.timings.decodeTokens < 8) continue;
    plainPerToken.push((plain.timings.totalMs - plain.timings.tokenizeMs - plain.timings.prefillMs) / plain.timings.decodeTokens);
    loopPerToken.push((out.timings.totalMs - out.timings.tokenizeMs - out.timings.prefillMs) / out.timings.decodeTokens);
    forwardPerToken.push(out.timings.decodeMs / out.timings.decodeTokens);
    bare.push(runs.reduce((a, b) => a + b, 0) / runs.length); // the mean over the block, like the loop's per-token time
  }
  await lm.dispose();
  await plainLm.dispose();
  await releaseSession(session);

  if (loopPerToken.length === 0) throw new Error(`the model stopped within 8 tokens of every run: no decode loop to time (${modelDir})`);
  const loop = median(loopPerToken);
  const bareMs = median(bare);
  console.log(`prefill: median ${median(prefillMs).toFixed(2)} ms for ${PROMPT_TOKENS} tokens over ${prefillMs.length} runs`);
  console.log(`decode loop: median ${loop.toFixed(3)} ms/token over ${loopPerToken.length} runs of ${GEN_TOKENS} tokens after a ${PROMPT_TOKENS}-token prompt`);
  console.log(`  of which forward + cache update: median ${median(forwardPerToken).toFixed(3)} ms/token (the rest: sampling, detokenization, stop check)`);
  console.log(`bare session.run: median ${bareMs.toFixed(3)} ms at contexts ${PROMPT_TOKENS + 1}…${ctxLen}, one run per length, blocks alternating with the loop's`);
  console.log(`fastest round: loop ${Math.min(...loopPerToken).toFixed(3)} ms/token, bare ${Math.min(...bare).toFixed(3)} ms (ratio ${(Math.min(...loopPerToken) / Math.min(...bare)).toFixed(3)})`);
  console.log(`decode loop with per-run allocated presents: median ${median(plainPerToken).toFixed(3)} ms/token`);
  console.log(`decode_loop_ms_per_token: ${loop.toFixed(3)}`);
  console.log(`bare_run_ms: ${bareMs.toFixed(3)}`);
  console.log(`decode_overhead_ratio: ${(loop / bareMs).toFixed(3)}`);
  console.log(`prefill_tokens_per_s: ${prefillTokS.toFixed(0)}`);
  console.log(`preallocated_vs_allocated_per_run: ${(loop / median(plainPerToken)).toFixed(3)}`);
}

await main();
