/**
 * A time budget for one comparison. Every step of a comparison is bounded up front (answer length,
 * nesting depth, floating-point evaluation instead of exact big-number arithmetic); the budget adds
 * a wall-clock guard between steps, so that many bounded steps (a long list compared element by
 * element) still finish in time. An exhausted budget means "not equal", as the toolkit's timeout does.
 */
export class Budget {
  private readonly deadline: number;
  constructor(ms: number) {
    this.deadline = performance.now() + ms;
  }
  get exhausted(): boolean {
    return performance.now() > this.deadline;
  }
}

/** Default budget for one verdict (the goal is < 1 s per case, including extraction). */
export const DEFAULT_BUDGET_MS = 400;
