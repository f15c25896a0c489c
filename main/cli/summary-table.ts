/** The readable table a sweep prints: one row per configuration, and the headline speedup. */
import type { SweepSummary } from "../../shared/results.ts";

function pct(x: number | null): string {
  return x === null ? "—" : `${(x * 100).toFixed(1)}%`;
}

export function formatSummaryTable(summary: SweepSummary): string {
  const header = ["config", "problems", "accuracy", "strict", "accept", "target steps", "latency ms", "draft", "target", "prm", "router", "tok/s"];
  const rows = summary.runs.map((r) => [
    r.id,
    String(r.problems) + (r.errors ? ` (${r.errors} err)` : ""),
    pct(r.accuracy),
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

export function formatHeadline(summary: SweepSummary): string {
  if (summary.speedupAtMatchedAccuracy === null || !summary.speedupDetail) {
    return "speedup of arbitrage over rsd at matched accuracy: not available (the two methods' accuracy ranges do not overlap, or one is missing)";
  }
  const d = summary.speedupDetail;
  return (
    `speedup of arbitrage over rsd at matched accuracy: ${summary.speedupAtMatchedAccuracy.toFixed(2)}x ` +
    `(at accuracy ${(d.accuracy * 100).toFixed(1)}%: rsd ${d.rsdLatencyMs.toFixed(1)} ms vs arbitrage ${d.arbitrageLatencyMs.toFixed(1)} ms per problem)`
  );
}
