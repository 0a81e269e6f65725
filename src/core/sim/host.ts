// The hosts' side of TCP outside any one TCB: endpoints and their incarnations, binding
// (EADDRINUSE / EINVAL / reuse), demultiplexing by 4-tuple then listener, segments that reach
// no TCB (RFC 9293 3.10.7.1) or a listener (3.10.7.2), and the user calls of 3.10.1-3.10.5.

import type { EndpointDecl } from '../ast';
import type { TcpState } from '../types';
import { Fifo } from './fifo';
import { seq32, seqDiff, type EndpointRt, type Segment, type Tcb, type World } from './model';
import { TIME_WAIT_ISN_STEP } from './linux';
import {
  flagsText,
  queueSend,
  rcvSeq,
  segmentArrives,
  sendSyn,
  sndSeq,
  startClose,
  startFinWait2Timer,
  synSentArrives,
  transmit,
} from './tcb';

/** Linux's TIME_WAIT takeover: the new ISN is the old SND.NXT + 65537 (spec, `reuse`). */
export const REUSE_ISN_STEP = 65537;

function sideKey(addr: string, port: number): string {
  return `${addr}|${port}`;
}

// Demultiplexing runs for every segment, so sockets are found by numbers, never by strings
// built per lookup: every address:port a segment can carry is a declared endpoint's (TCBs take
// their remote from a peer endpoint or from a segment, injected segments from endpoints), so
// each distinct one gets a small "side" number when the endpoints are read, and a 4-tuple is
// the number local * sides + remote (exact: below 2^53 for any count of endpoints a file holds).

export class Sockets {
  readonly endpoints: EndpointRt[] = [];
  readonly byName = new Map<string, EndpointRt>();
  /** Endpoints (incarnations) per side (local address:port), in declaration order. */
  private readonly bySide: EndpointRt[][] = [];
  /** Live connection TCBs by 4-tuple key (local side first). */
  private readonly tcbs = new Map<number, Tcb>();
  /** Live listeners by side. */
  private readonly listeners = new Map<number, Tcb>();
  /** Per unordered pair of sides: the latest incarnation number and which sides hold (or held) a TCB of it. */
  private readonly incarnations = new Map<number, { n: number; sides: Set<number> }>();
  nextTcbId = 1;

  constructor(decls: readonly EndpointDecl[]) {
    const sides = new Map<string, number>();
    for (const d of decls) {
      const k = sideKey(d.address, d.port);
      let side = sides.get(k);
      if (side === undefined) {
        side = sides.size;
        sides.set(k, side);
        this.bySide.push([]);
      }
      const ep: EndpointRt = {
        decl: d,
        name: d.name.value,
        address: d.address,
        port: d.port,
        side,
        listener: null,
        latest: null,
        live: new Set(),
        errors: [],
      };
      this.endpoints.push(ep);
      if (!this.byName.has(ep.name)) this.byName.set(ep.name, ep);
      this.bySide[side].push(ep);
    }
  }

  /** The 4-tuple key of a connection from `local` to `remote` (sides), as its own side sees it. */
  tupleKey(local: number, remote: number): number {
    return local * this.bySide.length + remote;
  }

  /** The live TCB whose 4-tuple key (local side first) is `key`. */
  lookupKey(key: number): Tcb | undefined {
    return this.tcbs.get(key);
  }

  listenerAt(side: number): Tcb | undefined {
    return this.listeners.get(side);
  }

  register(tcb: Tcb): void {
    if (tcb.listener) this.listeners.set(tcb.localSide, tcb);
    else this.tcbs.set(tcb.key, tcb);
  }

  unregister(tcb: Tcb): void {
    if (tcb.listener) {
      if (this.listeners.get(tcb.localSide) === tcb) this.listeners.delete(tcb.localSide);
    } else {
      if (this.tcbs.get(tcb.key) === tcb) this.tcbs.delete(tcb.key);
      tcb.endpoint.live.delete(tcb);
    }
  }

