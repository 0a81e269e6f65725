// The scenario's ISNs on the verify wire. Linux chooses its own ISNs (secure_tcp_seq: a keyed
// hash of the 4-tuple plus a clock) and no socket option sets them, so a scenario that fixes ISNs
// (an endpoint's `isn=N`, or `set isn = fixed|clock`) cannot be given them. Where the story is
// about ISNs ACROSS incarnations (an old duplicate SYN's number against a new connection's, a
// new SYN's ISN against a LAST_ACK's RCV.NXT, an old segment inside a new connection's window),
// numbers relative to each side's ISN cannot reproduce it: the kernel must compare the
// scenario's numbers.
//
// So the wire rewrites sequence numbers the way a sequence-number-modulating middlebox does (pf's
// "modulate state", in reverse: towards chosen ISNs instead of random ones). Each side of a
// 4-tuple (address:port>address:port, the direction it sends in) has incarnations, one per
// connection, starting at the SYN or SYN,ACK it sends with a new ISN (a retransmitted SYN, or a
// simultaneous open's SYN,ACK, repeats the ISN and stays in its incarnation). The n-th
// incarnation of a side takes the ISN of the model's n-th connection on that side, and
//   offset = model ISN - kernel ISN.
// Between the two kernels the wire carries the model's numbers: a segment a kernel sends gets
//   seq += offset(the sender's current incarnation),
// its ack is left alone (the sender saw its peer only in the model's numbers, so it acks in
// them), and when the segment is handed to the receiving kernel
//   ack -= offset(the receiver's current incarnation on that 4-tuple),
// which is the socket that will read it. Each kernel so sees its peer in the model's numbers and
// itself in its own: a TIME_WAIT or LAST_ACK socket compares a new SYN with the model's RCV.NXT,
// a SYN_SENT socket finds an old connection's ACK unacceptable exactly when the model does, and
// its RST <SEQ=SEG.ACK> (RFC 9293 3.10.7.3) turns back into the number the other side expects,
// because the same offset is taken off on the way in and put back on the way out. A server in
// LAST_ACK that answers a new incarnation's SYN acks in the OLD peer's numbers (its RCV.NXT):
// that number is carried as is and translated for whichever socket now holds the 4-tuple at the
// other end, as the model's own comparison of raw numbers does.
//
// Segments `net inject` forges are written in the model's numbers and go on the wire as they are:
// their seq needs nothing (the receiver sees peers in the model's numbers) and their ack is
// translated for the receiver like any other. A RST that tcp_v4_send_reset builds for a segment
// without ACK carries <SEQ=0>, a number of no incarnation: it is left as is.
//
// SACK blocks would need the ack's translation too, but every namespace runs with tcp_sack = 0
// (kernel.ts, sysctlsFor), so no segment carries them; timestamps are off as well.
//
// Pure: numbers in, numbers out (the bytes are rewritten by packet.ts's rewriteSeqAck).

import type { Scenario } from '../core/ast';
import type { Trace } from '../core/trace';
import type { Flag } from '../core/types';

/** True when the run asks for ISNs: an endpoint's `isn=N`, or `set isn` in the file or the variant. */
export function asksForIsns(scenario: Scenario, variant: string): boolean {
  if (scenario.endpoints.some((e) => e.isn !== null)) return true;
  if (scenario.settings.some((s) => s.name.value === 'isn')) return true;
  const v = scenario.variants.find((x) => x.label.value === variant);
  return v?.overrides.some((s) => s.name.value === 'isn') ?? false;
}

/** The key of a 4-tuple's side: the direction `address:port>address:port` it sends in. */
export function sideKey(src: string, srcPort: number, dst: string, dstPort: number): string {
  return `${src}:${srcPort}>${dst}:${dstPort}`;
}

/**
 * The ISN of each of the model's connections, per side, in the order they were opened: the
 * sequence number of the first SYN or SYN,ACK each sent. Injected segments and a network's
 * copies open nothing; a retransmission repeats its connection's ISN; so does a simultaneous
 * open's SYN,ACK after its own SYN (same ISN, same incarnation of the 4-tuple).
 */
export function modelIsns(trace: Pick<Trace, 'segments' | 'endpoints'>): Map<string, number[]> {
  const where = new Map(trace.endpoints.map((e) => [e.name, e]));
  const out = new Map<string, number[]>();
  const last = new Map<string, { seq: number; incarnation: number | null; ack: boolean }>();
  for (const s of trace.segments) {
    if (!s.flags.includes('SYN') || s.injected || s.fate === 'duplicate' || s.retransmission) continue;
    const a = where.get(s.from);
    const b = where.get(s.to);
    if (!a || !b) continue;
    const side = sideKey(a.address, a.port, b.address, b.port);
    const prev = last.get(side);
    const hasAck = s.flags.includes('ACK');
    const sameOpen = prev && prev.seq === s.seq && prev.incarnation === s.incarnation && !prev.ack && hasAck;
    last.set(side, { seq: s.seq, incarnation: s.incarnation, ack: hasAck });
    if (sameOpen) continue;
    const list = out.get(side) ?? [];
    list.push(s.seq >>> 0);
    out.set(side, list);
  }
  return out;
}

export interface Incarnation {
  /** 1-based, per side. */
  n: number;
  kernelIsn: number;
  modelIsn: number;
  /** modelIsn - kernelIsn, mod 2^32. */
  offset: number;
  /** False when the model has no n-th connection on that side: numbers are the kernel's. */
  fromModel: boolean;
}

export class IsnRewriter {
  private readonly sides = new Map<string, Incarnation[]>();

  /** `isns`: per side, the model's ISNs in connection order (modelIsns). */
  constructor(private readonly isns: ReadonlyMap<string, readonly number[]>) {}

  /** The side's current incarnation (its latest), if it has opened one. */
  current(side: string): Incarnation | undefined {
    const list = this.sides.get(side);
    return list?.[list.length - 1];
  }

  incarnations(side: string): readonly Incarnation[] {
    return this.sides.get(side) ?? [];
  }

  /**
   * A segment a kernel sent on `side`: a SYN with a new ISN opens the side's next incarnation.
   * Returns the seq as the wire carries it (the model's numbers), and the incarnation it was
   * numbered in, when it has one (a new one is reported so the runner can warn when the model
   * has no such connection).
   */
  sent(side: string, seq: number, flags: readonly Flag[]): { seq: number; opened: Incarnation | null } {
    let opened: Incarnation | null = null;
    const cur = this.current(side);
    if (flags.includes('SYN') && (cur === undefined || cur.kernelIsn !== seq >>> 0)) {
      const list = this.sides.get(side) ?? [];
      const n = list.length + 1;
      const model = this.isns.get(side)?.[n - 1];
      const kernelIsn = seq >>> 0;
      const modelIsn = model ?? kernelIsn;
      opened = { n, kernelIsn, modelIsn, offset: (modelIsn - kernelIsn) >>> 0, fromModel: model !== undefined };
      list.push(opened);
      this.sides.set(side, list);
    }
    // tcp_v4_send_reset's answer to a segment without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
    if (flags.includes('RST') && seq >>> 0 === 0 && opened === null) return { seq: 0, opened };
    const inc = this.current(side);
    return { seq: inc === undefined ? seq >>> 0 : (seq + inc.offset) >>> 0, opened };
  }

  /** The ack of a segment handed to the kernel whose side of the 4-tuple is `receiverSide`, in that kernel's numbers. */
  received(receiverSide: string, ack: number): number {
    const inc = this.current(receiverSide);
    return inc === undefined ? ack >>> 0 : (ack - inc.offset) >>> 0;
  }
}
