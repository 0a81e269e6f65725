// Small statistics helpers for the benchmarks: medians and percentiles of timings.

/** The q-quantile (0..1) of `xs` by nearest rank; NaN for an empty list. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Runs `fn` `runs` times after `warmup` unmeasured calls; returns each run's milliseconds. */
export function timeRuns(fn: () => void, runs: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Milliseconds with a sensible number of digits for a table. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
}

/** Prints rows as an aligned text table (first row is the header). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/**
 * CPU time of this process (user + system) for `run`, the best of `times` runs after one
 * unmeasured warm-up: the work, less the machine's load, for targets that were defined so.
 */
export function bestCpuMs<T>(run: () => T, times = 3): { ms: number; result: T } {
  let best = Number.POSITIVE_INFINITY;
  let result = run();
  for (let k = 0; k < times; k++) {
    const start = process.cpuUsage();
    result = run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return { ms: best, result };
}

/** A speed or size target the product asked for, with what was measured against it. */
export interface Target {
  /** What is measured, in words a reader of the table understands. */
  name: string;
  measured: number;
  unit: 'ms' | 'x' | 'segments/s';
  /** `below`: measured < limit is met; `atLeast`: measured >= limit is met. */
  kind: 'below' | 'atLeast';
  limit: number;
  met: boolean;
  /** The numbers behind a ratio, the sizes, how it was timed. */
  detail: string;
}

export function target(
  name: string,
  measured: number,
  unit: Target['unit'],
  kind: Target['kind'],
  limit: number,
  detail: string,
): Target {
  return { name, measured, unit, kind, limit, met: kind === 'below' ? measured < limit : measured >= limit, detail };
}

/** "12.3 ms < 700 ms", "x9.4 < x20", "251 000 segments/s >= 200 000 segments/s". */
export function showTarget(t: Target): string {
  const v = (x: number) =>
    t.unit === 'ms'
      ? `${ms(x)} ms`
      : t.unit === 'x'
        ? `x${x.toFixed(1)}`
        : `${Math.round(x).toLocaleString('en')} segments/s`;
  return `${v(t.measured)} ${t.kind === 'below' ? '<' : '>='} ${v(t.limit)}`;
}
