/** Round axis ticks (1, 2 or 5 × 10^k apart) and labels with just the digits the step needs. */

export function niceStep(span: number, count = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

/** Ticks from a multiple of the step at or below `min` to one at or above `max`. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (max < min) [min, max] = [max, min];
  if (max === min) max = min + 1;
  const step = niceStep(max - min, count);
  const first = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function decimalsFor(step: number): number {
  return Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
}

export function tickFormatter(ticks: number[], unit = ""): (v: number) => string {
  const step = ticks.length > 1 ? Math.abs((ticks[1] as number) - (ticks[0] as number)) : 1;
  const d = decimalsFor(step);
  return (v: number) => `${v.toFixed(d)}${unit}`;
}

/**
 * Even ticks for an accuracy axis around the given values: 0.05, 0.1 or 0.2 apart, from a multiple
 * of the step at or below the lowest value (with a margin) to one at or above the highest, within
 * [0, 1]. The domain is the first and last tick, so no uneven last step (…, 90 %, 100 %).
 */
export function accuracyTicks(values: readonly number[], margin = 0.03): { domain: [number, number]; ticks: number[] } {
  if (values.length === 0) return { domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  const lo = Math.max(0, Math.min(...values, 1) - margin);
  const hi = Math.min(1, Math.max(...values, 0) + margin);
  const span = Math.max(hi - lo, 0.05);
  const step = span <= 0.3 ? 0.05 : span <= 0.6 ? 0.1 : 0.2;
  const first = Math.max(0, Math.floor(lo / step + 1e-9) * step);
  const ticks: number[] = [];
  for (let v = first; v < hi + step - 1e-9 && v <= 1 + 1e-9; v += step) ticks.push(Number(v.toFixed(6)));
  // A last tick above 1 would be clipped off the axis; end on 1 only when it lies on the step.
  return { domain: [ticks[0] as number, ticks[ticks.length - 1] as number], ticks };
}
