// A TCB's own behaviour: segment arrival in SYN-SENT and in the synchronized states (RFC 9293
// sections 3.10.7.3 and 3.10.7.4, step by step), the send side (segmentation, FIN, window),
// retransmission on RTO, delayed ACKs and TIME_WAIT. The world (simulate.ts) owns the
// clock, the network and the trace; this module only asks it to do things.

import { formatDuration } from '../duration';
import { timeWaitOf, type TcpState } from '../types';
import {
  DELACK_MAX_BULK,
  initialRcvMss,
  initialWindow,
  ORPHAN_RETRIES,
  quickAcks,
  retryBudget,
  TCP_DELACK_MAX,
  TCP_TIMEOUT_FALLBACK,
  TCP_TIMEOUT_MIN,
  timerDelay,
} from './linux';
import { seq32, seqDiff, type Segment, type SegmentSpec, type SentPiece, type Tcb, type World } from './model';

/**
 * Rate limit of ACKs sent in reply to unacceptable segments and of challenge ACKs: at most one
 * per TCB per 500 ms (RFC 5961 section 7 and section 10 recommend throttling them; 500 ms is
 * Linux's tcp_invalid_ratelimit). Without it two TCBs that disagree about the sequence space
 * (an old duplicate that landed in a new incarnation) ACK each other forever. An ACK that
 * answers an exact retransmission (ending at RCV.NXT, e.g. a FIN re-sent because our ACK
 * was lost) is never throttled, as in Linux.
 */
export const INVALID_ACK_INTERVAL = 500;

export function sndSeq(tcb: Tcb, off: number): number {
  return seq32(tcb.iss + off);
}
export function rcvSeq(tcb: Tcb, off: number): number {
  return seq32(tcb.irs + off);
}
/** A sequence number from the peer as an offset from our ISS, near SND.UNA. */
function sndOff(tcb: Tcb, s: number): number {
  return tcb.sndUna + seqDiff(s, sndSeq(tcb, tcb.sndUna));
}
/** A sequence number from the peer as an offset from IRS, near RCV.NXT. */
function rcvOff(tcb: Tcb, s: number): number {
  return tcb.rcvNxt + seqDiff(s, rcvSeq(tcb, tcb.rcvNxt));
}

export function flagsText(seg: Segment): string {
  return seg.trace.flags.join(',');
}

const SYNCHRONIZED_SEND: ReadonlySet<TcpState> = new Set<TcpState>([
  'ESTABLISHED',
  'CLOSE_WAIT',
  'FIN_WAIT_1',
  'LAST_ACK',
]);
const TEXT_STATES: ReadonlySet<TcpState> = new Set<TcpState>(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2']);
const CLOSING_GRACEFULLY: ReadonlySet<TcpState> = new Set<TcpState>([
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'LAST_ACK',
]);

// ---------------------------------------------------------------------------------------------
// Sending

/** Sends a segment from this TCB; any segment with ACK carries our RCV.NXT and so settles a pending ACK. */
export function transmit(w: World, tcb: Tcb, spec: SegmentSpec): Segment | null {
  const seg = w.emit(tcb, spec);
  if (spec.ack !== undefined && spec.ack !== null) {
    clearPendingAck(tcb);
    tcb.rcvWup = tcb.rcvNxt;
  }
  return seg;
}

function clearPendingAck(tcb: Tcb): void {
  // Linux (tcp_dec_quickack_mode): an ACK sent while one was due uses up one quick ACK.
  if (tcb.ackPending && tcb.quick > 0) tcb.quick--;
  tcb.ackPending = false;
  tcb.fullSegmentsUnacked = 0;
  cancel(tcb.delAckTimer);
}

function cancel(timer: { ev: { cancelled: boolean } | null }): void {
  if (timer.ev) timer.ev.cancelled = true;
  timer.ev = null;
}

/** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
export function sendAck(w: World, tcb: Tcb, note: string, causeLine: number | null): void {
  transmit(w, tcb, { seq: sndSeq(tcb, tcb.sndNxt), ack: rcvSeq(tcb, tcb.rcvNxt), causeLine, note });
}

/**
 * A reset answering `seg`, formed so that the TCP that sent `seg` can accept it (RFC 9293 3.5.2,
 * reset generation; 4.4BSD's `dropwithreset`): with an ACK field, <SEQ=SEG.ACK><CTL=RST>;
 * without one (a bare SYN), <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. A `<SEQ=SND.NXT><CTL=RST>`
 * would be dropped by a sender in SYN-SENT, which accepts a RST only with an ACK of its SYN.
 */
function sendResetFor(w: World, tcb: Tcb, seg: Segment, note: string): void {
  // The reset answers `seg` and dies with this TCB: it carries the incarnation of `seg`, as a RST
  // sent with no TCB does (3.10.7.1), so the SYN's sender acting on it is not an old duplicate.
  const incarnation = seg.incarnation;
  if (seg.ackFlag) {
    transmit(w, tcb, { rst: true, seq: seg.ack, ack: null, incarnation, causeLine: seg.causeLine, note });
    return;
  }
  const segLen = seg.len + (seg.syn ? 1 : 0) + (seg.fin ? 1 : 0);
  transmit(w, tcb, { rst: true, seq: 0, ack: seq32(seg.seq + segLen), incarnation, causeLine: seg.causeLine, note });
}

/** An ACK answering an unacceptable segment or a challenge ACK, throttled (see INVALID_ACK_INTERVAL). */
function sendThrottledAck(w: World, tcb: Tcb, seg: Segment, note: string, exempt: boolean): void {
  if (!exempt) {
    if (w.now() - tcb.lastInvalidAckAt < INVALID_ACK_INTERVAL) return;
    tcb.lastInvalidAckAt = w.now();
  }
  sendAck(w, tcb, note, seg.causeLine);
}

/** The first SYN (active OPEN) or SYN-ACK (passive), RFC 9293 3.10.1 and 3.10.7.2. */
export function sendSyn(w: World, tcb: Tcb, causeLine: number | null, note: string): void {
  const withAck = tcb.state !== 'SYN_SENT';
  if (linux(w)) {
    // tcp_select_initial_window: 64 240 (44 × 1460) rather than 65 535 in a SYN and a SYN,ACK;
    // tcp_initialize_rcv_mss: the first guess of the peer's MSS, which sizes quick-ack mode.
    tcb.synWnd = initialWindow(tcb.rcvWnd, w.options.mss);
    tcb.rcvMss = initialRcvMss(w.options.mss, tcb.synWnd);
  }
  const piece: SentPiece = {
    start: 0,
    end: 1,
    syn: true,
    fin: false,
    psh: false,
    causeLine,
    note,
    sentAt: w.now(),
    retransmitted: false,
  };
  tcb.unacked.push(piece);
  tcb.sndNxt = Math.max(tcb.sndNxt, 1);
  transmit(w, tcb, { syn: true, seq: sndSeq(tcb, 0), ack: withAck ? rcvSeq(tcb, tcb.rcvNxt) : null, causeLine, note });
  armRtx(w, tcb);
}

/**
 * Sends what the window allows: queued bytes cut into segments of at most MSS, PSH on the
 * segment that ends a `send`, then the FIN. The FIN occupies a sequence number, so it too must
 * lie inside the peer's window (RFC 9293 3.8.6: the window is "the range of sequence numbers the
 * receiver is prepared to accept"; Linux's tcp_snd_wnd_test counts the FIN in end_seq): it rides
 * on the last data segment when the close came before that segment left (as Linux sets FIN on
 * its unsent tail) and the window has room for it, else it goes alone once the window has.
 * With a zero window and nothing in flight, one byte (or, with no byte left, the FIN) is sent as
 * a window probe (RFC 9293 3.8.6.1) and retransmitted like any segment, so a window that never
 * opens still ends.
 */
export function output(w: World, tcb: Tcb): void {
  if (tcb.deleted || !SYNCHRONIZED_SEND.has(tcb.state)) return;
  const mss = w.options.mss;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const bytesSent = tcb.sndNxt - 1 - (tcb.finSent ? 1 : 0);
    const unsent = tcb.finSent ? 0 : tcb.queued - bytesSent;
    if (unsent > 0) {
      const usable = tcb.sndUna + tcb.sndWnd - tcb.sndNxt;
      let len: number;
      let note = 'data';
      if (usable > 0) len = Math.min(mss, unsent, usable);
      else if (tcb.sndWnd === 0 && tcb.sndNxt === tcb.sndUna) {
        len = 1;
        note = 'window probe';
      } else return;
      // The FIN's sequence number (start + len) must be below the window's right edge too.
      const fin = tcb.finQueued && len === unsent && tcb.sndNxt + len < tcb.sndUna + tcb.sndWnd;
      // Linux (tcp_send_fin, tcp_snd_wnd_test): a close with data unsent puts the FIN on the last
      // segment, which is then sent whole or not at all: when its data fits in the window but its
      // FIN does not, it waits with the FIN for the ACK that opens the window (receive-window:
      // `FIN,PSH,ACK 2501/1 len 500` at 506 ms, not the data at 405 ms and the FIN alone later).
      if (linux(w) && tcb.finQueued && len === unsent && !fin && note === 'data') return;
      let psh = false;
      let causeLine: number | null = null;
      // Marks are in increasing order of end: past the first mark beyond this segment none can
      // set PSH, so stop there (a walk of every mark per segment is quadratic in queued sends).
      for (let i = 0; i < tcb.sendMarks.length; i++) {
        const mark = tcb.sendMarks.at(i) as { end: number; line: number | null };
        if (mark.end > bytesSent && causeLine === null) causeLine = mark.line;
        if (mark.end > bytesSent && mark.end <= bytesSent + len) psh = true;
        if (mark.end > bytesSent + len && causeLine !== null) break;
      }
      if (fin) note = 'data, FIN';
      const start = tcb.sndNxt;
      const end = start + len + (fin ? 1 : 0);
      const piece: SentPiece = {
        start,
        end,
        syn: false,
        fin,
        psh,
        causeLine: fin && causeLine === null ? tcb.closeLine : causeLine,
        note,
        sentAt: w.now(),
        retransmitted: false,
      };
      // Linux (tcp_event_data_sent): data sent within the ACK timeout of the last data received
      // is a reply, so the connection is interactive and delays its ACKs (pingpong mode).
      if (linux(w) && w.now() - tcb.lastRcvAt < tcb.ato) tcb.pingpong = true;
      tcb.unacked.push(piece);
      tcb.sndNxt = end;
      if (fin) {
        tcb.finSent = true;
        tcb.finOff = end - 1;
      }
      // Marks fully sent are no longer needed.
      for (let m = tcb.sendMarks.first(); m !== undefined && m.end <= bytesSent + len; m = tcb.sendMarks.first())
        tcb.sendMarks.shift();
      transmit(w, tcb, {
        seq: sndSeq(tcb, start),
        ack: rcvSeq(tcb, tcb.rcvNxt),
        len,
        fin,
        psh,
        dataOffset: start - 1,
        causeLine: piece.causeLine,
        note,
      });
      armRtx(w, tcb);
      if (note === 'window probe') return;
      continue;
    }
    if (tcb.finQueued && !tcb.finSent) {
      const start = tcb.sndNxt;
      const inWindow = start < tcb.sndUna + tcb.sndWnd;
      const probe = !inWindow && tcb.sndWnd === 0 && start === tcb.sndUna;
      // Beyond the window it waits for the ACK that opens it (output runs again on every ACK).
      if (!inWindow && !probe) return;
      const note = probe ? 'FIN, window probe' : 'FIN';
      const piece: SentPiece = {
        start,
        end: start + 1,
        syn: false,
        fin: true,
        psh: false,
        causeLine: tcb.closeLine,
        note,
        sentAt: w.now(),
        retransmitted: false,
      };
      tcb.unacked.push(piece);
      tcb.sndNxt = start + 1;
      tcb.finSent = true;
      tcb.finOff = start;
      transmit(w, tcb, {
        seq: sndSeq(tcb, start),
        ack: rcvSeq(tcb, tcb.rcvNxt),
        fin: true,
        causeLine: tcb.closeLine,
        note,
      });
      armRtx(w, tcb);
    }
    return;
  }
}

