/**
 * Where (router score, oracle Δ) pairs come from.
 *
 * No single step record holds both: an Arbitrage step has the router's score and no PRM scores, an
 * oracle (or generate) step has Δ = PRM(target) − PRM(draft) and no router score. Decoding in a
 * sweep is pinned (greedy or seeded) and the step cache shares every step, so when an Arbitrage
 * configuration and an oracle configuration meet the same context — the same problem, the same kept
 * steps written by the same models — and the draft proposes the same step, the two records describe
 * the same decision. `routerPairsFromRecords` joins them on exactly that key. Each distinct
 * (context, draft step) counts once, however many configurations visited it.
 *
 * `routerPairsFromScores` reads `arbitrage router-eval`'s router-scores.jsonl instead (held-out
 * generate rows scored by one or more routers).
 */
import type { ProblemRecord, StepSourceName } from "../results.ts";
import type { RouterPair } from "../router-metrics/index.ts";

export interface KeyedPair extends RouterPair {
  problemId: string;
  stepIndex: number;
}

/**
 * Contexts as nodes of a trie: a context is its parent context plus one kept step (writer, text).
 * Interning each node once keeps the join exact (no hashing, no collisions) and its memory linear
 * in the number of steps, where spelling every context out would be quadratic in a solution's length.
 */
class ContextTrie {
  private readonly ids = new Map<string, number>();

  root(problemId: string): number {
    return this.intern(`p\u0000${problemId}`);
  }

  child(parent: number, source: StepSourceName, text: string): number {
    return this.intern(`${parent}\u0000${source}\u0000${text}`);
  }

  private intern(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }
}

/** Accumulates records (in any order, in as many calls as wanted) and joins them at the end. */
export class RouterPairJoin {
  private readonly trie = new ContextTrie();
  private readonly scores = new Map<string, { score: number; level: ProblemRecord["level"]; subject: string | null }>();
  private readonly deltas = new Map<string, { delta: number; problemId: string; stepIndex: number }>();
  /** The keys each Arbitrage configuration's steps met (a configuration's own view of the pairs). */
  private readonly keysByConfig = new Map<string, Set<string>>();
  private readonly scoreConfigs = new Set<string>();
  private readonly deltaConfigs = new Set<string>();

  add(r: Pick<ProblemRecord, "config" | "problemId" | "level" | "subject" | "steps">): void {
    const method = r.config.method;
    if (method !== "arbitrage" && method !== "oracle" && method !== "generate") return;
    let context = this.trie.root(r.problemId);
    r.steps.forEach((s, i) => {
      if (s.draftText !== null) {
        const key = `${context}\u0000${s.draftText}`;
        if (method === "arbitrage") {
          if (s.router !== null) {
            if (!this.scores.has(key)) this.scores.set(key, { score: s.router, level: r.level, subject: r.subject });
            let keys = this.keysByConfig.get(r.config.id);
            if (keys === undefined) this.keysByConfig.set(r.config.id, (keys = new Set()));
            keys.add(key);
            this.scoreConfigs.add(r.config.id);
          }
        } else if (s.delta !== null) {
          if (!this.deltas.has(key)) this.deltas.set(key, { delta: s.delta, problemId: r.problemId, stepIndex: i });
          this.deltaConfigs.add(r.config.id);
        }
      }
      context = this.trie.child(context, s.source, s.text);
    });
  }

  /** Configurations that gave router scores, and those that gave Δ, in the order first seen. */
  sources(): { scores: string[]; deltas: string[] } {
    return { scores: [...this.scoreConfigs], deltas: [...this.deltaConfigs] };
  }

  /**
   * The joined pairs: every distinct (context, draft step) that some Arbitrage configuration scored
   * and some oracle/generate configuration judged; with `scoresFrom`, only those that Arbitrage
   * configuration's own steps met.
   */
  pairs(scoresFrom?: string): KeyedPair[] {
    const pairs: KeyedPair[] = [];
    const only = scoresFrom === undefined ? null : (this.keysByConfig.get(scoresFrom) ?? new Set<string>());
    for (const [key, d] of this.deltas) {
      if (only !== null && !only.has(key)) continue;
      const s = this.scores.get(key);
      if (s === undefined) continue;
      pairs.push({ score: s.score, delta: d.delta, level: s.level, subject: s.subject, stepIndex: d.stepIndex, problemId: d.problemId });
    }
    // Deterministic order (the bootstrap resamples by index): by problem, then step.
    pairs.sort((a, b) => (a.problemId < b.problemId ? -1 : a.problemId > b.problemId ? 1 : a.stepIndex - b.stepIndex || a.score - b.score));
    return pairs;
  }
}

export function routerPairsFromRecords(records: Iterable<ProblemRecord>): KeyedPair[] {
  const join = new RouterPairJoin();
  for (const r of records) join.add(r);
  return join.pairs();
}

/** One line of router-scores.jsonl (main/cli/commands/router-eval.ts). */
export interface RouterScoreLine {
  line?: number;
  problem_id: string;
  step_index: number;
  level?: number | string | null;
  delta: number;
  label?: 0 | 1;
  scores: Record<string, number | null>;
}

/** Router names found in router-scores lines, in first-seen order. */
export function routerNames(lines: readonly RouterScoreLine[]): string[] {
  const names = new Set<string>();
  for (const l of lines) for (const k of Object.keys(l.scores)) names.add(k);
  return [...names];
}

export function routerPairsFromScores(lines: readonly RouterScoreLine[], router: string): KeyedPair[] {
  const pairs: KeyedPair[] = [];
  for (const l of lines) {
    const score = l.scores[router];
    if (typeof score !== "number" || !Number.isFinite(score) || !Number.isFinite(l.delta)) continue;
    pairs.push({ score, delta: l.delta, level: l.level ?? null, problemId: l.problem_id, stepIndex: l.step_index });
  }
  return pairs;
}