  /**
   * The incarnation of a new TCB on a 4-tuple: the n-th connection is incarnation n on both
   * sides. An active open joins the latest incarnation when the peer's live TCB on the 4-tuple
   * belongs to it and this side has none of it yet (simultaneous open); else it starts the next.
   * A TCB accepted by a listener joins the incarnation of the SYN it accepts when that SYN is
   * of the latest incarnation and this side has no TCB of it yet, or when its sender is still
   * in SYN_SENT (a retransmitted SYN); any other SYN (an old duplicate) starts a new, later
   * incarnation. A TCB opened by an injected SYN (no incarnation) is counted in the latest
   * incarnation without taking this side's place in it.
   */
  incarnationFor(me: number, remote: number, syn: Segment | undefined): number {
    const key = me < remote ? this.tupleKey(me, remote) : this.tupleKey(remote, me);
    const rec = this.incarnations.get(key) ?? { n: 0, sides: new Set<number>() };
    const peer = this.tcbs.get(this.tupleKey(remote, me));
    if (syn === undefined) {
      if (peer && rec.n > 0 && peer.incarnation === rec.n && !rec.sides.has(me)) {
        rec.sides.add(me);
        return rec.n;
      }
    } else if (syn.incarnation === null) {
      return Math.max(1, rec.n);
    } else if (syn.incarnation === rec.n) {
      const senderOpening = peer !== undefined && peer.id === syn.srcTcb && peer.state === 'SYN_SENT';
      if (!rec.sides.has(me) || senderOpening) {
        rec.sides.add(me);
        return rec.n;
      }
    }
    const next = { n: rec.n + 1, sides: new Set([me]) };
    this.incarnations.set(key, next);
    return next.n;
  }

  /**
   * The endpoint name at a side, for a segment whose demultiplexing key is `key`: the one
   * holding a TCB of that 4-tuple, else its listener, else the latest declared there.
   */
  nameAt(side: number, key: number): string | null {
    const tcb = this.tcbs.get(key);
    if (tcb) return tcb.endpoint.name;
    const l = this.listeners.get(side);
    if (l) return l.endpoint.name;
    const eps = this.bySide[side];
    return eps && eps.length > 0 ? eps[eps.length - 1].name : null;
  }

  /** The other incarnations on this endpoint's address:port. */
  others(ep: EndpointRt): EndpointRt[] {
    const eps = this.bySide[ep.side];
    return eps.length === 1 ? [] : eps.filter((o) => o !== ep);
  }
}