// ---------------------------------------------------------------------------------------------
// Timers

/** Starts the retransmission timer if it is not running (RFC 6298 5.1). */
function armRtx(w: World, tcb: Tcb): void {
  if (tcb.rtxTimer.ev || tcb.unacked.length === 0) return;
  startRtx(w, tcb);
}

function startRtx(w: World, tcb: Tcb): void {
  cancel(tcb.rtxTimer);
  tcb.rtxTimer.ev = kernelTimer(w, tcb, tcb.rto, () => {
    tcb.rtxTimer.ev = null;
    onRtxTimeout(w, tcb);
  });
}

/**
 * RTO expiry (RFC 6298 5.4-5.6, RFC 9293 3.8.3): retransmit the oldest unacknowledged
 * segment and double the RTO; after `max_retries` retransmissions (`syn_retries` for an
 * active open's SYN) the next expiry gives up
 * with ETIMEDOUT and deletes the TCB (no RST, as Linux).
 */
function onRtxTimeout(w: World, tcb: Tcb): void {
  if (tcb.deleted || tcb.unacked.length === 0) return;
  const head = tcb.unacked.first() as SentPiece;
  if (givesUp(w, tcb, head)) {
    // An embryonic connection accepted from a listener has no application yet to tell.
    if (!(tcb.passive && tcb.state === 'SYN_RECEIVED')) {
      const call = head.syn ? 'connect' : head.fin && head.end - head.start === 1 ? 'close' : 'send';
      w.recordError(tcb.endpoint, call, 'ETIMEDOUT', null);
    }
    w.deleteTcb(tcb, 'user-timeout', 'timeout', null);
    return;
  }
  tcb.retries++;
  // tcp_retransmit_timer: an active open's first `syn_linear_timeouts` retransmissions keep
  // the RTO (tcp_syn_linear_timeouts); otherwise it doubles, up to `rto_max` (TCP_RTO_MAX).
  const linear = tcb.state === 'SYN_SENT' && tcb.retries <= w.options.synLinearTimeouts;
  if (!linear) tcb.rto = Math.min(tcb.rto * 2, w.options.rtoMax ?? 1e15);
  retransmitHead(w, tcb);
  startRtx(w, tcb);
}

