/**
 * Input checks shared by the statistics in this folder. A statistic fed arrays of different
 * lengths, non-finite numbers or labels that are not binary is a caller's bug, so it throws a
 * typed "usage" error that says what was expected and what was found, instead of returning NaN.
 */
import { WorkbenchError } from "../errors.ts";

/** A binary label as callers tend to have it: 0/1 from JSON, or a boolean such as `delta > 0`. */
export type BinaryLabel = number | boolean;

export function usageError(message: string, details?: Record<string, unknown>): WorkbenchError {
  return new WorkbenchError("usage", message, details);
}

export function assertSameLength(
  what: string,
  a: readonly unknown[],
  b: readonly unknown[],
): void {
  if (a.length !== b.length) {
    throw usageError(
      `${what}: expected two arrays of the same length, found lengths ${a.length} and ${b.length}`,
      { lengths: [a.length, b.length] },
    );
  }
}

export function assertFiniteValues(what: string, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw usageError(`${what}: expected finite numbers, found ${String(v)} at index ${i}`, {
        index: i,
      });
    }
  }
}

/** Labels as 0/1; accepts 0, 1, false, true and throws on anything else. */
export function toBinaryLabels(what: string, labels: readonly BinaryLabel[]): (0 | 1)[] {
  const out: (0 | 1)[] = new Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === 1 || l === true) out[i] = 1;
    else if (l === 0 || l === false) out[i] = 0;
    else {
      throw usageError(
        `${what}: expected binary labels (0, 1, false or true), found ${String(l)} at index ${i}`,
        { index: i },
      );
    }
  }
  return out;
}
