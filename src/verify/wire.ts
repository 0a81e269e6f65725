// What the verify wire does to a segment a kernel sent: the scenario's `net` rules (spec,
// "Network rules") decided with the model's semantics, but over real segments. Pure and
// synchronous: the runner (kernel.ts) hands each segment here as it leaves a TUN device, after
// arming every rule whose instant has come, and schedules what comes back.
//
// `seq=N` / `ack=N` are matched against the segment's numbers in the scenario's terms: where the
// scenario writes ISNs the wire carries the model's numbers (isn.ts); elsewhere the kernel's
// number minus the kernel's ISN of that side, plus the model's ISN of that side (kernel.ts).

import type { Direction, NetRule, SegmentMatch } from '../core/ast';
import type { Flag } from '../core/types';

export interface WireSegment {
  /** From 1, in the order segments were handed to the wire (duplicates get their own number). */
  n: number;
  from: string;
  to: string;
  flags: readonly Flag[];
  /** In the scenario's numbers: the model's where the wire rewrites ISNs (isn.ts), else relative
   * to the sender's kernel ISN plus the sender's model ISN. */
  seq: number;
  /** The same on the receiver's side; null without ACK. */
  ack: number | null;
  len: number;
}

export interface WireDecision {
  fate: 'delivered' | 'dropped';
  /** Extra latency from `net delay` rules, ms. */
  delayedBy: number;
  /** For each `net duplicate` that matched: how long after the original's arrival the copy arrives, ms. */
  copies: number[];
  /** 1-based source lines of the rules that acted on it. */
  lines: number[];
}

type CountedRule = Extract<NetRule, { kind: 'drop' | 'delay' | 'duplicate' }>;

interface Armed {
  rule: CountedRule;
  line: number;
  left: number;
}

export function segmentMatches(dir: Direction, m: SegmentMatch, s: WireSegment): boolean {
  if (dir.kind === 'between' && (dir.from.value !== s.from || dir.to.value !== s.to)) return false;
  if (!m.flags.every((f) => s.flags.includes(f))) return false;
  if (m.data && s.len === 0) return false;
  if (m.pureAck && (s.len !== 0 || s.flags.length !== 1 || s.flags[0] !== 'ACK')) return false;
  if (m.seq !== null && s.seq >>> 0 !== m.seq >>> 0) return false;
  if (m.ack !== null && (s.ack === null || s.ack >>> 0 !== m.ack >>> 0)) return false;
  return true;
}

export class RuleBook {
  private armed: Armed[] = [];
  /** `drop segment N`: N -> line. */
  private bySegment = new Map<number, number>();
  /** Rules `drop segment N` armed after segment N had already gone. */
  readonly tooLate: { n: number; line: number }[] = [];
  private handed = 0;

  /** Arms a rule at its instant (`line` is 1-based). `inject` is not a rule of the wire: the runner sends it. */
  arm(rule: NetRule, line: number): void {
    if (rule.kind === 'inject') return;
    if (rule.kind === 'drop-segment') {
      if (rule.n.value <= this.handed) this.tooLate.push({ n: rule.n.value, line });
      else if (!this.bySegment.has(rule.n.value)) this.bySegment.set(rule.n.value, line);
      return;
    }
    this.armed.push({ rule, line, left: rule.count === 'all' ? Infinity : rule.count });
  }

  /** Rules of `drop segment N` that no segment reached (the run had fewer segments). */
  unreached(): { n: number; line: number }[] {
    return [...this.bySegment].filter(([n]) => n > this.handed).map(([n, line]) => ({ n, line }));
  }

  /** The fate of a segment (an original, not a copy: copies are only subject to `drop segment N`);
   * `latency` is its one-way latency (a copy arrives that long after the original by default). */
  decide(s: WireSegment, latency: number): WireDecision {
    this.handed = Math.max(this.handed, s.n);
    const bySeg = this.bySegment.get(s.n);
    if (bySeg !== undefined) return { fate: 'dropped', delayedBy: 0, copies: [], lines: [bySeg] };
    // One drop rule is enough; the first armed that matches is the one used up (as in the model).
    const drop = this.armed.find(
      (a) => a.left > 0 && a.rule.kind === 'drop' && segmentMatches(a.rule.dir, a.rule.match, s),
    );
    if (drop) {
      drop.left--;
      return { fate: 'dropped', delayedBy: 0, copies: [], lines: [drop.line] };
    }
    const out: WireDecision = { fate: 'delivered', delayedBy: 0, copies: [], lines: [] };
    for (const a of this.armed) {
      if (a.left <= 0 || a.rule.kind === 'drop' || !segmentMatches(a.rule.dir, a.rule.match, s)) continue;
      a.left--;
      out.lines.push(a.line);
      if (a.rule.kind === 'delay') out.delayedBy += a.rule.by;
      else out.copies.push(a.rule.after ?? latency);
    }
    return out;
  }

  /** A copy made by `duplicate` is numbered too; only `drop segment N` can drop it. */
  decideCopy(n: number): boolean {
    this.handed = Math.max(this.handed, n);
    return this.bySegment.has(n);
  }
}
