/** The readable table a sweep prints: one row per configuration, and the headline speedup. */
import { CANDIDATE_NAMES, describeCurve, formatInterval, summaryHeadlines } from "../../shared/metrics/headline-text.ts";
import type { SweepSummary } from "../../shared/results.ts";
import { wilsonInterval } from "../../shared/stats/wilson.ts";

function pct(x: number | null): string {
  return x === null ? "—" : `${(x * 100).toFixed(1)}%`;
}

export function formatSummaryTable(summary: SweepSummary): string {
  const header = ["config", "problems", "accuracy", "95 % interval", "strict", "accept", "target steps", "latency ms", "draft", "target", "prm", "router", "tok/s"];
  const rows = summary.runs.map((r) => [
    r.id,
    String(r.problems) + (r.errors ? ` (${r.errors} err)` : ""),
    pct(r.accuracy),
    accuracyInterval(r.accuracy, r.problems),
    pct(r.accuracyStrict),
    pct(r.acceptanceRate),
    pct(r.targetStepShare),
    r.latencyMs.mean.toFixed(1),
    r.latencyMs.draft.toFixed(1),
    r.latencyMs.target.toFixed(1),
    r.latencyMs.prm.toFixed(1),
    r.latencyMs.router.toFixed(1),
    r.tokensPerSecond.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function accuracyInterval(accuracy: number, problems: number): string {
  const ci = wilsonInterval(Math.round(accuracy * problems), problems);
  return ci === null ? "—" : `[${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}]`;
}

/**
 * The headline lines: Arbitrage over RSD, then the oracle over RSD, in the project's one wording
 * (shared/metrics/headline-text.ts), and the configurations left out of the frontiers.
 */
export function formatHeadline(summary: SweepSummary): string {
  const lines = summaryHeadlines(summary);
  const m = summary.matchedAccuracy;
  if (m !== null) {
    const accuracy = m.accuracyCi95 ? ` (the stated accuracy's own interval: ${formatInterval([m.accuracyCi95[0] * 100, m.accuracyCi95[1] * 100])} %)` : "";
    lines.push(
      `speedup at matched accuracy: RSD's over Arbitrage's latency on the interpolated frontiers at the highest accuracy both reach, capped at the target's; 95 % intervals from ${m.resamples} bootstrap resamples of the problems${accuracy}.`,
    );
    if (m.excluded.length > 0) lines.push(`left out of the frontiers (they escalate every step): ${m.excluded.join(", ")}`);
    // The curve below the stated accuracy: the comparison of the methods where the headline alone
    // says little (e.g. both reach the stated accuracy only by running the target alone).
    for (const line of [describeCurve(m, CANDIDATE_NAMES.arbitrage), summary.oracleMatchedAccuracy ? describeCurve(summary.oracleMatchedAccuracy, CANDIDATE_NAMES.oracle) : null]) {
      if (line !== null) lines.push(line);
    }
  }
  return lines.join("\n");
}
