/**
 * Runs a sweep: every configuration (method × threshold) on every problem of a benchmark slice,
 * through one step cache, journaling each finished (configuration, problem) as it completes.
 *
 * Run folder:
 *   spec.json          the spec as given          run.json        resolved spec, models, provenance
 *   journal.jsonl      finished problem records   step-cache.jsonl the shared step cache
 *   calibration.json   measured call costs        summary.json, results.csv, steps.jsonl (run-outputs.ts)
 *   router-data.jsonl  `generate` rows (docs/router-data.md)
 *
 * Killed at any moment (kill -9 included) and restarted with `resume`, it loses no finished
 * problem and recomputes no cached step; its summary equals an uninterrupted run's.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { WorkbenchError, toErrorRecord, type ErrorRecord } from "../../shared/errors.ts";
import type { Configuration, ProblemRecord, SweepSummary } from "../../shared/results.ts";
import { summarizeSweep } from "../../shared/metrics/summarize.ts";
import { loadDataset, sliceDataset } from "../eval/datasets/index.ts";
import type { Problem } from "../eval/datasets/types.ts";
import { grade, GRADER_VERSION } from "../eval/grade/grade.ts";
import { forEachConcurrent } from "../backends/concurrency.ts";
import type { StepScoring, StepWriter } from "../backends/types.ts";
import { localLm, localScorer, modelIdentity, provenanceFiles } from "../backends/types.ts";
import { emptyCallLog, LiveOracle, type CallLog } from "../speculation/live-oracle.ts";
import { levelledByPaths } from "../speculation/path-level.ts";
import { fitLmCosts, fitScorerCosts } from "../speculation/live-cost-fit.ts";
import type { ModelSet } from "../speculation/model-set.ts";
import { disposeModelSet, loadModelSet, modelSetInfo, promptFor } from "../speculation/model-set.ts";
import type { LmCosts, ProbeSet, RunCalibration, ScorerCosts } from "../speculation/cost-calibration.ts";
import { lmProbes, measureProbeSets, ProbeRounds, scorerProbes, stepInterlude } from "../speculation/cost-calibration.ts";
import { checkCalibrationCovers } from "./calibration-file.ts";
import type { ReplayShared } from "../speculation/replay-oracle.ts";
import { ReplayOracle } from "../speculation/replay-oracle.ts";
import type { CacheEntry, CacheValue } from "../speculation/step-cache.ts";
import { StepCache } from "../speculation/step-cache.ts";
import type { GenerateRow } from "../speculation/step-loop.ts";
import { runStepLoop } from "../speculation/step-loop.ts";
import type { ProblemContext } from "../speculation/step-oracle.ts";
import type { ResolvedSpec } from "../speculation/sweep-spec.ts";
import { outputRelevantRef } from "../speculation/sweep-spec.ts";
import { openJournal } from "./journal.ts";
import { doneKey, journalRecords, type JournalEntry } from "./journal-records.ts";
import { acquireRunLock, readJson, writeJsonAtomic } from "./run-folder.ts";
import { countFailedProblems, type FailedProblems } from "./failed-problems.ts";
import { addProvenanceNotes, collectProvenance } from "./provenance.ts";
import { writeRunOutputs } from "./run-outputs.ts";

export { journalRecords, type JournalEntry } from "./journal-records.ts";

export interface SweepProgress {
  done: number;
  total: number;
  current: string;
}

export interface SweepRunOptions {
  outDir: string;
  resume?: boolean;
  /**
   * Run every configuration end to end with live timings, no step cache. The calibration probes run
   * in rounds between problems, and their costs — those of the same minutes as the measurements —
   * are written to the folder's calibration.json, for replaying a cached sweep with (`calibration`).
   */
  measure?: boolean;
  /**
   * Call costs to replay latencies with, instead of calibrating at the start (cached mode only): a
   * `--measure` run's calibration.json, or one from another machine. A resumed folder keeps its own.
   */
  calibration?: RunCalibration;
  /**
   * (configuration, problem) pairs run at once. Only when every model is served over HTTP (a local
   * ONNX model has one KV cache); default then: the largest total endpoint concurrency of a role.
   * Results do not depend on it (the step cache is shared), only the wall clock does.
   */
  parallel?: number;
  signal?: AbortSignal;
  /** The spec as the user wrote it (stored beside the resolved one). */
  specAsGiven?: unknown;
  /** Called once the slice and configurations are known (`done` > 0 when resuming). */
  onStart?: (info: { total: number; done: number; problems: number; configurations: number }) => void;
  /** The sweep measures (or warms up) its models before the first problem: the UI says so. */
  /** The calibrating phase began (no rounds yet), or `rounds.done` of about `rounds.total` calibration rounds ran. */
  onPhase?: (phase: "calibrating", rounds?: { done: number; total: number }) => void;
  onProgress?: (p: SweepProgress) => void;
  onLog?: (line: string) => void;
}

