// When an edit reaches the preview. A fixed 50 ms pause after every keystroke was about half of
// the keystroke-to-diagram time of a small file, far more than Mermaid and the analysis
// (keystroke -> diagram in docs/performance.md). Now:
//   - an edit is drawn at once (next tick) when the last update was fast and no other edit
//     came just before it;
//   - edits that arrive while an update is in flight (analysis, then the webview drawing it)
//     are coalesced: at most one update waits, and it reads the document when it runs, so the
//     latest text wins;
//   - a burst (edits closer together than BURST_GAP_MS, e.g. key repeat or a macro) and a
//     document whose analysis is slow get a pause after the last edit, as long as the analysis
//     itself (bounded), so a big file is not re-analysed on every key.
// Pure: the clock and the timers are injected so tests use a fake.

export interface TimerApi {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: TimerApi = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Edits closer together than this are a burst: wait for a pause. */
export const BURST_GAP_MS = 30;
/**
 * An update whose analysis and drawing took at most this long lets the next edit go at once.
 * Up to 4 x BURST_GAP_MS the pause a slow drawing would get (a quarter of its time, below) is at
 * most BURST_GAP_MS, so only a key of a burst could join it, and a burst gets BURST_PAUSE_MS
 * anyway: the pause would only make every lone key late (a sequence diagram drawn in ~110 ms in
 * VS Code waited ~27 ms more per key).
 */
export const FAST_UPDATE_MS = 4 * BURST_GAP_MS;
/** The pause after the last edit of a burst. */
export const BURST_PAUSE_MS = 40;
/** The longest pause, for the slowest documents. */
export const MAX_PAUSE_MS = 300;
/** Analysis slower than this (a big document) means pausing after edits. */
export const SLOW_ANALYSIS_MS = 25;
/** If the webview never says it is done (hidden, reloading), the update counts as done after this. */
export const DRAW_TIMEOUT_MS = 1500;

export interface Clock {
  now(): number;
}

/** How long to wait after an edit, from what the last update cost and the gap since the previous edit. */
export function pauseFor(last: { analysisMs: number; totalMs: number } | null, gapMs: number): number {
  const slowAnalysis = last !== null && last.analysisMs > SLOW_ANALYSIS_MS;
  if (slowAnalysis) return Math.min(MAX_PAUSE_MS, Math.max(BURST_PAUSE_MS, Math.round(2 * last.analysisMs)));
  if (gapMs < BURST_GAP_MS) return BURST_PAUSE_MS;
  if (last === null || last.totalMs <= FAST_UPDATE_MS) return 0;
  // Fast analysis but a slow drawing: the in-flight coalescing already limits the rate; a
  // short pause lets a word's next key join the same update.
  return Math.min(MAX_PAUSE_MS, Math.round(last.totalMs / 4));
}

export class UpdateScheduler {
  private timer: unknown = undefined;
  private timerPending = false;
  private inFlight = false;
  private queued = false;
  private lastEditAt = -Infinity;
  private last: { analysisMs: number; totalMs: number } | null = null;
  private drawTimer: unknown = undefined;

  /**
   * @param run starts an update; it must call `analysed(ms)` after the analysis and `drawn()`
   *   when the webview has drawn it (or `drawn()` at once if nothing will be drawn).
   */
  constructor(
    private readonly run: () => void,
    private readonly timers: TimerApi,
    private readonly clock: Clock,
  ) {}

  /** An edit happened. */
  edit(): void {
    const now = this.clock.now();
    const gap = now - this.lastEditAt;
    this.lastEditAt = now;
    if (this.inFlight) {
      this.queued = true; // one waiting update, whatever the number of edits
      return;
    }
    if (this.timerPending) this.timers.clear(this.timer);
    this.timerPending = true;
    this.timer = this.timers.set(
      () => {
        this.timerPending = false;
        this.start();
      },
      pauseFor(this.last, gap),
    );
  }

  private startedAt = 0;
  private analysisMs = 0;

  /** Starts an update now (also used for updates that are not edits: open, ready, switch). */
  start(): void {
    if (this.timerPending) this.timers.clear(this.timer);
    this.timerPending = false;
    this.queued = false;
    this.inFlight = true;
    this.startedAt = this.clock.now();
    this.analysisMs = 0;
    if (this.drawTimer !== undefined) this.timers.clear(this.drawTimer);
    this.drawTimer = this.timers.set(() => this.drawn(), DRAW_TIMEOUT_MS);
    this.run();
  }

  /** The update's analysis took this long. */
  analysed(ms: number): void {
    this.analysisMs = ms;
  }

  /** The webview has drawn the update (or will not draw anything): a waiting update may go. */
  drawn(): void {
    if (!this.inFlight) return;
    this.inFlight = false;
    if (this.drawTimer !== undefined) this.timers.clear(this.drawTimer);
    this.drawTimer = undefined;
    this.last = { analysisMs: this.analysisMs, totalMs: this.clock.now() - this.startedAt };
    if (this.queued) {
      this.queued = false;
      // The edits that waited are drawn now, unless the document is slow to analyse.
      const pause = this.last.analysisMs > SLOW_ANALYSIS_MS ? pauseFor(this.last, Infinity) : 0;
      this.timerPending = true;
      this.timer = this.timers.set(() => {
        this.timerPending = false;
        this.start();
      }, pause);
    }
  }

  get isInFlight(): boolean {
    return this.inFlight;
  }

  get hasWaiting(): boolean {
    return this.queued || this.timerPending;
  }

  cancel(): void {
    if (this.timerPending) this.timers.clear(this.timer);
    if (this.drawTimer !== undefined) this.timers.clear(this.drawTimer);
    this.timerPending = false;
    this.drawTimer = undefined;
    this.queued = false;
    this.inFlight = false;
  }
}
