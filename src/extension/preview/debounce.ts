// Coalesces bursts of calls (keystrokes) into one run after a quiet pause. The timer functions
// are injected so the logic can be tested without waiting.

export interface TimerApi {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: TimerApi = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Debouncer {
  private handle: unknown = undefined;
  private pending = false;

  constructor(
    private readonly delayMs: number,
    private readonly action: () => void,
    private readonly timers: TimerApi = realTimers,
  ) {}

  /** Asks for a run; the run happens delayMs after the last request of a burst. */
  trigger(): void {
    if (this.pending) this.timers.clear(this.handle);
    this.pending = true;
    this.handle = this.timers.set(() => {
      this.pending = false;
      this.action();
    }, this.delayMs);
  }

  /** Runs now if a run is pending (e.g. the panel is about to show). */
  flush(): void {
    if (!this.pending) return;
    this.timers.clear(this.handle);
    this.pending = false;
    this.action();
  }

  get isPending(): boolean {
    return this.pending;
  }

  cancel(): void {
    if (this.pending) this.timers.clear(this.handle);
    this.pending = false;
  }
}
