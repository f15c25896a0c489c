/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares) with step halving. With a handful of standardised features the Hessian is tiny, so each
 * iteration is exact and the fit converges in a few steps, deterministically (no learning rate,
 * no seed). The ridge penalty λ/2·‖w‖² (not on the bias) keeps weights finite when the classes are
 * separable, which small or strongly-signalled data sets often are.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import { solve } from "./linalg.ts";
import { sigmoid } from "./light-model.ts";

export interface LogisticFit {
  weights: number[];
  bias: number;
  iterations: number;
  converged: boolean;
  /** Penalised mean negative log-likelihood at the solution. */
  loss: number;
}

export interface LogisticOptions {
  /** λ of the ridge penalty on the weights (default 1). */
  l2?: number;
  maxIterations?: number;
  /** Stop when the largest coordinate change is below this (default 1e-9). */
  tolerance?: number;
}

/** Penalised negative log-likelihood of θ = [w..., b]. */
function objective(x: readonly number[][], y: readonly (0 | 1)[], theta: readonly number[], l2: number): number {
  const k = theta.length - 1;
  let nll = 0;
  for (let i = 0; i < x.length; i++) {
    const row = x[i] as number[];
    let z = theta[k] as number;
    for (let j = 0; j < k; j++) z += (theta[j] as number) * (row[j] as number);
    // log(1 + e^z) − y·z, written to stay finite for large |z|.
    nll += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - (y[i] as number) * z;
  }
  let pen = 0;
  for (let j = 0; j < k; j++) pen += (theta[j] as number) ** 2;
  return nll + (l2 / 2) * pen;
}

export function fitLogistic(x: readonly number[][], y: readonly (0 | 1)[], opts: LogisticOptions = {}): LogisticFit {
  const n = x.length;
  const k = x[0]?.length ?? 0;
  if (n === 0 || k === 0) throw new WorkbenchError("usage", "fitLogistic: needs at least one row and one feature");
  const l2 = opts.l2 ?? 1;
  const maxIterations = opts.maxIterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-9;
  const theta = new Array<number>(k + 1).fill(0);
  let loss = objective(x, y, theta, l2);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const grad = new Array<number>(k + 1).fill(0);
    const hess = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const row = x[i] as number[];
      let z = theta[k] as number;
      for (let j = 0; j < k; j++) z += (theta[j] as number) * (row[j] as number);
      const p = sigmoid(z);
      const r = p - (y[i] as number);
      const w = p * (1 - p);
      for (let a = 0; a <= k; a++) {
        const xa = a === k ? 1 : (row[a] as number);
        grad[a] = (grad[a] as number) + r * xa;
        const ha = hess[a] as number[];
        for (let b = 0; b <= a; b++) ha[b] = (ha[b] as number) + w * xa * (b === k ? 1 : (row[b] as number));
      }
    }
    for (let a = 0; a <= k; a++) {
      const ha = hess[a] as number[];
      for (let b = 0; b < a; b++) (hess[b] as number[])[a] = ha[b] as number;
      if (a < k) {
        grad[a] = (grad[a] as number) + l2 * (theta[a] as number);
        ha[a] = (ha[a] as number) + l2;
      } else {
        ha[a] = (ha[a] as number) + 1e-9; // keeps the bias row solvable if every p saturates
      }
    }
    const step = solve(hess, grad);
    // Newton's step with halving: accept the first step length that does not increase the loss.
    let t = 1;
    let next = theta.map((v, j) => v - t * (step[j] as number));
    let nextLoss = objective(x, y, next, l2);
    while (nextLoss > loss && t > 1e-6) {
      t /= 2;
      next = theta.map((v, j) => v - t * (step[j] as number));
      nextLoss = objective(x, y, next, l2);
    }
    if (nextLoss > loss) {
      // No step length helps: θ is the minimum up to rounding.
      converged = true;
      break;
    }
    let change = 0;
    for (let j = 0; j <= k; j++) change = Math.max(change, Math.abs((next[j] as number) - (theta[j] as number)));
    for (let j = 0; j <= k; j++) theta[j] = next[j] as number;
    loss = nextLoss;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { weights: theta.slice(0, k), bias: theta[k] as number, iterations, converged, loss: loss / n };
}
