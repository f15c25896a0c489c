// What one call of each demo graph costs with onnxruntime-node, one thread: a call's fixed part (2 new
// tokens, no past), what a past adds (200 cached positions), and what new tokens add (40 instead of 2).
// The engine calls the router once per step with a cached prefix, so these - not a whole-input
// forward pass (bench_scorer.cjs) - are what its latency share is made of. Median of 40 rounds.
// usage (from the repo root): node tools/train-demo-models/bench_calls.cjs [assets/models]
const path = require('path');
const fs = require('fs');
const { ort, I64, timeRuns } = require('./ort_bench.cjs');
const SHAPES = [[0, 2], [0, 40], [200, 2], [200, 40]];

(async () => {
  const root = process.argv[2] || 'assets/models';
  const res = {};
  for (const name of ['demo-draft', 'demo-target', 'demo-prm', 'demo-router']) {
    const dir = path.join(root, name);
    if (!fs.existsSync(dir)) continue;
    const golden = JSON.parse(fs.readFileSync(path.join(dir, 'golden.json'), 'utf8'));
    const s = await ort.InferenceSession.create(path.join(dir, 'onnx', 'model.onnx'),
      { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
    const ids = golden.cases.reduce((a, c) => (c.input_ids.length > a.length ? c.input_ids : a), []);
    const out = {};
    for (const [past, q] of SHAPES) {
      const x = Array.from({ length: q }, (_, i) => ids[i % ids.length]);
      const feeds = { input_ids: I64(x, [1, q]), attention_mask: I64(Array(past + q).fill(1), [1, past + q]) };
      for (const n of s.inputNames.filter((v) => v.startsWith('past_key_values.'))) {
        const meta = (s.inputMetadata || []).find((m) => m.name === n);
        feeds[n] = new ort.Tensor('float32', new Float32Array(meta.shape[1] * past * meta.shape[3]), [1, meta.shape[1], past, meta.shape[3]]);
      }
      for (const n of s.inputNames.filter((v) => v === 'position_ids')) {
        feeds[n] = I64(Array.from({ length: q }, (_, i) => past + i), [1, q]);
      }
      for (let r = 0; r < 4; r++) await s.run(feeds);
      const t = await timeRuns(s, feeds, 40);
      out[`past${past}_new${q}_ms`] = Number(t[20].toFixed(3));
    }
    await s.release();
    res[name] = out;
  }
  console.log(JSON.stringify(res));
})();
