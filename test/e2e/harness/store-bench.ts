/**
 * In-browser harness (bundled by test/e2e/store-import.test.ts): imports a synthetic run of many
 * step records into the real IndexedDB through the renderer's store code, then aggregates it in the
 * Web Worker, while watching the UI thread: the longest gap between animation frames and the long
 * tasks the browser reports. The result goes to window.__bench.
 */
import { aggregateOffThread } from "../../../renderer/app/importer.ts";
import { importRun, type RunPageInput } from "../../../renderer/store/import-run.ts";
import { countSteps } from "../../../renderer/store/queries.ts";
import { openWorkbenchDb } from "../../../renderer/store/schema.ts";
import type { ProblemRecord, StepRecord } from "../../../shared/results.ts";

interface BenchResult {
  steps: number;
  importMs: number;
  aggregateMs: number;
  maxFrameGapMs: number;
  longTasks: number;
  longestTaskMs: number;
  stored: number;
  summaryConfigs: number;
  progressEvents: number;
  error?: string;
}

declare global {
  interface Window {
    __bench?: BenchResult;
  }
}

const CONFIGS = ["arbitrage@0", "arbitrage@0.25", "arbitrage@0.5", "arbitrage@0.75", "arbitrage@1"];
const STEPS_PER_PROBLEM = 10;
const PAGE = 2000;

function step(i: number, p: number): StepRecord {
  const escalate = (i + p) % 3 === 0;
  return {
    index: i,
    source: escalate ? "target" : "draft",
    text: `Step ${i} of problem ${p}: 12 + ${i} = ${12 + i}.`,
    draftText: `Step ${i} of problem ${p}: draft.`,
    targetText: escalate ? `Step ${i} of problem ${p}: 12 + ${i} = ${12 + i}.` : null,
    decision: escalate ? "escalate" : "accept",
    tokens: { draftAccepted: escalate ? 0 : 14, draftDiscarded: escalate ? 12 : 0, target: escalate ? 15 : 0 },
    prmDraft: null,
    prmTarget: null,
    router: ((i * 7 + p) % 100) / 100,
    delta: null,
    ms: { draft: 3.1, target: escalate ? 9.7 : 0, prm: 0, router: 0.8, overhead: 0.2 },
    stop: "stop",
  };
}

function record(config: string, p: number): ProblemRecord {
  const steps = Array.from({ length: STEPS_PER_PROBLEM }, (_, i) => step(i, p));
  const sum = (k: keyof StepRecord["ms"]) => steps.reduce((a, s) => a + s.ms[k], 0);
  const latency = { draft: sum("draft"), target: sum("target"), prm: 0, router: sum("router"), overhead: sum("overhead") };
  return {
    config: { id: config, method: "arbitrage", threshold: Number(config.split("@")[1]) },
    problemId: `p-${String(p).padStart(6, "0")}`,
    level: (p % 5) + 1,
    subject: "Arithmetic",
    steps,
    completion: steps.map((s) => s.text).join("\n\n"),
    extracted: String(p % 10),
    correct: p % 2 === 0,
    correctStrict: p % 2 === 0,
    stopReason: "eos",
    tokens: {
      draftAccepted: steps.reduce((a, s) => a + s.tokens.draftAccepted, 0),
      draftDiscarded: steps.reduce((a, s) => a + s.tokens.draftDiscarded, 0),
      target: steps.reduce((a, s) => a + s.tokens.target, 0),
    },
    latencyMs: { ...latency, total: latency.draft + latency.target + latency.router + latency.overhead },
    harnessMs: 0,
  };
}

async function run(totalSteps: number): Promise<BenchResult> {
  const problems = Math.ceil(totalSteps / STEPS_PER_PROBLEM / CONFIGS.length);
  const total = problems * CONFIGS.length;
  const meta = { started: new Date().toISOString(), resolved: { name: "synthetic", configurations: CONFIGS.map((id) => ({ id, method: "arbitrage", threshold: Number(id.split("@")[1]) })) } };
  // Pages are made when asked for, as runs.load would serve them.
  const load = async (offset: number): Promise<RunPageInput> => {
    const records: ProblemRecord[] = [];
    for (let k = offset; k < Math.min(total, offset + PAGE); k++) records.push(record(CONFIGS[k % CONFIGS.length] as string, Math.floor(k / CONFIGS.length)));
    const next = offset + records.length;
    return { dir: "/bench/synthetic", run: meta, summary: null, records, offset, total, nextOffset: next < total ? next : null, skipped: [] };
  };

  let maxGap = 0;
  let last = performance.now();
  let watching = true;
  const frame = (t: number) => {
    maxGap = Math.max(maxGap, t - last);
    last = t;
    if (watching) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration)));
  observer.observe({ type: "longtask", buffered: false });

  const db = openWorkbenchDb("bench");
  await db.delete();
  await db.open();
  let progressEvents = 0;
  const t0 = performance.now();
  const chunk = Number(new URL(location.href).searchParams.get("chunk") ?? "0");
  await importRun(db, load, { onProgress: () => progressEvents++, ...(chunk > 0 ? { chunkSize: chunk } : {}) });
  const importMs = performance.now() - t0;
  const t1 = performance.now();
  await aggregateOffThread(db, "/bench/synthetic");
  const aggregateMs = performance.now() - t1;
  watching = false;
  observer.disconnect();
  const row = await db.runs.get("/bench/synthetic");
  const stored = await countSteps(db, "/bench/synthetic");
  db.close();
  return {
    steps: problems * CONFIGS.length * STEPS_PER_PROBLEM,
    importMs,
    aggregateMs,
    maxFrameGapMs: maxGap,
    longTasks: tasks.length,
    longestTaskMs: Math.max(0, ...tasks),
    stored,
    summaryConfigs: row?.summary?.runs.length ?? 0,
    progressEvents,
  };
}

const steps = Number(new URL(location.href).searchParams.get("steps") ?? "100000");
run(steps).then(
  (r) => (window.__bench = r),
  (err: unknown) => (window.__bench = { error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) } as BenchResult),
);
