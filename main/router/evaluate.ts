/**
 * Held-out evaluation: score every row with a router, pair the scores with the oracle advantage,
 * and hand the pairs to the shared report. Scoring is the slow part (one ONNX run per row), so it
 * reports progress and stops between rows when asked.
 *
 * A row longer than a router's context window cannot be scored by it; that is a property of the
 * row, not a failure of the run, so it is recorded and the routers are compared on the rows every
 * one of them could score (`commonRows`). Any other error stops the evaluation with the row's line.
 */
import { routerReport, type RouterPair, type RouterReport, type RouterReportOptions } from "../../shared/router-metrics/index.ts";
import { WorkbenchError } from "../../shared/errors.ts";
import { rowToInput } from "./router-input.ts";
import type { RouterModel } from "./router-model.ts";
import type { RouterRow } from "./router-rows.ts";

export interface Unscored {
  line: number;
  router: string;
  reason: string;
}

export interface ScoredRows {
  /** One score per row; null where the row does not fit the router's context window. */
  scores: (number | null)[];
  unscored: Unscored[];
  /** Total scoring time reported by the router over the scored rows, ms. */
  ms: number;
}

export async function scoreRows(
  router: RouterModel,
  rows: readonly RouterRow[],
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<ScoredRows> {
  const scores: (number | null)[] = [];
  const unscored: Unscored[] = [];
  let ms = 0;
  for (const row of rows) {
    if (opts.signal?.aborted) throw new WorkbenchError("cancelled", `stopped while scoring with ${router.name} (${scores.length}/${rows.length} rows)`);
    try {
      const r = await router.score(rowToInput(row));
      scores.push(r.score);
      ms += r.ms;
    } catch (err) {
      if (!(err instanceof WorkbenchError)) throw err;
      if (err.kind !== "context-too-long") {
        throw new WorkbenchError(err.kind, `router ${router.name} on line ${row.line}: ${err.message}`, err.details);
      }
      scores.push(null);
      unscored.push({ line: row.line, router: router.name, reason: err.message });
    }
    opts.onProgress?.(scores.length, rows.length);
  }
  return { scores, unscored, ms };
}

/** Indices of the rows that every router scored. */
export function commonRows(scored: readonly ScoredRows[], n: number): number[] {
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (scored.every((s) => s.scores[i] !== null && s.scores[i] !== undefined)) keep.push(i);
  return keep;
}

export function pairsOf(rows: readonly RouterRow[], scores: readonly number[]): RouterPair[] {
  return rows.map((r, i) => ({
    score: scores[i] as number,
    delta: r.delta,
    level: r.level,
    subject: r.subject,
    stepIndex: r.stepIndex,
  }));
}

export interface RouterEvaluation extends RouterReport {
  name: string;
  kind: RouterModel["kind"];
  /** Mean scoring time per scored row, ms. */
  meanMs: number | null;
}

/**
 * The report of one router on the rows at `keep` (default: all rows, which must all be scored).
 */
export function evaluation(
  router: Pick<RouterModel, "name" | "kind">,
  rows: readonly RouterRow[],
  scored: ScoredRows,
  opts: RouterReportOptions,
  keep: readonly number[] = rows.map((_, i) => i),
): RouterEvaluation {
  const scores = keep.map((i) => scored.scores[i]);
  if (scores.some((s) => s === null || s === undefined)) {
    throw new WorkbenchError("internal", `evaluation of ${router.name}: a kept row has no score`);
  }
  const nScored = scored.scores.filter((s) => s !== null).length;
  return {
    name: router.name,
    kind: router.kind,
    meanMs: nScored === 0 ? null : scored.ms / nScored,
    ...routerReport(
      pairsOf(
        keep.map((i) => rows[i] as RouterRow),
        scores as number[],
      ),
      opts,
    ),
  };
}
