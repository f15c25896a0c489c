/**
 * npm run bench:app — opening a large run in the app, as a user does: headless Chromium against
 * `arbitrage serve`, the run folder typed into the Runs screen and opened.
 *
 * Builds a run of BENCH_APP_STEPS step records (default 500,000: the fixture sweep's real journal
 * repeated under new problem ids, test/helpers/large-run.ts), then measures from the click:
 *   import_records_s      every record stored in the browser's IndexedDB
 *   import_first_plot_s   the accuracy–latency plot drawn with its points (from summary.json)
 *   import_total_s        stored and the router analysis computed (the page's import state gone)
 *   load_average_1m       the machine's 1-minute load average, sampled every second click to end
 *                         (mean; the max beside it), and `cores`: above the core count the page
 *                         waits for a core, and wall-clock figures measure the machine
 *   longest_task_cpu_ms   the most CPU time one task of the page's main thread took, click to end
 *                         (a Chromium trace's thread time: what the app's code costs, whatever else
 *                         the machine runs; a freeze on a busy machine is this stretched by waiting)
 *   longest_gap_cpu_ms    the most main-thread CPU time inside any one frame gap over 100 ms: about
 *                         how long that gap would have been with a core to itself. A long gap with
 *                         little CPU in it is a starved process, not a frozen UI
 *   longest_frame_gap_ms  the longest time the page went without an animation frame, click to end
 *                         (what a user sees as a freeze), with the count of gaps over 100 ms.
 * Before the figures it lists every main-thread task over 50 ms (wall or CPU) with what ran in it
 * (the trace's events inside it, summed by name, script functions by name and place), every frame
 * gap over 100 ms with the CPU time inside it, and every animation frame over 100 ms (Long Animation
 * Frames API: when, how long, the scripts that ran longest in it). With BENCH_APP_PROFILE=1 it adds
 * a sampling CPU profile: the page's heaviest functions by self time, and under each long task the
 * functions sampled in it (build with minify: false for readable names; sampled time includes time
 * the thread waited for a core).
 * A shared machine's timings are noisy: run it more than once before reading much into one figure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../test/helpers/chromium.ts";
import { writeLargeRun } from "../test/helpers/large-run.ts";
import { ensureRendererBuilt, startServe } from "../test/helpers/serve.ts";

const STEPS = Number(process.env.BENCH_APP_STEPS ?? 500_000);
const TIMEOUT_MS = Number(process.env.BENCH_APP_TIMEOUT_S ?? 1800) * 1000;
/** A folder for screenshots at the first plot and at the end (optional). */
const SHOTS = process.env.BENCH_APP_SHOTS;
const PROFILE = process.env.BENCH_APP_PROFILE === "1";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const frameKey = (f: CpuProfile["nodes"][number]["callFrame"]) => `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;

/**
 * The profile's samples between two times (µs, the trace's clock): the functions they were in,
 * counted once per sample whatever the depth (time inside a function and its callees), heaviest
 * first, the engine's own entries left out.
 */
function profileWindow(profile: CpuProfile, from: number, to: number): string {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const node = new Map(profile.nodes.map((n) => [n.id, n]));
  const inside = new Map<string, number>();
  const self = new Map<string, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t > to) return;
    const own = frameKey(node.get(id)!.callFrame);
    self.set(own, (self.get(own) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = node.get(at)!.callFrame;
      if (f.url === "" && !f.functionName.startsWith("(garbage")) continue;
      seen.add(frameKey(f));
    }
    for (const k of seen) inside.set(k, (inside.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${ms.toFixed(0)} ${k}`).join(" | ");
  return inside.size === 0 ? "" : `${top(inside, 12)}\n      self: ${top(self, 8)}`;
}

/** The page's heaviest functions by self time (and by time including callees, for the app's own). */
function printProfile(profile: CpuProfile): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byName = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = frameKey(f);
    byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const top = [...byName].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(program)")).sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log("page main thread, self time (ms):");
  for (const [k, ms] of top) console.log(`  ${ms.toFixed(0).padStart(7)}  ${k}`);
}

/** A complete trace event (Chromium's trace format: µs). */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string } };
}

/** A main-thread task over this many ms (wall or CPU) is broken down by what ran in it. */
const TASK_DETAIL_MS = 50;

