/**
 * A one-hidden-layer tanh MLP for binary labels, trained full-batch with Adam on the mean
 * cross-entropy plus a small L2 penalty. Seeded initialisation and a fixed number of epochs make
 * it deterministic: same data, same seed, same weights. It exists to catch interactions between
 * the draft features that a linear model misses; with five or six features it stays tiny.
 */
import { createRng, hashSeed, type Rng } from "../../shared/stats/index.ts";
import { WorkbenchError } from "../../shared/errors.ts";
import { sigmoid } from "./light-model.ts";

export interface MlpFit {
  hidden: { weights: number[][]; bias: number[] };
  output: { weights: number[]; bias: number };
  epochs: number;
  /** Mean cross-entropy (without the penalty) in the last epoch, before its update. */
  loss: number;
}

export interface MlpOptions {
  hiddenUnits?: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

function normal(rng: Rng): number {
  // Box–Muller; 1 − u keeps the log away from 0.
  const u = 1 - rng.float();
  const v = rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Adam's state for one flat parameter vector. */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(
    size: number,
    private readonly lr: number,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(params: Float64Array, grad: Float64Array): void {
    this.t++;
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i] as number;
      this.m[i] = b1 * (this.m[i] as number) + (1 - b1) * g;
      this.v[i] = b2 * (this.v[i] as number) + (1 - b2) * g * g;
      params[i] = (params[i] as number) - (this.lr * ((this.m[i] as number) / c1)) / (Math.sqrt((this.v[i] as number) / c2) + 1e-8);
    }
  }
}

export function fitMlp(x: readonly number[][], y: readonly (0 | 1)[], opts: MlpOptions = {}): MlpFit {
  const n = x.length;
  const k = x[0]?.length ?? 0;
  if (n === 0 || k === 0) throw new WorkbenchError("usage", "fitMlp: needs at least one row and one feature");
  const h = opts.hiddenUnits ?? 8;
  const epochs = opts.epochs ?? 600;
  const l2 = opts.l2 ?? 1e-3;
  const rng = createRng(hashSeed(opts.seed ?? 0, "mlp-init"));
  // Layout of the flat parameter vector: W1 (h × k), b1 (h), w2 (h), b2 (1).
  const size = h * k + h + h + 1;
  const p = new Float64Array(size);
  const w1 = 0;
  const b1 = h * k;
  const w2 = b1 + h;
  const b2 = w2 + h;
  for (let i = 0; i < h * k; i++) p[w1 + i] = normal(rng) / Math.sqrt(k);
  for (let u = 0; u < h; u++) p[w2 + u] = normal(rng) / Math.sqrt(h);
  const adam = new Adam(size, opts.learningRate ?? 0.03);
  const grad = new Float64Array(size);
  const act = new Float64Array(h);
  let loss = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    loss = 0;
    for (let i = 0; i < n; i++) {
      const row = x[i] as number[];
      let z = p[b2] as number;
      for (let u = 0; u < h; u++) {
        let a = p[b1 + u] as number;
        for (let j = 0; j < k; j++) a += (p[w1 + u * k + j] as number) * (row[j] as number);
        const t = Math.tanh(a);
        act[u] = t;
        z += (p[w2 + u] as number) * t;
      }
      const yi = y[i] as number;
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - yi * z;
      const dz = (sigmoid(z) - yi) / n;
      grad[b2] = (grad[b2] as number) + dz;
      for (let u = 0; u < h; u++) {
        const t = act[u] as number;
        grad[w2 + u] = (grad[w2 + u] as number) + dz * t;
        const da = dz * (p[w2 + u] as number) * (1 - t * t);
        grad[b1 + u] = (grad[b1 + u] as number) + da;
        for (let j = 0; j < k; j++) grad[w1 + u * k + j] = (grad[w1 + u * k + j] as number) + da * (row[j] as number);
      }
    }
    loss /= n;
    for (let i = 0; i < h * k; i++) grad[w1 + i] = (grad[w1 + i] as number) + l2 * (p[w1 + i] as number);
    for (let u = 0; u < h; u++) grad[w2 + u] = (grad[w2 + u] as number) + l2 * (p[w2 + u] as number);
    adam.step(p, grad);
  }
  return {
    hidden: {
      weights: Array.from({ length: h }, (_, u) => Array.from(p.subarray(w1 + u * k, w1 + (u + 1) * k))),
      bias: Array.from(p.subarray(b1, b1 + h)),
    },
    output: { weights: Array.from(p.subarray(w2, w2 + h)), bias: p[b2] as number },
    epochs,
    loss,
  };
}
