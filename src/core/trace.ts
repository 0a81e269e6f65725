// The trace of one run: the command line's `--json` format (spec, "The trace"). Fields the
// spec names keep its meaning; fields marked "extension" are additions the preview needs
// (click-to-source, one timeline row per TCB) and are allowed by the spec's "add, never change".

import type { ErrorCode, Flag, HazardKind, Profile, TcpState } from './types';

export interface TraceEndpoint {
  name: string;
  address: string;
  port: number;
}

export type SegmentFate = 'delivered' | 'dropped' | 'duplicate';

export interface TraceSegment {
  /** From 1, in the order segments were handed to the network. */
  n: number;
  from: string;
  to: string;
  sentAt: number;
  /** null when dropped. */
  arrivedAt: number | null;
  /** In the order SYN, FIN, RST, PSH, ACK. */
  flags: Flag[];
  seq: number;
  /** null when ACK is off. */
  ack: number | null;
  len: number;
  fate: SegmentFate;
  retransmission: boolean;
  /**
   * The incarnation of the 4-tuple whose TCB sent it: 1 for the first connection on that
   * 4-tuple, 2 for the next, ... A RST sent for a segment that reached no TCB (RFC 9293
   * 3.10.7.1) carries the incarnation of the segment it answers; an injected one is null.
   */
  incarnation: number | null;
  /** Extension: a segment handed to the network by `net inject`. */
  injected: boolean;
  /** Extension: extra latency added by `net delay`, in ms (0 when none). */
  delayedBy: number;
  /** Extension: for a `duplicate`, the number of the segment it copies; else null. */
  duplicateOf: number | null;
  /** Extension: the advertised window. */
  window: number;
  /**
   * Extension: the 1-based source line of the statement that caused this segment (the call,
   * trigger or rule; for an answer to another segment, the line that caused that one), or null.
   */
  causeLine: number | null;
  /** Extension: a short readable reason ("connect", "ACK of FIN", "RST: no listener", ...). */
  note: string;
}

export interface TraceTransition {
  t: number;
  endpoint: string;
  /** The remote endpoint's name; null for a listener (or when no endpoint has that address). */
  peer: string | null;
  from: TcpState;
  to: TcpState;
  /** What caused it: a call (`connect`, `close`, ...), a segment (`SYN`, `FIN,ACK`, ...), or a timer (`timeout`, `2msl`). */
  cause: string;
  /** Extension: a run-wide id of the TCB (listener or connection), from 1. */
  tcb: number;
  /** Extension: the number of the segment that caused it, when one did. */
  segment: number | null;
}

/**
 * The error texts RFC 9293 section 3.10 gives for a user call that the connection's state does
 * not allow (3.10.1 OPEN, 3.10.2 SEND, 3.10.4 CLOSE, 3.10.5 ABORT), without the "error: ".
 */
export type CallResponse =
  'connection does not exist' | 'connection closing' | 'connection already exists' | 'foreign socket unspecified';

export interface TraceError {
  t: number;
  endpoint: string;
  call: string;
  code: ErrorCode;
  /** Extension: 1-based line of the call (null when not caused by a call line, e.g. ECONNRESET). */
  line: number | null;
  /**
   * Extension: for a call the state refused, RFC 9293 3.10's error text for it ("connection
   * closing" for `send` after `close`), which says more than the errno: one ENOTCONN covers both
   * "connection does not exist" and "connection closing". Absent for errors a segment or a timer
   * caused and for EADDRINUSE (the RFC has no binding).
   */
  response?: CallResponse;
  /**
   * Extension: the 1-based line of an `expect ENDPOINT error CODE` that held and asked for this
   * error (the first such line), so that views show it as expected rather than as a failure.
   */
  expectedBy?: number;
}

export interface TraceHazard {
  t: number;
  kind: HazardKind;
  endpoint: string;
  /** The segment involved. */
  segment: number;
  message: string;
}

export interface TraceExpectation {
  /** 1-based line of the `expect` statement. */
  line: number;
  text: string;
  ok: boolean;
  /** Empty when ok; else what was found instead. */
  message: string;
}

export interface Trace {
  version: 1;
  title: string;
  variant: string;
  endpoints: TraceEndpoint[];
  segments: TraceSegment[];
  transitions: TraceTransition[];
  errors: TraceError[];
  hazards: TraceHazard[];
  expectations: TraceExpectation[];
  endedAt: number;
  /** Extension: why the run stopped early (limits), or null when it ended normally or at `duration`. */
  truncated: string | null;
  /**
   * Extension: the profile the run modelled (`set profile`, or the variant's): `rfc` or
   * `linux`. The simulator always sets it; a trace made otherwise (a kernel run) may not.
   */
  profile?: Profile;
}
