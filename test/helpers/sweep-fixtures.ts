import { fileURLToPath } from "node:url";
import { fixtureModel } from "./fixtures.ts";

/** A small benchmark for the scripted step writers: six "What is a+b?" problems and one too long for them. */
export const TINY_DATASET = fileURLToPath(new URL("../fixtures/sweep/tiny.jsonl", import.meta.url));

/** A sweep spec over the scripted fixture models (they write fixed steps; see tools/make-test-fixtures). */
export function tinySpec(extra: Record<string, unknown> = {}) {
  return {
    name: "tiny",
    models: {
      draft: fixtureModel("steps-draft"),
      target: fixtureModel("steps-target"),
      prm: fixtureModel("prm-skywork"),
      router: fixtureModel("router"),
    },
    dataset: { path: TINY_DATASET },
    methods: [
      { method: "draft" },
      { method: "target" },
      { method: "rsd", thresholds: [0, 0.3, 0.5, 1] },
      { method: "arbitrage", thresholds: [0, 0.4, 0.5, 1] },
      { method: "oracle", thresholds: [-1, 0, 0.5] },
    ],
    decoding: { temperature: 0, seed: 0 },
    ...extra,
  };
}