/**
 * Whether the next retransmission of `head` is one too many. A SYN: after `syn_retries` (plus
 * `syn_linear_timeouts`) retransmissions of an active open, `synack_retries` of an accepted
 * connection's SYN,ACK (both `max_retries` when unset). Data or FIN: after `max_retries`
 * retransmissions; under `linux` (tcp_write_timeout, retransmits_timed_out) `max_retries` is
 * tcp_retries2 and gives a time budget instead, counted from the first retransmission and
 * checked only when the RTO expires: (2^(N+1) - 1) × 200 ms (TCP_RTO_MIN), and for a
 * connection its application closed N is at most 8 (tcp_orphan_retries).
 */
function givesUp(w: World, tcb: Tcb, head: SentPiece): boolean {
  const o = w.options;
  if (head.syn) {
    if (tcb.passive) return tcb.retries >= (o.synackRetries ?? o.maxRetries);
    const linearToo = tcb.state === 'SYN_SENT' ? o.synLinearTimeouts : 0;
    return tcb.retries >= (o.synRetries ?? o.maxRetries) + linearToo;
  }
  if (!linux(w)) return tcb.retries >= o.maxRetries;
  if (tcb.retries === 0 || tcb.firstRtxAt === null) return false;
  const n = tcb.orphaned ? Math.min(o.maxRetries, ORPHAN_RETRIES) : o.maxRetries;
  return w.now() - tcb.firstRtxAt >= retryBudget(n, o.rtoMin ?? 200, o.rtoMax ?? 120_000);
}

/**
 * A TCP timer of `tcb`: on Linux's timer wheel with `hz`, else exactly `delay` ms from now. A
 * timer armed while one of the TCB's own timers is firing (the RTO re-armed by the
 * retransmission it sends) starts on that timer's granule boundary, where the kernel's jiffies
 * stand when the timer softirq runs it (see timerDelay).
 */
function kernelTimer(w: World, tcb: Tcb, delay: number, run: () => void): { cancelled: boolean } {
  const hz = w.options.hz;
  if (hz === null) return w.schedule(delay, run);
  const fire = timerDelay(delay, hz, tcb.firingGranule);
  return w.schedule(fire.delay, () => {
    const outer = tcb.firingGranule;
    tcb.firingGranule = fire.granule;
    try {
      run();
    } finally {
      tcb.firingGranule = outer;
    }
  });
}

/** One kernel tick (jiffy) in ms: 4 ms at HZ = 250. */
function tick(w: World): number {
  return 1000 / (w.options.hz ?? 250);
}

/** Is this run the `linux` profile? Its rules that are no option of their own ask this. */
function linux(w: World): boolean {
  return w.options.profile === 'linux';
}

function retransmitHead(w: World, tcb: Tcb): void {
  if (linux(w)) collapseRetransmission(w, tcb);
  const head = tcb.unacked.first() as SentPiece;
  head.retransmitted = true;
  if (tcb.firstRtxAt === null) tcb.firstRtxAt = w.now();
  if (head.syn) {
    transmit(w, tcb, {
      syn: true,
      seq: sndSeq(tcb, 0),
      ack: tcb.state === 'SYN_SENT' ? null : rcvSeq(tcb, tcb.rcvNxt),
      retransmission: true,
      causeLine: head.causeLine,
      note: 'retransmission',
    });
    return;
  }
  const start = Math.max(head.start, tcb.sndUna);
  const finHere = head.fin;
  const len = head.end - start - (finHere ? 1 : 0);
  transmit(w, tcb, {
    seq: sndSeq(tcb, start),
    ack: rcvSeq(tcb, tcb.rcvNxt),
    len,
    fin: finHere,
    psh: head.psh && len > 0,
    dataOffset: start - 1,
    retransmission: true,
    causeLine: head.causeLine,
    note: 'retransmission',
  });
}

/**
 * Linux (__tcp_retransmit_skb, tcp_retrans_try_collapse, tcp_collapse_retrans): a retransmitted
 * segment shorter than min(MSS, what the window leaves from its start) takes in the segments
 * sent after it, while their data fits in that space and their end (a FIN included) lies inside
 * the window; flags merge (a FIN-only segment behind the data rides on its retransmission). The
 * merged piece replaces them in the retransmission queue. Measured: mss-segmentation, the 200
 * bytes at 1001 delayed and the FIN sent alone behind them, re-sent as `FIN,PSH,ACK 1001/1 len
 * 200` at 614 ms (model 608 ms).
 */
function collapseRetransmission(w: World, tcb: Tcb): void {
  const head = tcb.unacked.first() as SentPiece;
  if (head.syn || head.fin) return;
  const wndEnd = tcb.sndUna + tcb.sndWnd;
  const start = Math.max(head.start, tcb.sndUna);
  let space = Math.min(w.options.mss, wndEnd - start) - (head.end - start);
  if (space <= 0) return;
  for (let next = tcb.unacked.at(1); next !== undefined && !next.syn; next = tcb.unacked.at(1)) {
    const len = next.end - next.start - (next.fin ? 1 : 0);
    if (len > space || next.end > wndEnd) return;
    space -= len;
    // The merged piece keeps the first one's start and cause; it is one segment from now on.
    tcb.unacked.shift();
    next.start = head.start;
    next.psh ||= head.psh;
    next.causeLine = head.causeLine;
    next.note = head.note;
    next.sentAt = head.sentAt;
    next.retransmitted ||= head.retransmitted;
    if (next.fin) return;
  }
}

/**
 * Queues the ACK of data or FIN. With `delayed_ack` it may wait that long for data or a FIN of
 * our own to ride on, but every second full-sized segment is acknowledged at once
 * (RFC 9293 3.8.6.3). Returns true when the ACK must go now.
 */
function wantAck(w: World, tcb: Tcb, seg: Segment, note: string, mayDelay: boolean): boolean {
  tcb.ackPending = true;
  tcb.ackPendingLine = seg.causeLine;
  tcb.ackPendingNote = note;
  if (!mayDelay || w.options.delayedAck <= 0) return true;
  if (linux(w)) {
    // __tcp_ack_snd_check: "more than one full frame received": what arrived since our last
    // ACK, a FIN's sequence number included, exceeds the peer's MSS as we guess it (two full
    // segments, or one full segment with its FIN: receive-window's last 500 bytes with the FIN
    // were acknowledged at once, ACK 1/3002 at 557 ms).
    if (tcb.rcvNxt - tcb.rcvWup > tcb.rcvMss) return true;
  } else {
    if (seg.len >= w.options.mss) tcb.fullSegmentsUnacked++;
    if (tcb.fullSegmentsUnacked >= 2) return true;
  }
  let delay = w.options.delayedAck;
  if (linux(w)) {
    // tcp_in_quickack_mode: quick ACKs left and not interactive: acknowledge at once.
    if (tcb.quick > 0 && !tcb.pingpong) return true;
    delay = linuxAckDelay(tcb, tick(w), w.options.hz !== null);
  }
  if (!tcb.delAckTimer.ev) {
    tcb.delAckTimer.ev = kernelTimer(w, tcb, delay, () => {
      tcb.delAckTimer.ev = null;
      if (tcb.deleted || !tcb.ackPending) return;
      if (linux(w)) {
        // tcp_delack_timer_handler: a delayed ACK that had to go alone leaves pingpong mode
        // (and deflates the ATO), or, in bulk mode, doubles the ATO (at most the RTO).
        if (tcb.pingpong) {
          tcb.pingpong = false;
          tcb.ato = w.options.delayedAck;
        } else tcb.ato = Math.min(tcb.ato * 2, tcb.rto);
      }
      sendAck(w, tcb, `delayed ${tcb.ackPendingNote}`, tcb.ackPendingLine);
    });
  }
  return false;
}

