/**
 * Load-time checks of an ONNX graph against the convention a role needs. A mismatch is reported
 * with everything that is missing or different and the graph's actual inputs/outputs, so export
 * drift is found when a model is opened, never in the middle of a sweep.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { IoSpec } from "./ort.ts";
import { describeIo } from "./ort.ts";

export type KvType = "float32" | "float16";

export interface CausalLmSignature {
  layers: number;
  kvHeads: number;
  headDim: number;
  kvType: KvType;
  hasPositionIds: boolean;
  hasNumLogitsToKeep: boolean;
  hasUseCacheBranch: boolean;
  logitsType: KvType;
  /** Vocabulary size from the logits' last axis when the graph fixes it. */
  logitsVocab: number | null;
}

const PAST_RE = /^past_key_values\.(\d+)\.(key|value)$/;

function fail(role: string, problems: string[], inputs: IoSpec[], outputs: IoSpec[]): never {
  throw new WorkbenchError(
    "bad-graph",
    `the graph does not follow the ${role} convention:\n  - ${problems.join("\n  - ")}\n` +
      `graph inputs: ${describeIo(inputs) || "none"}\ngraph outputs: ${describeIo(outputs) || "none"}` +
      `\n(see docs/model-folders.md)`,
    { problems, inputs: inputs.map((i) => i.name), outputs: outputs.map((o) => o.name) },
  );
}

function staticDim(shape: (number | string)[], axis: number): number | null {
  const d = shape[axis];
  return typeof d === "number" && d > 0 ? d : null;
}

/**
 * Checks a decoder exported as optimum's "text-generation-with-past" and reads its cache layout
 * (layers, KV heads, head size, dtype) from the input metadata rather than from config guesses.
 */
export function checkCausalLmGraph(
  inputs: IoSpec[],
  outputs: IoSpec[],
  config: { kvHeads?: number | null; headDim?: number | null } = {},
): CausalLmSignature {
  const problems: string[] = [];
  const byName = new Map(inputs.map((i) => [i.name, i]));
  const outNames = new Set(outputs.map((o) => o.name));

  for (const name of ["input_ids", "attention_mask"]) {
    const spec = byName.get(name);
    if (!spec) problems.push(`missing input "${name}" (int64 [batch, sequence])`);
    else if (spec.type !== "int64") problems.push(`input "${name}" should be int64, found ${spec.type}`);
  }
  const pos = byName.get("position_ids");
  if (pos && pos.type !== "int64") problems.push(`input "position_ids" should be int64, found ${pos.type}`);

  const layersSeen = new Map<number, { key?: IoSpec; value?: IoSpec }>();
  for (const spec of inputs) {
    const m = PAST_RE.exec(spec.name);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = layersSeen.get(i) ?? {};
    entry[m[2] as "key" | "value"] = spec;
    layersSeen.set(i, entry);
  }
  const layers = layersSeen.size;
  if (layers === 0) problems.push('no "past_key_values.{i}.key|value" inputs: this is not a decoder exported with past (text-generation-with-past)');

  let kvHeads: number | null = null;
  let headDim: number | null = null;
  let kvType: KvType = "float32";
  for (let i = 0; i < layers; i++) {
    const entry = layersSeen.get(i);
    for (const kind of ["key", "value"] as const) {
      const spec = entry?.[kind];
      if (!spec) {
        problems.push(`missing input "past_key_values.${i}.${kind}" (layers must be numbered 0..${layers - 1})`);
        continue;
      }
      if (spec.type !== "float32" && spec.type !== "float16") {
        problems.push(`input "${spec.name}" should be float32 or float16, found ${spec.type}`);
      } else kvType = spec.type;
      if (spec.shape.length !== 4) {
        problems.push(`input "${spec.name}" should have 4 axes [batch, kv_heads, past, head_dim], found [${spec.shape.join(", ")}]`);
        continue;
      }
      kvHeads ??= staticDim(spec.shape, 1);
      headDim ??= staticDim(spec.shape, 3);
      if (!outNames.has(`present.${i}.${kind}`)) problems.push(`missing output "present.${i}.${kind}"`);
    }
  }
  kvHeads ??= config.kvHeads ?? null;
  headDim ??= config.headDim ?? null;
  if (layers > 0 && (kvHeads === null || headDim === null)) {
    problems.push("the cache inputs' kv_heads/head_dim axes are symbolic and config.json does not give num_key_value_heads and head_dim");
  }

  const logits = outputs.find((o) => o.name === "logits");
  if (!logits) problems.push('missing output "logits" ([batch, sequence, vocab])');
  else if (logits.type !== "float32" && logits.type !== "float16") problems.push(`output "logits" should be float32 or float16, found ${logits.type}`);

  const known = new Set(["input_ids", "attention_mask", "position_ids", "num_logits_to_keep", "use_cache_branch"]);
  for (const spec of inputs) {
    if (!known.has(spec.name) && !PAST_RE.test(spec.name)) problems.push(`unsupported input "${spec.name}"`);
  }
  if (problems.length > 0) fail("causal language model (optimum text-generation-with-past)", problems, inputs, outputs);

  return {
    layers,
    kvHeads: kvHeads as number,
    headDim: headDim as number,
    kvType,
    hasPositionIds: byName.has("position_ids"),
    hasNumLogitsToKeep: byName.has("num_logits_to_keep"),
    hasUseCacheBranch: byName.has("use_cache_branch"),
    logitsType: (logits?.type as KvType) ?? "float32",
    logitsVocab: logits ? staticDim(logits.shape, logits.shape.length - 1) : null,
  };
}

