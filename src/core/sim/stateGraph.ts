// The state graph as data: every state a TCB can be in and every transition the simulator may
// make, in one table, each edge with the event that takes it, its reason and its RFC section
// (as smoltcp's socket/tcp.rs keeps its states and their moves in one place). RFC 9293's
// figure 5 is here edge for edge; the edges the figure leaves out ("The figure omits error
// conditions", note 2: resets, aborts, timeouts, the RFC 793 reset for a SYN in the window,
// `reuse`) are listed beside it with where the text asks for them.
//
// Every state change of a run goes through `World.setState` with one of these events; a move
// that is not in the table is a bug of the simulator, reported as an `internal-error`
// diagnostic of the run (never thrown), and the property tests check every transition of
// every generated run against this table. A new rule that moves a TCB somewhere new (a
// profile, an option) adds its edge here first.

import type { TcpState } from '../types';

/** What moves a TCB: a user call, a segment of some kind, or a timer. */
export type TransitionEvent =
  /** `listen` (RFC 9293 3.10.1, passive OPEN). */
  | 'passive-open'
  /** `connect` (3.10.1, active OPEN). */
  | 'active-open'
  /** SEND on a listener (3.10.2): figure 5 only, the language has no such call. */
  | 'send'
  /** `close` or `shutdown` (3.10.4). */
  | 'close'
  /** `abort` (3.10.5). */
  | 'abort'
  /** A SYN without ACK that starts a connection (3.10.7.2, 3.10.7.3 fourth step). */
  | 'rcv-syn'
  /** A SYN,ACK acknowledging our SYN (3.10.7.3 fourth step). */
  | 'rcv-syn-ack'
  /** An acceptable ACK of our SYN in SYN-RECEIVED (3.10.7.4 fifth step). */
  | 'rcv-ack-of-syn'
  /** The peer's FIN at RCV.NXT (3.10.7.4 eighth step). */
  | 'rcv-fin'
  /** The ACK of our FIN (3.10.7.4 fifth step). */
  | 'rcv-ack-of-fin'
  /** An acceptable RST (3.10.7.3 second step, 3.10.7.4 second step). */
  | 'rcv-rst'
  /** A SYN in the window of a synchronized connection (3.10.7.4 fourth step). */
  | 'rcv-syn-in-window'
  /** The retransmission timer gave up (3.8.3, R2; `max_retries`). */
  | 'user-timeout'
  /** The TIME-WAIT timer (3.10.8, "Timeout=2MSL"; `time_wait`, 0 included). */
  | 'time-wait-timeout'
  /** A `connect` with `reuse` takes over a TIME_WAIT of the same 4-tuple (spec, `reuse`). */
  | 'reuse'
  /** `profile = linux`: a SYN above RCV.NXT reopens a TIME_WAIT (RFC 1122 4.2.2.13). */
  | 'time-wait-reopen'
  /** The FIN_WAIT_2 timer of a connection its application closed (`fin_timeout`). */
  | 'fin-timeout';

/** Where an edge comes from: the figure itself, the RFC's text beside it, or a choice of this model. */
export type EdgeOrigin = 'figure 5' | 'RFC text' | 'model';

export interface StateEdge {
  from: TcpState;
  to: TcpState;
  event: TransitionEvent;
  /** The figure's label ("rcv SYN / snd SYN,ACK") or what the text says happens. */
  reason: string;
  /** RFC 9293 section (or another RFC) asking for it. */
  rfc: string;
  origin: EdgeOrigin;
  /**
   * Set when the simulator never takes this edge, saying why (a tested claim: the coverage test
   * fails both when an edge without it is never reached and when an edge with it is reached).
   */
  unreached?: string;
}

const SYNCHRONIZED: readonly TcpState[] = [
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
];

function edge(
  from: TcpState,
  to: TcpState,
  event: TransitionEvent,
  origin: EdgeOrigin,
  rfc: string,
  reason: string,
  unreached?: string,
): StateEdge {
  return unreached === undefined
    ? { from, to, event, reason, rfc, origin }
    : { from, to, event, reason, rfc, origin, unreached };
}

