/**
 * The light router's model file: a small JSON document a researcher can read. It holds the
 * feature names, the standardisation (mean, std per feature, from the training rows), the
 * weights, and where it came from (data file hash, rows, seed, class balance). Scoring is
 * standardise → logistic regression or a one-hidden-layer tanh MLP → sigmoid, so the score is a
 * probability in (0, 1) that the target would write a better step.
 */
import { z } from "zod";
import { LIGHT_FEATURE_NAMES, type LightFeature } from "./light-features.ts";

export const LIGHT_ROUTER_FORMAT = "arbitrage-light-router";
export const LIGHT_ROUTER_VERSION = 1;

const finite = z.number().refine(Number.isFinite, "must be a finite number");

export const LightRouterFileSchema = z
  .strictObject({
    format: z.literal(LIGHT_ROUTER_FORMAT),
    version: z.literal(LIGHT_ROUTER_VERSION),
    model: z.enum(["logistic", "mlp"]),
    features: z.array(z.enum(LIGHT_FEATURE_NAMES as [LightFeature, ...LightFeature[]])).min(1),
    mean: z.array(finite),
    std: z.array(finite.refine((v) => v > 0, "must be > 0")),
    logistic: z.strictObject({ weights: z.array(finite), bias: finite }).optional(),
    mlp: z
      .strictObject({
        activation: z.literal("tanh"),
        hidden: z.strictObject({ weights: z.array(z.array(finite)).min(1), bias: z.array(finite) }),
        output: z.strictObject({ weights: z.array(finite), bias: finite }),
      })
      .optional(),
    /** Free-form provenance: data file and hash, rows, seed, balance, held-out metrics. */
    training: z.record(z.string(), z.unknown()),
  })
  .superRefine((f, ctx) => {
    const k = f.features.length;
    const bad = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (f.mean.length !== k) bad("mean", `expected ${k} values (one per feature), found ${f.mean.length}`);
    if (f.std.length !== k) bad("std", `expected ${k} values (one per feature), found ${f.std.length}`);
    if (f.model === "logistic") {
      if (!f.logistic) bad("logistic", `model "logistic" needs a "logistic" block`);
      else if (f.logistic.weights.length !== k) bad("logistic", `expected ${k} weights, found ${f.logistic.weights.length}`);
    } else {
      if (!f.mlp) bad("mlp", `model "mlp" needs an "mlp" block`);
      else {
        const h = f.mlp.hidden.weights.length;
        if (!f.mlp.hidden.weights.every((row) => row.length === k)) bad("mlp", `every hidden row needs ${k} weights`);
        if (f.mlp.hidden.bias.length !== h) bad("mlp", `expected ${h} hidden biases, found ${f.mlp.hidden.bias.length}`);
        if (f.mlp.output.weights.length !== h) bad("mlp", `expected ${h} output weights, found ${f.mlp.output.weights.length}`);
      }
    }
  });

export type LightRouterFile = z.infer<typeof LightRouterFileSchema>;

export function sigmoid(x: number): number {
  // Split by sign so exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function standardise(x: readonly number[], mean: readonly number[], std: readonly number[]): number[] {
  return x.map((v, j) => (v - (mean[j] as number)) / (std[j] as number));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] as number) * (b[j] as number);
  return s;
}

/** The model's logit for one raw feature vector (before the sigmoid). */
export function lightLogit(file: LightRouterFile, raw: readonly number[]): number {
  const z = standardise(raw, file.mean, file.std);
  if (file.model === "logistic") {
    const l = file.logistic as NonNullable<LightRouterFile["logistic"]>;
    return dot(l.weights, z) + l.bias;
  }
  const m = file.mlp as NonNullable<LightRouterFile["mlp"]>;
  const h = m.hidden.weights.map((row, u) => Math.tanh(dot(row, z) + (m.hidden.bias[u] as number)));
  return dot(m.output.weights, h) + m.output.bias;
}

export function lightScore(file: LightRouterFile, raw: readonly number[]): number {
  return sigmoid(lightLogit(file, raw));
}
