/**
 * Average ranks ("fractional ranking"): the smallest value gets rank 1, and tied values all get
 * the mean of the ranks they span. [10, 20, 20, 30] → [1, 2.5, 2.5, 4]. The ranks always sum to
 * n(n + 1)/2, which is what makes rank statistics (Spearman ρ, the Mann–Whitney AUC) correct
 * under ties.
 */
import { assertFiniteValues } from "./validate.ts";

export function averageRanks(values: readonly number[]): number[] {
  assertFiniteValues("averageRanks", values);
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks: number[] = new Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1; // [start, end) is one group of equal values
    const v = values[order[start] as number];
    while (end < n && values[order[end] as number] === v) end++;
    // Positions start..end−1 (0-based) hold ranks start+1..end; their mean is (start + 1 + end) / 2.
    const r = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = r;
    start = end;
  }
  return ranks;
}
