/**
 * Builds a scorer's token ids from a question and steps, per convention, and says at which
 * positions each step's score is read. Inputs are always built from text with the scorer's own
 * tokenizer: its ids differ from the generators' (steps are encoded one by one in Skywork's
 * convention), so generator ids are never reused.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { ResolvedScorerConfig } from "./scorer-config.ts";
import type { TextTokenizer } from "./tokenizer.ts";

export interface ScorerInput {
  ids: number[];
  /** One position per step: where that step's score is read. */
  stepEnds: number[];
}

/** Who wrote each step: 0 = draft ("Model 0"), 1 = target ("Model 1"). */
export type StepSource = 0 | 1;

function lastId(tok: TextTokenizer, text: string, what: string): number {
  const ids = tok.encode(text, false);
  const id = ids[ids.length - 1];
  if (id === undefined) throw new WorkbenchError("bad-tokenizer", `the scorer's tokenizer encodes the ${what} ${JSON.stringify(text)} to no tokens`);
  return id;
}

function tagPositions(ids: number[], tagId: number, steps: number, tag: string): number[] {
  const at: number[] = [];
  ids.forEach((id, i) => {
    if (id === tagId) at.push(i);
  });
  if (at.length !== steps) {
    throw new WorkbenchError(
      "bad-tokenizer",
      `expected ${steps} step tag(s) ${JSON.stringify(tag)} in the scorer's input, found ${at.length} (does a step contain the tag text, or does the tokenizer merge it?)`,
    );
  }
  return at;
}

/** Skywork PRM and Arbitrage router: question line, then each step encoded alone + the delimiter's last id. */
function stepwise(tok: TextTokenizer, c: ResolvedScorerConfig, question: string, steps: string[], sources: StepSource[] | undefined): ScorerInput {
  let head = question + c.questionSuffix;
  if (c.addBos) {
    if (tok.special.bos === null) {
      throw new WorkbenchError("bad-tokenizer", "step_scorer.add_bos is on but tokenizer_config.json defines no bos_token");
    }
    head = tok.special.bos + head;
  }
  const ids = tok.encode(head, false);
  const delim = lastId(tok, c.stepDelimiter, "step delimiter");
  const stepEnds: number[] = [];
  steps.forEach((step, k) => {
    let text = step;
    if (c.annotate) {
      // The candidate (last) step is always the draft's; earlier ones carry who wrote them.
      const who = k === steps.length - 1 ? 0 : (sources?.[k] ?? 0);
      text = `Model ${who}: ${step}`;
    }
    for (const id of tok.encode(text, false)) ids.push(id);
    ids.push(delim);
    stepEnds.push(ids.length - 1);
  });
  return { ids, stepEnds };
}

export function buildScorerInput(
  tok: TextTokenizer,
  c: ResolvedScorerConfig,
  question: string,
  steps: string[],
  sources?: StepSource[],
): ScorerInput {
  if (steps.length === 0) throw new WorkbenchError("usage", "a scorer needs at least one step to score");
  switch (c.convention) {
    case "skywork-prm":
    case "arbitrage-router":
      return stepwise(tok, c, question, steps, sources);
    case "qwen-prm": {
      const tag = c.stepTag ?? "<extra_0>";
      const tagId = tok.tokenToId(tag);
      if (tagId === undefined) throw new WorkbenchError("bad-tokenizer", `the qwen-prm step tag ${JSON.stringify(tag)} is not a token of this tokenizer`);
      const messages = [
        ...(c.systemPrompt ? [{ role: "system" as const, content: c.systemPrompt }] : []),
        { role: "user" as const, content: question },
        { role: "assistant" as const, content: steps.join(tag) + tag },
      ];
      const text = tok.applyChatTemplate(messages, { addGenerationPrompt: false });
      const ids = tok.encode(text, false);
      return { ids, stepEnds: tagPositions(ids, tagId, steps.length, tag) };
    }
    case "math-shepherd": {
      const tag = c.stepTag ?? "ки";
      const text = question + c.questionSuffix + steps.join(` ${tag}${c.stepDelimiter}`) + ` ${tag}`;
      const ids = tok.encode(text, false);
      return { ids, stepEnds: tagPositions(ids, lastId(tok, tag, "step tag"), steps.length, tag) };
    }
  }
}
