// The ladder's time scale: time runs down, piecewise linear.
//
// TCP mixes time scales: a round trip is tens of milliseconds, an RTO a second or more,
// TIME_WAIT a minute. Drawn to one scale, the handshake would be a sliver above a minute of
// empty lines. So the scale is proportional where things happen and folds the quiet stretches:
//
// - The instants at which something happens (a segment leaves or arrives, a state changes, an
//   error or hazard, the end of the run) are kept in order. Between two neighbouring instants
//   the drawn distance is proportional to the real one (`pxPerMs`), and a stretch longer than
//   `foldAfterMs` is drawn as a fixed-height break instead, which records how long it really was
//   (the renderer writes it on the break). A delayed segment that spans breaks is still visibly
//   longer than the others: it crosses every arrow drawn in between.
// - Several things happening at one instant on one line (an ACK and a FIN sent together, the
//   segments of a large send) would be drawn on top of each other. Each instant therefore has
//   `slots`: the k-th event at that instant on one line is drawn `slotPx * k` below the first,
//   in the order TCP handled them, and the stretch after that instant is moved down by as much.
//   The time at an instant's first slot is exact; its later slots are the same instant.
//
// Ticks carry real times: each run of unfolded instants gets its first instant labelled and
// round values (1, 2 or 5 times a power of ten, in ms) at least TICK_MIN_PX apart.

import { niceStep, ticksAlong, type TimeRun } from '../timeTicks';

export { niceStep };

export interface ScaleBreak {
  /** Real start and end of the folded stretch (two neighbouring instants), in ms. */
  from: number;
  to: number;
  /** Where it is drawn. */
  y1: number;
  y2: number;
}

export interface ScaleTick {
  t: number;
  y: number;
  label: string;
}

export interface TimeScale {
  /** The drawn y of time t; `slot` for the k-th event at that instant on one line (see file comment). */
  y(t: number, slot?: number): number;
  /** The real time drawn at y (the inverse of y at slot 0; a y inside a break maps into the folded stretch). */
  timeAt(y: number): number;
  /** y of the first instant. */
  top: number;
  /** y of the last instant plus its slots. */
  bottom: number;
  pxPerMs: number;
  breaks: ScaleBreak[];
  ticks: ScaleTick[];
}

export interface ScaleOptions {
  top: number;
  pxPerMs: number;
  /** A quiet stretch longer than this (ms) is folded into a break. */
  foldAfterMs: number;
  /** Drawn height of a break. */
  breakPx: number;
  /** Distance between two events at one instant on one line. */
  slotPx: number;
}

/** Ticks are at least this far apart. */
const TICK_MIN_PX = 44;
/** Distinct instants are at least this far apart, so that their order stays visible. */
const MIN_GAP_PX = 2;

/**
 * Builds the scale from the instants (any order, repeats allowed) and the number of slots each
 * instant needs (1 when absent).
 */
export function buildScale(
  instants: readonly number[],
  slots: ReadonlyMap<number, number>,
  opts: ScaleOptions,
): TimeScale {
  const sorted = Float64Array.from(instants.filter((t) => Number.isFinite(t))).sort();
  const points: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) points.push(sorted[i]);
  if (points.length === 0) points.push(0);
  const k = opts.pxPerMs;
  const ys: number[] = new Array<number>(points.length);
  const ext: number[] = new Array<number>(points.length);
  const breaks: ScaleBreak[] = [];
  const folded: boolean[] = new Array<boolean>(points.length).fill(false);
  for (let i = 0; i < points.length; i++) {
    ext[i] = Math.max(0, (slots.get(points[i]) ?? 1) - 1) * opts.slotPx;
    if (i === 0) {
      ys[i] = opts.top;
      continue;
    }
    const gap = points[i] - points[i - 1];
    const start = ys[i - 1] + ext[i - 1];
    if (gap > opts.foldAfterMs) {
      ys[i] = start + opts.breakPx;
      folded[i] = true;
      breaks.push({ from: points[i - 1], to: points[i], y1: start, y2: ys[i] });
    } else {
      ys[i] = start + Math.max(MIN_GAP_PX, gap * k);
    }
  }
  const last = points.length - 1;

  /** Index of the last instant <= t (-1 when t is before the first). */
  const indexAt = (t: number): number => {
    if (t < points[0]) return -1;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (points[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const y = (t: number, slot = 0): number => {
    const i = indexAt(t);
    if (i < 0) return ys[0] - (points[0] - t) * k;
    if (points[i] === t) return ys[i] + slot * opts.slotPx;
    if (i === last) return ys[last] + ext[last] + (t - points[last]) * k;
    // Between two instants: along the straight line from the end of one's slots to the next.
    const from = ys[i] + ext[i];
    const f = (t - points[i]) / (points[i + 1] - points[i]);
    return from + f * (ys[i + 1] - from) + slot * opts.slotPx;
  };

  const timeAt = (yy: number): number => {
    if (yy <= ys[0]) return points[0] - (ys[0] - yy) / k;
    // Binary search over the drawn positions (increasing).
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ys[mid] <= yy) lo = mid;
      else hi = mid - 1;
    }
    const from = ys[lo] + ext[lo];
    if (yy <= from) return points[lo];
    if (lo === last) return points[last] + (yy - from) / k;
    const f = (yy - from) / (ys[lo + 1] - from);
    return points[lo] + f * (points[lo + 1] - points[lo]);
  };

  // Ticks: per run of unfolded instants, its first instant, then round values (timeTicks.ts).
  const step = niceStep(TICK_MIN_PX / k);
  const runs: TimeRun[] = [];
  let runStart = 0;
  for (let i = 0; i <= last; i++) {
    if (i < last && !folded[i + 1]) continue;
    runs.push({ from: points[runStart], to: points[i] });
    runStart = i + 1;
  }
  const ticks: ScaleTick[] = ticksAlong(
    runs,
    (t) => y(t),
    TICK_MIN_PX,
    () => step,
  ).map((tk) => ({
    t: tk.t,
    y: tk.at,
    label: tk.label,
  }));

  return { y, timeAt, top: ys[0], bottom: ys[last] + ext[last], pxPerMs: k, breaks, ticks };
}
