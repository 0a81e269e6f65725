// Ticks with real times on a piecewise-linear axis that folds quiet stretches into breaks: the
// Ladder's vertical axis (ladder/scale.ts) and the state timeline's horizontal one (timeline.ts).
//
// The axis is cut into runs, the stretches between two breaks. A tick inside a break would name a
// time that is not drawn there, so ticks stay inside the runs: each run's first instant is
// labelled (it says where time resumes after a break), then round values (1, 2 or 5 times a power
// of ten, in ms) at least `minPx` apart. Labels are the language's own durations (formatDuration),
// so a time read off the axis can be typed back into a `.tcpscn` file.

import { formatDuration } from '../duration';

export interface TimeTick {
  /** The real time, in ms. */
  t: number;
  /** Where it is drawn along the axis, in pixels. */
  at: number;
  label: string;
}

/** A stretch of real time drawn without a break in it, in ms. */
export interface TimeRun {
  from: number;
  to: number;
}

/** The smallest of 1, 2, 5 times a power of ten (ms) that is at least `ms`. */
export function niceStep(ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(ms)));
  for (const m of [1, 2, 5, 10]) if (m * p >= ms - 1e-9) return m * p;
  return 10 * p;
}

/**
 * The ticks along `runs` (in order), placed by `at` (real ms to pixels, increasing): each run's
 * first instant unless it is within 0.6 `minPx` of the tick before, then the multiples of
 * `stepOf(run)` in the run that are at least `minPx` beyond the tick before.
 */
export function ticksAlong(
  runs: readonly TimeRun[],
  at: (t: number) => number,
  minPx: number,
  stepOf: (run: TimeRun) => number,
): TimeTick[] {
  const ticks: TimeTick[] = [];
  let lastAt = -Infinity;
  const push = (t: number): void => {
    const x = at(t);
    ticks.push({ t, at: x, label: formatDuration(t) });
    lastAt = x;
  };
  for (const run of runs) {
    if (at(run.from) - lastAt >= minPx * 0.6) push(run.from);
    const step = stepOf(run);
    const first = Math.floor(run.from / step) * step + step;
    for (let t = first; t <= run.to && ticks.length < 100_000; t += step) {
      const rounded = Math.round(t * 1e6) / 1e6;
      if (at(rounded) - lastAt >= minPx) push(rounded);
    }
  }
  return ticks;
}