/** What ran inside one task: its nested trace events summed by name (a script function by name and place), longest first. */
function taskBreakdown(task: TraceEvent, events: TraceEvent[]): string {
  const end = task.ts + (task.dur ?? 0);
  const by = new Map<string, number>();
  for (const e of events) {
    if (e === task || e.ph !== "X" || e.pid !== task.pid || e.tid !== task.tid || e.ts < task.ts || e.ts + (e.dur ?? 0) > end) continue;
    if (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask") continue;
    const d = e.args?.data;
    const what =
      e.name === "FunctionCall" && d
        ? `${d.functionName || "(anonymous)"} ${(d.url ?? "").split("/").pop()}:${(d.lineNumber ?? 0) + 1}`
        : e.name === "EventDispatch" && d?.type
          ? `EventDispatch ${d.type}`
          : e.name;
    by.set(what, (by.get(what) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, ms]) => `${ms.toFixed(0)} ms ${k}`).join("; ");
}

/**
 * The page's main-thread tasks (RunTask; ThreadControllerImpl::RunTask in newer Chromium) from a trace: the longest by wall time and by CPU time.
 * The page's main thread is the renderer main thread ("CrRendererMain") that ran the most tasks
 * (a trace can hold other renderers' threads).
 */
function mainThreadTasks(events: TraceEvent[]): { all: TraceEvent[]; count: number; longestWall: TraceEvent | null; longestCpu: TraceEvent | null; long: TraceEvent[] } {
  const mains = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === "X" && (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask") && mains.has(key)) {
      const list = byThread.get(key) ?? [];
      list.push(e);
      byThread.set(key, list);
    }
  }
  const tasks = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const by = (k: "dur" | "tdur") => tasks.reduce<TraceEvent | null>((a, e) => ((e[k] ?? 0) > (a?.[k] ?? -1) ? e : a), null);
  const long = tasks.filter((e) => Math.max(e.dur ?? 0, e.tdur ?? 0) > TASK_DETAIL_MS * 1000);
  return { all: tasks, count: tasks.length, longestWall: by("dur"), longestCpu: by("tdur"), long };
}

/**
 * The main thread's CPU time (µs) between two trace times: each task's thread time in the share of
 * its wall time that falls between them. Inside a frame gap, about what the gap would have lasted
 * had the page had a core to itself: a gap with little CPU in it is the process waiting for a core
 * (a starved process), one full of CPU is the page's own code (a frozen UI).
 */
function cpuBetween(tasks: readonly TraceEvent[], from: number, to: number): number {
  let us = 0;
  for (const t of tasks) {
    const end = t.ts + (t.dur ?? 0);
    if (end <= from || t.ts >= to || !t.dur) continue;
    us += ((t.tdur ?? 0) * (Math.min(end, to) - Math.max(t.ts, from))) / t.dur;
  }
  return us;
}

interface FrameWatch {
  max: number;
  over100: number;
  frames: number;
  /** Gaps over 100 ms: [when the gap began (performance.now()), gap ms]. */
  long: [number, number][];
}