export function newTcb(
  sockets: Sockets,
  ep: EndpointRt,
  fields: {
    listener: boolean;
    remoteAddr: string;
    remotePort: number;
    remoteSide: number;
    peerName: string | null;
    iss: number;
    passive: boolean;
    incarnation: number;
    rto: number;
  },
): Tcb {
  const win = ep.decl.window ?? 65535;
  return {
    id: sockets.nextTcbId++,
    endpoint: ep,
    state: fields.listener ? 'CLOSED' : fields.passive ? 'LISTEN' : 'CLOSED',
    listener: fields.listener,
    localAddr: ep.address,
    localPort: ep.port,
    localSide: ep.side,
    remoteSide: fields.remoteSide,
    key: sockets.tupleKey(ep.side, fields.remoteSide),
    peerKey: sockets.tupleKey(fields.remoteSide, ep.side),
    remoteAddr: fields.remoteAddr,
    remotePort: fields.remotePort,
    peerName: fields.peerName,
    incarnation: fields.incarnation,
    passive: fields.passive,
    deleted: false,
    iss: seq32(fields.iss),
    sndUna: 0,
    sndNxt: 0,
    sndWnd: 0,
    maxSndWnd: 0,
    sndWl1: 0,
    sndWl2: 0,
    queued: 0,
    sendMarks: new Fifo(),
    finQueued: false,
    finSent: false,
    finOff: -1,
    closeLine: null,
    closeAfterEstablished: false,
    unacked: new Fifo(),
    rto: fields.rto,
    rtoBase: fields.rto,
    srtt: null,
    rttvar: 0,
    retries: 0,
    firstRtxAt: null,
    rtxTimer: { ev: null },
    orphaned: false,
    finWait2Timer: { ev: null },
    connectLine: null,
    irs: 0,
    rcvNxt: 0,
    rcvWnd: win,
    held: [],
    ackPending: false,
    ackPendingLine: null,
    ackPendingNote: 'ACK',
    fullSegmentsUnacked: 0,
    rcvWup: 0,
    readPending: false,
    delAckTimer: { ev: null },
    ato: 0,
    quick: 0,
    pingpong: false,
    lastRcvAt: 0,
    rcvMss: 0,
    synWnd: win,
    lastInvalidAckAt: -Infinity,
    timeWaitTimer: { ev: null },
    firingGranule: 0,
    timeWaitStartedAt: 0,
    delivered: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Segment arrival: demultiplexing

export function arrive(w: World, sockets: Sockets, seg: Segment): void {
  const tcb = sockets.lookupKey(seg.demuxKey);
  if (tcb && tcb.state === 'TIME_WAIT' && w.options.profile === 'linux' && reopensTimeWait(tcb, seg)) {
    const listener = sockets.listenerAt(seg.dstSide);
    if (listener) {
      // tcp_timewait_state_process (RFC 1122 4.2.2.13): a SYN above RCV.NXT reopens the
      // 4-tuple at once: the TIME_WAIT goes and the listener answers with ISN = SND.NXT + 65537,
      // beyond every sequence number of the old connection. RFC 9293 3.10.7.4 would send an
      // ACK (a challenge ACK), allowing this only with timestamps (RFC 6191).
      const iss = seq32(sndSeq(tcb, tcb.sndNxt) + TIME_WAIT_ISN_STEP);
      w.deleteTcb(tcb, 'time-wait-reopen', flagsText(seg), seg);
      listenArrives(w, listener, seg, iss);
      return;
    }
  }
  if (tcb) {
    if (tcb.state === 'SYN_SENT') synSentArrives(w, tcb, seg);
    else segmentArrives(w, tcb, seg);
    return;
  }
  const listener = sockets.listenerAt(seg.dstSide);
  if (listener) listenArrives(w, listener, seg);
  else closedArrives(w, seg, 'RST: port closed');
}

/** RFC 9293 3.10.7.1: no TCB. A RST is dropped; anything else is answered by RST. */
function closedArrives(w: World, seg: Segment, note: string): void {
  if (seg.rst) return;
  if (!seg.ackFlag) {
    const segLen = seg.len + (seg.syn ? 1 : 0) + (seg.fin ? 1 : 0);
    // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    w.emitNoTcb(seg, { rst: true, seq: 0, ack: seq32(seg.seq + segLen), note });
  } else {
    // <SEQ=SEG.ACK><CTL=RST>
    w.emitNoTcb(seg, { rst: true, seq: seg.ack, ack: null, note });
  }
}

/** A bare SYN (no ACK, no RST) whose sequence number is above the TIME_WAIT's RCV.NXT. */
function reopensTimeWait(tcb: Tcb, seg: Segment): boolean {
  return seg.syn && !seg.ackFlag && !seg.rst && seqDiff(seg.seq, rcvSeq(tcb, tcb.rcvNxt)) > 0;
}

/** RFC 9293 3.10.7.2: LISTEN. `iss` overrides the ISN (a SYN that reopened a TIME_WAIT). */
function listenArrives(w: World, listener: Tcb, seg: Segment, iss?: number): void {
  if (seg.rst) return;
  if (seg.ackFlag) {
    // "Any acknowledgment is bad if it arrives on a connection still in the LISTEN state."
    w.emitNoTcb(seg, { rst: true, seq: seg.ack, ack: null, note: 'RST: ACK to a listener' });
    return;
  }
  if (!seg.syn) return;
  const ep = listener.endpoint;
  const isn = iss !== undefined && ep.decl.isn === null ? iss : w.isnFor(ep);
  const tcb = w.createConnection(ep, { addr: seg.srcAddr, port: seg.srcPort, side: seg.srcSide }, isn, seg);
  tcb.peerName = seg.from;
  tcb.irs = seg.seq;
  tcb.rcvNxt = 1;
  tcb.sndWnd = seg.wnd;
  tcb.maxSndWnd = seg.wnd;
  tcb.sndWl1 = seg.seq;
  tcb.sndWl2 = 0;
  if (seg.incarnation !== null && seg.incarnation < tcb.incarnation) {
    w.hazard(
      'old-duplicate',
      ep,
      seg,
      `${ep.name}'s listener accepted a SYN sent by incarnation ${seg.incarnation} of this 4-tuple as a new connection (incarnation ${tcb.incarnation}), so it holds a connection nobody asked for.`,
    );
  }
  // The accepted connection starts where its listener is: LISTEN -> SYN_RECEIVED.
  w.setState(tcb, 'SYN_RECEIVED', 'rcv-syn', flagsText(seg), seg);
  // Text or FIN on a SYN is not queued: the peer retransmits it once the connection is up.
  sendSyn(w, tcb, seg.causeLine, 'SYN-ACK');
}

// ---------------------------------------------------------------------------------------------
// User calls

function liveConnection(ep: EndpointRt): Tcb | null {
  const last = ep.latest;
  return last && !last.deleted ? last : null;
}

/** True when the endpoint itself holds a listener or a live connection ("in use by its own earlier call"). */
function inUse(ep: EndpointRt): boolean {
  return ep.listener !== null || ep.live.size > 0;
}

/**
 * The implicit bind(): fails while another incarnation on this address:port listens or holds a
 * TCB; a TIME_WAIT counts too unless this endpoint has `reuse`. Returns the TIME_WAIT TCBs on
 * the given remote that `reuse` takes over, or null when the bind fails.
 */
function bindCheck(sockets: Sockets, ep: EndpointRt, remote: { addr: string; port: number } | null): Tcb[] | null {
  const takeover: Tcb[] = [];
  for (const other of sockets.others(ep)) {
    if (other.listener) return null;
    for (const c of other.live) {
      if (c.state === 'TIME_WAIT' && ep.decl.reuse) {
        if (remote && c.remoteAddr === remote.addr && c.remotePort === remote.port) takeover.push(c);
        continue;
      }
      return null;
    }
  }
  return takeover;
}

/**
 * Linux's bind() and connect() on a port other incarnations use (inet_csk_bind_conflict,
 * __inet_check_established). bind fails with EADDRINUSE when another incarnation listens
 * there, or holds a TCB (TIME_WAIT included: it keeps its socket's SO_REUSEADDR) while not
 * both have `reuse`. connect then fails with EADDRNOTAVAIL when a TCB of another incarnation
 * holds the very 4-tuple: a TIME_WAIT is taken over only if it saw timestamps
 * (tcp_twsk_unique), which the model does not use. Returns the error, or null.
 */
function linuxBindConnect(
  sockets: Sockets,
  ep: EndpointRt,
  remote: { addr: string; port: number } | null,
): 'EADDRINUSE' | 'EADDRNOTAVAIL' | null {
  let taken = false;
  for (const other of [...sockets.others(ep), ep]) {
    if (other.listener) return 'EADDRINUSE';
    for (const c of other.live) {
      // The endpoint's own connections count only once orphaned (callConnect); `reuse` is then
      // that one socket's SO_REUSEADDR on both sides.
      if (!(ep.decl.reuse && other.decl.reuse)) return 'EADDRINUSE';
      if (remote && c.remoteAddr === remote.addr && c.remotePort === remote.port) taken = true;
    }
  }
  return taken ? 'EADDRNOTAVAIL' : null;
}

/** Linux's errno for `connect` on an endpoint in use by its own earlier call (inet_stream_connect). */
function linuxConnectInUse(ep: EndpointRt): 'EALREADY' | 'EISCONN' {
  const own = ep.latest && !ep.latest.deleted ? ep.latest : null;
  return own && (own.state === 'SYN_SENT' || (own.state === 'SYN_RECEIVED' && !own.passive)) ? 'EALREADY' : 'EISCONN';
}

export function callConnect(w: World, sockets: Sockets, ep: EndpointRt, peerName: string, line: number | null): void {
  const peer = sockets.byName.get(peerName);
  if (!peer) return; // the parser reports unknown names
  // RFC 9293 3.10.1, OPEN in any state but CLOSED: "connection already exists".
  const linux = w.options.profile === 'linux';
  // Under `linux` a connection the application closed is no longer its socket's: a new connect
  // is a new socket, which meets the old connection (say in TIME_WAIT) at bind and connect.
  const ownOrphans = linux && ep.listener === null && ep.live.size > 0 && [...ep.live].every((c) => c.orphaned);
  if (inUse(ep) && !ownOrphans) {
    const code = linux ? linuxConnectInUse(ep) : 'EINVAL';
    w.recordError(ep, 'connect', code, line, 'connection already exists');
    return;
  }
  if (linux) {
    const code = linuxBindConnect(sockets, ep, { addr: peer.address, port: peer.port });
    if (code !== null) {
      w.recordError(ep, 'connect', code, line);
      return;
    }
  }
  const takeover = linux ? [] : bindCheck(sockets, ep, { addr: peer.address, port: peer.port });
  if (takeover === null) {
    w.recordError(ep, 'connect', 'EADDRINUSE', line);
    return;
  }
  let iss = w.isnFor(ep);
  for (const old of takeover) {
    if (ep.decl.isn === null) iss = seq32(sndSeq(old, old.sndNxt) + REUSE_ISN_STEP);
    w.deleteTcb(old, 'reuse', 'reuse', null);
  }
  // A TCB of our own on the 4-tuple would be found first by demux; the bind check excluded it.
  const tcb = w.createConnection(ep, { addr: peer.address, port: peer.port, side: peer.side }, iss, undefined);
  tcb.peerName = peer.name;
  tcb.connectLine = line;
  w.setState(tcb, 'SYN_SENT', 'active-open', 'connect', null);
  sendSyn(w, tcb, line, 'connect');
}

export function callListen(w: World, sockets: Sockets, ep: EndpointRt, line: number | null): void {
  const linux = w.options.profile === 'linux';
  // Linux (inet_listen): listen on a listening socket only changes its backlog, and succeeds.
  if (linux && ep.listener) return;
  if (inUse(ep)) {
    w.recordError(ep, 'listen', 'EINVAL', line, 'connection already exists');
    return;
  }
  if (linux ? linuxBindConnect(sockets, ep, null) !== null : bindCheck(sockets, ep, null) === null) {
    w.recordError(ep, 'listen', 'EADDRINUSE', line);
    return;
  }
  const l = newTcb(sockets, ep, {
    listener: true,
    remoteAddr: '',
    remotePort: 0,
    remoteSide: -1,
    peerName: null,
    iss: 0,
    passive: false,
    incarnation: 0,
    rto: w.options.rto,
  });
  ep.listener = l;
  sockets.register(l);
  w.setState(l, 'LISTEN', 'passive-open', 'listen', null);
}

export function callSend(w: World, ep: EndpointRt, bytes: number, line: number | null): void {
  const tcb = liveConnection(ep);
  // RFC 9293 3.10.2: in CLOSED "connection does not exist", in LISTEN (no remote given)
  // "foreign socket unspecified", in the closing states "connection closing". All are ENOTCONN
  // under `rfc` (the RFC's words go with the error so that it is not told as "no connection"
  // while the diagram shows FIN_WAIT_1); Linux's tcp_sendmsg says EPIPE for all of them
  // (sk_stream_wait_connect, SEND_SHUTDOWN).
  const code = w.options.profile === 'linux' ? 'EPIPE' : 'ENOTCONN';
  if (!tcb) {
    const response = ep.listener && !ep.latest ? 'foreign socket unspecified' : 'connection does not exist';
    w.recordError(ep, 'send', code, line, response);
    return;
  }
  const s: TcpState = tcb.state;
  if (s === 'SYN_SENT' || s === 'SYN_RECEIVED' || s === 'ESTABLISHED' || s === 'CLOSE_WAIT') {
    if (tcb.finQueued || tcb.closeAfterEstablished) {
      // A close queued behind data (or, in SYN_RECEIVED, until ESTABLISHED): the FIN is not sent
      // yet, but the application closed its sending side, so later data is refused.
      w.recordError(ep, 'send', code, line, 'connection closing');
      return;
    }
    queueSend(w, tcb, bytes, line);
    return;
  }
  w.recordError(ep, 'send', code, line, 'connection closing');
}

export function callClose(w: World, ep: EndpointRt, verb: 'close' | 'shutdown', line: number | null): void {
  const tcb = liveConnection(ep);
  if (!tcb) {
    if (verb === 'close' && ep.listener) {
      // close with no connection stops listening (RFC 9293 3.10.4, LISTEN: delete the TCB).
      const l = ep.listener;
      ep.listener = null;
      w.deleteTcb(l, 'close', 'close', null);
      return;
    }
    // RFC 9293 3.10.4, CLOSE in CLOSED: "connection does not exist".
    w.recordError(ep, verb, 'ENOTCONN', line, 'connection does not exist');
    return;
  }
  // `close` (not `shutdown`) leaves the connection to TCP alone: an orphan, whose FIN_WAIT_2
  // lives only `fin_timeout` (and whose retries are fewer under `linux`).
  if (verb === 'close' && !tcb.orphaned) {
    tcb.orphaned = true;
    if (tcb.state === 'FIN_WAIT_2') startFinWait2Timer(w, tcb);
  }
  switch (tcb.state) {
    case 'SYN_SENT':
      // "Delete the TCB and return 'error: closing' responses to any queued SENDs."
      w.deleteTcb(tcb, 'close', verb, null);
      return;
    case 'SYN_RECEIVED':
      // With data queued the FIN waits for ESTABLISHED; otherwise FIN now and FIN_WAIT_1.
      if (tcb.queued > 0) {
        tcb.closeAfterEstablished = true;
        tcb.closeLine = line;
      } else startClose(w, tcb, line);
      return;
    case 'ESTABLISHED':
    case 'CLOSE_WAIT':
      startClose(w, tcb, line);
      return;
    default:
      // FIN_WAIT_1/2, CLOSING, LAST_ACK, TIME_WAIT: already closing; a second close changes
      // nothing and reports nothing. RFC 9293 3.10.4 allows "ok" in FIN-WAIT (no second FIN) and
      // answers "connection closing" in the other three; an application closes its socket once
      // (Linux's close() of the descriptor succeeds), so a repeated close is not an error here.
      return;
  }
}

export function callAbort(w: World, ep: EndpointRt, line: number | null): void {
  const tcb = liveConnection(ep);
  if (!tcb) {
    if (ep.listener) {
      const l = ep.listener;
      ep.listener = null;
      w.deleteTcb(l, 'abort', 'abort', null);
      return;
    }
    // RFC 9293 3.10.5, ABORT in CLOSED: "connection does not exist".
    w.recordError(ep, 'abort', 'ENOTCONN', line, 'connection does not exist');
    return;
  }
  // RFC 9293 3.10.5: SYN-RECEIVED through CLOSE-WAIT send <SEQ=SND.NXT><CTL=RST>; SYN-SENT,
  // CLOSING, LAST-ACK and TIME-WAIT just delete the TCB.
  const s = tcb.state;
  if (s === 'SYN_RECEIVED' || s === 'ESTABLISHED' || s === 'FIN_WAIT_1' || s === 'FIN_WAIT_2' || s === 'CLOSE_WAIT') {
    // Linux's tcp_send_active_reset sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>.
    const ack = w.options.profile === 'linux' ? rcvSeq(tcb, tcb.rcvNxt) : null;
    transmit(w, tcb, { rst: true, seq: sndSeq(tcb, tcb.sndNxt), ack, causeLine: line, note: 'abort' });
  }
  w.deleteTcb(tcb, 'abort', 'abort', null);
}

/** The state of an endpoint (spec): its latest connection's, CLOSED once deleted; LISTEN with only a listener. */
export function endpointState(ep: EndpointRt): TcpState {
  const last = ep.latest;
  if (last) return last.deleted ? 'CLOSED' : last.state;
  return ep.listener ? 'LISTEN' : 'CLOSED';
}
