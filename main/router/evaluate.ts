/**
 * Held-out evaluation: score every row with a router, pair the scores with the oracle advantage,
 * and hand the pairs to the shared report. Scoring is the slow part (one ONNX run per row), so it
 * reports progress and stops between rows when asked.
 */
import { routerReport, type RouterPair, type RouterReport, type RouterReportOptions } from "../../shared/router-metrics/index.ts";
import { WorkbenchError } from "../../shared/errors.ts";
import { rowToInput } from "./router-input.ts";
import type { RouterModel } from "./router-model.ts";
import type { RouterRow } from "./router-rows.ts";

export interface ScoredRows {
  scores: number[];
  /** Total scoring time reported by the router, ms. */
  ms: number;
}

export async function scoreRows(
  router: RouterModel,
  rows: readonly RouterRow[],
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<ScoredRows> {
  const scores: number[] = [];
  let ms = 0;
  for (const row of rows) {
    if (opts.signal?.aborted) throw new WorkbenchError("cancelled", `stopped while scoring with ${router.name} (${scores.length}/${rows.length} rows)`);
    let r: { score: number; ms: number };
    try {
      r = await router.score(rowToInput(row));
    } catch (err) {
      if (err instanceof WorkbenchError) {
        throw new WorkbenchError(err.kind, `router ${router.name} on line ${row.line}: ${err.message}`, err.details);
      }
      throw err;
    }
    scores.push(r.score);
    ms += r.ms;
    opts.onProgress?.(scores.length, rows.length);
  }
  return { scores, ms };
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
  /** Mean scoring time per row, ms. */
  meanMs: number | null;
}

export function evaluation(router: RouterModel, rows: readonly RouterRow[], scored: ScoredRows, opts: RouterReportOptions): RouterEvaluation {
  return {
    name: router.name,
    kind: router.kind,
    meanMs: rows.length === 0 ? null : scored.ms / rows.length,
    ...routerReport(pairsOf(rows, scored.scores), opts),
  };
}