/** RFC 9293 figure 5 ("TCP Connection State Diagram"), its twenty edges in the figure's words. */
const FIGURE_5: StateEdge[] = [
  edge('CLOSED', 'LISTEN', 'passive-open', 'figure 5', '3.10.1', 'passive OPEN / create TCB'),
  edge('CLOSED', 'SYN_SENT', 'active-open', 'figure 5', '3.10.1', 'active OPEN / create TCB, snd SYN'),
  edge('LISTEN', 'CLOSED', 'close', 'figure 5', '3.10.4', 'CLOSE / delete TCB'),
  // An accepted connection is a TCB of its own whose first move is this one (README, "Accepted
  // connections"); the listener itself stays in LISTEN.
  edge('LISTEN', 'SYN_RECEIVED', 'rcv-syn', 'figure 5', '3.10.7.2', 'rcv SYN / snd SYN,ACK'),
  edge(
    'LISTEN',
    'SYN_SENT',
    'send',
    'figure 5',
    '3.10.2',
    'SEND / snd SYN',
    'the language has no SEND on a listener: `send` with only a listener fails with ENOTCONN',
  ),
  edge(
    'SYN_RECEIVED',
    'LISTEN',
    'rcv-rst',
    'figure 5',
    '3.10.7.4',
    'rcv RST, after a passive OPEN (note 1)',
    'the accepted connection is a TCB of its own: it goes SYN_RECEIVED -> CLOSED on the RST and its listener stays in LISTEN',
  ),
  edge('SYN_SENT', 'CLOSED', 'close', 'figure 5', '3.10.4', 'CLOSE / delete TCB'),
  edge('SYN_SENT', 'SYN_RECEIVED', 'rcv-syn', 'figure 5', '3.10.7.3', 'rcv SYN / snd SYN,ACK (simultaneous open)'),
  edge('SYN_SENT', 'ESTABLISHED', 'rcv-syn-ack', 'figure 5', '3.10.7.3', 'rcv SYN,ACK / snd ACK'),
  edge('SYN_RECEIVED', 'ESTABLISHED', 'rcv-ack-of-syn', 'figure 5', '3.10.7.4', 'rcv ACK of SYN'),
  edge('SYN_RECEIVED', 'FIN_WAIT_1', 'close', 'figure 5', '3.10.4', 'CLOSE / snd FIN'),
  edge('ESTABLISHED', 'FIN_WAIT_1', 'close', 'figure 5', '3.10.4', 'CLOSE / snd FIN'),
  edge('ESTABLISHED', 'CLOSE_WAIT', 'rcv-fin', 'figure 5', '3.10.7.4', 'rcv FIN / snd ACK'),
  edge('FIN_WAIT_1', 'FIN_WAIT_2', 'rcv-ack-of-fin', 'figure 5', '3.10.7.4', 'rcv ACK of FIN'),
  edge('FIN_WAIT_1', 'CLOSING', 'rcv-fin', 'figure 5', '3.10.7.4', 'rcv FIN / snd ACK (simultaneous close)'),
  edge('CLOSE_WAIT', 'LAST_ACK', 'close', 'figure 5', '3.10.4', 'CLOSE / snd FIN'),
  edge('FIN_WAIT_2', 'TIME_WAIT', 'rcv-fin', 'figure 5', '3.10.7.4', 'rcv FIN / snd ACK'),
  edge('CLOSING', 'TIME_WAIT', 'rcv-ack-of-fin', 'figure 5', '3.10.7.4', 'rcv ACK of FIN'),
  edge('LAST_ACK', 'CLOSED', 'rcv-ack-of-fin', 'figure 5', '3.10.7.4', 'rcv ACK of FIN / delete TCB'),
  edge('TIME_WAIT', 'CLOSED', 'time-wait-timeout', 'figure 5', '3.10.8', 'Timeout=2MSL / delete TCB'),
];

