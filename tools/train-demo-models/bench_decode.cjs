// Per-token decode latency of optimum-style LM exports with onnxruntime-node, ONE intra-op thread.
// Models are loaded together and timed in interleaved rounds at the same context length; the
// reported figure per model is the minimum over rounds of the mean time per decode call (the
// minimum filters out time stolen by other processes on a shared machine), plus the median.
// usage: node tools/train-demo-models/bench_decode.cjs [--ctx 200] [--tokens 32] [--rounds 15] a.onnx b.onnx ...
const { ort } = require('./ort_bench.cjs');

function args() {
  const a = process.argv.slice(2);
  const o = { ctx: 200, tokens: 32, rounds: 15, models: [] };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--ctx') o.ctx = +a[++i];
    else if (a[i] === '--tokens') o.tokens = +a[++i];
    else if (a[i] === '--rounds') o.rounds = +a[++i];
    else o.models.push(a[i]);
  }
  return o;
}

const I64 = (arr, dims) => new ort.Tensor('int64', BigInt64Array.from(arr.map((x) => BigInt(x))), dims);

async function load(p) {
  const s = await ort.InferenceSession.create(p, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const past = s.inputNames.filter((n) => n.startsWith('past_key_values.'));
  let heads = 1, hd = 1;
  const meta = s.inputMetadata;
  const m = Array.isArray(meta) ? meta.find((x) => x.name === past[0]) : meta && meta[past[0]];
  if (m && m.shape) { heads = m.shape[1]; hd = m.shape[3]; }
  return { s, nLayer: past.length / 2, heads, hd, path: p };
}

async function step(M, ids, prev, pastLen) {
  const T = ids.length;
  const feeds = {
    input_ids: I64(ids, [1, T]),
    attention_mask: I64(new Array(pastLen + T).fill(1), [1, pastLen + T]),
    position_ids: I64(ids.map((_, i) => pastLen + i), [1, T]),
  };
  for (let i = 0; i < M.nLayer; i++) for (const kv of ['key', 'value']) {
    feeds[`past_key_values.${i}.${kv}`] = prev ? prev[`present.${i}.${kv}`]
      : new ort.Tensor('float32', new Float32Array(0), [1, M.heads, 0, M.hd]);
  }
  return M.s.run(feeds);
}

async function timeOnce(M, ctx, ntok) {
  const prompt = Array.from({ length: ctx }, (_, i) => 5 + (i % 60));
  let out = await step(M, prompt, null, 0);
  let pastLen = ctx;
  const t0 = process.hrtime.bigint();
  for (let t = 0; t < ntok; t++) { out = await step(M, [7 + (t % 50)], out, pastLen); pastLen += 1; }
  return Number(process.hrtime.bigint() - t0) / 1e6 / ntok;
}

async function main() {
  const o = args();
  const Ms = [];
  for (const p of o.models) Ms.push(await load(p));
  const times = Ms.map(() => []);
  for (const M of Ms) await timeOnce(M, o.ctx, 4); // warm-up
  for (let r = 0; r < o.rounds; r++) for (let i = 0; i < Ms.length; i++) times[i].push(await timeOnce(Ms[i], o.ctx, o.tokens));
  const res = Ms.map((M, i) => {
    const t = times[i].slice().sort((a, b) => a - b);
    return { model: M.path, context: o.ctx, ms_per_token_min: t[0], ms_per_token_median: t[Math.floor(t.length / 2)] };
  });
  console.log(JSON.stringify(res, null, 1));
}
main().catch((e) => { console.error(e); process.exit(1); });
