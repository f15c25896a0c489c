// What the demo graphs' latency scripts share: onnxruntime-node from the repository, int64 feeds, and a
// timed loop of session runs on one set of feeds.
const path = require('path');

const ort = require(require.resolve('onnxruntime-node', { paths: [process.cwd(), path.join(__dirname, '..', '..')] }));

const I64 = (a, dims) => new ort.Tensor('int64', BigInt64Array.from(a.map((x) => BigInt(x))), dims);

/** Milliseconds of `rounds` runs after one warm-up run, sorted ascending. */
async function timeRuns(session, feeds, rounds) {
  await session.run(feeds);
  const t = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return t.sort((a, b) => a - b);
}

module.exports = { ort, I64, timeRuns };