// Scripts run in the page, as text: tsx's transform would wrap functions in helpers the page lacks.
/** Records every gap between animation frames from now on, in window.__frames. */
const WATCH_FRAMES = `(() => {
  const w = { max: 0, over100: 0, frames: 0, long: [] };
  window.__frames = w;
  const t0 = performance.now();
  let last = t0;
  const tick = (now) => {
    const gap = now - last;
    last = now;
    w.frames += 1;
    if (gap > w.max) w.max = gap;
    if (gap > 100) {
      w.over100 += 1;
      if (w.long.length < 2000) w.long.push([last - gap, gap]);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/**
 * Records every long animation frame (Chromium's Long Animation Frames API) from now on, with the
 * scripts that ran in it: what a freeze was spent on (function, file:char, what invoked it).
 */
const WATCH_LONG_FRAMES = `(() => {
  const out = [];
  window.__longFrames = out;
  const t0 = performance.now();
  if (!("PerformanceObserver" in window) || !PerformanceObserver.supportedEntryTypes.includes("long-animation-frame")) return;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration < 100 || out.length >= 60) continue;
      const scripts = [...e.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3).map((s) => ({
        ms: Math.round(s.duration),
        fn: s.sourceFunctionName || "(anonymous)",
        at: (s.sourceURL || "").split("/").pop() + ":" + s.sourceCharPosition,
        invoker: s.invoker,
      }));
      out.push({ at: Math.round(e.startTime - t0), ms: Math.round(e.duration), blocking: Math.round(e.blockingDuration), render: Math.round(e.duration - (e.renderStart ? e.renderStart - e.startTime : e.duration)), scripts });
    }
  }).observe({ type: "long-animation-frame", buffered: false });
})()`;

interface LongFrame {
  at: number;
  ms: number;
  blocking: number;
  render: number;
  scripts: { ms: number; fn: string; at: string; invoker: string }[];
}

const IMPORT_STATE = `(() => {
  const el = document.querySelector("[data-import-state]");
  return { state: el ? el.getAttribute("data-import-state") : null, text: el ? el.textContent : "" };
})()`;

/** The stored run row (status and counts), read straight from IndexedDB. */
const storedRow = (dir: string) => `(async () => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("arbitrage-workbench");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const req = db.transaction("runs").objectStore("runs").get(${JSON.stringify(dir)});
  const row = await new Promise((resolve) => (req.onsuccess = () => resolve(req.result)));
  db.close();
  return row ? { status: row.status, counts: row.counts } : null;
})()`;

async function main(): Promise<void> {
  const exe = findChromium();
  if (exe === null) throw new Error("bench:app needs Chromium: set CHROMIUM_PATH or apt-get install chromium");
  const work = mkdtempSync(join(tmpdir(), "bench-app-"));
  const t0 = Date.now();
  const run = writeLargeRun(join(work, "runs", "large"), STEPS);
  console.log(`run: ${run.records.toLocaleString("en")} records, ${run.steps.toLocaleString("en")} steps, ${(run.bytes / 1e6).toFixed(0)} MB journal (written in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  await ensureRendererBuilt();
  const served = await startServe(["--runs", join(work, "runs")]);
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${served.url}#/runs`);
    await page.fill('input[aria-label="run folder"]', run.dir);
    // The frame watch starts right before the click: every gap between animation frames from then on.
    await page.evaluate(WATCH_FRAMES);
    await page.evaluate(WATCH_LONG_FRAMES);
    // BENCH_APP_PROFILE=1: a sampling CPU profile of the page's main thread, its heaviest functions printed at the end.
    const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 1000 });
      await cdp.send("Profiler.start");
    }
    // A trace of the page's tasks: how much CPU each took (thread time), apart from waiting for a core.
    const tracer = await page.context().newCDPSession(page);
    const traceEvents: TraceEvent[] = [];
    // Tracing's events are not in playwright's CDPSession event map.
    const traceEvents$ = tracer as unknown as { on(e: string, l: (d: { value: TraceEvent[] }) => void): void; once(e: string, l: () => void): void };
    traceEvents$.on("Tracing.dataCollected", (d) => void traceEvents.push(...d.value));
    const traced = new Promise<void>((resolve) => traceEvents$.once("Tracing.tracingComplete", resolve));
    await tracer.send("Tracing.start", {
      // A buffer for the whole import (the default one filled within about a minute, and the trace stopped there).
      traceConfig: { includedCategories: ["toplevel", "devtools.timeline", "blink.user_timing"], recordMode: "recordAsMuchAsPossible", traceBufferSizeInKb: 800_000 },
      transferMode: "ReportEvents",
    });
    // The machine's 1-minute load average every second from the click to the end (with the cores:
    // above their count, the page waits for a core and its frame gaps say more about the machine).
    const loads: number[] = [loadavg()[0] ?? 0];
    const loadTimer = setInterval(() => loads.push(loadavg()[0] ?? 0), 1000);
    const start = Date.now();
    // The click in the page's clock (performance.now) and, through the mark, in the trace's: times are said from it.
    const clickAt = (await page.evaluate(`performance.mark("bench-app-click").startTime`)) as number;
    await page.click('[data-action="open-run"]');
    // Attached, not "visible": the first symbol may be one a legend entry hides (e.g. an empty series).
    await page.waitForSelector('[data-plot="accuracy-latency"] .recharts-scatter-symbol', { state: "attached", timeout: TIMEOUT_MS });
    const firstPlot = (Date.now() - start) / 1000;
    console.log(`first plot after ${firstPlot.toFixed(1)} s`);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "bench-app-first-plot.png"), fullPage: true });
    let lastReport = Date.now();
    let recordsAt: number | null = null;
    for (;;) {
      const state = (await page.evaluate(IMPORT_STATE)) as { state: string | null; text: string };
      if (recordsAt === null && state.state !== "importing") recordsAt = Date.now();
      if (state.state === null) break;
      if (state.state === "interrupted") throw new Error(`the import stopped: ${state.text}`);
      if (Date.now() - start > TIMEOUT_MS) throw new Error(`the import did not finish in ${TIMEOUT_MS / 1000} s: ${state.text}`);
      if (Date.now() - lastReport > 30_000) {
        console.log(`  ${((Date.now() - start) / 1000).toFixed(0)} s: ${state.text.split(".")[0]}`);
        lastReport = Date.now();
      }
      await page.waitForTimeout(250);
    }
    const total = (Date.now() - start) / 1000;
    clearInterval(loadTimer);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "bench-app-imported.png"), fullPage: true });
    const frames = (await page.evaluate("window.__frames")) as FrameWatch;
    await tracer.send("Tracing.end");
    await traced;
    const tasks = mainThreadTasks(traceEvents);
    const ms = (us: number | undefined) => ((us ?? 0) / 1000).toFixed(0);
    const profile = cdp ? ((await cdp.send("Profiler.stop")) as { profile: CpuProfile }).profile : null;
    if (profile) printProfile(profile);
    const click = traceEvents.find((e) => e.name === "bench-app-click")?.ts;
    if (click === undefined) throw new Error("the trace lacks the click's mark: no task can be placed in time");
    const lastTask = tasks.all.at(-1);
    const tracedS = lastTask ? (lastTask.ts + (lastTask.dur ?? 0) - click) / 1e6 : 0;
    if (tracedS < total - 2) console.log(`  the trace stopped ${tracedS.toFixed(0)} s after the click, before the end (${total.toFixed(0)} s): its task figures cover that much`);
    /** Page time (ms, performance.now) to trace time (µs). */
    const toTrace = (pageMs: number) => click + (pageMs - clickAt) * 1000;
    const gaps = frames.long.map(([at, gap]) => ({ at: at - clickAt, gap, cpu: cpuBetween(tasks.all, toTrace(at), toTrace(at + gap)) / 1000 }));
    const longestGap = gaps.reduce<(typeof gaps)[number] | null>((a, g) => (g.gap > (a?.gap ?? -1) ? g : a), null);
    const mostCpuGap = gaps.reduce<(typeof gaps)[number] | null>((a, g) => (g.cpu > (a?.cpu ?? -1) ? g : a), null);
    for (const t of tasks.long) {
      console.log(`  task at ${ms(t.ts - click)} ms: ${ms(t.dur)} ms (${ms(t.tdur)} ms on a CPU): ${taskBreakdown(t, traceEvents) || "(nothing traced inside)"}`);
      if (profile) console.log(`    sampled in it (ms, function with its callees): ${profileWindow(profile, t.ts, t.ts + (t.dur ?? 0)) || "(no samples)"}`);
    }
    const longFrames = (await page.evaluate("window.__longFrames")) as LongFrame[] | undefined;
    for (const f of longFrames ?? []) {
      const scripts = f.scripts.map((x) => `${x.ms} ms ${x.fn} (${x.at}, ${x.invoker})`).join("; ");
      console.log(`  long frame at ${f.at} ms: ${f.ms} ms (render ${f.render} ms)${scripts ? `: ${scripts}` : ""}`);
    }
    const stored = (await page.evaluate(storedRow(run.dir))) as { status: string; counts: { problems: number; steps: number } } | null;
    if (stored?.status !== "ready" || stored.counts.steps !== run.steps || stored.counts.problems !== run.records) {
      throw new Error(`the store holds ${JSON.stringify(stored)}, expected ${run.records} records and ${run.steps} steps, ready`);
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
    const f0 = (x: number) => x.toFixed(0);
    console.log(
      `stored: ${stored.counts.problems.toLocaleString("en")} records, ${stored.counts.steps.toLocaleString("en")} steps; frames seen ${frames.frames.toLocaleString("en")}, gaps over 100 ms: ${frames.over100}, ${gaps.filter((g) => g.cpu > 100).length} of them with over 100 ms of main-thread CPU inside${gaps.length > 0 ? ` (ms since the click + gap ms / CPU ms inside: ${gaps.map((g) => `${f0(g.at)}+${f0(g.gap)}/${f0(g.cpu)}`).join(" ")})` : ""}`,
    );
    const meanLoad = loads.reduce((a, b) => a + b, 0) / loads.length;
    console.log(
      `main-thread tasks: ${tasks.count.toLocaleString("en")}, ${(cpuBetween(tasks.all, click, click + total * 1e6) / 1e6).toFixed(1)} s of CPU in all; longest ${ms(tasks.longestWall?.dur)} ms (${ms(tasks.longestWall?.tdur)} ms of it on a CPU); the longest frame gap held ${f0(longestGap?.cpu ?? 0)} ms of main-thread CPU; 1-minute load average ${(loads[0] ?? 0).toFixed(1)} at the click, mean ${meanLoad.toFixed(1)}, max ${Math.max(...loads).toFixed(1)}, ${(loads.at(-1) ?? 0).toFixed(1)} at the end (${cpus().length} cores)`,
    );
    console.log(`import_records_s: ${(((recordsAt ?? Date.now()) - start) / 1000).toFixed(1)}`);
    console.log(`import_first_plot_s: ${firstPlot.toFixed(1)}`);
    console.log(`import_total_s: ${total.toFixed(1)}`);
    console.log(`load_average_1m: ${meanLoad.toFixed(1)}`);
    console.log(`cores: ${cpus().length}`);
    console.log(`longest_task_cpu_ms: ${ms(tasks.longestCpu?.tdur)}`);
    console.log(`longest_gap_cpu_ms: ${f0(mostCpuGap?.cpu ?? 0)}`);
    console.log(`longest_frame_gap_ms: ${frames.max.toFixed(0)}`);
  } finally {
    await browser.close();
    await served.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
