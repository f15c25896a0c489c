// Full-sequence forward latency of the demo scorers (PRM, router) with onnxruntime-node, one thread,
// on their golden inputs (typical lengths). Reports the minimum and median over rounds.
// usage (from the repo root): node tools/train-demo-models/bench_scorer.cjs [assets/models]
const path = require('path');
const fs = require('fs');
const { ort, I64, timeRuns } = require('./ort_bench.cjs');

(async () => {
  const root = process.argv[2] || 'assets/models';
  const res = {};
  for (const name of ['demo-prm', 'demo-router']) {
    const dir = path.join(root, name);
    if (!fs.existsSync(dir)) continue;
    const golden = JSON.parse(fs.readFileSync(path.join(dir, 'golden.json'), 'utf8'));
    const s = await ort.InferenceSession.create(path.join(dir, 'onnx', 'model.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const ids = golden.cases.reduce((a, c) => (c.input_ids.length > a.length ? c.input_ids : a), []);
    const feeds = { input_ids: I64(ids, [1, ids.length]), attention_mask: I64(ids.map(() => 1), [1, ids.length]) };
    // A scorer with a KV cache input: an empty past (the whole input runs).
    for (const n of s.inputNames.filter((x) => x.startsWith('past_key_values.'))) {
      const meta = (s.inputMetadata || []).find((m) => m.name === n);
      feeds[n] = new ort.Tensor('float32', new Float32Array(0), [1, meta.shape[1], 0, meta.shape[3]]);
    }
    const t = await timeRuns(s, feeds, 30);
    res[name] = { tokens: ids.length, ms_min: t[0], ms_median: t[15] };
  }
  console.log(JSON.stringify(res));
})();