/** What the RFC's text asks for beyond the figure, and the model's own choices. */
const BEYOND_FIGURE: StateEdge[] = [
  // Eighth step, texts the fifth step makes unreachable here: they stay legal moves.
  edge(
    'FIN_WAIT_1',
    'TIME_WAIT',
    'rcv-fin',
    'RFC text',
    '3.10.7.4 eighth step',
    'rcv FIN when our FIN is already acknowledged',
    'the fifth step moves FIN_WAIT_1 to FIN_WAIT_2 when the ACK of our FIN arrives, before the FIN is processed',
  ),
  edge(
    'SYN_RECEIVED',
    'CLOSE_WAIT',
    'rcv-fin',
    'RFC text',
    '3.10.7.4 eighth step',
    'rcv FIN in SYN-RECEIVED',
    'a segment without ACK is dropped in the fifth step, and one with an acceptable ACK moves SYN_RECEIVED to ESTABLISHED first',
  ),
  // Resets (second step of 3.10.7.3 and 3.10.7.4).
  edge(
    'SYN_SENT',
    'CLOSED',
    'rcv-rst',
    'RFC text',
    '3.10.7.3 second step',
    'rcv RST with an ACK of our SYN: connection refused',
  ),
  edge(
    'SYN_RECEIVED',
    'CLOSED',
    'rcv-rst',
    'RFC text',
    '3.10.7.4 second step',
    'rcv RST: an accepted connection goes (its listener stays: figure 5 note 1); an active one is refused',
  ),
  ...SYNCHRONIZED.map((s) => edge(s, 'CLOSED', 'rcv-rst', 'RFC text', '3.10.7.4 second step', 'rcv RST / delete TCB')),
  // A SYN in the window (fourth step): a passive SYN-RECEIVED returns to LISTEN (its TCB goes);
  // elsewhere RFC 793's reset (`challenge_ack = off`; RFC 5961 4.2 answers a challenge ACK instead).
  edge(
    'SYN_RECEIVED',
    'CLOSED',
    'rcv-syn-in-window',
    'RFC text',
    '3.10.7.4 fourth step',
    'rcv SYN: a passive connection returns to LISTEN (its TCB goes), an active one is reset (RFC 793)',
  ),
  ...SYNCHRONIZED.map((s) =>
    edge(
      s,
      'CLOSED',
      'rcv-syn-in-window',
      'RFC text',
      '3.10.7.4 fourth step; RFC 5961 4.2',
      'rcv SYN in the window with challenge_ack off / snd RST, delete TCB (RFC 793)',
    ),
  ),
  // ABORT (3.10.5): every state with a TCB deletes it, with a RST from SYN-RECEIVED to CLOSE-WAIT.
  ...(['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', ...SYNCHRONIZED] as TcpState[]).map((s) =>
    edge(s, 'CLOSED', 'abort', 'RFC text', '3.10.5', 'ABORT / delete TCB'),
  ),
  // The retransmission timer gives up (a user timeout, 3.8.3 R2; 3.10.8 USER TIMEOUT): every
  // state with something unacknowledged. FIN_WAIT_2 and TIME_WAIT have nothing in flight.
  ...(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK'] as TcpState[]).map(
    (s) => edge(s, 'CLOSED', 'user-timeout', 'RFC text', '3.8.3 R2; 3.10.8', 'retransmissions exhausted / delete TCB'),
  ),
  edge(
    'TIME_WAIT',
    'CLOSED',
    'reuse',
    'model',
    'no RFC section; Linux tcp_twsk_unique',
    '`connect` with `reuse` takes over the TIME_WAIT of its 4-tuple',
  ),
  edge(
    'TIME_WAIT',
    'CLOSED',
    'time-wait-reopen',
    'model',
    'RFC 1122 4.2.2.13; Linux tcp_timewait_state_process',
    '`profile = linux`: rcv SYN above RCV.NXT / delete TCB, the listener answers with ISN = SND.NXT + 65537',
  ),
  edge(
    'FIN_WAIT_2',
    'CLOSED',
    'fin-timeout',
    'model',
    'no RFC section (RFC 9293 FIN-WAIT-2 waits forever); Linux tcp_fin_timeout',
    '`fin_timeout` after the application closed / delete TCB, no segment',
  ),
];

/** A table of legal transitions, indexed for the lookup made on every state change. */
export class StateGraph {
  // By from-state, then event, then to-state: no key string is built per transition.
  private readonly index = new Map<TcpState, Map<TransitionEvent, Map<TcpState, StateEdge>>>();

  constructor(readonly edges: readonly StateEdge[]) {
    for (const e of edges) {
      let byEvent = this.index.get(e.from);
      if (!byEvent) this.index.set(e.from, (byEvent = new Map()));
      let byTo = byEvent.get(e.event);
      if (!byTo) byEvent.set(e.event, (byTo = new Map()));
      byTo.set(e.to, e);
    }
  }

  /** The edge `from --event--> to`, or undefined when the table does not allow it. */
  edgeOf(from: TcpState, to: TcpState, event: TransitionEvent): StateEdge | undefined {
    return this.index.get(from)?.get(event)?.get(to);
  }

  /** True when some event may move a TCB from `from` to `to` (a check on a trace, which records no event). */
  allows(from: TcpState, to: TcpState): boolean {
    const byEvent = this.index.get(from);
    if (!byEvent) return false;
    for (const byTo of byEvent.values()) if (byTo.has(to)) return true;
    return false;
  }
}

/** Every legal transition of the simulator: figure 5, then the edges beyond it. */
export const STATE_GRAPH = new StateGraph([...FIGURE_5, ...BEYOND_FIGURE]);
