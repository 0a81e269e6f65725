// The event queue of the discrete-event simulation: a binary min-heap ordered by time, then by
// insertion sequence, so that events sharing an instant run in the order they were scheduled
// (the spec: "lines that share an instant run in file order").
//
// The timed lines of a file are all known before the run starts, and a large file has many of
// them: kept in the heap they would make every push and pop of the run pay log(lines) and drag
// a heap of the whole file through the cache. They are kept instead in a list sorted once by
// time (stably, so file order within an instant), read by a cursor and merged with the heap.
// They are scheduled before anything else, so their insertion sequence is below every heap
// event's: at equal times the list's event comes first, exactly as if it were in the heap.

export interface SimEvent {
  t: number;
  /** Insertion sequence, assigned by the queue. */
  seq: number;
  /** A timer that was re-armed or stopped is cancelled in place and skipped when it surfaces. */
  cancelled: boolean;
  run: () => void;
}

export class EventQueue {
  private heap: SimEvent[] = [];
  private nextSeq = 0;
  /** Events given to `preload`, sorted by (t, seq); `next` is the first not yet popped. */
  private preloaded: SimEvent[] = [];
  private next = 0;

  get size(): number {
    return this.heap.length + this.preloaded.length - this.next;
  }

  /**
   * Schedules many events at once, in this order for equal times, before any `push`: the run's
   * timed lines. Sorting them once costs what pushing them would, and the heap stays the size
   * of what is actually in flight.
   */
  preload(items: readonly { t: number; run: () => void }[]): SimEvent[] {
    if (this.nextSeq !== 0) throw new Error('EventQueue.preload must come before any push');
    const evs = items.map((it): SimEvent => ({ t: it.t, seq: this.nextSeq++, cancelled: false, run: it.run }));
    this.preloaded = evs.slice().sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.seq - b.seq));
    this.next = 0;
    return evs;
  }

  /** Schedules `run` at time `t`; returns the event so a timer can cancel it later. */
  push(t: number, run: () => void): SimEvent {
    const ev: SimEvent = { t, seq: this.nextSeq++, cancelled: false, run };
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(ev, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = ev;
    return ev;
  }

  /** The earliest live event, discarding cancelled ones on the way; undefined when none is pending. */
  peek(): SimEvent | undefined {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.popHeap();
    while (this.next < this.preloaded.length && this.preloaded[this.next].cancelled) this.next++;
    const p = this.preloaded[this.next];
    const h = this.heap[0];
    if (p === undefined) return h;
    return h === undefined || before(p, h) ? p : h;
  }

  /** Removes and returns the earliest event (cancelled or not). */
  pop(): SimEvent | undefined {
    const p = this.preloaded[this.next];
    const h = this.heap[0];
    if (p !== undefined && (h === undefined || before(p, h))) {
      this.next++;
      if (this.next === this.preloaded.length) {
        // Let the list and its closures go once the run is past the last timed line.
        this.preloaded = [];
        this.next = 0;
      }
      return p;
    }
    return this.popHeap();
  }

  private popHeap(): SimEvent | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as SimEvent;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
