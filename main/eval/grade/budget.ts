/**
 * A time budget for one comparison. Every step of a comparison is bounded up front (answer length,
 * nesting depth, floating-point evaluation, BigInt sizes); the budget adds a guard between steps, so
 * that many bounded steps (a long list compared element by element) still finish in time. An
 * exhausted budget means "not equal", as the toolkit's timeout does.
 *
 * The budget counts this process's CPU time, not wall-clock time: on a loaded machine (a sweep
 * grading while other jobs run) a descheduled process must not turn a right answer into "not equal".
 */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export class Budget {
  private readonly deadline: number;
  constructor(ms: number) {
    this.deadline = cpuMs() + ms;
  }
  get exhausted(): boolean {
    return cpuMs() > this.deadline;
  }
}

/** Default budget for one verdict, in CPU ms (the goal is < 1 s per case, including extraction). */
export const DEFAULT_BUDGET_MS = 400;
