// The simulator's internal model: segments on the wire, TCBs, endpoints at run time, and the
// interface through which TCB logic reaches the rest of the world (network, clock, trace).

import type { EndpointDecl } from '../ast';
import type { TraceSegment } from '../trace';
import type { CallResponse } from '../trace';
import type { ErrorCode, HazardKind, Options, TcpState } from '../types';
import type { Fifo } from './fifo';
import type { StateEdge, TransitionEvent } from './stateGraph';

/** 2^32: sequence numbers live modulo this (RFC 9293 section 3.4). */
export const SEQ_MOD = 4294967296;

export function seq32(n: number): number {
  return ((n % SEQ_MOD) + SEQ_MOD) % SEQ_MOD;
}

/** Signed distance from b to a in sequence space (RFC 9293 3.4 comparisons are modulo 2^32). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** A segment handed to the network. */
export interface Segment {
  n: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  /** The receiver-side 4-tuple key (destination first) the segment is demultiplexed by (see host.ts). */
  demuxKey: number;
  /** The sides (declared address:port numbers, see host.ts) of source and destination. */
  srcSide: number;
  dstSide: number;
  from: string;
  to: string;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  psh: boolean;
  ackFlag: boolean;
  seq: number;
  ack: number;
  len: number;
  wnd: number;
  incarnation: number | null;
  /** Run-wide id of the sending TCB; null for injected segments and RSTs sent with no TCB. */
  srcTcb: number | null;
  /** For data: the offset in the sender's byte stream of the first byte (for delivery observers). */
  dataOffset: number;
  causeLine: number | null;
  sentAt: number;
  trace: TraceSegment;
  /** A `duplicate` copy: not subject to drop/delay/duplicate rules again. */
  isCopy: boolean;
}

/** What a TCB wants to send; the world fills in addresses, numbering and trace. */
export interface SegmentSpec {
  syn?: boolean;
  fin?: boolean;
  rst?: boolean;
  psh?: boolean;
  ack?: number | null;
  seq: number;
  len?: number;
  dataOffset?: number;
  retransmission?: boolean;
  /**
   * The incarnation the segment carries when it is not the sending TCB's: a reset formed in
   * reply to a segment carries that segment's incarnation, as a RST sent with no TCB does.
   */
  incarnation?: number | null;
  causeLine: number | null;
  note: string;
}

/** One sent piece of sequence space awaiting acknowledgment, in sequence-offset terms. */
export interface SentPiece {
  /** Offsets relative to ISS: 0 is the SYN, 1.. are data bytes, the FIN follows the last byte. */
  start: number;
  end: number;
  syn: boolean;
  fin: boolean;
  psh: boolean;
  causeLine: number | null;
  note: string;
  /** When it was first sent, for RTT samples (RFC 6298). */
  sentAt: number;
  /** Retransmitted at least once: its ACK gives no RTT sample (Karn's algorithm, RFC 6298 3). */
  retransmitted: boolean;
}

/** A segment held for reassembly because it arrived ahead of RCV.NXT (RFC 9293 3.10.7.4, "held for later processing"). */
export interface HeldSegment {
  /** Offsets relative to IRS. */
  start: number;
  dataEnd: number;
  fin: boolean;
  seg: Segment;
}

export interface Timer {
  ev: { cancelled: boolean } | null;
}

export interface Tcb {
  id: number;
  endpoint: EndpointRt;
  state: TcpState;
  listener: boolean;
  localAddr: string;
  localPort: number;
  /** The sides (declared address:port numbers, see host.ts) of both ends; -1 for a listener's remote. */
  localSide: number;
  remoteSide: number;
  /** This TCB's 4-tuple key (local side first), and the key its segments are demultiplexed by. */
  key: number;
  peerKey: number;
  remoteAddr: string;
  remotePort: number;
  peerName: string | null;
  incarnation: number;
  /** Came from a listener (RFC 9293 "initiated with a passive OPEN"). */
  passive: boolean;
  deleted: boolean;

  // Send sequence variables, as offsets from ISS (plain numbers; seq32(iss + off) on the wire).
  iss: number;
  sndUna: number;
  sndNxt: number;
  sndWnd: number;
  maxSndWnd: number;
  sndWl1: number;
  sndWl2: number;
  /** Bytes the application queued so far (stream end offset; byte k has sequence offset 1 + k). */
  queued: number;
  /** End offsets of each `send`, with its line, to set PSH and causeLine. */
  sendMarks: Fifo<{ end: number; line: number | null }>;
  finQueued: boolean;
  finSent: boolean;
  /** Sequence offset of our FIN once sent. */
  finOff: number;
  closeLine: number | null;
  /** A close in SYN_RECEIVED with data queued waits for ESTABLISHED (RFC 9293 3.10.4). */
  closeAfterEstablished: boolean;
  unacked: Fifo<SentPiece>;
  rto: number;
  /** The RTO a new ACK resets to: `rto`, or RFC 6298's estimate once there is one (`rto_min`). */
  rtoBase: number;
  /** RFC 6298 SRTT and RTTVAR in ms; srtt null before the first sample. */
  srtt: number | null;
  rttvar: number;
  retries: number;
  /** Time of the first retransmission since the last new ACK (Linux retrans_stamp, for the give-up budget). */
  firstRtxAt: number | null;
  rtxTimer: Timer;
  /** The application closed (not just shut down): nobody reads any more (Linux SOCK_DEAD, an orphan). */
  orphaned: boolean;
  /** An orphaned FIN_WAIT_2's lifetime (`fin_timeout`). */
  finWait2Timer: Timer;
  connectLine: number | null;

