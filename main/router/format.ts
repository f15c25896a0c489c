/** How router metrics print in tables and summaries: fixed decimals, "n/a" for undefined. */
import type { RouterEvaluation } from "./evaluate.ts";

export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return "n/a";
  const s = x.toFixed(digits);
  // -0.0004 rounds to "-0.000": print it as 0, which is what it is at this precision.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

export function fmtCI(ci: [number, number] | null): string {
  return ci === null ? "n/a" : `[${fmt(ci[0])}, ${fmt(ci[1])}]`;
}

/** One row per router: the numbers a reader compares first. */
export function formatRouterTable(evals: readonly RouterEvaluation[]): string {
  const header = ["router", "kind", "ρ", "ρ 95% CI", "ρ (Δ≠0)", "r", "AUC", "PR-AUC", "acc accept", "acc escalate", "bal acc", "ECE", "ms/row"];
  const rows = evals.map((e) => [
    e.name,
    e.kind,
    fmt(e.spearman),
    fmtCI(e.spearmanCI),
    fmt(e.spearmanNonTies),
    fmt(e.pearson),
    fmt(e.auc),
    fmt(e.prAuc),
    fmt(e.perClassAccuracy.accept),
    fmt(e.perClassAccuracy.escalate),
    fmt(e.balancedAccuracy),
    fmt(e.ece),
    fmt(e.meanMs, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The same routers by step-position bucket: where along a solution each one works. */
export function formatStepTable(evals: readonly RouterEvaluation[]): string | null {
  const keys = evals[0]?.breakdowns.byStep.map((g) => g.key) ?? [];
  if (keys.length === 0) return null;
  const header = ["ρ by step", ...keys.map((k) => `${k} (n=${evals[0]?.breakdowns.byStep.find((g) => g.key === k)?.n ?? 0})`)];
  const rows = evals.map((e) => [e.name, ...keys.map((k) => fmt(e.breakdowns.byStep.find((g) => g.key === k)?.spearman ?? null))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
