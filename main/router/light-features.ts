/**
 * The light router's features: numbers known once the draft has written its step, before (and
 * without) the target. Each has a name stored in the model file and a reader from a RouterInput;
 * a missing value is an error that names the feature and where it would come from, never a
 * silent 0.
 */
import { WorkbenchError } from "../../shared/errors.ts";
import type { RouterInput } from "./router-input.ts";

interface FeatureDef {
  /** Where the value comes from, for the error when it is missing. */
  source: string;
  read(input: RouterInput): number | null;
}

export const LIGHT_FEATURES = {
  mean_logprob: { source: "draft_features.meanLogprob (the draft's mean token log-probability)", read: (i) => i.draftFeatures?.meanLogprob ?? null },
  min_logprob: { source: "draft_features.minLogprob (the draft's lowest token log-probability)", read: (i) => i.draftFeatures?.minLogprob ?? null },
  mean_entropy: { source: "draft_features.meanEntropy (the draft's mean next-token entropy)", read: (i) => i.draftFeatures?.meanEntropy ?? null },
  // Step length on a log scale: a 200-token step is not ten times as different from a 20-token
  // one as the raw count says, and the log keeps a few very long steps from dominating the fit.
  log_tokens: { source: "draft_features.tokens (the draft step's length in tokens)", read: (i) => (i.draftFeatures ? Math.log1p(i.draftFeatures.tokens) : null) },
  step_index: { source: "the step's position", read: (i) => i.stepIndex },
  prm_draft: { source: "prm_draft (the PRM's score of the draft step: configure a PRM, or train without it using --features)", read: (i) => i.prmDraft },
} satisfies Record<string, FeatureDef>;

export type LightFeature = keyof typeof LIGHT_FEATURES;
export const LIGHT_FEATURE_NAMES = Object.keys(LIGHT_FEATURES) as LightFeature[];

export function isLightFeature(name: string): name is LightFeature {
  return Object.hasOwn(LIGHT_FEATURES, name);
}

/** The feature vector of an input, in `features` order; throws when one is missing. */
export function featureVector(input: RouterInput, features: readonly LightFeature[], routerName: string): number[] {
  return features.map((f) => {
    const v = LIGHT_FEATURES[f].read(input);
    if (v === null || !Number.isFinite(v)) {
      throw new WorkbenchError(
        "usage",
        `light router ${routerName} needs feature "${f}" from ${LIGHT_FEATURES[f].source}, which this input ${v === null ? "does not have" : `has as ${v}`}`,
        { feature: f },
      );
    }
    return v;
  });
}

/** Features every input has (in the canonical order): what a model trained on these inputs can use. */
export function availableFeatures(inputs: readonly RouterInput[]): LightFeature[] {
  return LIGHT_FEATURE_NAMES.filter((f) => inputs.length > 0 && inputs.every((i) => LIGHT_FEATURES[f].read(i) !== null));
}
