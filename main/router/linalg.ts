/** The one piece of linear algebra the Newton step needs: solve A x = b for a small dense A. */
import { WorkbenchError } from "../../shared/errors.ts";

/** Gaussian elimination with partial pivoting; A is k × k (k is the feature count + 1, so tiny). */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const k = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) {
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    }
    const p = m[pivot] as number[];
    if (Math.abs(p[col] as number) < 1e-300) throw new WorkbenchError("internal", "solve: singular matrix");
    m[pivot] = m[col] as number[];
    m[col] = p;
    for (let r = col + 1; r < k; r++) {
      const row = m[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      if (f === 0) continue;
      for (let c = col; c <= k; c++) row[c] = (row[c] as number) - f * (p[c] as number);
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[k] as number;
    for (let c = r + 1; c < k; c++) s -= (row[c] as number) * (x[c] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}
