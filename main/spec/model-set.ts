/**
 * The models of a sweep, loaded once: draft and target language models, and the PRM and router
 * when the methods need them. Also builds each model's prompt and context text.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import { CausalLM } from "../engine/causal-lm.ts";
import type { CausalLmInfo } from "../engine/causal-lm.ts";
import { StepScorer } from "../engine/scorer.ts";
import type { StepScorerInfo } from "../engine/scorer.ts";
import { buildPrompt } from "../eval/prompts/build.ts";
import type { PromptSpec, ResolvedModelRef } from "./sweep-spec.ts";

export interface ModelSet {
  draft: CausalLM;
  target: CausalLM;
  prm: StepScorer | null;
  router: StepScorer | null;
}

export interface ModelSetInfo {
  draft: CausalLmInfo;
  target: CausalLmInfo;
  prm: StepScorerInfo | null;
  router: StepScorerInfo | null;
}

function loadOpts(ref: ResolvedModelRef) {
  return {
    ...(ref.variant ? { variant: ref.variant } : {}),
    ...(ref.file ? { file: ref.file } : {}),
    ...(ref.executionProvider ? { executionProvider: ref.executionProvider } : {}),
    intraOpThreads: ref.threads,
  };
}

async function loadRole<T>(role: string, ref: ResolvedModelRef, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof WorkbenchError) {
      throw new WorkbenchError(err.kind, `${role} model (${ref.path}): ${err.message}`, err.details);
    }
    throw err;
  }
}

export async function loadModelSet(refs: {
  draft: ResolvedModelRef;
  target: ResolvedModelRef;
  prm: ResolvedModelRef | null;
  router: ResolvedModelRef | null;
}): Promise<ModelSet> {
  const loaded: { dispose(): Promise<void> }[] = [];
  try {
    const draft = await loadRole("draft", refs.draft, () => CausalLM.load(refs.draft.path, loadOpts(refs.draft)));
    loaded.push(draft);
    const target = await loadRole("target", refs.target, () => CausalLM.load(refs.target.path, loadOpts(refs.target)));
    loaded.push(target);
    const prm = refs.prm ? await loadRole("prm", refs.prm, () => StepScorer.load(refs.prm!.path, loadOpts(refs.prm!))) : null;
    if (prm) loaded.push(prm);
    const router = refs.router ? await loadRole("router", refs.router, () => StepScorer.load(refs.router!.path, loadOpts(refs.router!))) : null;
    return { draft, target, prm, router };
  } catch (err) {
    for (const m of loaded) await m.dispose();
    throw err;
  }
}

export function modelSetInfo(m: ModelSet): ModelSetInfo {
  return { draft: m.draft.info, target: m.target.info, prm: m.prm?.info ?? null, router: m.router?.info ?? null };
}

export async function disposeModelSet(m: ModelSet): Promise<void> {
  await m.draft.dispose();
  await m.target.dispose();
  await m.prm?.dispose();
  await m.router?.dispose();
}

/** A model's prompt for a question under a template (its own chat template for "chat-template"). */
export function promptFor(lm: CausalLM, template: PromptSpec, question: string): string {
  return buildPrompt(template, question, {
    ...(lm.tokenizer.chatTemplate ? { chatTemplate: lm.tokenizer.chatTemplate } : {}),
    specialTokens: lm.tokenizer.specialTokenVars(),
  });
}

/** The text a model continues: its prompt, then each accepted step followed by the delimiter. */
export function contextText(prompt: string, steps: readonly string[], delimiter: string): string {
  let text = prompt;
  for (const s of steps) text += s + delimiter;
  return text;
}
