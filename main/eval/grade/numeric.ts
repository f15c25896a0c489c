/**
 * The toolkit's numeric layer: which strings count as numbers (`parse_digits` / `is_digit`: Python
 * float() syntax after removing commas, or a trailing percent sign meaning /100) and its closeness
 * test (math.isclose with rel_tol=1e-4 and no absolute tolerance).
 */
import { pyFloat } from "./py-compat.ts";

/** The toolkit's relative tolerance. It accepts 12345 for 12346 (difference 8.1e-5 relative). */
export const QWEN_REL_TOL = 1e-4;

/** parse_digits: the number a string denotes for the toolkit, or null. */
export function parseDigits(value: string): number | null {
  const num = value.replace(/,/g, "");
  const f = pyFloat(num);
  if (f !== null) return f;
  if (num.endsWith("%")) {
    let body = num.slice(0, -1);
    if (body.endsWith("\\")) body = body.slice(0, -1);
    const g = pyFloat(body);
    if (g !== null) return g / 100;
  }
  return null;
}

export function isDigit(value: string): boolean {
  return parseDigits(value) !== null;
}

/** Python's math.isclose(a, b, rel_tol=rel, abs_tol=0). */
export function isClose(a: number, b: number, rel = QWEN_REL_TOL): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}