export interface SweepOutcome {
  outDir: string;
  summary: SweepSummary;
  records: ProblemRecord[];
  /**
   * False when the sweep was cancelled before finishing (the summary covers what was done), or
   * when pairs failed on a server and wait for a --resume (failed-problems.ts).
   */
  complete: boolean;
  /** Stopped by its signal before every pair ran. */
  cancelled: boolean;
  failed: FailedProblems;
}


/** The parts of a resolved spec that must match for a run folder to be resumed. */
function resumeIdentity(spec: ResolvedSpec): string {
  const { out: _out, models, ...spec0 } = spec;
  // Greedy steps do not depend on topP, topK or seed; folders made when the resolved spec pinned
  // them (1, 0, 0) resume under specs that leave them out.
  const { topP: _p, topK: _k, seed: _s, ...greedy } = spec0.decoding;
  const rest = spec0.decoding.temperature === 0 ? { ...spec0, decoding: greedy } : spec0;
  // Where remote models are served may change between runs (more servers, new addresses).
  const m = { draft: outputRelevantRef(models.draft), target: outputRelevantRef(models.target), prm: outputRelevantRef(models.prm), router: outputRelevantRef(models.router) };
  return JSON.stringify({ ...rest, models: m });
}

/** Pairs in flight at once: 1 with any local model; with all remote, the option or the largest role capacity. */
function parallelism(spec: ResolvedSpec, requested: number | undefined): number {
  const refs = [spec.models.draft, spec.models.target, spec.models.prm, spec.models.router].filter((r) => r !== null);
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new WorkbenchError("usage", `--parallel expects a whole number >= 1, found ${requested}`);
  }
  if (!refs.every((r) => r.http !== undefined)) {
    if (requested !== undefined && requested > 1) {
      throw new WorkbenchError("usage", `--parallel ${requested} needs every model served over HTTP; a local ONNX model runs one problem at a time`);
    }
    return 1;
  }
  return requested ?? Math.max(...refs.map((r) => (r.http?.endpoints ?? []).reduce((a, e) => a + e.concurrency, 0)));
}