export interface ScorerSignature {
  hasPositionIds: boolean;
  hasTokenTypeIds: boolean;
  output: IoSpec;
  /** A scorer exported with a cache gets an empty one. */
  past: { layers: number; kvHeads: number; headDim: number; kvType: KvType } | null;
}

/** Checks a scorer graph: whole-sequence inputs, and the output its config names. */
export function checkScorerGraph(inputs: IoSpec[], outputs: IoSpec[], outputName: string): ScorerSignature {
  const problems: string[] = [];
  const byName = new Map(inputs.map((i) => [i.name, i]));
  for (const name of ["input_ids", "attention_mask"]) {
    if (!byName.has(name)) problems.push(`missing input "${name}" (int64 [batch, sequence])`);
  }
  const output = outputs.find((o) => o.name === outputName);
  if (!output) {
    problems.push(`missing output "${outputName}" named by step_scorer.output in config.json (outputs: ${outputs.map((o) => o.name).join(", ")})`);
  }
  let past: ScorerSignature["past"] = null;
  const pastSpecs = inputs.filter((i) => PAST_RE.test(i.name));
  if (pastSpecs.length > 0) {
    const first = pastSpecs[0] as IoSpec;
    const kvHeads = staticDim(first.shape, 1);
    const headDim = staticDim(first.shape, 3);
    if (kvHeads === null || headDim === null) problems.push(`cache input "${first.name}" needs static kv_heads/head_dim axes`);
    past = { layers: pastSpecs.length / 2, kvHeads: kvHeads ?? 0, headDim: headDim ?? 0, kvType: first.type === "float16" ? "float16" : "float32" };
  }
  const known = new Set(["input_ids", "attention_mask", "position_ids", "token_type_ids", "num_logits_to_keep", "use_cache_branch"]);
  for (const spec of inputs) {
    if (!known.has(spec.name) && !PAST_RE.test(spec.name)) problems.push(`unsupported input "${spec.name}"`);
  }
  if (problems.length > 0) fail("step scorer", problems, inputs, outputs);
  return {
    hasPositionIds: byName.has("position_ids"),
    hasTokenTypeIds: byName.has("token_type_ids"),
    output: output as IoSpec,
    past,
  };
}