/**
 * tcp_send_delayed_ack: how long Linux holds an ACK. With no data received yet the ATO is 0 and
 * the timer fires at the next tick (0-4 ms, 2 on average): the ACK of a FIN that ends a connection
 * with no data. Otherwise the ATO (at least `delayed_ack`, 40 ms = TCP_ATO_MIN), bounded by
 * 200 ms in pingpong mode (TCP_DELACK_MAX), 500 ms otherwise, and by the smoothed RTT.
 */
function linuxAckDelay(tcb: Tcb, jiffy: number, wheel: boolean): number {
  // An ATO of 0 is a timer for "now", which the timer wheel fires at the next tick; without
  // `hz` the tick is taken as one jiffy (so the ACK still waits for a prompt close).
  if (tcb.ato <= 0) return wheel ? 0 : jiffy;
  let maxAto = tcb.pingpong ? TCP_DELACK_MAX : DELACK_MAX_BULK;
  if (tcb.srtt !== null) maxAto = Math.min(maxAto, Math.max(tcb.srtt, jiffy));
  return Math.max(jiffy, Math.min(tcb.ato, maxAto, TCP_DELACK_MAX));
}

/**
 * tcp_event_data_recv: in-order data arrived. The first data starts the delayed-ACK engine
 * (ATO = `delayed_ack`) in quick-ack mode; the ATO follows the gaps between arrivals, and a
 * gap longer than the RTO starts quick-ack mode again. tcp_measure_rcv_mss learns the
 * peer's segment size from the largest segment seen.
 */
function linuxDataReceived(w: World, tcb: Tcb, seg: Segment): void {
  const now = w.now();
  const minAto = w.options.delayedAck;
  if (seg.len >= tcb.rcvMss) tcb.rcvMss = Math.min(seg.len, w.options.mss);
  if (tcb.ato <= 0) {
    tcb.quick = Math.max(tcb.quick, quickAcks(tcb.synWnd, tcb.rcvMss));
    tcb.ato = minAto;
  } else {
    const m = now - tcb.lastRcvAt;
    if (m <= minAto / 2) tcb.ato = tcb.ato / 2 + minAto / 2;
    else if (m < tcb.ato) tcb.ato = Math.min(tcb.ato / 2 + m, tcb.rto);
    else if (m > tcb.rto) tcb.quick = Math.max(tcb.quick, quickAcks(tcb.synWnd, tcb.rcvMss));
  }
  tcb.lastRcvAt = now;
}

function flushAck(w: World, tcb: Tcb, ackNow: boolean): void {
  output(w, tcb);
  if (!tcb.deleted && tcb.ackPending && ackNow) sendAck(w, tcb, tcb.ackPendingNote, tcb.ackPendingLine);
}

function enterTimeWait(w: World, tcb: Tcb, event: 'rcv-fin' | 'rcv-ack-of-fin', seg: Segment): void {
  cancel(tcb.rtxTimer);
  tcb.unacked.clear();
  w.setState(tcb, 'TIME_WAIT', event, flagsText(seg), seg);
  tcb.timeWaitStartedAt = w.now();
  startTimeWait(w, tcb, seg);
}

/**
 * Starts (or restarts, RFC 9293 3.10.7.4 eighth step) the TIME_WAIT timer. With
 * `time_wait = 0` the TCB is deleted at once, after its ACK has been sent.
 */
function startTimeWait(w: World, tcb: Tcb, seg: Segment | null): void {
  cancel(tcb.timeWaitTimer);
  const tw = timeWaitOf(w.options);
  if (tw <= 0) {
    if (tcb.ackPending) sendAck(w, tcb, tcb.ackPendingNote, tcb.ackPendingLine);
    w.deleteTcb(tcb, 'time-wait-timeout', 'time_wait = 0', seg);
    return;
  }
  tcb.timeWaitTimer.ev = kernelTimer(w, tcb, tw, () => {
    tcb.timeWaitTimer.ev = null;
    if (!tcb.deleted) w.deleteTcb(tcb, 'time-wait-timeout', '2msl', null);
  });
}

// ---------------------------------------------------------------------------------------------
// Hazards

/**
 * The `old-duplicate` hazard when `seg` was sent by an earlier incarnation of this 4-tuple.
 * `effect(who, by)` is one sentence, "<what happened>, so <why it matters>.", e.g. "<who> took
 * 100 bytes sent by <by> into its stream, so its application reads data its peer never sent."
 * Every hazard message has that shape, so a renderer that gives its own explanation may keep
 * only the part before ", so". The kind, time and segment number are trace fields beside it.
 */
function checkOldDuplicate(w: World, tcb: Tcb, seg: Segment, effect: (who: string, by: string) => string): void {
  if (seg.incarnation === null || seg.incarnation >= tcb.incarnation) return;
  const who = `${tcb.endpoint.name}'s connection (incarnation ${tcb.incarnation})`;
  w.hazard('old-duplicate', tcb.endpoint, seg, effect(who, `incarnation ${seg.incarnation} of this 4-tuple`));
}

/** An acceptable RST (RFC 9293 3.10.7.4 second step), state by state. */
function resetByPeer(w: World, tcb: Tcb, seg: Segment): void {
  checkOldDuplicate(
    w,
    tcb,
    seg,
    (who, by) => `${who} was reset by a RST sent by ${by}, so it ended though its own peer never reset it.`,
  );
  const state = tcb.state;
  const ep = tcb.endpoint;
  if (state === 'SYN_RECEIVED') {
    // Passive: "return this connection to LISTEN" -- the listener is a TCB of its own here and
    // stays; the embryonic connection goes. Active (simultaneous open): "connection refused"
    // (Linux's tcp_reset says ECONNRESET for any state but SYN_SENT and CLOSE_WAIT).
    if (!tcb.passive) w.recordError(ep, 'connect', linux(w) ? 'ECONNRESET' : 'ECONNREFUSED', null);
  } else if (state === 'CLOSE_WAIT' && linux(w)) {
    // tcp_reset: the peer had finished sending, so what the RST breaks is our sending: EPIPE.
    w.recordError(ep, 'send', 'EPIPE', null);
  } else if (state === 'ESTABLISHED' || state === 'FIN_WAIT_1' || state === 'FIN_WAIT_2' || state === 'CLOSE_WAIT') {
    w.recordError(ep, 'recv', 'ECONNRESET', null);
  }
  if (CLOSING_GRACEFULLY.has(state)) {
    // What the RST cut short: in FIN_WAIT_2 the peer's side of the close, else the ACK of ours.
    const harm =
      state === 'FIN_WAIT_2'
        ? "before the peer's FIN, so whatever the peer still had to send is lost"
        : 'before its FIN was acknowledged, so it cannot know that the peer received all its data';
    w.hazard('reset-close', ep, seg, `${ep.name}'s connection in ${state} was ended by a RST ${harm}.`);
  } else if (state === 'TIME_WAIT') {
    const tw = timeWaitOf(w.options);
    const spent = w.now() - tcb.timeWaitStartedAt;
    w.hazard(
      'time-wait-assassination',
      ep,
      seg,
      `${ep.name}'s TIME_WAIT was ended by a RST after ${formatDuration(spent)} of its ${formatDuration(tw)}, so the 4-tuple is free again while old duplicates may still be in flight.`,
    );
  }
  w.deleteTcb(tcb, 'rcv-rst', flagsText(seg), seg);
}

