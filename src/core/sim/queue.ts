// The event queue of the discrete-event simulation: a binary min-heap ordered by time, then by
// insertion sequence, so that events sharing an instant run in the order they were scheduled
// (the spec: "lines that share an instant run in file order").

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

  get size(): number {
    return this.heap.length;
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
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
    return this.heap[0];
  }

  pop(): SimEvent | undefined {
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
