/**
 * Trains the light router from `generate` rows: pick the features every row has (or the ones
 * asked for), balance the classes by seeded downsampling (the Arbitrage paper's recipe — most
 * oracle labels say "keep the draft", and an unbalanced fit learns to always say so), standardise,
 * fit, and record where the model came from.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import { createRng, hashSeed, labelBalance, sample, shuffle, type LabelBalance } from "../../shared/stats/index.ts";
import { fitLogistic } from "./fit-logistic.ts";
import { fitMlp } from "./fit-mlp.ts";
import { availableFeatures, featureVector, type LightFeature } from "./light-features.ts";
import { LIGHT_ROUTER_FORMAT, LIGHT_ROUTER_VERSION, type LightRouterFile } from "./light-model.ts";
import { rowToInput } from "./router-input.ts";
import type { RouterRow } from "./router-rows.ts";

export type LightModelKind = "logistic" | "mlp";

export interface TrainOptions {
  model?: LightModelKind;
  /** Features to use (default: every feature that all training rows have). */
  features?: LightFeature[];
  seed?: number;
  /** Class-balanced downsampling of the training rows (default true). */
  downsample?: boolean;
  /** Ridge penalty: λ for logistic regression (default 1), weight decay for the MLP (default 1e-3). */
  l2?: number;
  hiddenUnits?: number;
  epochs?: number;
  /** Extra provenance recorded under "training" (data file, its hash, …). */
  provenance?: Record<string, unknown>;
}

/**
 * Keeps every row of the smaller class and as many rows, drawn without replacement, of the larger;
 * the kept rows stay in their original order. Seeded: same rows and seed, same subset.
 */
export function balancedDownsample<R extends { label: 0 | 1 }>(rows: readonly R[], seed: number): R[] {
  const pos = rows.filter((r) => r.label === 1);
  const neg = rows.filter((r) => r.label === 0);
  const rng = createRng(hashSeed(seed, "light-router-downsample"));
  const keep = new Set<R>(pos.length <= neg.length ? [...pos, ...sample(rng, neg, pos.length)] : [...neg, ...sample(rng, pos, neg.length)]);
  return rows.filter((r) => keep.has(r));
}

/**
 * Splits rows into train and held-out by problem, not by row: the steps of one solution share
 * their question and context, so a row-level split would let the held-out set leak into training.
 * Rows without a problem_id are grouped by question text.
 */
export function splitByProblem<R extends { problemId: string | null; question: string }>(
  rows: readonly R[],
  heldoutFraction: number,
  seed: number,
): { train: R[]; heldout: R[] } {
  if (!(heldoutFraction > 0 && heldoutFraction < 1)) {
    throw new WorkbenchError("usage", `--split expects a fraction in (0, 1), found ${heldoutFraction}`);
  }
  const keyOf = (r: R) => (r.problemId !== null ? `id:${r.problemId}` : `q:${r.question}`);
  const keys = [...new Set(rows.map(keyOf))];
  if (keys.length < 2) throw new WorkbenchError("usage", `--split needs rows from at least two problems, found ${keys.length}`);
  const nHeld = Math.min(keys.length - 1, Math.max(1, Math.round(keys.length * heldoutFraction)));
  const held = new Set(shuffle(createRng(hashSeed(seed, "light-router-split")), keys).slice(0, nHeld));
  return { train: rows.filter((r) => !held.has(keyOf(r))), heldout: rows.filter((r) => held.has(keyOf(r))) };
}

function meanStd(x: readonly number[][], k: number): { mean: number[]; std: number[]; constant: number[] } {
  const n = x.length;
  const mean = new Array<number>(k).fill(0);
  for (const row of x) for (let j = 0; j < k; j++) mean[j] = (mean[j] as number) + (row[j] as number) / n;
  const std = new Array<number>(k).fill(0);
  for (const row of x) for (let j = 0; j < k; j++) std[j] = (std[j] as number) + ((row[j] as number) - (mean[j] as number)) ** 2 / n;
  const constant: number[] = [];
  for (let j = 0; j < k; j++) {
    std[j] = Math.sqrt(std[j] as number);
    // A constant feature carries no information; std 1 keeps it (centred at 0) harmless.
    if (!((std[j] as number) > 1e-12)) {
      std[j] = 1;
      constant.push(j);
    }
  }
  return { mean, std, constant };
}

export interface TrainResult {
  file: LightRouterFile;
  balance: { before: LabelBalance; after: LabelBalance };
}

export function trainLightRouter(rows: readonly RouterRow[], opts: TrainOptions = {}): TrainResult {
  const model = opts.model ?? "logistic";
  const seed = opts.seed ?? 0;
  const downsample = opts.downsample ?? true;
  if (rows.length === 0) throw new WorkbenchError("usage", "train-router: no usable training rows");
  const inputs = rows.map(rowToInput);
  const features = opts.features ?? availableFeatures(inputs);
  if (features.length === 0) {
    throw new WorkbenchError("usage", "train-router: no feature is present in every training row (do the rows have draft_features?)");
  }
  const before = labelBalance(rows.map((r) => r.label));
  const used = downsample ? balancedDownsample(rows, seed) : [...rows];
  const after = labelBalance(used.map((r) => r.label));
  if (after.accept === 0 || after.escalate === 0) {
    throw new WorkbenchError(
      "usage",
      `train-router: the training rows hold only one class (${before.accept} with label 0, ${before.escalate} with label 1); a router needs both`,
    );
  }
  const x = used.map((r) => {
    try {
      return featureVector(rowToInput(r), features, "being trained");
    } catch (err) {
      throw new WorkbenchError("usage", `train-router: line ${r.line} of the training data: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const y = used.map((r) => r.label);
  const { mean, std, constant } = meanStd(x, features.length);
  const z = x.map((row) => row.map((v, j) => (v - (mean[j] as number)) / (std[j] as number)));

  const training: Record<string, unknown> = {
    ...(opts.provenance ?? {}),
    n: rows.length,
    nUsed: used.length,
    seed,
    downsample,
    balance: { before, after },
    constantFeatures: constant.map((j) => features[j]),
  };
  const base = { format: LIGHT_ROUTER_FORMAT, version: LIGHT_ROUTER_VERSION, features, mean, std } as const;
  if (model === "logistic") {
    const l2 = opts.l2 ?? 1;
    const fit = fitLogistic(z, y, { l2 });
    training["fit"] = { method: "newton", l2, iterations: fit.iterations, converged: fit.converged, loss: fit.loss };
    return { file: { ...base, model, logistic: { weights: fit.weights, bias: fit.bias }, training }, balance: { before, after } };
  }
  const l2 = opts.l2 ?? 1e-3;
  const hiddenUnits = opts.hiddenUnits ?? 8;
  const fit = fitMlp(z, y, { l2, seed, hiddenUnits, ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }) });
  training["fit"] = { method: "adam", l2, hiddenUnits, epochs: fit.epochs, loss: fit.loss };
  return {
    file: { ...base, model, mlp: { activation: "tanh", hidden: fit.hidden, output: fit.output }, training },
    balance: { before, after },
  };
}