// ---------------------------------------------------------------------------------------------
// SEGMENT ARRIVES, SYN-SENT (RFC 9293 3.10.7.3)

export function synSentArrives(w: World, tcb: Tcb, seg: Segment): void {
  let ackAcceptable = false;
  let ackOff = 0;
  // First, check the ACK bit.
  if (seg.ackFlag) {
    ackOff = seqDiff(seg.ack, tcb.iss);
    if (ackOff <= 0 || ackOff > tcb.sndNxt) {
      // <SEQ=SEG.ACK><CTL=RST>, unless the segment is itself a RST.
      if (!seg.rst)
        transmit(w, tcb, { rst: true, seq: seg.ack, ack: null, causeLine: seg.causeLine, note: 'RST: bad ACK' });
      // Linux (tcp_rcv_synsent_state_process): "Previous FIN/ACK or RST/ACK might be ignored",
      // so before any retransmission the SYN timer is re-armed to TCP_TIMEOUT_MIN (8 ms): the
      // SYN goes again as soon as the RST has cleared the old connection away.
      if (linux(w) && tcb.retries === 0) {
        cancel(tcb.rtxTimer);
        tcb.rtxTimer.ev = kernelTimer(w, tcb, TCP_TIMEOUT_MIN * tick(w), () => {
          tcb.rtxTimer.ev = null;
          onRtxTimeout(w, tcb);
        });
      }
      return;
    }
    ackAcceptable = tcb.sndUna < ackOff && ackOff <= tcb.sndNxt;
  }
  // Second, the RST bit: acceptable only with an ACK of our SYN (RFC 5961 3.2 for SYN-SENT).
  if (seg.rst) {
    if (ackAcceptable) {
      checkOldDuplicate(
        w,
        tcb,
        seg,
        (who, by) =>
          `${who} took a RST sent by ${by} as the answer to its SYN, so its connect failed though nobody refused it.`,
      );
      w.recordError(tcb.endpoint, 'connect', 'ECONNREFUSED', null);
      w.deleteTcb(tcb, 'rcv-rst', flagsText(seg), seg);
    }
    return;
  }
  // Fourth, the SYN bit (the security check of the third step is not modelled).
  if (!seg.syn) return;
  checkOldDuplicate(
    w,
    tcb,
    seg,
    (who, by) =>
      `${who} synchronized to a SYN sent by ${by}, so it expects that earlier connection's sequence numbers from its peer.`,
  );
  tcb.irs = seg.seq;
  tcb.rcvNxt = 1;
  tcb.sndWnd = seg.wnd;
  tcb.maxSndWnd = Math.max(tcb.maxSndWnd, seg.wnd);
  tcb.sndWl1 = seg.seq;
  tcb.sndWl2 = seg.ack;
  if (ackAcceptable) acknowledge(w, tcb, ackOff);
  if (tcb.sndUna > 0) {
    w.setState(tcb, 'ESTABLISHED', 'rcv-syn-ack', flagsText(seg), seg);
    // Data or a FIN riding on the SYN-ACK (only an injected one carries it here).
    let ackNote = 'ACK of SYN';
    if (seg.len > 0) {
      deliverRange(w, tcb, seg, 1, 1 + seg.len);
      ackNote = 'ACK';
    }
    if (seg.fin) {
      tcb.rcvNxt++;
      w.setState(tcb, 'CLOSE_WAIT', 'rcv-fin', flagsText(seg), seg);
      ackNote = 'ACK of FIN';
    }
    // The handshake's ACK is never held; queued data may carry it.
    tcb.ackPending = true;
    tcb.ackPendingLine = seg.causeLine;
    tcb.ackPendingNote = ackNote;
    if (tcb.closeAfterEstablished) startClose(w, tcb, tcb.closeLine);
    flushAck(w, tcb, true);
  } else {
    // Simultaneous open: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; data on the SYN waits for ESTABLISHED.
    w.setState(tcb, 'SYN_RECEIVED', 'rcv-syn', flagsText(seg), seg);
    transmit(w, tcb, {
      syn: true,
      seq: sndSeq(tcb, 0),
      ack: rcvSeq(tcb, tcb.rcvNxt),
      causeLine: seg.causeLine,
      note: 'SYN-ACK',
    });
  }
}

/**
 * SND.UNA advances to `ackOff`: drop acknowledged pieces, take an RTT sample, reset the
 * backoff, re-arm the timer (RFC 6298 5.2, 5.3).
 */
function acknowledge(w: World, tcb: Tcb, ackOff: number): void {
  tcb.sndUna = ackOff;
  let oldest: SentPiece | null = null;
  let karn = false;
  let synAcked = false;
  for (let p = tcb.unacked.first(); p !== undefined && p.end <= ackOff; p = tcb.unacked.first()) {
    oldest ??= p;
    if (p.retransmitted) karn = true;
    if (p.syn) synAcked = true;
    tcb.unacked.shift();
  }
  if (w.options.rtoMin !== null) {
    // Karn's algorithm (RFC 6298 3): no sample when anything acknowledged was retransmitted.
    if (oldest !== null && !karn) rttSample(w, tcb, w.now() - oldest.sentAt);
    // RFC 6298 5.7 (Linux tcp_init_metrics): a handshake without a sample leaves the RTO at 3 s.
    else if (synAcked && tcb.srtt === null) tcb.rtoBase = Math.max(tcb.rtoBase, TCP_TIMEOUT_FALLBACK);
  }
  tcb.retries = 0;
  tcb.firstRtxAt = null;
  tcb.rto = tcb.rtoBase;
  cancel(tcb.rtxTimer);
  if (tcb.unacked.length > 0) startRtx(w, tcb);
}

/**
 * RFC 6298 2.2-2.4: SRTT and RTTVAR from an RTT sample `r`, and the RTO from them:
 * max(`rto_min`, SRTT + 4·RTTVAR) under `rfc`; under `linux` SRTT + max(4·RTTVAR, `rto_min`)
 * (tcp_rtt_estimator, tcp_set_rto: the floor bounds the variance term, so 20 ms of RTT gives
 * 220 ms); never above `rto_max`.
 */
function rttSample(w: World, tcb: Tcb, r: number): void {
  const o = w.options;
  if (tcb.srtt === null) {
    tcb.srtt = r;
    tcb.rttvar = r / 2;
  } else {
    tcb.rttvar = 0.75 * tcb.rttvar + 0.25 * Math.abs(tcb.srtt - r);
    tcb.srtt = 0.875 * tcb.srtt + 0.125 * r;
  }
  const floor = o.rtoMin ?? 0;
  let rto = linux(w) ? tcb.srtt + Math.max(4 * tcb.rttvar, floor) : Math.max(floor, tcb.srtt + 4 * tcb.rttvar);
  if (linux(w) && o.hz !== null) {
    // __tcp_set_rto keeps the RTO in whole jiffies, rounded up (usecs_to_jiffies). Linux's RTT
    // samples are µs of its own clock, so they always hold a little processing time on top of
    // the path's round trip, which is all the model's sample is: the kernel's RTO is never
    // exactly on a tick, and one of exactly k ticks here is k + 1 there. Measured: 225-228 ms at
    // 20 ms RTT (220 ms: 56 ticks, 224 ms, + the wheel), 320-333 ms at 100 ms (300: 76 ticks).
    const jiffy = 1000 / o.hz;
    rto = (Math.floor(rto / jiffy + 1e-9) + 1) * jiffy;
  }
  tcb.rtoBase = Math.min(rto, o.rtoMax ?? Infinity);
}

