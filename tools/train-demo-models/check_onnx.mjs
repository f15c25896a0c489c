// Checks every exported demo model folder against the golden data the Python builder recorded:
//  * the tokenizer (tokenizer.json + tokenizer_config.json via @huggingface/tokenizers) and the
//    chat template (@huggingface/jinja) give exactly the ids the models were trained on;
//  * ONNX outputs (onnxruntime-node, one thread) match the reference logits/values within tolerance;
//  * greedy decoding through the KV cache reproduces the recorded completions of the first 3 test problems.
// usage (from the repo root): node tools/train-demo-models/check_onnx.mjs [assets/models] > report.json
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');
const { Tokenizer } = await import('@huggingface/tokenizers');
const { Template } = await import('@huggingface/jinja');

const root = process.argv[2] ?? 'assets/models';
const names = ['demo-draft', 'demo-target', 'demo-prm', 'demo-router', 'demo-router-no-downsample', 'demo-router-no-annotations'];
const I64 = (a, dims) => new ort.Tensor('int64', BigInt64Array.from(a.map((x) => BigInt(x))), dims);
const maxDiff = (a, b) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function loadTok(dir) {
  const tj = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
  const tc = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
  return { tok: new Tokenizer(tj, tc), cfg: tc };
}
const enc = (t, s) => t.encode(s, { add_special_tokens: false }).ids;

// A whole input through a scorer; a graph that takes a KV cache gets an empty past.
function scorerFeeds(s, ids) {
  const feeds = { input_ids: I64(ids, [1, ids.length]), attention_mask: I64(ids.map(() => 1), [1, ids.length]) };
  for (const n of s.inputNames.filter((x) => x.startsWith('past_key_values.'))) {
    const meta = (s.inputMetadata || []).find((m) => m.name === n);
    const [, heads, , hd] = meta ? meta.shape : [1, 0, 0, 0];
    feeds[n] = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, hd]);
  }
  return feeds;
}

async function lmRun(s, nLayer, heads, hd, ids, past, pastLen) {
  const T = ids.length;
  const feeds = { input_ids: I64(ids, [1, T]), attention_mask: I64(new Array(pastLen + T).fill(1), [1, pastLen + T]),
    position_ids: I64(ids.map((_, i) => pastLen + i), [1, T]) };
  for (let i = 0; i < nLayer; i++) for (const kv of ['key', 'value'])
    feeds[`past_key_values.${i}.${kv}`] = past ? past[`present.${i}.${kv}`] : new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, hd]);
  return s.run(feeds);
}
const lastRow = (t) => { const V = t.dims[2]; const T = t.dims[1]; return Array.from(t.data.slice((T - 1) * V, T * V)); };
const argmax = (a) => a.reduce((bi, x, i) => (x > a[bi] ? i : bi), 0);

const report = {};
for (const name of names) {
  const dir = join(root, name);
  if (!existsSync(dir)) { report[name] = { missing: true }; continue; }
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8'));
  const { tok, cfg: tcfg } = loadTok(dir);
  const s = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'), { intraOpNumThreads: 1 });
  const r = { inputs: s.inputNames.length, outputs: s.outputNames, max_abs_diff: 0, token_ids_match: true };
  if (golden.kind === 'causal-lm') {
    const nLayer = cfg.num_hidden_layers, heads = cfg.num_key_value_heads, hd = cfg.head_dim;
    const tmpl = new Template(tcfg.chat_template);
    for (const c of golden.cases) {
      const text = tmpl.render({ messages: [{ role: 'user', content: c.problem }], add_generation_prompt: true, bos_token: tcfg.bos_token, eos_token: tcfg.eos_token });
      if (!same(enc(tok, text), c.input_ids)) r.token_ids_match = false;
      let out = await lmRun(s, nLayer, heads, hd, c.input_ids, null, 0);
      r.max_abs_diff = Math.max(r.max_abs_diff, maxDiff(lastRow(out.logits), c.prefill_last_logits));
      let pastLen = c.input_ids.length;
      for (const d of c.decode) {
        out = await lmRun(s, nLayer, heads, hd, [d.input_id], out, pastLen);
        pastLen += 1;
        r.max_abs_diff = Math.max(r.max_abs_diff, maxDiff(lastRow(out.logits), d.logits));
      }
    }
    const pa = golden.prefill_all;
    const out = await lmRun(s, nLayer, heads, hd, pa.input_ids, null, 0);
    const V = cfg.vocab_size;
    pa.logits.forEach((row, t) => { r.max_abs_diff = Math.max(r.max_abs_diff, maxDiff(Array.from(out.logits.data.slice(t * V, (t + 1) * V)), row)); });
    r.completions_match = 0;
    for (const g of golden.greedy_completions) {
      const text = tmpl.render({ messages: [{ role: 'user', content: g.problem }], add_generation_prompt: true, bos_token: tcfg.bos_token, eos_token: tcfg.eos_token });
      const ids = enc(tok, text);
      let o = await lmRun(s, nLayer, heads, hd, ids, null, 0);
      let pastLen = ids.length;
      const gen = [];
      for (let t = 0; t < 300; t++) {
        const nxt = argmax(lastRow(o.logits));
        gen.push(nxt);
        if (nxt === cfg.eos_token_id) break;
        o = await lmRun(s, nLayer, heads, hd, [nxt], o, pastLen);
        pastLen += 1;
      }
      const textOut = tok.decode(gen.filter((x) => x !== cfg.eos_token_id), { skip_special_tokens: true });
      if (textOut === g.completion) r.completions_match += 1;
      else r.first_mismatch = { expected: g.completion, got: textOut };
    }
  } else {
    const outName = cfg.step_scorer.output;
    for (const c of golden.cases) {
      const ids = c.input_ids;
      // rebuild the ids from text the way the engine does
      let built;
      if (golden.kind === 'skywork-prm') {
        built = enc(tok, tcfg.bos_token + c.question + '\n');
        for (const st of c.steps) { built.push(...enc(tok, st)); built.push(...enc(tok, '\n\n').slice(-1)); }
      } else {
        built = enc(tok, c.question + '\n');
        const steps = [...c.context_steps, c.candidate];
        steps.forEach((st, k) => {
          const who = k === steps.length - 1 ? 0 : c.context_sources[k];
          built.push(...enc(tok, (golden.annotate ? `Model ${who}: ` : '') + st));
          built.push(...enc(tok, '\n\n').slice(-1));
        });
      }
      if (!same(built, ids)) r.token_ids_match = false;
      const out = (await s.run(scorerFeeds(s, ids)))[outName];
      if (golden.kind === 'skywork-prm') r.max_abs_diff = Math.max(r.max_abs_diff, maxDiff(Array.from(out.data), c.values));
      else r.max_abs_diff = Math.max(r.max_abs_diff, maxDiff(Array.from(out.data.slice(-2)), c.last_logits));
    }
  }
  r.ok = r.max_abs_diff <= 1e-4 && r.token_ids_match && (r.completions_match === undefined || r.completions_match === 3);
  report[name] = r;
}
console.log(JSON.stringify(report, null, 1));
