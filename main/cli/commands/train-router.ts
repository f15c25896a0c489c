import { resolve } from "node:path";
import { WorkbenchError } from "../../../shared/errors.ts";
import { evaluation, scoreRows } from "../../router/evaluate.ts";
import { fmt, fmtCI } from "../../router/format.ts";
import { isLightFeature, LIGHT_FEATURE_NAMES, type LightFeature } from "../../router/light-features.ts";
import { LightRouter, saveLightRouter } from "../../router/light-router.ts";
import { splitByProblem, trainLightRouter, type LightModelKind } from "../../router/light-train.ts";
import { describeBadLines, readRouterRows, type RouterRowsFile } from "../../router/router-rows.ts";
import type { CliIO, Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, parseNumberOption, requireOption } from "../parse-args.ts";

const usage = `usage: arbitrage train-router --data FILE.jsonl --out FILE.json [--heldout FILE.jsonl | --split 0.2]
                             [--no-downsample] [--seed N] [--model logistic|mlp] [--features a,b,…]
                             [--threshold T]

Trains the light router — logistic regression (or a small MLP) on draft-side features, no GPU
needed — from generate rows (docs/router-data.md), and prints its held-out ρ and AUC.

  --out FILE.json     the model file (features, standardisation, weights, provenance)
  --heldout FILE      evaluate on this file; otherwise --split holds out a share of the problems
  --split F           share of problems held out (default 0.2); split by problem, seeded
  --no-downsample     train on every row instead of class-balanced downsampling
  --seed N            seed of the split, the downsampling and the MLP's initialisation (default 0)
  --model NAME        logistic (default) or mlp (one hidden layer of 8 tanh units)
  --features LIST     comma-separated subset of: ${LIGHT_FEATURE_NAMES.join(", ")}
                      (default: every one the training rows all have; leave out prm_draft for a
                      router that needs no PRM at run time)
  --threshold T       τ for the held-out per-class accuracies (default 0.5)

The last two lines are "spearman: …" and "auc: …" on the held-out rows.`;

function readData(path: string, io: CliIO): RouterRowsFile {
  const data = readRouterRows(path);
  if (data.bad.length > 0) {
    write(io.stderr, `${path}: skipped ${data.bad.length} line(s) that do not fit the generate format:`);
    for (const l of describeBadLines(data.bad)) write(io.stderr, `  ${l}`);
  }
  return data;
}

function parseFeatures(raw: string | undefined): LightFeature[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const unknown = names.filter((n) => !isLightFeature(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new WorkbenchError("usage", `--features expects a comma-separated subset of ${LIGHT_FEATURE_NAMES.join(", ")}, found "${raw}"`);
  }
  return [...new Set(names)] as LightFeature[];
}

export const trainRouterCommand: Command = {
  name: "train-router",
  summary: "train the light router (logistic regression / MLP on draft-side features) and print its held-out ρ and AUC",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        data: { type: "string" },
        out: { type: "string" },
        heldout: { type: "string" },
        split: { type: "string" },
        "no-downsample": { type: "boolean" },
        seed: { type: "string" },
        model: { type: "string" },
        features: { type: "string" },
        threshold: { type: "string" },
      },
      usage,
    );
    const dataPath = resolve(io.cwd, requireOption(values.data, "--data", usage));
    const outPath = resolve(io.cwd, requireOption(values.out, "--out", usage));
    if (!outPath.toLowerCase().endsWith(".json")) throw new WorkbenchError("usage", `--out names the model file and must end in .json, found ${outPath}`);
    if (values.heldout !== undefined && values.split !== undefined) throw new WorkbenchError("usage", `give --heldout or --split, not both\n\n${usage}`);
    const split = parseNumberOption(values.split, "--split") ?? 0.2;
    const seed = parseNumberOption(values.seed, "--seed", { integer: true }) ?? 0;
    const threshold = parseNumberOption(values.threshold, "--threshold") ?? 0.5;
    const model = (values.model ?? "logistic") as LightModelKind;
    if (model !== "logistic" && model !== "mlp") throw new WorkbenchError("usage", `--model expects logistic or mlp, found "${values.model}"`);
    const features = parseFeatures(values.features);

    const data = readData(dataPath, io);
    if (data.rows.length === 0) throw new WorkbenchError("bad-dataset", `${dataPath} holds no usable router rows`);
    let train = data.rows;
    let heldout;
    let heldoutInfo: Record<string, unknown>;
    if (values.heldout !== undefined) {
      const heldPath = resolve(io.cwd, values.heldout);
      const held = readData(heldPath, io);
      heldout = held.rows;
      heldoutInfo = { file: heldPath, sha256: held.sha256 };
    } else {
      const s = splitByProblem(data.rows, split, seed);
      train = s.train;
      heldout = s.heldout;
      heldoutInfo = { split, by: "problem" };
    }
    if (heldout.length === 0) throw new WorkbenchError("bad-dataset", "no held-out rows to evaluate on");

    const { file, balance } = trainLightRouter(train, {
      model,
      seed,
      downsample: values["no-downsample"] !== true,
      ...(features ? { features } : {}),
      provenance: { dataFile: dataPath, dataSha256: data.sha256 },
    });
    const router = new LightRouter(file, "light");
    const scored = await scoreRows(router, heldout);
    const e = evaluation(router, heldout, scored, { threshold, seed });
    file.training["heldout"] = {
      ...heldoutInfo,
      n: e.n,
      spearman: e.spearman,
      spearmanCI: e.spearmanCI,
      spearmanNonTies: e.spearmanNonTies,
      ties: e.ties,
      auc: e.auc,
      threshold,
      perClassAccuracy: e.perClassAccuracy,
      balancedAccuracy: e.balancedAccuracy,
      ece: e.ece,
    };
    saveLightRouter(outPath, file);

    const b = balance.before;
    write(io.stdout, `trained ${model} on ${balance.after.n} of ${b.n} rows (${b.escalate} escalate / ${b.accept} accept${values["no-downsample"] ? ", no downsampling" : ", class-balanced downsampling"}); seed ${seed}`);
    write(io.stdout, `features: ${file.features.join(", ")}`);
    if (file.logistic) write(io.stdout, `weights (standardised): ${file.features.map((f, j) => `${f} ${fmt(file.logistic?.weights[j])}`).join(", ")}; bias ${fmt(file.logistic.bias)}`);
    write(io.stdout, `held-out: ${e.n} rows (${values.heldout !== undefined ? "--heldout" : `${split} of the problems`}), ρ 95% CI ${fmtCI(e.spearmanCI)}, ρ (Δ≠0) ${fmt(e.spearmanNonTies)}, per-class accuracy accept ${fmt(e.perClassAccuracy.accept)} / escalate ${fmt(e.perClassAccuracy.escalate)} at τ = ${threshold}`);
    write(io.stdout, `wrote ${outPath}`);
    write(io.stdout, `spearman: ${fmt(e.spearman, 4)}`);
    write(io.stdout, `auc: ${fmt(e.auc, 4)}`);
    return 0;
  },
};
