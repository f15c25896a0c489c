/**
 * Picks the next token from one position's logits: greedy, or temperature / top-k / top-p with a
 * seeded generator. Also returns the chosen token's log-probability and the distribution's entropy
 * (under the unscaled softmax): router features that need no target model.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { Rng } from "../../shared/stats/random.ts";

export interface Pick {
  id: number;
  logprob: number;
  entropy: number;
}

export interface SamplerSettings {
  temperature: number;
  topP: number;
  topK: number;
}

type Logits = Float32Array | Float64Array | number[];

/**
 * `limit` excludes ids the tokenizer cannot decode (models often pad the logits past the
 * vocabulary, as Qwen2 does). Non-finite logits raise `non-finite-output`.
 */
export function pickToken(logits: Logits, offset: number, limit: number, s: SamplerSettings, rng: Rng | null): Pick {
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < limit; i++) {
    const v = logits[offset + i] as number;
    if (!Number.isFinite(v)) {
      throw new WorkbenchError("non-finite-output", `the model produced a non-finite logit (${v}) for token ${i}; the graph or its weights are broken`);
    }
    if (v > max) {
      max = v;
      best = i;
    }
  }
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < limit; i++) {
    const z = (logits[offset + i] as number) - max;
    const e = Math.exp(z);
    sum += e;
    weighted += e * z;
  }
  const logZ = Math.log(sum);
  const entropy = logZ - weighted / sum;
  const logprobOf = (id: number) => (logits[offset + id] as number) - max - logZ;

  if (s.temperature <= 0 || rng === null) return { id: best, logprob: logprobOf(best), entropy };

  // Candidates sorted by logit; top-k then top-p (nucleus) on the temperature-scaled distribution.
  let ids = Array.from({ length: limit }, (_, i) => i);
  ids.sort((a, b) => (logits[offset + b] as number) - (logits[offset + a] as number) || a - b);
  if (s.topK > 0 && s.topK < ids.length) ids = ids.slice(0, s.topK);
  const scaled = ids.map((i) => Math.exp(((logits[offset + i] as number) - max) / s.temperature));
  let total = scaled.reduce((a, b) => a + b, 0);
  if (s.topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < ids.length) {
      cum += (scaled[keep] as number) / total;
      keep++;
      if (cum >= s.topP) break;
    }
    ids = ids.slice(0, keep);
    scaled.length = keep;
    total = scaled.reduce((a, b) => a + b, 0);
  }
  let u = rng.float() * total;
  for (let k = 0; k < ids.length; k++) {
    u -= scaled[k] as number;
    if (u < 0) return { id: ids[k] as number, logprob: logprobOf(ids[k] as number), entropy };
  }
  const last = ids[ids.length - 1] as number;
  return { id: last, logprob: logprobOf(last), entropy };
}
