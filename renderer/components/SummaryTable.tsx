/** The per-configuration table (summary.json's rows), as the CLI prints it. */
import { summaryHeadlines } from "../../shared/metrics/headline-text.ts";
import type { SweepSummary } from "../../shared/results.ts";
import { wilsonInterval } from "../../shared/stats/wilson.ts";
import { fmtMs, fmtPct } from "../plots/theme.ts";

/** "97.5 % [86.8–99.6]": the accuracy with its 95 % Wilson interval over the configuration's problems. */
function accuracyCell(accuracy: number, problems: number): string {
  const ci = wilsonInterval(Math.round(accuracy * problems), problems);
  return ci === null ? fmtPct(accuracy) : `${fmtPct(accuracy)} [${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}]`;
}

export function SummaryTable({ summary }: { summary: SweepSummary }) {
  return (
    <div className="table-wrap">
      <table className="data summary-table">
        <thead>
          <tr>
            <th>configuration</th>
            <th>problems</th>
            <th>errors</th>
            <th title="95 % Wilson interval in brackets">accuracy [95 %]</th>
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
              <td>{accuracyCell(c.accuracy, c.problems)}</td>
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

/**
 * The headline in the project's one wording (shared/metrics/headline-text.ts): Arbitrage over RSD,
 * then the oracle over RSD, each with its interval and problem count.
 */
export function headline(summary: SweepSummary): string {
  return summaryHeadlines(summary).join(". ");
}
