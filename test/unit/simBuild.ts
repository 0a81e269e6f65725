// Helpers for the simulator's tests: run a `.tcpscn` text (through the parser) or a Scenario
// built by hand, and pick segments, states and replies out of the trace.

import assert from 'node:assert/strict';
import type { CallStmt, EndpointDecl, EventStmt, ExpectStmt, Scenario } from '../../src/core/ast';
import { parse } from '../../src/core/parser';
import { simulate, type RunResult, type SimObserver } from '../../src/core/sim/simulate';
import type { Trace, TraceSegment } from '../../src/core/trace';
import { DEFAULT_LIMITS, range, type Limits, type TcpState, type Verb } from '../../src/core/types';

/** Two endpoints, 10 ms apart, with ISNs that make sequence numbers easy to read (client 100, server 300). */
export const EPS = `set latency = 10ms
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
`;
/** EPS with the server listening and the client connecting at 0 ms (ESTABLISHED by 30 ms). */
export const BASE = `${EPS}0ms server listen
0ms client connect server
`;

/**
 * A TCB in each state (RFC 9293 3.3.2), built through the real simulator: `text` puts `who`
 * in `state` by 199 ms, where it stays (no timer fires before 1 s), so a test appends its own
 * line at 200 ms (an injected segment arrives at 210 ms). `sndNxt` and `rcvNxt` are `who`'s
 * SND.NXT and RCV.NXT on the wire then (null where it has none), so a test can form an
 * acceptable segment. Shared by the table-driven tests (simStates, simCalls) and the state
 * graph's coverage test.
 */
export interface StateFixture {
  state: TcpState;
  who: 'client' | 'server';
  peer: 'client' | 'server';
  text: string;
  sndNxt: number | null;
  rcvNxt: number | null;
}

function fixture(
  state: TcpState,
  who: 'client' | 'server',
  text: string,
  sndNxt: number | null,
  rcvNxt: number | null,
): StateFixture {
  return { state, who, peer: who === 'client' ? 'server' : 'client', text, sndNxt, rcvNxt };
}

// Client ISS 100 (SND.NXT 101 after the SYN, 102 after its FIN), server ISS 300.
export const STATE_FIXTURES: Readonly<Record<TcpState, StateFixture>> = {
  CLOSED: fixture('CLOSED', 'server', EPS, null, null),
  LISTEN: fixture('LISTEN', 'server', `${EPS}0ms server listen\n`, null, null),
  SYN_SENT: fixture(
    'SYN_SENT',
    'client',
    `${EPS}0ms net drop client->server SYN all\n0ms client connect server\n`,
    101,
    null,
  ),
  // The client's ACK of the SYN-ACK is lost: the server waits in SYN_RECEIVED (its RTO is 1 s).
  SYN_RECEIVED: fixture('SYN_RECEIVED', 'server', `${BASE}0ms net drop client->server pure-ack\n`, 301, 101),
  ESTABLISHED: fixture('ESTABLISHED', 'client', BASE, 101, 301),
  FIN_WAIT_1: fixture(
    'FIN_WAIT_1',
    'client',
    `${BASE}100ms net drop client->server FIN all\n100ms client close\n`,
    102,
    301,
  ),
  FIN_WAIT_2: fixture('FIN_WAIT_2', 'client', `${BASE}100ms client close\n`, 102, 301),
  CLOSE_WAIT: fixture('CLOSE_WAIT', 'client', `${BASE}100ms server close\n`, 101, 302),
  // Simultaneous close, the ACK of the server's FIN lost: the client waits in CLOSING.
  CLOSING: fixture(
    'CLOSING',
    'client',
    `${BASE}100ms net drop server->client pure-ack\n100ms client close\n100ms server close\n`,
    102,
    302,
  ),
  LAST_ACK: fixture(
    'LAST_ACK',
    'client',
    `${BASE}100ms net drop client->server FIN all\n100ms server close\non client CLOSE_WAIT client close\n`,
    102,
    302,
  ),
  TIME_WAIT: fixture('TIME_WAIT', 'client', `${BASE}100ms client close\non server CLOSE_WAIT server close\n`, 102, 302),
};

/**
 * SYN_RECEIVED reached by a simultaneous open (an active TCB, RFC 9293 figure 7), not by a
 * listener: both connect at 0 ms; the server's SYN,ACK and the ACK it sends when the client's
 * SYN,ACK makes it ESTABLISHED are lost, so the client waits in SYN_RECEIVED (its RTO is 1 s).
 */
export const SIMULTANEOUS_SYN_RECEIVED: StateFixture = fixture(
  'SYN_RECEIVED',
  'client',
  `${EPS}0ms net drop server->client ACK count 2\n0ms client connect server\n0ms server connect client\n`,
  101,
  301,
);

