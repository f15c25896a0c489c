/**
 * The models of a sweep, loaded once: draft and target language models, and the PRM and router
 * when the methods need them. Also builds each model's prompt and context text.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import { describeRef, loadStepScoring, loadStepWriter } from "../backends/load.ts";
import type { StepScoring, StepWriter } from "../backends/types.ts";
import { buildPrompt } from "../eval/prompts/build.ts";
import type { LightRouter } from "../router/light-router.ts";
import { loadLightRouter } from "../router/light-router.ts";
import type { PromptSpec, ResolvedModelRef } from "./sweep-spec.ts";

/** Local ONNX models (the engine's CausalLM / StepScorer) or models served over HTTP (main/backends). */
export interface ModelSet {
  draft: StepWriter;
  target: StepWriter;
  prm: StepScoring | null;
  /** An ONNX or served router (a scorer with the arbitrage-router convention). */
  router: StepScoring | null;
  /** Or a light router: a .json model file trained by `arbitrage train-router`. */
  lightRouter: LightRouter | null;
}

/** A router reference naming a light router file rather than a model folder. */
export function isLightRouterRef(ref: ResolvedModelRef | null): boolean {
  return ref !== null && !ref.http && ref.path.toLowerCase().endsWith(".json");
}

export interface LightRouterInfo {
  kind: "light";
  path: string;
  model: string;
  features: string[];
}

export interface ModelSetInfo {
  draft: StepWriter["info"];
  target: StepWriter["info"];
  prm: StepScoring["info"] | null;
  router: StepScoring["info"] | LightRouterInfo | null;
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
    if (isLightRouterRef(refs.router)) {
      const light = await loadRole("router", refs.router!, async () => loadLightRouter(refs.router!.path));
      if (light.file.features.includes("prm_draft") && !prm) {
        throw new WorkbenchError(
          "bad-spec",
          `router ${refs.router!.path} reads the PRM's score of the draft step (prm_draft): configure models.prm, or retrain it without that feature (arbitrage train-router --features …)`,
        );
      }
      return { draft, target, prm, router: null, lightRouter: light };
    }
    const router = refs.router ? await loadRole("router", refs.router, () => loadStepScoring(refs.router!, "router")) : null;
    return { draft, target, prm, router, lightRouter: null };
  } catch (err) {
    for (const m of loaded) await m.dispose();
    throw err;
  }
}

export function modelSetInfo(m: ModelSet): ModelSetInfo {
  const light = m.lightRouter ? { kind: "light" as const, path: m.lightRouter.name, model: m.lightRouter.file.model, features: [...m.lightRouter.file.features] } : null;
  return { draft: m.draft.info, target: m.target.info, prm: m.prm?.info ?? null, router: m.router?.info ?? light };
}

export async function disposeModelSet(m: ModelSet): Promise<void> {
  await m.draft.dispose();
  await m.target.dispose();
  await m.prm?.dispose();
  await m.router?.dispose();
  await m.lightRouter?.dispose();
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