// ---------------------------------------------------------------------------------------------
// SEGMENT ARRIVES, other states (RFC 9293 3.10.7.4)

/**
 * A passive SYN_RECEIVED dropped by a SYN in its window: RFC 9293 3.10.7.4 fourth ("return this
 * connection to the LISTEN state": the listener stays, this TCB goes), and Linux's tcp_check_req
 * (embryonic_reset). Told as the old duplicate's doing when it is one.
 */
function dropRequest(w: World, tcb: Tcb, seg: Segment): void {
  checkOldDuplicate(
    w,
    tcb,
    seg,
    (who, by) => `${who} was dropped by a SYN sent by ${by}, so the connection being opened is lost.`,
  );
  w.deleteTcb(tcb, 'rcv-syn-in-window', flagsText(seg), seg);
}

/**
 * Linux (tcp_check_req, "Check for pure retransmitted SYN"): a passive SYN_RECEIVED sends its
 * SYN,ACK again for a pure SYN with SEG.SEQ = IRS, rate-limited like the ACKs of unacceptable
 * segments (tcp_oow_rate_limited, tcp_invalid_ratelimit). tcp_rtx_synack counts it as a
 * retransmission (num_retrans), so the handshake gives no RTT sample (tcp_synack_rtt_meas) and
 * the RTO falls back to 3 s; the SYN,ACK timer restarts with its current timeout
 * (mod_timer_pending with tcp_reqsk_timeout: not doubled, no retry used up).
 */
function resendSynAck(w: World, tcb: Tcb, seg: Segment): void {
  if (w.now() - tcb.lastInvalidAckAt < INVALID_ACK_INTERVAL) return;
  tcb.lastInvalidAckAt = w.now();
  const head = tcb.unacked.first();
  if (head === undefined || !head.syn) return;
  head.retransmitted = true;
  transmit(w, tcb, {
    syn: true,
    seq: sndSeq(tcb, 0),
    ack: rcvSeq(tcb, tcb.rcvNxt),
    retransmission: true,
    causeLine: seg.causeLine,
    note: seg.trace.retransmission && !seg.isCopy ? 'SYN-ACK again: retransmitted SYN' : 'SYN-ACK again: duplicate SYN',
  });
  startRtx(w, tcb);
}

/**
 * tcp_in_window as tcp_check_req applies it to a request: the segment starts at RCV.NXT, or
 * ends after RCV.NXT and starts before the window's end, or is empty at the window's end.
 */
function synInRequestWindow(tcb: Tcb, seg: Segment): boolean {
  const start = rcvOff(tcb, seg.seq);
  const end = start + seg.len + 1 + (seg.fin ? 1 : 0);
  const nxt = tcb.rcvNxt;
  const right = nxt + tcb.synWnd; // tcp_synack_window: the window the SYN,ACK advertised
  return start === nxt || (end > nxt && start < right) || (start === right && start === end);
}

/**
 * The note of the ACK answering a segment that ends exactly at RCV.NXT (everything in it was
 * received before): "ACK of retransmission" only when the sender really retransmitted it, else
 * "ACK of duplicate" (a network copy, a delayed original, an injected repeat). `what` names the
 * control bit it carries ("FIN"), if that is what matters.
 */
function repeatAckNote(seg: Segment, what: string): string {
  const rtx = seg.trace.retransmission && !seg.isCopy;
  if (what === '') return rtx ? 'ACK of retransmission' : 'ACK of duplicate';
  return rtx ? `ACK of retransmitted ${what}` : `ACK of duplicate ${what}`;
}