export function scenarioOf(text: string): Scenario {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(
    errors.length,
    0,
    `parse errors: ${errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`,
  );
  return r.scenario;
}

export function run(
  text: string,
  variant = 'default',
  limits: Limits = DEFAULT_LIMITS,
  observer?: SimObserver,
): RunResult {
  return simulate(scenarioOf(text), variant, limits, observer);
}

export function traceOf(text: string, variant = 'default'): Trace {
  return run(text, variant).trace;
}

/** "client->server [SYN,ACK] seq=0 ack=1 len=0" lines, for readable assertion failures. */
export function show(trace: Trace): string {
  return trace.segments
    .map(
      (s) =>
        `#${s.n} ${s.sentAt}->${s.arrivedAt} ${s.from}->${s.to} [${s.flags.join(',')}] seq=${s.seq} ack=${s.ack} len=${s.len} ${s.fate} ${s.note}`,
    )
    .join('\n');
}

export function flags(s: TraceSegment): string {
  return s.flags.join(',');
}

/** Segments the receiver of segment n sent at the instant it arrived (its answer). */
export function repliesTo(trace: Trace, n: number): TraceSegment[] {
  const s = trace.segments[n - 1];
  if (!s || s.arrivedAt === null) return [];
  return trace.segments.filter((r) => r.n > n && r.from === s.to && r.sentAt === s.arrivedAt);
}

export function injected(trace: Trace): TraceSegment {
  const s = trace.segments.find((x) => x.injected);
  assert.ok(s, 'no injected segment');
  return s;
}

/** The state of an endpoint at time t, from the transitions (its latest TCB, as the spec defines). */
export function stateAt(trace: Trace, endpoint: string, t: number): TcpState {
  let conn: TcpState | null = null;
  let latest = -1;
  let listening = false;
  for (const tr of trace.transitions) {
    if (tr.t > t || tr.endpoint !== endpoint) continue;
    if (tr.peer === null) listening = tr.to === 'LISTEN';
    else if (tr.tcb >= latest) {
      latest = tr.tcb;
      conn = tr.to;
    }
  }
  return conn ?? (listening ? 'LISTEN' : 'CLOSED');
}

export function finalState(trace: Trace, endpoint: string): TcpState {
  return stateAt(trace, endpoint, Infinity);
}

// ---------------------------------------------------------------------------------------------
// A Scenario built by hand, without the parser.

const R = range(0, 0, 1);

export interface HandEndpoint {
  name: string;
  address: string;
  port: number;
  isn?: number;
  reuse?: boolean;
  window?: number;
}

export interface HandCall {
  t: number;
  actor: string;
  verb: Verb;
  peer?: string;
  bytes?: number;
}

export function handScenario(
  endpoints: HandEndpoint[],
  calls: HandCall[],
  expects: { t: number | null; endpoint: string; state: TcpState }[] = [],
): Scenario {
  const eps: EndpointDecl[] = endpoints.map((e, index) => ({
    kind: 'endpoint',
    name: { value: e.name, range: R },
    address: e.address,
    port: e.port,
    isn: e.isn ?? null,
    window: e.window ?? null,
    reuse: e.reuse ?? false,
    index,
    range: range(index, 0, 1),
  }));
  const events: EventStmt[] = [];
  calls.forEach((c, i) => {
    const line = endpoints.length + i;
    const call: CallStmt = {
      kind: 'call',
      id: events.length,
      when: { kind: 'at', t: c.t, relative: false, range: range(line, 0, 1) },
      actor: { value: c.actor, range: R },
      verb: { value: c.verb, range: R },
      peer: c.peer ? { value: c.peer, range: R } : null,
      bytes: c.bytes ?? null,
      text: null,
      range: range(line, 0, 10),
    };
    events.push(call);
  });
  expects.forEach((x, i) => {
    const line = endpoints.length + calls.length + i;
    const e: ExpectStmt = {
      kind: 'expect',
      id: events.length,
      when:
        x.t === null
          ? { kind: 'end', range: range(line, 0, 1) }
          : { kind: 'at', t: x.t, relative: false, range: range(line, 0, 1) },
      assertion: { kind: 'state', endpoint: { value: x.endpoint, range: R }, state: { value: x.state, range: R } },
      variant: null,
      text: `expect ${x.endpoint} ${x.state}`,
      range: range(line, 0, 10),
    };
    events.push(e);
  });
  return {
    title: null,
    settings: [],
    endpoints: eps,
    links: [],
    variants: [],
    events,
    statements: [...eps, ...events],
    lineCount: endpoints.length + events.length,
  };
}
