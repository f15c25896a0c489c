import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { WorkbenchError } from "../../../shared/errors.ts";
import { labelBalance } from "../../../shared/stats/index.ts";
import { commonRows, evaluation, scoreRows, type RouterEvaluation, type ScoredRows } from "../../router/evaluate.ts";
import { fmt, formatRouterTable, formatStepTable } from "../../router/format.ts";
import { progressReporter } from "../../router/progress.ts";
import { loadRouter } from "../../router/router-model.ts";
import { describeBadLines, readRouterRows, type RouterRow } from "../../router/router-rows.ts";
import type { Command } from "../command.ts";
import { write } from "../command.ts";
import { parseCommandArgs, parseNumberOption, requireOption } from "../parse-args.ts";

const usage = `usage: arbitrage router-eval --data FILE.jsonl --router PATH [--router PATH …] [--out DIR]
                            [--threshold T] [--seed N] [--resamples N] [--bins N] [--threads N]

Scores every held-out step of FILE (rows in the generate format, docs/router-data.md) with each
router and compares the score with the oracle advantage Δ = PRM(target step) − PRM(draft step).

  --router PATH    a router model folder (step_scorer convention "arbitrage-router") or a light
                   router .json file (arbitrage train-router); repeat to compare routers
  --out DIR        where router-eval.json and router-scores.jsonl go (default: .)
  --threshold T    τ for the per-class accuracies and the confusion matrix: escalate when
                   score >= τ (default 0.5)
  --seed N         seed of the bootstrap interval of ρ (default 0)
  --resamples N    bootstrap replicates (default 1000)
  --bins N         reliability bins on [0, 1] (default 10)
  --threads N      ONNX Runtime intra-op threads for ONNX routers

router-eval.json: { n, labelBalance, threshold, data, skippedLines, unscored, routers: [ { name, kind, spearman,
spearmanCI, spearmanNonTies, ties, pearson, auc, prAuc, perClassAccuracy: { accept, escalate },
balancedAccuracy, confusion, ece, reliability, breakdowns: { byLevel, bySubject, byStep }, meanMs } ] }.
Lines of FILE that do not fit the format are reported (line and reason) and skipped; a row longer
than a router's context window is reported and left out for every router, so all routers are
compared on the same rows.`;

/** Report names must tell routers apart: a repeated name gets "#2", "#3". */
function uniqueName(name: string, taken: Set<string>): string {
  let out = name;
  for (let k = 2; taken.has(out); k++) out = `${name}#${k}`;
  taken.add(out);
  return out;
}

