/**
 * models.inspect: load a model the way a sweep would and report what was detected. Runs in a job
 * worker (creating an ONNX session can take seconds and much memory). The session is released
 * before answering.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { WorkbenchError } from "../../shared/errors.ts";
import { METHODS } from "../../shared/api/contracts.ts";
import type { ModelInspection } from "../../shared/api/schemas/inspect.ts";
import { CausalLM, StepScorer } from "../engine/index.ts";
import { loadRouter } from "../router/router-model.ts";

type Input = z.output<(typeof METHODS)["models.inspect"]["input"]>;

const finiteOrNull = (n: number): number | null => (Number.isFinite(n) ? n : null);

export async function inspectModel(raw: unknown): Promise<ModelInspection> {
  const input: Input = METHODS["models.inspect"].input.parse(raw);
  const path = resolve(input.path);
  const session = input.executionProvider ? { executionProvider: input.executionProvider, intraOpThreads: 1 } : { intraOpThreads: 1 };
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new WorkbenchError("missing-file", `expected a model folder at ${path}, found nothing`, { path });
  }

  if (input.role === "router" && isFile) {
    const router = await loadRouter(path);
    try {
      return { kind: "light-router", role: "router", path, name: router.name };
    } finally {
      await router.dispose();
    }
  }
  if (isFile) throw new WorkbenchError("bad-model", `expected a model folder at ${path}, found a file (a model is a folder with config.json, tokenizer.json and an ONNX graph)`, { path });

  if (input.role === "draft" || input.role === "target") {
    const lm = await CausalLM.load(path, session);
    try {
      const i = lm.info;
      return {
        kind: "lm",
        role: input.role,
        path,
        onnxPath: i.onnxPath,
        architecture: i.architecture,
        layers: i.layers,
        kvHeads: i.kvHeads,
        headDim: i.headDim,
        kvType: i.kvType,
        vocabSize: i.vocabSize,
        tokenizerVocabSize: i.tokenizerVocabSize,
        contextLength: finiteOrNull(i.contextLength),
        hasPositionIds: i.hasPositionIds,
        eosTokenIds: i.eosTokenIds,
        hasChatTemplate: i.hasChatTemplate,
        provider: i.provider,
        providerFallback: i.providerFallback ?? null,
      };
    } finally {
      await lm.dispose();
    }
  }

  const scorer = await StepScorer.load(path, session);
  try {
    const i = scorer.info;
    if (input.role === "router" && i.scorer.convention !== "arbitrage-router") {
      throw new WorkbenchError("bad-model", `${path} is a ${i.scorer.convention} scorer, not a router: a router's config.json declares step_scorer.convention "arbitrage-router"`, { path });
    }
    if (input.role === "prm" && i.scorer.convention === "arbitrage-router") {
      throw new WorkbenchError("bad-model", `${path} is an Arbitrage router, not a PRM: choose it as the router`, { path });
    }
    return {
      kind: "scorer",
      role: input.role,
      path,
      onnxPath: i.onnxPath,
      architecture: i.architecture,
      convention: i.scorer.convention,
      head: i.scorer.head,
      select: i.scorer.select,
      output: i.scorer.output,
      outputShape: i.outputShape,
      contextLength: finiteOrNull(i.contextLength),
      provider: i.provider,
      providerFallback: i.providerFallback ?? null,
    };
  } finally {
    await scorer.dispose();
  }
}