export function segmentArrives(w: World, tcb: Tcb, seg: Segment): void {
  // Linux keeps a passive open's SYN_RECEIVED as a request sock, and tcp_check_req takes a pure
  // SYN with SEG.SEQ = IRS (a retransmitted or delayed copy of the SYN it answered) as a
  // retransmission: it sends the SYN,ACK again (RFC 9293 figure 8; tcp_rtx_synack) instead of the
  // ACK the first check asks for, and a SYN with another sequence number in the window is reset.
  if (linux(w) && tcb.passive && tcb.state === 'SYN_RECEIVED' && seg.syn && !seg.ackFlag && !seg.rst) {
    if (seg.seq === tcb.irs) {
      resendSynAck(w, tcb, seg);
      return;
    }
    if (synInRequestWindow(tcb, seg)) {
      // tcp_check_req, embryonic_reset: send_reset answers the SYN (<SEQ=0><ACK=SEG.SEQ+SEG.LEN>,
      // RST,ACK) and the request is dropped; the listener stays.
      sendResetFor(w, tcb, seg, 'RST: SYN in window');
      dropRequest(w, tcb, seg);
      return;
    }
  }
  // Simultaneous open: in SYN-RECEIVED the peer's SYN,ACK repeats the SYN we already have
  // (SEG.SEQ = IRS) and acknowledges ours. Read literally, the first check finds it unacceptable
  // (all it carries lies below RCV.NXT), and "an acknowledgment should be sent in reply"; and
  // ESTABLISHED would wait for that ACK's answer. RFC 9293 figure 7 (lines 5-7) goes ESTABLISHED
  // on the crossing SYN,ACK itself, and so does Linux (tcp_validate_incoming lets a SYN,ACK with
  // SEQ+1 = RCV.NXT and ACK = SND.NXT through in SYN_RECV). So its SYN is trimmed as a duplicate
  // ("segments that begin before RCV.NXT are trimmed", 3.10.7.4 first check), the rest, with its
  // ACK, is processed as usual, and the ACK the text asks for is sent too, as Linux does
  // (tcp_rcv_state_process answers it with `ACK 1/1`).
  const dupSyn =
    tcb.state === 'SYN_RECEIVED' &&
    seg.syn &&
    seg.ackFlag &&
    !seg.rst &&
    seg.seq === tcb.irs &&
    tcb.rcvNxt === 1 &&
    tcb.sndUna < sndOff(tcb, seg.ack) &&
    sndOff(tcb, seg.ack) <= tcb.sndNxt;
  const syn = seg.syn && !dupSyn;
  const segLen = seg.len + (syn ? 1 : 0) + (seg.fin ? 1 : 0);
  const start = rcvOff(tcb, seg.seq) + (dupSyn ? 1 : 0);
  const wnd = tcb.rcvWnd;
  const nxt = tcb.rcvNxt;

  // First, check the sequence number: the four cases of acceptability.
  let acceptable: boolean;
  if (segLen === 0) acceptable = wnd === 0 ? start === nxt : nxt <= start && start < nxt + wnd;
  else {
    const last = start + segLen - 1;
    acceptable = wnd > 0 && ((nxt <= start && start < nxt + wnd) || (nxt <= last && last < nxt + wnd));
  }
  // Linux (tcp_timewait_state_process): any segment with ACK and without RST that reaches a
  // TIME_WAIT restarts its timer (inet_twsk_reschedule), whatever else happens to it.
  if (tcb.state === 'TIME_WAIT' && linux(w) && seg.ackFlag && !seg.rst) startTimeWait(w, tcb, seg);
  if (!acceptable) {
    if (seg.rst) return;
    const exact = start + segLen === nxt && segLen > 0;
    if (tcb.state === 'TIME_WAIT' && seg.fin && exact) {
      // A retransmitted FIN: acknowledge it and restart the 2 MSL timeout (eighth step, TIME-WAIT).
      sendAck(w, tcb, repeatAckNote(seg, 'FIN'), seg.causeLine);
      startTimeWait(w, tcb, seg);
      return;
    }
    sendThrottledAck(w, tcb, seg, exact ? repeatAckNote(seg, '') : 'ACK: unacceptable segment', exact);
    return;
  }

  // Second, check the RST bit (RFC 5961 3.2: only an exact match resets).
  if (seg.rst) {
    if (w.options.challengeAck && start !== nxt) {
      sendThrottledAck(w, tcb, seg, 'challenge ACK', false);
      return;
    }
    if (tcb.state === 'TIME_WAIT' && w.options.rfc1337) return; // RFC 1337: TIME_WAIT ignores RST
    resetByPeer(w, tcb, seg);
    return;
  }

  // Fourth, check the SYN bit.
  if (syn) {
    if (tcb.state === 'SYN_RECEIVED' && tcb.passive) {
      // "Return this connection to the LISTEN state": the listener stays; this TCB goes.
      dropRequest(w, tcb, seg);
      return;
    }
    if (w.options.challengeAck) {
      sendThrottledAck(w, tcb, seg, 'challenge ACK', false);
      return;
    }
    // RFC 793: a SYN in the window is an error: send a reset, report it, delete the TCB.
    checkOldDuplicate(
      w,
      tcb,
      seg,
      (who, by) => `${who} was torn down by a SYN sent by ${by}, so it ended though its own peer never closed it.`,
    );
    sendResetFor(w, tcb, seg, 'RST: SYN in window');
    if (tcb.state !== 'CLOSING' && tcb.state !== 'LAST_ACK' && tcb.state !== 'TIME_WAIT') {
      w.recordError(tcb.endpoint, 'recv', 'ECONNRESET', null);
    }
    w.deleteTcb(tcb, 'rcv-syn-in-window', flagsText(seg), seg);
    return;
  }

  // Fifth, check the ACK field.
  if (!seg.ackFlag) return;
  const ackOff = sndOff(tcb, seg.ack);
  if (tcb.state === 'SYN_RECEIVED') {
    if (tcb.sndUna < ackOff && ackOff <= tcb.sndNxt) {
      tcb.sndWnd = seg.wnd;
      tcb.maxSndWnd = Math.max(tcb.maxSndWnd, seg.wnd);
      tcb.sndWl1 = seg.seq;
      tcb.sndWl2 = seg.ack;
      if (dupSyn) {
        // The ACK the unacceptable SYN asks for (see above); queued data or a FIN may carry it.
        tcb.ackPending = true;
        tcb.ackPendingLine = seg.causeLine;
        tcb.ackPendingNote = 'ACK of SYN,ACK';
      }
      // Linux: the established socket is a new one (tcp_create_openreq_child), whose rate limit
      // of ACKs to unacceptable segments does not remember the request's (last_oow_ack_time).
      if (linux(w) && tcb.passive) tcb.lastInvalidAckAt = -Infinity;
      w.setState(tcb, 'ESTABLISHED', 'rcv-ack-of-syn', flagsText(seg), seg);
      if (tcb.closeAfterEstablished) startClose(w, tcb, tcb.closeLine);
    } else {
      transmit(w, tcb, { rst: true, seq: seg.ack, ack: null, causeLine: seg.causeLine, note: 'RST: bad ACK' });
      return;
    }
  }
  // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
  // segment, and return." With RFC 5961 (`challenge_ack`, section 5.2) an ACK older than
  // SND.UNA - MAX.SND.WND is treated the same way; RFC 793 merely ignores old ACKs.
  const tooOld = w.options.challengeAck && ackOff < tcb.sndUna - tcb.maxSndWnd;
  if (ackOff > tcb.sndNxt || tooOld) {
    sendThrottledAck(w, tcb, seg, 'ACK: unacceptable ACK', false);
    return;
  }
  if (tcb.sndUna < ackOff) acknowledge(w, tcb, ackOff);
  // Window update, guarded by SND.WL1/SND.WL2 against old segments.
  if (
    tcb.sndUna <= ackOff &&
    (seqDiff(tcb.sndWl1, seg.seq) < 0 || (tcb.sndWl1 === seg.seq && seqDiff(tcb.sndWl2, seg.ack) <= 0))
  ) {
    tcb.sndWnd = seg.wnd;
    tcb.maxSndWnd = Math.max(tcb.maxSndWnd, seg.wnd);
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = seg.ack;
  }
  const finAcked = tcb.finSent && tcb.sndUna > tcb.finOff;
  switch (tcb.state) {
    case 'FIN_WAIT_1':
      if (finAcked) {
        w.setState(tcb, 'FIN_WAIT_2', 'rcv-ack-of-fin', flagsText(seg), seg);
        if (tcb.orphaned && !seg.fin) startFinWait2Timer(w, tcb);
      }
      break;
    case 'CLOSING':
      if (finAcked) enterTimeWait(w, tcb, 'rcv-ack-of-fin', seg);
      else return;
      if (tcb.deleted) return;
      break;
    case 'LAST_ACK':
      if (finAcked) {
        w.deleteTcb(tcb, 'rcv-ack-of-fin', flagsText(seg), seg);
        return;
      }
      break;
    default:
      break;
  }

  // Seventh, process the segment text; eighth, check the FIN bit.
  let ackNow = dupSyn;
  if (seg.len > 0 || seg.fin) {
    if (TEXT_STATES.has(tcb.state)) {
      if (start > tcb.rcvNxt) {
        // Out of order: hold it for reassembly and send a duplicate ACK at once.
        hold(tcb, seg, start);
        wantAck(w, tcb, seg, 'duplicate ACK', false);
        ackNow = true;
      } else {
        const dataEnd = start + seg.len;
        if (dataEnd > tcb.rcvNxt) {
          if (linux(w)) {
            linuxDataReceived(w, tcb, seg);
            // tcp_fin runs before the ACK is decided: data with a FIN is already interactive.
            if (seg.fin && tcb.state === 'ESTABLISHED') tcb.pingpong = true;
          }
          deliverRange(w, tcb, seg, start, dataEnd);
          if (wantAck(w, tcb, seg, 'ACK', true)) ackNow = true;
        }
        if (seg.fin) {
          if (receiveFin(w, tcb, seg)) ackNow = true;
        } else if (drainHeld(w, tcb)) ackNow = true;
      }
    } else if (seg.fin) {
      // CLOSE-WAIT, CLOSING, LAST-ACK: remain; TIME-WAIT: remain and restart the timeout.
      wantAck(w, tcb, seg, 'ACK of FIN', false);
      ackNow = true;
      if (tcb.state === 'TIME_WAIT') {
        sendAck(w, tcb, 'ACK of FIN', seg.causeLine);
        startTimeWait(w, tcb, seg);
        return;
      }
    }
  }
  if (tcb.deleted) return;
  if (tcb.state === 'TIME_WAIT') return;
  flushAck(w, tcb, ackNow);
}

