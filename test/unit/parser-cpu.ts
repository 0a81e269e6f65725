// Timing for speed tests that measures the work, not the machine's load: CPU time of this
// process (user + system), the best of a few runs. Wall-clock time on a shared two-core CI
// machine running other test files in parallel says little about the parser.

export function bestCpuMs<T>(run: () => T, times = 3): { ms: number; result: T } {
  let best = Number.POSITIVE_INFINITY;
  let result = run(); // warm-up (JIT), not counted
  for (let k = 0; k < times; k++) {
    const start = process.cpuUsage();
    result = run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return { ms: best, result };
}