export const routerEvalCommand: Command = {
  name: "router-eval",
  summary: "score held-out generate data with routers: Spearman ρ vs the oracle Δ, AUC, per-class accuracy, calibration",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        data: { type: "string" },
        router: { type: "string", multiple: true },
        out: { type: "string" },
        threshold: { type: "string" },
        seed: { type: "string" },
        resamples: { type: "string" },
        bins: { type: "string" },
        threads: { type: "string" },
      },
      usage,
    );
    const dataPath = resolve(io.cwd, requireOption(values.data, "--data", usage));
    const routerPaths = (values.router ?? []).map((p) => resolve(io.cwd, p));
    if (routerPaths.length === 0) throw new WorkbenchError("usage", `missing required option --router\n\n${usage}`);
    const outDir = resolve(io.cwd, values.out ?? ".");
    const threshold = parseNumberOption(values.threshold, "--threshold") ?? 0.5;
    const seed = parseNumberOption(values.seed, "--seed", { integer: true }) ?? 0;
    const resamples = parseNumberOption(values.resamples, "--resamples", { integer: true, min: 1 }) ?? 1000;
    const bins = parseNumberOption(values.bins, "--bins", { integer: true, min: 1 }) ?? 10;
    const threads = parseNumberOption(values.threads, "--threads", { integer: true, min: 1 });

    const data = readRouterRows(dataPath);
    if (data.bad.length > 0) {
      write(io.stderr, `${dataPath}: skipped ${data.bad.length} line(s) that do not fit the generate format:`);
      for (const l of describeBadLines(data.bad)) write(io.stderr, `  ${l}`);
    }
    if (data.rows.length === 0) throw new WorkbenchError("bad-dataset", `${dataPath} holds no usable router rows`);
    const rows = data.rows;

    // Score with each router in turn (one model in memory at a time), then compare them all on
    // the rows every router could score.
    const routers: { name: string; kind: "onnx" | "light"; path: string; scored: ScoredRows }[] = [];
    const taken = new Set<string>();
    for (const path of routerPaths) {
      const router = await loadRouter(path, threads === undefined ? {} : { intraOpThreads: threads });
      try {
        const name = uniqueName(router.name, taken);
        const progress = progressReporter(io.stderr, `scoring with ${name}`);
        const scored = await scoreRows(router, rows, { onProgress: progress.update, signal: io.signal });
        routers.push({ name, kind: router.kind, path, scored: { ...scored, unscored: scored.unscored.map((u) => ({ ...u, router: name })) } });
      } finally {
        await router.dispose();
      }
    }
    const unscored = routers.flatMap((r) => r.scored.unscored);
    if (unscored.length > 0) {
      write(io.stderr, `${unscored.length} row score(s) could not be computed (input longer than the router's context window); those rows are left out for every router:`);
      for (const u of unscored.slice(0, 20)) write(io.stderr, `  line ${u.line} (${u.router}): ${u.reason}`);
      if (unscored.length > 20) write(io.stderr, `  … and ${unscored.length - 20} more`);
    }
    const keep = commonRows(
      routers.map((r) => r.scored),
      rows.length,
    );
    if (keep.length === 0) throw new WorkbenchError("bad-dataset", `no row of ${dataPath} could be scored by every router`);
    const kept = keep.map((i) => rows[i] as RouterRow);
    const evals: RouterEvaluation[] = routers.map((r) => evaluation(r, rows, r.scored, { threshold, seed, resamples, bins }, keep));

    mkdirSync(outDir, { recursive: true });
    const report = {
      n: kept.length,
      labelBalance: labelBalance(kept.map((r) => r.label)),
      threshold,
      data: { file: dataPath, sha256: data.sha256, rows: rows.length },
      skippedLines: data.bad,
      unscored,
      routers: evals.map((e, i) => ({ ...e, path: routers[i]?.path })),
    };
    writeFileSync(join(outDir, "router-eval.json"), `${JSON.stringify(report, null, 2)}\n`);
    // Per-row scores: what the app plots (score vs Δ scatter) and what a reader re-checks; rows
    // left out of the comparison keep their scores (null where a router could not score them).
    const lines = rows.map((r, i) =>
      JSON.stringify({
        line: r.line,
        problem_id: r.problemId,
        step_index: r.stepIndex,
        level: r.level,
        delta: r.delta,
        label: r.label,
        scores: Object.fromEntries(routers.map((x) => [x.name, x.scored.scores[i] ?? null])),
      }),
    );
    writeFileSync(join(outDir, "router-scores.jsonl"), `${lines.join("\n")}\n`);

    const rowsNote = kept.length < rows.length ? ` (of ${rows.length}; ${rows.length - kept.length} too long for a router)` : "";
    const lb = report.labelBalance;
    write(
      io.stdout,
      `${kept.length} held-out steps${rowsNote} (${lb.escalate} escalate = ${fmt(lb.escalateShare)}, ${lb.accept} accept; ${evals[0]?.ties ?? 0} with Δ = 0); τ = ${threshold}`,
    );
    write(io.stdout, formatRouterTable(evals));
    const byStep = formatStepTable(evals);
    if (byStep) write(io.stdout, `\n${byStep}`);
    write(io.stdout, `\nwrote ${join(outDir, "router-eval.json")} and router-scores.jsonl`);
    return 0;
  },
};