export async function runSweep(spec: ResolvedSpec, opts: SweepRunOptions): Promise<SweepOutcome> {
  const out = opts.outDir;
  const log = opts.onLog ?? (() => {});
  if (opts.measure && opts.calibration) {
    throw new WorkbenchError("usage", "a given calibration prices a cached sweep's replay; a --measure run times its calls live (and writes its own calibration.json)");
  }
  mkdirSync(out, { recursive: true });
  const journalPath = join(out, "journal.jsonl");
  if (existsSync(journalPath) && !opts.resume) {
    throw new WorkbenchError("usage", `the run folder ${out} already holds results (journal.jsonl); pass --resume to continue that sweep, or choose another --out`);
  }
  const runJsonPath = join(out, "run.json");
  if (opts.resume && existsSync(runJsonPath)) {
    const prev = await readJson<{ resolved: ResolvedSpec; mode: string }>(runJsonPath);
    if (resumeIdentity(prev.resolved) !== resumeIdentity(spec)) {
      throw new WorkbenchError("bad-spec", `cannot resume ${out}: the spec differs from the one this run folder was started with (see ${runJsonPath}); use another --out for a different sweep`);
    }
    const mode = opts.measure ? "measure" : "cached";
    if (prev.mode !== mode) throw new WorkbenchError("usage", `cannot resume ${out} in ${mode} mode: it was started in ${prev.mode} mode`);
  }
  const lock = await acquireRunLock(out);
  if (lock.tookOver) log(lock.tookOver.note);
  let models: ModelSet | null = null;
  try {
    const loaded = await loadDataset(spec.dataset.path, {
      ...(spec.dataset.format ? { format: spec.dataset.format } : {}),
      ...(spec.dataset.mapping ? { mapping: spec.dataset.mapping } : {}),
    });
    const dataset = sliceDataset(loaded, spec.dataset.slice);
    if (dataset.count === 0) throw new WorkbenchError("bad-dataset", `${spec.dataset.path}: the slice selects no problems`);
    if (loaded.errors.length > 0) log(`dataset: ${loaded.errors.length} unreadable line(s) skipped (first: line ${loaded.errors[0]?.line}: ${loaded.errors[0]?.reason})`);

    models = await loadModelSet(spec.models);
    for (const [role, info] of Object.entries(modelSetInfo(models))) {
      if (info && "providerFallback" in info && info.providerFallback) log(`${role}: ${info.providerFallback}`);
    }
    // What the spec leaves out (topP, topK, seed) each model fills from its generation_config.json.
    const { temperature, topP, topK, seed } = spec.decoding;
    const decodingSettings = { temperature, ...(topP !== undefined ? { topP } : {}), ...(topK !== undefined ? { topK } : {}), ...(seed !== undefined ? { seed } : {}) };
    const resolvedDecoding = { draft: models.draft.resolveDecoding(decodingSettings), target: models.target.resolveDecoding(decodingSettings) };
    const mode = opts.measure ? "measure" : "cached";

    if (!existsSync(runJsonPath)) {
      const modelFiles: Record<string, string | string[]> = { draft: provenanceFiles(models.draft), target: provenanceFiles(models.target) };
      if (models.prm) modelFiles["prm"] = provenanceFiles(models.prm);
      if (models.router) modelFiles["router"] = provenanceFiles(models.router);
      await writeJsonAtomic(join(out, "spec.json"), opts.specAsGiven ?? null);
      await writeJsonAtomic(runJsonPath, {
        mode,
        resolved: spec,
        decoding: resolvedDecoding,
        models: modelSetInfo(models),
        dataset: { path: dataset.path, sha256: dataset.sha256, format: dataset.format, mapping: dataset.mapping, count: dataset.count, slice: spec.dataset.slice },
        provenance: await collectProvenance({ datasetPath: dataset.path, modelFiles, graderVersion: GRADER_VERSION }),
        started: new Date().toISOString(),
      });
    }

    const lms = models;
    const prompts = new Map<string, { draft: string; target: string }>();
    const promptOf = (p: Problem) => {
      let v = prompts.get(p.id);
      if (!v) {
        v = { draft: promptFor(lms.draft, spec.prompt.draft, p.question), target: promptFor(lms.target, spec.prompt.target, p.question) };
        prompts.set(p.id, v);
      }
      return v;
    };

    // What each model call costs on this machine (cost-calibration.ts): the probes of every local
    // model, and how to read their costs back. The probes also warm the models up over the range of
    // shapes a run meets, which a --measure run needs as much as a cached one: a cold engine pays
    // for first-use allocations per shape.
    const calibrationProbes = async () => {
      const first = dataset.problems[0] as Problem;
      const sample = (lm: StepWriter, prompt: string) => lm.encode(prompt + first.question + "\n\n" + first.answer);
      const maxLen = (lm: StepWriter, prompt: string) => lm.encode(prompt).length + Math.min(spec.decoding.maxTotalTokens, 1024);
      const pd = promptOf(first).draft;
      const pt = promptOf(first).target;
      const scorerMax = Math.max(maxLen(lms.draft, pd), maxLen(lms.target, pt));
      // Remote models are not calibrated: their calls are priced by measured time (replay-oracle.ts).
      // The local models' probes run interleaved, as a run alternates between them.
      const sets: ProbeSet<unknown>[] = [];
      const slot = (set: ProbeSet<unknown> | null): number => (set ? sets.push(set) - 1 : -1);
      // An after-another decode probe starts after what a run calls in between: the other local
      // language model's step, then a local scorer's call on it (stepInterlude).
      const localScorers = [lms.prm, lms.router].map((sc) => (sc ? localScorer(sc) : null)).filter((sc) => sc !== null);
      const lmSet = async (lm: StepWriter, prompt: string, other: StepWriter, otherPrompt: string) => {
        const local = localLm(lm);
        const otherLocal = localLm(other);
        const interlude = stepInterlude(
          otherLocal ? { lm: otherLocal, sampleIds: sample(other, otherPrompt), maxLength: maxLen(other, otherPrompt) } : null,
          localScorers,
          first.question,
          spec.decoding.stop,
        );
        return local ? lmProbes(local, sample(lm, prompt), maxLen(lm, prompt), spec.decoding.stop, interlude) : null;
      };
      const scorerSet = async (sc: StepScoring | null) => {
        const local = sc ? localScorer(sc) : null;
        return local ? scorerProbes(local, first.question, scorerMax) : null;
      };
      const at = {
        draft: slot(await lmSet(lms.draft, pd, lms.target, pt)),
        target: slot(await lmSet(lms.target, pt, lms.draft, pd)),
        prm: slot(await scorerSet(lms.prm)),
        router: slot(await scorerSet(lms.router)),
      };
      const assemble = (costs: unknown[]): RunCalibration => {
        const pick = <T>(i: number): T | null => (i >= 0 ? (costs[i] as T) : null);
        return { draft: pick<LmCosts>(at.draft), target: pick<LmCosts>(at.target), prm: pick<ScorerCosts>(at.prm), router: pick<ScorerCosts>(at.router) };
      };
      return { sets, assemble };
    };
    const localRoles = {
      draft: localLm(lms.draft) !== null,
      target: localLm(lms.target) !== null,
      prm: lms.prm !== null && localScorer(lms.prm) !== null,
      router: lms.router !== null && localScorer(lms.router) !== null,
    };
    const anyLocal = Object.values(localRoles).some(Boolean);

    // A measured run's calls, shapes and times: its calibration.json is fitted from them (live-cost-fit.ts).
    const callLog = opts.measure ? emptyCallLog() : null;
    // Step cache and prefill calibration (cached mode only).
    let shared: ReplayShared | null = null;
    // A fresh cached sweep computes every step first, then prices the paths with costs fitted from those calls.
    let fitCosts = false;
    // Measured mode: calibration rounds spread over the run (one before each problem).
    let probeRounds: { rounds: ProbeRounds; assemble: (costs: unknown[]) => RunCalibration } | null = null;
    let cacheJournal: Awaited<ReturnType<typeof openJournal<CacheEntry>>> | null = null;
    if (!opts.measure) {
      cacheJournal = await openJournal<CacheEntry>(join(out, "step-cache.jsonl"), { fsyncEveryRecords: 256, fsyncEveryMs: 2000 });
      if (cacheJournal.recovered) log(`step cache: ${cacheJournal.recovered.message}`);
      const cj = cacheJournal;
      const cache = new StepCache(cj.records, (e) => void cj.append(e));
      const calPath = join(out, "calibration.json");
      let calibration: RunCalibration;
      if (existsSync(calPath)) {
        calibration = await readJson<RunCalibration>(calPath);
        if (opts.calibration) log(`resuming: replaying with this folder's own calibration.json, not the one given`);
      } else if (opts.calibration) {
        checkCalibrationCovers(opts.calibration, localRoles, "the given calibration");
        calibration = opts.calibration;
        await writeJsonAtomic(calPath, calibration);
        // The models are still warmed up, so the steps this run computes are timed warm.
        if (anyLocal) await new ProbeRounds((await calibrationProbes()).sets).warmUp();
      } else {
        if (anyLocal) {
          opts.onPhase?.("calibrating");
          log("calibrating model costs (used to replay each configuration's latency)…");
        }
        // The probes warm the models up and price what the run's own calls cannot (a model with
        // too few of them); the costs are fitted from those calls once every step is computed
        // (fitCosts below). A folder killed before that has its probes' costs already.
        const probesPath = join(out, "calibration-probes.json");
        if (existsSync(probesPath)) {
          calibration = await readJson<RunCalibration>(probesPath);
          if (anyLocal) await new ProbeRounds((await calibrationProbes()).sets).warmUp();
        } else {
          const { sets, assemble } = await calibrationProbes();
          calibration = assemble(await measureProbeSets(sets, 5, anyLocal ? (done, total) => opts.onPhase?.("calibrating", { done, total }) : undefined));
          await writeJsonAtomic(probesPath, calibration);
        }
        fitCosts = anyLocal;
        if (!anyLocal) await writeJsonAtomic(calPath, calibration);
      }
      const ns = (role: string, extra: unknown) => JSON.stringify({ role, ...(extra as object) });
      shared = {
        models,
        cache,
        calibration,
        namespaces: {
          // A local model by its ONNX file; a remote one by its served name and tokenizer, not its servers.
          draft: ns("draft", { ...modelIdentity(models.draft), decoding: resolvedDecoding.draft, stop: spec.decoding.stop, maxStepTokens: spec.decoding.maxStepTokens }),
          target: ns("target", { ...modelIdentity(models.target), decoding: resolvedDecoding.target, stop: spec.decoding.stop, maxStepTokens: spec.decoding.maxStepTokens }),
          prm: ns("prm", models.prm ? modelIdentity(models.prm) : { onnx: null }),
          router: ns("router", models.router ? modelIdentity(models.router) : { onnx: null }),
        },
        stats: { lmCalls: 0, lmComputed: 0, scoreCalls: 0, scoreComputed: 0 },
      };
    } else if (anyLocal) {
      // Measured runs time every call live: warm the engine up over the same probes first, so the
      // first configurations do not pay the process's first-use costs the later ones don't.
      opts.onPhase?.("calibrating");
      log("warming the models up (the calibration probes, untimed)…");
      const { sets, assemble } = await calibrationProbes();
      probeRounds = { rounds: new ProbeRounds(sets), assemble };
      await probeRounds.rounds.warmUp();
    }

    // One untimed step per local model, so no timing carries the process's warm-up costs. Measured
    // runs take one after each calibration round too: the round's large probes leave the CPU caches
    // holding other data, which the configuration after it (always the same one) would pay for.
    const untimedStep = async (problem: Problem): Promise<void> => {
      for (const role of ["draft", "target"] as const) {
        if (!localLm(lms[role])) continue; // a server warms itself up
        try {
          await lms[role].generateStep({ context: promptOf(problem)[role], stop: spec.decoding.stop, maxTokens: 16, decoding: decodingSettings });
        } catch {
          // A problem that fails here fails again in the loop, where it is recorded.
        }
        lms[role].reset();
      }
    };
    await untimedStep(dataset.problems[0] as Problem);

    const journal = await openJournal<JournalEntry>(journalPath, { fsyncEveryRecords: 1 });
    if (journal.recovered) log(`journal: ${journal.recovered.message}`);
    const { entries, retrying } = journalRecords(journal.records, Boolean(opts.resume));
    const done = new Set(entries.map((e) => doneKey(e.record.config.id, e.record.problemId)));
    const total = dataset.count * spec.configurations.length;
    if (done.size > 0) log(`resuming: ${done.size} of ${total} (configuration, problem) pairs already done`);
    if (retrying > 0) log(`resuming: ${retrying} pair(s) that failed on a server error are run again`);
    const parallel = parallelism(spec, opts.parallel);
    if (parallel > 1) log(`running ${parallel} (configuration, problem) pairs at once (every model is served over HTTP)`);
    opts.onStart?.({ total, done: done.size, problems: dataset.count, configurations: spec.configurations.length });
    let completed = done.size;
    const reported = new Set<string>();
    let cancelled = false;
    const dataName = dataset.format;

    const pending: { problem: Problem; config: Configuration }[] = [];
    for (const problem of dataset.problems) {
      for (const config of spec.configurations) if (!done.has(doneKey(config.id, problem.id))) pending.push({ problem, config });
    }
    // In list order, `parallel` at a time (1 with a local model: exactly the order of a plain loop).
    let lastProblem: string | null = null;
    const problemContext = (problem: Problem, signal = opts.signal): ProblemContext => ({
      question: problem.question,
      prompts: promptOf(problem),
      delimiter: spec.decoding.stop[0] as string,
      stop: spec.decoding.stop,
      maxStepTokens: spec.decoding.maxStepTokens,
      decoding: decodingSettings,
      ...(signal ? { signal } : {}),
    });
    // `fromCache`: every step of the pair is in the step cache (the computing pass ran it), so it
    // replays in moments and is recorded even after a cancel: what was computed is written.
    const runPair = async ({ problem, config }: { problem: Problem; config: Configuration }, fromCache = false): Promise<void> => {
      const signal = fromCache ? undefined : opts.signal;
      if (signal?.aborted) {
        cancelled = true;
        return;
      }
      if (probeRounds && problem.id !== lastProblem) {
        await probeRounds.rounds.round(); // untimed, between problems
        await untimedStep(problem);
      }
      lastProblem = problem.id;
      // After the computing pass (fitCosts) the progress was told there; this pass replays from the cache in seconds.
      if (!fitCosts) opts.onProgress?.({ done: completed, total, current: `${config.id} · ${problem.id}` });
      const context = problemContext(problem, signal);
      let entry: JournalEntry;
      try {
        if (opts.measure) {
          // Each configuration runs on its own: no KV or scorer prefix cache left by the one before
          // (the replay starts every path empty too; a PRM still holding the previous configuration's
          // question would spare the next one's first call the question's prefill).
          lms.draft.reset();
          lms.target.reset();
          for (const s of [lms.prm, lms.router]) if (s) localScorer(s)?.reset();
        }
        const oracle = shared ? new ReplayOracle(shared, context) : new LiveOracle(lms, context, callLog);
        const res = await runStepLoop(config, oracle, { maxSteps: spec.decoding.maxSteps, maxTotalTokens: spec.decoding.maxTotalTokens }, context.delimiter, signal);
        const graded = {
          qwen: grade({ predText: res.completion, gt: problem.answer, gtIsParsed: true, dataName, grader: "qwen" }),
          strict: grade({ predText: res.completion, gt: problem.answerSource, dataName, grader: "strict" }),
        };
        entry = {
          record: {
            ...problemIdentity(config, problem),
            steps: res.steps,
            completion: res.completion,
            extracted: graded.qwen.extracted,
            correct: graded.qwen.correct,
            correctStrict: graded.strict.correct,
            stopReason: res.stopReason,
            tokens: res.tokens,
            latencyMs: res.latencyMs,
            harnessMs: res.harnessMs,
          },
          ...(res.rows.length > 0 ? { rows: res.rows } : {}),
        };
      } catch (err) {
        if (err instanceof WorkbenchError && err.kind === "cancelled") {
          cancelled = true;
          return;
        }
        const error = toErrorRecord(err);
        // The same failure usually repeats for every configuration of a problem: say it once.
        const said = `${problem.id}\u0000${error.message}`;
        if (!reported.has(said)) {
          reported.add(said);
          log(`${problem.id}: ${error.kind}: ${error.message} (recorded as an error; the sweep goes on)`);
        }
        entry = { record: failedRecord(config, problem, error) };
      }
      await journal.append(entry);
      entries.push(entry);
      done.add(doneKey(config.id, problem.id));
      completed++;
      if (!fitCosts) opts.onProgress?.({ done: completed, total, current: `${config.id} · ${problem.id}` });
    };
    if (fitCosts && shared) {
      // Every step computed once, each computation's shapes and times kept in the step cache; the
      // costs the replay prices with are fitted from them (live-cost-fit.ts), so a path is priced by
      // what the run's own calls cost, not by probes (which cost otherwise: docs/sweeps.md).
      const s = shared;
      log("computing every step (the replay's costs are fitted to these calls; the records follow)…");
      const ran: typeof pending = [];
      await forEachConcurrent(
        pending,
        parallel,
        async (pair) => {
          if (opts.signal?.aborted) return;
          const context = problemContext(pair.problem);
          lastProblem = pair.problem.id;
          opts.onProgress?.({ done: done.size + ran.length, total, current: `${pair.config.id} · ${pair.problem.id}` });
          try {
            await runStepLoop(pair.config, new ReplayOracle(s, context), { maxSteps: spec.decoding.maxSteps, maxTotalTokens: spec.decoding.maxTotalTokens }, context.delimiter, opts.signal);
          } catch (err) {
            if (err instanceof WorkbenchError && err.kind === "cancelled") return;
            // Any other failure is recorded when the pair runs again for the journal, below.
          }
          ran.push(pair);
        },
        () => Boolean(opts.signal?.aborted),
      );
      lastProblem = null;
      // Fitted to what was computed (all of it, unless cancelled: a resume keeps these costs).
      s.calibration = fittedCalibration(s.calibration, callLogOf(s.cache.values()));
      await writeJsonAtomic(join(out, "calibration.json"), s.calibration);
      if (opts.signal?.aborted) cancelled = true;
      const computed = new Set(ran);
      await forEachConcurrent(
        pending.filter((p) => computed.has(p)),
        parallel,
        (p) => runPair(p, true),
        () => false,
      );
      opts.onProgress?.({ done: completed, total, current: "" });
    } else {
      await forEachConcurrent(pending, parallel, (p) => runPair(p), () => cancelled || Boolean(opts.signal?.aborted));
    }
    await journal.close();
    if (probeRounds && probeRounds.rounds.rounds > 0) {
      if (!cancelled) await probeRounds.rounds.round(); // the last problem's costs are bracketed too
      // The costs the replay prices with are fitted from the run's own calls (a probe call does not
      // cost what the same call costs in a run: docs/sweeps.md); a model with too few calls keeps its
      // probes' costs. The probes' costs are kept beside them, for comparison.
      const probed = probeRounds.assemble(probeRounds.rounds.results());
      await writeJsonAtomic(join(out, "calibration-probes.json"), probed);
      await writeJsonAtomic(join(out, "calibration.json"), fittedCalibration(probed, callLog ?? emptyCallLog()));
    }
    await cacheJournal?.close();
    // What the served scorers learned on the way (their vLLM version; values that look already activated).
    const notes = (["prm", "router"] as const).flatMap((role) => (lms[role]?.runNotes?.() ?? []).map((n) => ({ role, ...n })));
    for (const n of await addProvenanceNotes(runJsonPath, notes)) log(`${n.role}: ${n.level === "warning" ? "warning: " : ""}${n.message} (recorded in run.json provenance.notes)`);

    const records = entries.map((e) => e.record);
    const stepsNaive = naiveSteps(records);
    const cache = { stepsComputed: shared ? shared.cache.lmSteps() : stepsNaive, stepsNaive };
    const summary = summarizeSweep(spec.configurations, records, cache);
    const failed = countFailedProblems(records, dataset.count);
    const complete = !cancelled && completed === total && failed.pairs === 0;
    await writeRunOutputs(out, spec, summary, entries, { complete, errors: failed.byKind }, new Map(dataset.problems.map((p) => [p.id, p.question])));
    return { outDir: out, summary, records, complete, cancelled: cancelled || completed < total, failed };
  } finally {
    if (models) await disposeModelSet(models);
    await lock.release();
  }
}

