// Which segments a sequence diagram draws. Mermaid lays out a sequence diagram in time that
// grows with every message, and a webview that spends seconds in layout looks frozen; so a
// trace with more than WINDOW_THRESHOLD segments is drawn a window at a time and the
// preview offers controls to move the window (the Trace grid shows the same window).

import type { SegmentWindow } from './viewModel';

/** Traces with more segments than this are drawn in windows. */
export const WINDOW_THRESHOLD = 400;
/** How many segments one window holds. */
export const WINDOW_SIZE = 400;

/**
 * The window to draw for a trace of `total` segments, starting at `from` when given (clamped
 * so that the window stays full and inside the trace), or null when the whole trace fits.
 */
export function chooseWindow(
  total: number,
  from?: number,
  size: number = WINDOW_SIZE,
  threshold: number = WINDOW_THRESHOLD,
): SegmentWindow | null {
  if (!Number.isSafeInteger(total) || total <= threshold) return null;
  const span = Math.max(1, Math.min(Math.floor(size), total));
  const wanted = from !== undefined && Number.isFinite(from) ? Math.floor(from) : 1;
  const start = Math.min(Math.max(1, wanted), total - span + 1);
  return { from: start, to: start + span - 1, total };
}

/** The windows next to `w`: where "previous" and "next" lead (null at either end). */
export function neighbourWindows(w: SegmentWindow): { previous: number | null; next: number | null } {
  const span = w.to - w.from + 1;
  return {
    previous: w.from > 1 ? Math.max(1, w.from - span) : null,
    next: w.to < w.total ? Math.min(w.total - span + 1, w.from + span) : null,
  };
}

/** The window that contains segment `n`, aligned to whole windows from 1 where possible. */
export function windowContaining(total: number, n: number, size: number = WINDOW_SIZE): SegmentWindow | null {
  const aligned = Math.floor((Math.max(1, n) - 1) / size) * size + 1;
  return chooseWindow(total, aligned, size);
}
