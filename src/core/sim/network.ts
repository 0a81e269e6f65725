// The network between the endpoints: segment numbering, latency (option or per-link), and the
// `net` rules (drop / delay / duplicate / drop segment N). A rule armed at an instant applies to
// every segment handed to the network at that instant or later, including one sent by the very
// transition that fired its trigger, so segments sent during an instant get their fate only at
// the end of that instant (finalize), when every rule of the instant is armed.

import type { Direction, NetRule, NetStmt, SegmentMatch } from '../ast';
import type { TraceSegment } from '../trace';
import type { Segment } from './model';

interface ActiveRule {
  stmt: NetStmt;
  rule: Extract<NetRule, { kind: 'drop' | 'delay' | 'duplicate' }>;
  remaining: number;
}

interface DropSegmentRule {
  stmt: NetStmt;
  n: number;
  used: boolean;
  tooLate: boolean;
}

export class Network {
  // Only the trace rows are kept: a Segment is garbage once it has arrived (or was dropped), so
  // the heap of a long run holds what the trace needs and not every segment's internals too.
  readonly traceSegments: TraceSegment[] = [];
  private pending: Segment[] = [];
  /** Armed drop/delay/duplicate rules in arming order; used-up ones are swept out (see `spent`). */
  private rules: ActiveRule[] = [];
  /** Rules in `rules` with nothing left. Every segment walks `rules`, so once they are half of it
   * they are removed: the walk stays proportional to the rules still armed, not to every rule
   * the run ever armed (a scenario arming one rule per connection would otherwise be quadratic). */
  private spent = 0;
  private readonly dropSegment = new Map<number, DropSegmentRule>();
  readonly dropSegmentRules: DropSegmentRule[] = [];
  /** Segments numbered up to here were finalized (their instant is over). */
  private finalizedUpTo = 0;
  /** Set when the segment limit is reached. */
  full = false;

  constructor(
    private readonly latencyOf: (from: string, to: string) => number,
    private readonly maxSegments: number,
    private readonly scheduleArrival: (t: number, seg: Segment) => void,
  ) {}

  get count(): number {
    return this.traceSegments.length;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The number the next segment handed to the network will get, or 0 at the segment limit. */
  nextNumber(): number {
    if (this.traceSegments.length >= this.maxSegments) {
      this.full = true;
      return 0;
    }
    return this.traceSegments.length + 1;
  }

  /** Hands a segment (already numbered by nextNumber) to the network; its fate waits for the end of the instant. */
  hand(seg: Segment): void {
    this.traceSegments.push(seg.trace);
    this.pending.push(seg);
  }

  arm(stmt: NetStmt): void {
    const rule = stmt.rule;
    if (rule.kind === 'drop-segment') {
      const r: DropSegmentRule = { stmt, n: rule.n.value, used: false, tooLate: rule.n.value <= this.finalizedUpTo };
      this.dropSegmentRules.push(r);
      if (!r.tooLate && !this.dropSegment.has(r.n)) this.dropSegment.set(r.n, r);
      return;
    }
    if (rule.kind === 'inject') return;
    const remaining = rule.count === 'all' ? Infinity : rule.count;
    this.rules.push({ stmt, rule, remaining });
    if (remaining <= 0) this.spent++;
  }

  /** Decides the fate of every segment sent during the instant `now` and schedules the arrivals. */
  finalize(): void {
    const batch = this.pending;
    this.pending = [];
    for (const seg of batch) this.decide(seg);
    this.finalizedUpTo = this.traceSegments.length;
    // Between segments only: removing rules keeps the order of the others, and a rule with
    // nothing left matches nothing, so which segment gets which rule does not change.
    if (this.spent > 0 && 2 * this.spent >= this.rules.length) {
      this.rules = this.rules.filter((r) => r.remaining > 0);
      this.spent = 0;
    }
  }

  private use(r: ActiveRule): void {
    r.remaining--;
    if (r.remaining <= 0) this.spent++;
  }

  private decide(seg: Segment): void {
    const tr = seg.trace;
    const ds = this.dropSegment.get(seg.n);
    let dropped = false;
    if (ds) {
      ds.used = true;
      dropped = true;
    }
    if (!dropped && !seg.isCopy) {
      for (const r of this.rules) {
        if (r.rule.kind !== 'drop' || r.remaining <= 0 || !matches(r.rule.dir, r.rule.match, seg)) continue;
        this.use(r);
        dropped = true;
        break;
      }
    }
    if (dropped) {
      tr.fate = 'dropped';
      tr.arrivedAt = null;
      return;
    }
    if (seg.isCopy) {
      // A copy's arrival was fixed when it was made.
      this.scheduleArrival(tr.arrivedAt as number, seg);
      return;
    }
    const latency = this.latencyOf(seg.from, seg.to);
    let delay = 0;
    const copies: number[] = [];
    for (const r of this.rules) {
      if (r.remaining <= 0 || r.rule.kind === 'drop' || !matches(r.rule.dir, r.rule.match, seg)) continue;
      this.use(r);
      if (r.rule.kind === 'delay') delay += r.rule.by;
      else copies.push(r.rule.after ?? latency);
    }
    const arrival = seg.sentAt + latency + delay;
    tr.arrivedAt = arrival;
    tr.delayedBy = delay;
    this.scheduleArrival(arrival, seg);
    for (const after of copies) {
      const n = this.nextNumber();
      if (n === 0) return;
      const copyTrace: TraceSegment = {
        ...tr,
        n,
        fate: 'duplicate',
        duplicateOf: seg.n,
        arrivedAt: arrival + after,
        flags: [...tr.flags],
      };
      const copy: Segment = { ...seg, n, trace: copyTrace, isCopy: true };
      this.traceSegments.push(copyTrace);
      // The copy is subject only to `drop segment N`, at the end of this same instant.
      this.pending.push(copy);
    }
  }
}

export function matches(dir: Direction, m: SegmentMatch, seg: Segment): boolean {
  if (dir.kind === 'between' && (dir.from.value !== seg.from || dir.to.value !== seg.to)) return false;
  const flags = seg.trace.flags;
  for (const f of m.flags) if (!flags.includes(f)) return false;
  if (m.data && seg.len <= 0) return false;
  if (m.pureAck && !(seg.len === 0 && flags.length === 1 && flags[0] === 'ACK')) return false;
  if (m.seq !== null && seg.seq !== m.seq) return false;
  if (m.ack !== null && (!seg.ackFlag || seg.ack !== m.ack)) return false;
  return true;
}
