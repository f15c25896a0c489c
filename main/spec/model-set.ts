/**
 * The models of a sweep, loaded once: draft and target language models, and the PRM and router
 * when the methods need them. Also builds each model's prompt and context text.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import { describeRef, loadStepScoring, loadStepWriter } from "../backends/load.ts";
import type { StepScoring, StepWriter } from "../backends/types.ts";
import { buildPrompt } from "../eval/prompts/build.ts";
import type { PromptSpec, ResolvedModelRef } from "./sweep-spec.ts";

/** Local ONNX models (the engine's CausalLM / StepScorer) or models served over HTTP (main/backends). */
export interface ModelSet {
  draft: StepWriter;
  target: StepWriter;
  prm: StepScoring | null;
  router: StepScoring | null;
}

export interface ModelSetInfo {
  draft: StepWriter["info"];
  target: StepWriter["info"];
  prm: StepScoring["info"] | null;
  router: StepScoring["info"] | null;
}

async function loadRole<T>(role: string, ref: ResolvedModelRef, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof WorkbenchError) {
      throw new WorkbenchError(err.kind, `${role} model (${describeRef(ref)}): ${err.message}`, err.details);
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
    const draft = await loadRole("draft", refs.draft, () => loadStepWriter(refs.draft, "draft"));
    loaded.push(draft);
    const target = await loadRole("target", refs.target, () => loadStepWriter(refs.target, "target"));
    loaded.push(target);
    const prm = refs.prm ? await loadRole("prm", refs.prm, () => loadStepScoring(refs.prm!, "prm")) : null;
    if (prm) loaded.push(prm);
    const router = refs.router ? await loadRole("router", refs.router, () => loadStepScoring(refs.router!, "router")) : null;
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
export function promptFor(lm: Pick<StepWriter, "tokenizer">, template: PromptSpec, question: string): string {
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