function problemIdentity(config: Configuration, problem: Problem) {
  return { config, problemId: problem.id, level: problem.level ?? null, subject: problem.subject ?? null };
}

/** A problem that failed: recorded, counted as wrong, and the sweep goes on. */
function failedRecord(config: Configuration, problem: Problem, error: ErrorRecord): ProblemRecord {
  return {
    ...problemIdentity(config, problem),
    steps: [],
    completion: "",
    extracted: "",
    correct: false,
    correctStrict: false,
    stopReason: "error",
    tokens: { draftAccepted: 0, draftDiscarded: 0, target: 0 },
    latencyMs: { draft: 0, target: 0, prm: 0, router: 0, overhead: 0, total: 0 },
    harnessMs: 0,
    error,
  };
}

/** Steps a naive sweep would generate: every configuration run on its own, both models' calls counted. */
function naiveSteps(records: ProblemRecord[]): number {
  let n = 0;
  for (const r of records) {
    for (const s of r.steps) {
      if (s.draftText !== null) n++;
      if (s.targetText !== null) n++;
    }
  }
  return n;
}

export type { Configuration };

/** The local models' computations a cached sweep kept in its step cache, as samples for the cost fit. */
function callLogOf(values: Iterable<CacheValue>): CallLog {
  const log = emptyCallLog();
  for (const v of values) {
    if (v.kind === "lm" && v.call) {
      const { role, chars, length, afterSelf, afterScorer, atStart } = v.call;
      log[role].push({ chars, length, afterSelf, afterScorer: afterScorer ?? false, atStart: atStart ?? false, k: v.prefillTokens, fed: v.fed, tokenizeMs: v.tokenizeMs, prefillMs: v.prefillMs, decodeMs: v.decodeMs });
    } else if (v.kind === "score" && v.call) {
      log[v.call.role].push({ tokens: v.tokens, reused: v.call.reused, ms: v.ms });
    }
  }
  return log;
}

/** Each local model's costs fitted from a run's calls, where it made enough of them; else as probed. */
function fittedCalibration(probed: RunCalibration, log: ReturnType<typeof emptyCallLog>): RunCalibration {
  const lm = (c: LmCosts | null, calls: typeof log.draft) => (c ? (fitLmCosts(c.model, calls) ?? c) : null);
  const sc = (c: ScorerCosts | null, calls: typeof log.prm) => (c ? (fitScorerCosts(c.model, calls) ?? c) : null);
  const fitted = { draft: lm(probed.draft, log.draft), target: lm(probed.target, log.target), prm: sc(probed.prm, log.prm), router: sc(probed.router, log.router) };
  // A measured run's calls carry their path: the costs' level is set by the paths (path-level.ts).
  return levelledByPaths(fitted, log);
}