/**
 * `fin_timeout` (Linux tcp_fin_timeout, tcp_fin_time): a FIN_WAIT_2 whose application closed
 * waits for the peer's FIN only so long, or 3.5 RTO if that is longer, then is deleted
 * without a segment. RFC 9293 has no such timer: its FIN_WAIT_2 waits forever.
 */
export function startFinWait2Timer(w: World, tcb: Tcb): void {
  const timeout = w.options.finTimeout;
  if (timeout === null || tcb.finWait2Timer.ev) return;
  tcb.finWait2Timer.ev = kernelTimer(w, tcb, Math.max(timeout, 3.5 * tcb.rto), () => {
    tcb.finWait2Timer.ev = null;
    if (!tcb.deleted && tcb.state === 'FIN_WAIT_2') w.deleteTcb(tcb, 'fin-timeout', 'fin_timeout', null);
  });
}

function hold(tcb: Tcb, seg: Segment, start: number): void {
  const held = { start, dataEnd: start + seg.len, fin: seg.fin, seg };
  let i = tcb.held.length;
  while (i > 0 && tcb.held[i - 1].start > start) i--;
  tcb.held.splice(i, 0, held);
}

/** Delivers the held segments that RCV.NXT has reached; returns true when a FIN among them needs an immediate ACK. */
function drainHeld(w: World, tcb: Tcb): boolean {
  let ackNow = false;
  // Read by index and cut once: a shift per segment moves the whole (possibly window-sized)
  // list each time. A FIN replaces tcb.held with a new, empty list, which ends the walk.
  const held = tcb.held;
  let i = 0;
  while (
    i < held.length &&
    tcb.held === held &&
    held[i].start <= tcb.rcvNxt &&
    !tcb.deleted &&
    TEXT_STATES.has(tcb.state)
  ) {
    const h = held[i++];
    if (h.dataEnd > tcb.rcvNxt) deliverRange(w, tcb, h.seg, h.start, h.dataEnd);
    if (h.fin && h.dataEnd === tcb.rcvNxt) {
      if (receiveFin(w, tcb, h.seg)) ackNow = true;
    }
    // A segment that filled a gap is acknowledged at once (RFC 5681 4.2).
    ackNow = true;
    tcb.ackPending = true;
  }
  if (tcb.held === held && i > 0) held.splice(0, i);
  return ackNow;
}

/** Delivers bytes [from, to) (receive offsets) of `seg`, of which those before RCV.NXT are already in. */
function deliverRange(w: World, tcb: Tcb, seg: Segment, segStart: number, to: number): void {
  const from = Math.max(segStart, tcb.rcvNxt);
  if (to <= from) return;
  const bytes = to - from === 1 ? '1 byte' : `${to - from} bytes`;
  checkOldDuplicate(
    w,
    tcb,
    seg,
    (who, by) =>
      `${who} took ${bytes} sent by ${by} into its stream, so its application reads data its peer never sent.`,
  );
  w.deliver(tcb, seg, from - segStart, to - from);
  tcb.rcvNxt = to;
  tcb.delivered += to - from;
  if (linux(w) && !tcb.readPending) {
    // The application reads once the segments arriving at this instant are in (as a reader woken
    // by the first of a burst finds the rest already queued).
    tcb.readPending = true;
    w.schedule(0, () => {
      tcb.readPending = false;
      readData(w, tcb);
    });
  }
}

/**
 * Linux (tcp_recvmsg, tcp_cleanup_rbuf): the application has read what arrived, which frees
 * the receive buffer; when the window we last advertised has shrunk to half the full window or
 * less and the read can at least double it, a window update (the pending ACK) goes now instead
 * of waiting for the delayed-ACK timer. Never after the peer's FIN (nothing more will come).
 * The model's window is the full `window` again once read. Measured on receive-window (window
 * 1000, mss 500): ACK 1/1001 and ACK 1/2501 sent as the 500 bytes before them arrived (253 and
 * 456 ms), not 40 ms later, so the sender never waits for its delayed ACK.
 */
function readData(w: World, tcb: Tcb): void {
  if (tcb.deleted || !tcb.ackPending || !TEXT_STATES.has(tcb.state)) return;
  const windowNow = tcb.rcvWup + tcb.rcvWnd - tcb.rcvNxt;
  if (2 * windowNow <= tcb.rcvWnd) sendAck(w, tcb, `${tcb.ackPendingNote}: window update`, tcb.ackPendingLine);
}

/** The FIN at RCV.NXT (eighth step): take its sequence number, ACK it, change state. Returns true if the ACK must go now. */
function receiveFin(w: World, tcb: Tcb, seg: Segment): boolean {
  checkOldDuplicate(
    w,
    tcb,
    seg,
    (who, by) => `${who} took a FIN sent by ${by}, so its application sees an end of stream its peer never sent.`,
  );
  tcb.rcvNxt++;
  tcb.held = [];
  const state = tcb.state;
  if (state === 'ESTABLISHED' || state === 'SYN_RECEIVED') {
    // Only here may the ACK wait: a CLOSE_WAIT still has data and a FIN of its own to send.
    // Linux (tcp_fin) enters pingpong mode here, so the ACK waits even in quick-ack mode: a
    // prompt close() carries it on its FIN (a three-segment close).
    if (linux(w)) tcb.pingpong = true;
    const now = wantAck(w, tcb, seg, 'ACK of FIN', true);
    w.setState(tcb, 'CLOSE_WAIT', 'rcv-fin', flagsText(seg), seg);
    return now;
  }
  wantAck(w, tcb, seg, 'ACK of FIN', false);
  const finAcked = tcb.finSent && tcb.sndUna > tcb.finOff;
  if (state === 'FIN_WAIT_1' && !finAcked) {
    w.setState(tcb, 'CLOSING', 'rcv-fin', flagsText(seg), seg);
    return true;
  }
  // FIN_WAIT_1 with our FIN acknowledged, or FIN_WAIT_2: TIME_WAIT. Its ACK goes first, then
  // the state changes (and with time_wait = 0 the TCB goes at once).
  sendAck(w, tcb, 'ACK of FIN', seg.causeLine);
  enterTimeWait(w, tcb, 'rcv-fin', seg);
  return false;
}

// ---------------------------------------------------------------------------------------------
// User calls on an existing TCB (RFC 9293 3.10.2 SEND, 3.10.4 CLOSE, 3.10.5 ABORT)

/** Queues FIN after the queued data and moves to FIN_WAIT_1 or LAST_ACK. */
export function startClose(w: World, tcb: Tcb, line: number | null): void {
  tcb.closeAfterEstablished = false;
  tcb.finQueued = true;
  tcb.closeLine = line;
  if (tcb.state === 'ESTABLISHED' || tcb.state === 'SYN_RECEIVED')
    w.setState(tcb, 'FIN_WAIT_1', 'close', 'close', null);
  else if (tcb.state === 'CLOSE_WAIT') w.setState(tcb, 'LAST_ACK', 'close', 'close', null);
  output(w, tcb);
}

export function queueSend(w: World, tcb: Tcb, bytes: number, line: number | null): void {
  if (bytes <= 0) return;
  tcb.queued += bytes;
  tcb.sendMarks.push({ end: tcb.queued, line });
  output(w, tcb);
}

export function flushPendingAck(w: World, tcb: Tcb): void {
  if (tcb.ackPending) sendAck(w, tcb, tcb.ackPendingNote, tcb.ackPendingLine);
}
