/**
 * BENCH_CLOCK=cpu: every timing (the engine's, the calibration's, the step loop's) reads this
 * process's CPU time (user + system, all its threads) instead of the wall clock, so the time spent
 * waiting for a CPU on a shared machine is not counted. Returns the clock in use ("wall" or "cpu").
 */
export function useBenchClock(): "wall" | "cpu" {
  const clock = process.env["BENCH_CLOCK"] ?? "wall";
  if (clock === "cpu") {
    performance.now = () => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    };
    return clock;
  }
  if (clock !== "wall") throw new Error(`BENCH_CLOCK is "wall" (default) or "cpu", found ${JSON.stringify(clock)}`);
  return clock;
}