  // Receive sequence variables, as offsets from IRS.
  irs: number;
  rcvNxt: number;
  rcvWnd: number;
  held: HeldSegment[];
  ackPending: boolean;
  ackPendingLine: number | null;
  ackPendingNote: string;
  fullSegmentsUnacked: number;
  /** RCV.NXT when we last sent an ACK: the left edge of the window we last advertised (Linux rcv_wup). */
  rcvWup: number;
  /** Linux: the application's read of this instant's data is scheduled (see readData in tcb.ts). */
  readPending: boolean;
  delAckTimer: Timer;
  // Linux's delayed-ACK engine (profile `linux`; inet_connection_sock icsk_ack): the ACK timeout,
  // quick ACKs left, interactive (pingpong) mode, the last data arrival and the peer's MSS guess.
  ato: number;
  quick: number;
  pingpong: boolean;
  lastRcvAt: number;
  rcvMss: number;
  /** The window our SYN or SYN,ACK advertised. */
  synWnd: number;
  /** Time of the last ACK sent for an unacceptable segment (rate limit, see tcb.ts). */
  lastInvalidAckAt: number;

  timeWaitTimer: Timer;
  /** While one of this TCB's kernel timers runs, the granule (ticks) of its wheel level, else 0 (see kernelTimer in tcb.ts). */
  firingGranule: number;
  timeWaitStartedAt: number;
  /** Bytes delivered to the application. */
  delivered: number;
}

export interface EndpointRt {
  decl: EndpointDecl;
  name: string;
  address: string;
  port: number;
  /** Its address:port as a number shared by every incarnation there (see host.ts). */
  side: number;
  listener: Tcb | null;
  /** The endpoint's latest connection TCB, deleted or not: it decides the endpoint's state (spec). */
  latest: Tcb | null;
  /**
   * Its connection TCBs not yet deleted, oldest first. A deleted TCB leaves at once, so a server
   * that accepted thousands of connections neither keeps them alive nor walks them on each call.
   */
  live: Set<Tcb>;
  errors: { t: number; code: ErrorCode }[];
}

/** Delivery of bytes to an application, for observers (tests); not part of the trace. */
export interface Delivery {
  t: number;
  endpoint: string;
  tcb: number;
  incarnation: number;
  /** The TCB that sent the bytes, or null for an injected segment. */
  senderTcb: number | null;
  senderIncarnation: number | null;
  /** Offset of the first byte in the sender's stream. */
  offset: number;
  len: number;
  segment: number;
}

/** A state change with the event that caused it and its edge of the state graph (undefined: not allowed). */
export interface StepSeen {
  t: number;
  tcb: number;
  from: TcpState;
  to: TcpState;
  event: TransitionEvent;
  edge: StateEdge | undefined;
}

export interface SimObserver {
  onDeliver?(d: Delivery): void;
  onTransition?(s: StepSeen): void;
}

/** What TCB logic needs from the rest of the simulation. */
export interface World {
  readonly options: Options;
  now(): number;
  /** Hands a segment from this TCB to the network. */
  emit(tcb: Tcb, spec: SegmentSpec): Segment | null;
  /** A RST or other answer sent for a segment that reached no TCB (RFC 9293 3.10.7.1). */
  emitNoTcb(answered: Segment, spec: { seq: number; ack: number | null; rst: boolean; note: string }): void;
  /**
   * Moves the TCB to `to` on `event`, an edge of the state graph (stateGraph.ts); a move the
   * graph does not allow is reported as an `internal-error` diagnostic of the run. `cause` is
   * the trace's word for it (a call, the segment's flags, a timer).
   */
  setState(tcb: Tcb, to: TcpState, event: TransitionEvent, cause: string, seg: Segment | null): void;
  /** Deletes the TCB (state CLOSED), an edge of the state graph like any move. */
  deleteTcb(tcb: Tcb, event: TransitionEvent, cause: string, seg: Segment | null): void;
  /** Records a failed call; `response` is RFC 9293 3.10's text when the call's state refused it. */
  recordError(ep: EndpointRt, call: string, code: ErrorCode, line: number | null, response?: CallResponse): void;
  hazard(kind: HazardKind, ep: EndpointRt, seg: Segment, message: string): void;
  /** Schedules `run` after `delay` ms; the returned handle may be cancelled. */
  schedule(delay: number, run: () => void): { cancelled: boolean };
  deliver(tcb: Tcb, seg: Segment, offsetInSeg: number, len: number): void;
  /**
   * Creates a connection TCB of `ep` towards the remote address, registered on its 4-tuple:
   * active when `syn` is undefined, else accepted by a listener from that SYN.
   */
  createConnection(
    ep: EndpointRt,
    remote: { addr: string; port: number; side: number },
    iss: number,
    syn: Segment | undefined,
  ): Tcb;
  isnFor(ep: EndpointRt): number;
}
