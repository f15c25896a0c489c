/** The per-configuration table (summary.json's rows), as the CLI prints it. */
import type { SweepSummary } from "../../shared/results.ts";
import { fmtMs, fmtPct } from "../plots/theme.ts";

export function SummaryTable({ summary }: { summary: SweepSummary }) {
  return (
    <div className="table-wrap">
      <table className="data summary-table">
        <thead>
          <tr>
            <th>configuration</th>
            <th>problems</th>
            <th>errors</th>
            <th>accuracy</th>
            <th>strict</th>
            <th>acceptance</th>
            <th>target steps</th>
            <th>mean latency</th>
            <th>tokens/s</th>
          </tr>
        </thead>
        <tbody>
          {summary.runs.map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td>{c.problems}</td>
              <td>{c.errors}</td>
              <td>{fmtPct(c.accuracy)}</td>
              <td>{fmtPct(c.accuracyStrict)}</td>
              <td>{fmtPct(c.acceptanceRate)}</td>
              <td>{fmtPct(c.targetStepShare)}</td>
              <td>{fmtMs(c.latencyMs.mean)}</td>
              <td>{c.tokensPerSecond.toFixed(0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function headline(summary: SweepSummary): string {
  if (summary.speedupAtMatchedAccuracy === null || summary.speedupDetail === null) return "No speedup at matched accuracy: RSD's and Arbitrage's accuracy ranges do not overlap (or one is missing).";
  const d = summary.speedupDetail;
  return `Arbitrage is ${summary.speedupAtMatchedAccuracy.toFixed(2)}× faster than RSD at matched accuracy ${fmtPct(d.accuracy)} (${fmtMs(d.rsdLatencyMs)} vs ${fmtMs(d.arbitrageLatencyMs)} per problem).`;
}
