/**
 * Reading a /v1/completions response as a reasoning step. The one thing the OpenAI format does not
 * say is *which* stop ended the text, and the step loop must know whether the step ended at the
 * delimiter (go on) or at the end of the sequence (the answer is complete). vLLM reports it as
 * `stop_reason` (the stop string, or null for EOS) and SGLang as `matched_stop` (the stop string,
 * or the EOS token id) — the reference implementations read exactly these (RSD: stop_reason,
 * Arbitrage: matched_stop). A server that reports neither cannot drive the loop, and says so.
 */
import { z } from "zod";
import type { StopReason } from "../../engine/causal-lm.ts";
import { ResponseShapeError } from "./client.ts";

const Stop = z.union([z.string(), z.number(), z.null()]).optional();

const ChoiceSchema = z.looseObject({
  text: z.string(),
  finish_reason: z.string().nullable().optional(),
  stop_reason: Stop,
  matched_stop: Stop,
  logprobs: z
    .looseObject({
      tokens: z.array(z.string()).nullable().optional(),
      token_logprobs: z.array(z.number().nullable()).optional(),
      top_logprobs: z.array(z.record(z.string(), z.number()).nullable()).nullable().optional(),
    })
    .nullable()
    .optional(),
});

const CompletionSchema = z.looseObject({
  choices: z.array(ChoiceSchema).min(1),
  usage: z
    .looseObject({
      prompt_tokens: z.number().optional(),
      completion_tokens: z.number().nullable().optional(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullable().optional() }).nullable().optional(),
    })
    .nullable()
    .optional(),
});

export interface CompletionStep {
  text: string;
  stopReason: StopReason;
  stop: string | null;
  /** Log-probability of each generated token (empty when not asked for). */
  logprobs: number[];
  /** Entropy per token over the returned top alternatives (a lower bound of the full entropy). */
  entropies: number[];
  usage: { promptTokens: number | null; completionTokens: number | null; cachedTokens: number | null };
}

function describe(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join(".") : "response"}: ${i.message}`).join("; ");
}

/** Entropy of the distribution restricted to the returned alternatives: −Σ p log p. */
function topEntropy(top: Record<string, number> | null | undefined): number {
  if (!top) return 0;
  let h = 0;
  for (const lp of Object.values(top)) if (Number.isFinite(lp)) h -= Math.exp(lp) * lp;
  return h;
}

/**
 * `isEosToken` says whether a `logprobs.tokens` entry is the model's EOS token. A server that stops
 * at EOS lists the EOS token last in `logprobs` (vLLM counts it as a generated token), while a local
 * model's step has no entry for it: that entry is dropped, so a step's features (its token count,
 * mean and minimum log-probability, entropy) are the same whichever backend wrote it. Without
 * `tokens` in the response, the last entry of a step that ended at EOS is taken to be EOS's.
 */
export function readCompletion(json: unknown, stops: readonly string[], isEosToken: (token: string) => boolean = () => false): CompletionStep {
  const parsed = CompletionSchema.safeParse(json);
  if (!parsed.success) {
    throw new ResponseShapeError(`expected an OpenAI completion ({"choices": [{"text", "finish_reason", …}], "usage"}), found: ${describe(parsed.error.issues)}`);
  }
  const choice = parsed.data.choices[0] as z.infer<typeof ChoiceSchema>;
  let stopReason: StopReason;
  let stop: string | null = null;
  if (choice.finish_reason === "length") {
    stopReason = "max-tokens";
  } else if (choice.finish_reason === "stop") {
    if (!("stop_reason" in choice) && !("matched_stop" in choice)) {
      throw new ResponseShapeError(
        'finish_reason is "stop" but the response has neither "stop_reason" (vLLM) nor "matched_stop" (SGLang), so a step that ended at the delimiter cannot be told from one that ended the answer; serve the model with vLLM or SGLang',
      );
    }
    const matched = choice.stop_reason ?? choice.matched_stop ?? null;
    if (typeof matched === "string") {
      if (!stops.includes(matched)) {
        throw new ResponseShapeError(`the server says generation stopped at ${JSON.stringify(matched)}, which is not one of the requested stop strings ${JSON.stringify(stops)}`);
      }
      stopReason = "stop";
      stop = matched;
    } else {
      // null (vLLM) or a token id (SGLang: the EOS id; or a stop_token_ids entry): end of sequence.
      stopReason = "eos";
    }
  } else {
    throw new ResponseShapeError(`expected finish_reason "stop" or "length", found ${JSON.stringify(choice.finish_reason ?? null)}`);
  }
  const lp = choice.logprobs ?? null;
  const logprobs: number[] = [];
  const entropies: number[] = [];
  if (lp?.token_logprobs) {
    let n = lp.token_logprobs.length;
    if (stopReason === "eos" && n > 0) {
      const last = lp.tokens?.[n - 1];
      if (last === undefined || isEosToken(last)) n--;
    }
    lp.token_logprobs.slice(0, n).forEach((v, i) => {
      if (v === null) return;
      logprobs.push(v);
      entropies.push(topEntropy(lp.top_logprobs?.[i]));
    });
  }
  const u = parsed.data.usage ?? null;
  return {
    text: choice.text,
    stopReason,
    stop,
    logprobs,
    entropies,
    usage: {
      promptTokens: u?.prompt_tokens ?? null,
      completionTokens: u?.completion_tokens ?? null,
      cachedTokens: u?.prompt_tokens_details?.cached_tokens ?? null,
    },
  };
}
