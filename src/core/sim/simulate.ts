// One run of a scenario in one variant: the world that TCBs live in (clock, event queue,
// network, trace, triggers, expectations) and the main loop. Deterministic: no randomness, no
// wall clock; events sharing an instant run in the order they were scheduled.

import type { CallStmt, EventStmt, ExpectStmt, NetStmt, Scenario } from '../ast';
import type {
  CallResponse,
  Trace,
  TraceError,
  TraceExpectation,
  TraceHazard,
  TraceSegment,
  TraceTransition,
} from '../trace';
import {
  range,
  type Diagnostic,
  type ErrorCode,
  type Flag,
  type HazardKind,
  type Limits,
  type Options,
  type Range,
  type TcpState,
} from '../types';
import { formatDuration } from '../duration';
import { evaluate } from './expect';
import {
  arrive,
  callAbort,
  callClose,
  callConnect,
  callListen,
  callSend,
  endpointState,
  newTcb,
  Sockets,
} from './host';
import {
  seq32,
  type EndpointRt,
  type Segment,
  type SegmentSpec,
  type SimObserver,
  type Tcb,
  type World,
} from './model';
import { ISN_PER_MS } from './linux';
import { Network } from './network';
import { resolveOptions, variantLabels as labelsOf } from './options';
import { EventQueue } from './queue';
import { STATE_GRAPH, type StateGraph, type TransitionEvent } from './stateGraph';
import { rcvSeq, sndSeq } from './tcb';

export interface RunResult {
  trace: Trace;
  diagnostics: Diagnostic[];
}

export type { Delivery, SimObserver } from './model';

export function variantLabels(scenario: Scenario): string[] {
  return labelsOf(scenario);
}

/**
 * Runs `scenario` in `variant`; `observer` (tests) sees every byte delivered to an application
 * and every state change. Every state change is checked against `graph`, the simulator's table
 * of legal transitions (a test passes a smaller one to see an illegal move reported).
 */
export function simulate(
  scenario: Scenario,
  variant: string,
  limits: Limits,
  observer?: SimObserver,
  graph: StateGraph = STATE_GRAPH,
): RunResult {
  return new Simulation(scenario, variant, limits, observer, graph).run();
}

function lineOf(stmt: { range: Range }): number {
  return stmt.range.start.line + 1;
}

function pairName(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

class Simulation implements World {
  readonly options: Options;
  private t = 0;
  private readonly queue = new EventQueue();
  private readonly sockets: Sockets;
  private readonly network: Network;
  private readonly transitions: TraceTransition[] = [];
  private readonly errors: TraceError[] = [];
  private readonly hazards: TraceHazard[] = [];
  private readonly hazardKeys = new Set<string>();
  /** `errors` by endpoint and `hazards` by kind, for expectations (see expect.ts). */
  private readonly errorsByEndpoint = new Map<string, TraceError[]>();
  private readonly hazardsByKind = new Map<string, TraceHazard[]>();
  private readonly expectations: TraceExpectation[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  /** `on ENDPOINT STATE` lines not yet fired, by endpoint name, then state. */
  private readonly triggers = new Map<string, Map<TcpState, EventStmt[]>>();
  private readonly pendingExpects: ExpectStmt[] = [];
  private readonly checked = new Set<ExpectStmt>();
  private events = 0;
  private truncated: string | null = null;
  private readonly links = new Map<string, number>();
  /** Illegal moves already reported (see illegalStep). */
  private readonly illegalSteps = new Set<string>();
  /** The line of the call being run, while it runs. */
  private runningCall: number | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly variant: string,
    private readonly limits: Limits,
    private readonly observer: SimObserver | undefined,
    private readonly graph: StateGraph,
  ) {
    this.options = resolveOptions(scenario, variant);
    this.sockets = new Sockets(scenario.endpoints);
    for (const l of scenario.links) this.links.set(pairName(l.a.value, l.b.value), l.latency);
    this.network = new Network(
      (from, to) => this.links.get(pairName(from, to)) ?? this.options.latency,
      limits.maxSegments,
      (t, seg) => this.queue.push(t, () => this.arrival(seg)),
    );
  }

  // -------------------------------------------------------------------------------------------
  // World

  now(): number {
    return this.t;
  }

  schedule(delay: number, run: () => void): { cancelled: boolean } {
    return this.queue.push(this.t + delay, run);
  }

  isnFor(ep: EndpointRt): number {
    if (ep.decl.isn !== null) return ep.decl.isn;
    // RFC 793's ISN clock: bumped every 4 microseconds, i.e. 250 per millisecond; Linux's
    // (secure_tcp_seq) every 64 ns, 15 625 per millisecond.
    const perMs = this.options.profile === 'linux' ? ISN_PER_MS : 250;
    return this.options.isn === 'clock' ? seq32(Math.floor(perMs * this.t)) : 0;
  }

  createConnection(
    ep: EndpointRt,
    remote: { addr: string; port: number; side: number },
    iss: number,
    syn: Segment | undefined,
  ): Tcb {
    const passive = syn !== undefined;
    const incarnation = this.sockets.incarnationFor(ep.side, remote.side, syn);
    const tcb = newTcb(this.sockets, ep, {
      listener: false,
      remoteAddr: remote.addr,
      remotePort: remote.port,
      remoteSide: remote.side,
      peerName: null,
      iss,
      passive,
      incarnation,
      rto: this.options.rto,
    });
    ep.latest = tcb;
    ep.live.add(tcb);
    this.sockets.register(tcb);
    return tcb;
  }

  emit(tcb: Tcb, spec: SegmentSpec): Segment | null {
    const to = this.sockets.nameAt(tcb.remoteSide, tcb.peerKey) ?? tcb.peerName ?? '?';
    return this.handOut({
      demuxKey: tcb.peerKey,
      srcSide: tcb.localSide,
      dstSide: tcb.remoteSide,
      srcAddr: tcb.localAddr,
      srcPort: tcb.localPort,
      dstAddr: tcb.remoteAddr,
      dstPort: tcb.remotePort,
      from: tcb.endpoint.name,
      to,
      spec,
      wnd: spec.syn ? tcb.synWnd : tcb.rcvWnd,
      incarnation: spec.incarnation !== undefined ? spec.incarnation : tcb.incarnation,
      srcTcb: tcb.id,
      injected: false,
    });
  }

  emitNoTcb(answered: Segment, spec: { seq: number; ack: number | null; rst: boolean; note: string }): void {
    this.handOut({
      demuxKey: this.sockets.tupleKey(answered.srcSide, answered.dstSide),
      srcSide: answered.dstSide,
      dstSide: answered.srcSide,
      srcAddr: answered.dstAddr,
      srcPort: answered.dstPort,
      dstAddr: answered.srcAddr,
      dstPort: answered.srcPort,
      from: answered.trace.to,
      to: answered.from,
      spec: { rst: spec.rst, seq: spec.seq, ack: spec.ack, causeLine: answered.causeLine, note: spec.note },
      wnd: 0,
      incarnation: answered.incarnation,
      srcTcb: null,
      injected: false,
    });
  }

  private handOut(o: {
    demuxKey: number;
    srcSide: number;
    dstSide: number;
    srcAddr: string;
    srcPort: number;
    dstAddr: string;
    dstPort: number;
    from: string;
    to: string;
    spec: SegmentSpec;
    wnd: number;
    incarnation: number | null;
    srcTcb: number | null;
    injected: boolean;
  }): Segment | null {
    if (this.truncated) return null;
    const n = this.network.nextNumber();
    if (n === 0) {
      this.truncate(`the run reached ${this.limits.maxSegments} segments`);
      return null;
    }
    const s = o.spec;
    const ackFlag = s.ack !== undefined && s.ack !== null;
    const flags: Flag[] = [];
    if (s.syn) flags.push('SYN');
    if (s.fin) flags.push('FIN');
    if (s.rst) flags.push('RST');
    if (s.psh) flags.push('PSH');
    if (ackFlag) flags.push('ACK');
    const seqNum = seq32(s.seq);
    const ackNum = ackFlag ? seq32(s.ack as number) : 0;
    const len = s.len ?? 0;
    const trace: TraceSegment = {
      n,
      from: o.from,
      to: o.to,
      sentAt: this.t,
      arrivedAt: null,
      flags,
      seq: seqNum,
      ack: ackFlag ? ackNum : null,
      len,
      fate: 'delivered',
      retransmission: s.retransmission ?? false,
      incarnation: o.incarnation,
      injected: o.injected,
      delayedBy: 0,
      duplicateOf: null,
      window: o.wnd,
      causeLine: s.causeLine,
      note: s.note,
    };
    const seg: Segment = {
      n,
      srcAddr: o.srcAddr,
      srcPort: o.srcPort,
      dstAddr: o.dstAddr,
      dstPort: o.dstPort,
      demuxKey: o.demuxKey,
      srcSide: o.srcSide,
      dstSide: o.dstSide,
      from: o.from,
      to: o.to,
      syn: !!s.syn,
      fin: !!s.fin,
      rst: !!s.rst,
      psh: !!s.psh,
      ackFlag,
      seq: seqNum,
      ack: ackNum,
      len,
      wnd: o.wnd,
      incarnation: o.incarnation,
      srcTcb: o.srcTcb,
      dataOffset: s.dataOffset ?? 0,
      causeLine: s.causeLine,
      sentAt: this.t,
      trace,
      isCopy: false,
    };
    this.network.hand(seg);
    return seg;
  }

  setState(tcb: Tcb, to: TcpState, event: TransitionEvent, cause: string, seg: Segment | null): void {
    const from = tcb.state;
    if (from === to) return;
    const edge = this.graph.edgeOf(from, to, event);
    if (!edge) this.illegalStep(tcb, from, to, event, seg);
    this.observer?.onTransition?.({ t: this.t, tcb: tcb.id, from, to, event, edge });
    tcb.state = to;
    this.transitions.push({
      t: this.t,
      endpoint: tcb.endpoint.name,
      peer: tcb.listener ? null : tcb.peerName,
      from,
      to,
      cause,
      tcb: tcb.id,
      segment: seg ? seg.n : null,
    });
    this.fireTriggers(tcb.endpoint.name, to);
  }

  /**
   * A move the state graph does not allow is a bug of the simulator: it is made anyway (the run
   * goes on as the code says) and reported once per edge as an `internal-error` diagnostic on
   * the line that caused it, never thrown.
   */
  private illegalStep(tcb: Tcb, from: TcpState, to: TcpState, event: TransitionEvent, seg: Segment | null): void {
    const key = `${from} ${event} ${to}`;
    if (this.illegalSteps.has(key)) return;
    this.illegalSteps.add(key);
    // The line that caused it: the call being run, else the one that caused the segment.
    const line = this.runningCall ?? seg?.causeLine ?? null;
    const stmt = line !== null ? this.scenario.statements.find((s) => lineOf(s) === line) : undefined;
    const first = this.scenario.events[0];
    this.diagnostics.push({
      severity: 'error',
      code: 'internal-error',
      message: `Internal error: at ${this.t} ms ${tcb.endpoint.name} went from ${from} to ${to} on ${event}, a move the simulator's state graph (src/core/sim/stateGraph.ts) does not allow. Please report it with this file.`,
      range: stmt ? stmt.range : first ? first.range : range(0, 0, 0),
    });
  }

  deleteTcb(tcb: Tcb, event: TransitionEvent, cause: string, seg: Segment | null): void {
    if (tcb.deleted) return;
    for (const timer of [tcb.rtxTimer, tcb.delAckTimer, tcb.timeWaitTimer, tcb.finWait2Timer]) {
      if (timer.ev) timer.ev.cancelled = true;
      timer.ev = null;
    }
    tcb.deleted = true;
    this.sockets.unregister(tcb);
    if (tcb.endpoint.listener === tcb) tcb.endpoint.listener = null;
    this.setState(tcb, 'CLOSED', event, cause, seg);
  }

  recordError(ep: EndpointRt, call: string, code: ErrorCode, line: number | null, response?: CallResponse): void {
    ep.errors.push({ t: this.t, code });
    const e: TraceError = { t: this.t, endpoint: ep.name, call, code, line };
    if (response !== undefined) e.response = response;
    this.errors.push(e);
    const mine = this.errorsByEndpoint.get(ep.name);
    if (mine) mine.push(e);
    else this.errorsByEndpoint.set(ep.name, [e]);
  }

  hazard(kind: HazardKind, ep: EndpointRt, seg: Segment, message: string): void {
    // One report per segment, endpoint and kind (a segment may be acted on twice, e.g. data and FIN).
    const key = `${kind}\u0000${seg.n}\u0000${ep.name}`;
    if (this.hazardKeys.has(key)) return;
    this.hazardKeys.add(key);
    const h: TraceHazard = { t: this.t, kind, endpoint: ep.name, segment: seg.n, message };
    this.hazards.push(h);
    const same = this.hazardsByKind.get(kind);
    if (same) same.push(h);
    else this.hazardsByKind.set(kind, [h]);
  }

  deliver(tcb: Tcb, seg: Segment, offsetInSeg: number, len: number): void {
    this.observer?.onDeliver?.({
      t: this.t,
      endpoint: tcb.endpoint.name,
      tcb: tcb.id,
      incarnation: tcb.incarnation,
      senderTcb: seg.srcTcb,
      senderIncarnation: seg.incarnation,
      offset: seg.dataOffset + offsetInSeg,
      len,
      segment: seg.n,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Statements, triggers, arrivals

  private arrival(seg: Segment): void {
    // The diagram shows where the segment actually landed (a later incarnation may hold the address now).
    const name = this.sockets.nameAt(seg.dstSide, seg.demuxKey);
    if (name !== null) seg.trace.to = name;
    arrive(this, this.sockets, seg);
  }

  private fireTriggers(endpoint: string, state: TcpState): void {
    // Runs on every transition: two map probes with strings that already exist, no key built.
    const byState = this.triggers.get(endpoint);
    if (!byState) return;
    const list = byState.get(state);
    if (!list) return;
    byState.delete(state);
    for (const stmt of list) {
      const delay = stmt.when.kind === 'on' ? stmt.when.delay : 0;
      this.queue.push(this.t + delay, () => this.runStatement(stmt));
    }
  }

  private runStatement(stmt: EventStmt): void {
    if (stmt.kind === 'expect') this.pendingExpects.push(stmt);
    else if (stmt.kind === 'net') this.runNet(stmt);
    else this.runCall(stmt);
  }

  private runCall(stmt: CallStmt): void {
    const ep = this.sockets.byName.get(stmt.actor.value);
    if (!ep) return; // the parser reports unknown endpoints
    const line = lineOf(stmt);
    this.runningCall = line;
    this.call(stmt, ep, line);
    this.runningCall = null;
  }

  private call(stmt: CallStmt, ep: EndpointRt, line: number): void {
    switch (stmt.verb.value) {
      case 'listen':
        callListen(this, this.sockets, ep, line);
        break;
      case 'connect':
        if (stmt.peer) callConnect(this, this.sockets, ep, stmt.peer.value, line);
        break;
      case 'send':
        callSend(this, ep, stmt.bytes ?? 0, line);
        break;
      case 'close':
      case 'shutdown':
        callClose(this, ep, stmt.verb.value, line);
        break;
      case 'abort':
        callAbort(this, ep, line);
        break;
    }
  }

  private runNet(stmt: NetStmt): void {
    const rule = stmt.rule;
    if (rule.kind !== 'inject') {
      this.network.arm(stmt);
      return;
    }
    const a = this.sockets.byName.get(rule.from.value);
    const b = this.sockets.byName.get(rule.to.value);
    if (!a || !b) return;
    // seq and ack default to A's SND.NXT and RCV.NXT when A has a connection to B, else 0.
    // The latest such connection: `live` is oldest first, so the last match wins.
    let conn: Tcb | null = null;
    for (const c of a.live) if (c.remoteAddr === b.address && c.remotePort === b.port) conn = c;
    const hasAck = rule.flags.includes('ACK');
    const seqNum = rule.seq ?? (conn ? sndSeq(conn, conn.sndNxt) : 0);
    const ackNum = rule.ack ?? (conn && conn.state !== 'SYN_SENT' ? rcvSeq(conn, conn.rcvNxt) : 0);
    this.handOut({
      demuxKey: this.sockets.tupleKey(b.side, a.side),
      srcSide: a.side,
      dstSide: b.side,
      srcAddr: a.address,
      srcPort: a.port,
      dstAddr: b.address,
      dstPort: b.port,
      from: a.name,
      to: b.name,
      spec: {
        syn: rule.flags.includes('SYN'),
        fin: rule.flags.includes('FIN'),
        rst: rule.flags.includes('RST'),
        psh: rule.flags.includes('PSH'),
        ack: hasAck ? ackNum : null,
        seq: seqNum,
        len: rule.len ?? 0,
        causeLine: lineOf(stmt),
        note: 'injected',
      },
      wnd: a.decl.window ?? 65535,
      incarnation: null,
      srcTcb: null,
      injected: true,
    });
  }

  private check(stmt: ExpectStmt, verdict: { ok: boolean; message: string }): void {
    this.checked.add(stmt);
    this.expectations.push({ line: lineOf(stmt), text: stmt.text, ok: verdict.ok, message: verdict.message });
    const a = stmt.assertion;
    if (a.kind === 'error' && verdict.ok) {
      // The errors this expectation asked for are what the scenario meant to show, not a
      // failure: they say so, so that no view counts them among the unexpected ones.
      for (const e of this.errorsByEndpoint.get(a.endpoint.value) ?? [])
        if (e.code === a.code.value && e.expectedBy === undefined) e.expectedBy = lineOf(stmt);
    }
  }

  private checkNow(stmt: ExpectStmt): void {
    const view = {
      stateOf: (name: string): TcpState | undefined => {
        const ep = this.sockets.byName.get(name);
        return ep ? endpointState(ep) : undefined;
      },
      errorsOf: (name: string): readonly TraceError[] => this.errorsByEndpoint.get(name) ?? [],
      hazards: this.hazards,
      hazardsOf: (kind: string): readonly TraceHazard[] => this.hazardsByKind.get(kind) ?? [],
    };
    this.check(stmt, evaluate(stmt.assertion, view));
  }

  private truncate(why: string): void {
    if (this.truncated) return;
    this.truncated = why;
  }

  // -------------------------------------------------------------------------------------------
  // The main loop

  run(): RunResult {
    const endExpects: ExpectStmt[] = [];
    const applies = (e: EventStmt): boolean =>
      e.kind !== 'expect' || e.variant === null || e.variant.value === this.variant;
    const timed: { t: number; run: () => void }[] = [];
    for (const e of this.scenario.events) {
      if (!applies(e)) continue;
      if (e.when.kind === 'at') timed.push({ t: e.when.t, run: () => this.runStatement(e) });
      else if (e.when.kind === 'on') {
        let byState = this.triggers.get(e.when.endpoint.value);
        if (!byState) this.triggers.set(e.when.endpoint.value, (byState = new Map()));
        const list = byState.get(e.when.state.value);
        if (list) list.push(e);
        else byState.set(e.when.state.value, [e]);
      } else if (e.kind === 'expect') endExpects.push(e);
    }
    this.queue.preload(timed);

    const duration = this.options.duration;
    let stoppedAt: number | null = null;
    for (;;) {
      if (this.truncated) break;
      const next = this.queue.peek();
      if (next && next.t <= this.t) {
        this.queue.pop();
        if (++this.events > this.limits.maxEvents) {
          this.truncate(`the run reached ${this.limits.maxEvents} events`);
          break;
        }
        next.run();
        continue;
      }
      if (this.network.hasPending) {
        this.network.finalize();
        continue;
      }
      if (this.pendingExpects.length > 0) {
        for (const stmt of this.pendingExpects.splice(0)) this.checkNow(stmt);
        continue;
      }
      if (!next) break;
      if (duration !== null && next.t > duration) {
        stoppedAt = duration;
        break;
      }
      this.t = next.t;
    }
    // Segments of the last instant still get their fate (their arrivals are never processed).
    if (this.network.hasPending) this.network.finalize();
    if (stoppedAt !== null) this.t = Math.max(this.t, stoppedAt);

    // A truncated run has no end: its end-of-run checks are reported as not made (below).
    if (!this.truncated) for (const stmt of endExpects) this.checkNow(stmt);
    for (const e of this.scenario.events) {
      if (e.kind !== 'expect' || !applies(e) || this.checked.has(e)) continue;
      let message: string;
      if (this.truncated) message = `the run stopped early (${this.truncated}) before this check`;
      else if (e.when.kind === 'on')
        message = `never checked: ${e.when.endpoint.value} never entered ${e.when.state.value}`;
      else if (stoppedAt !== null) message = `never checked: the run stopped at duration ${formatDuration(stoppedAt)}`;
      else message = 'never checked';
      this.check(e, { ok: false, message });
    }
    this.expectations.sort((a, b) => a.line - b.line);

    if (this.truncated) {
      const first = this.scenario.events[0];
      this.diagnostics.push({
        severity: 'error',
        code: 'limit-reached',
        message: `The run stopped at ${formatDuration(this.t)}: ${this.truncated}. Shorten the scenario or set a duration.`,
        range: first ? first.range : range(0, 0, 0),
      });
    }
    for (const r of this.network.dropSegmentRules) {
      if (r.used) continue;
      if (r.tooLate) {
        this.diagnostics.push({
          severity: 'warning',
          code: 'segment-already-sent',
          message: `Segment ${r.n} was already on its way when this rule was armed, so it is not dropped.`,
          range: r.stmt.range,
        });
      } else if (r.n > this.network.count) {
        this.diagnostics.push({
          severity: 'warning',
          code: 'segment-never-reached',
          message: `The run never reaches segment ${r.n}, so this rule drops nothing.`,
          range: r.stmt.range,
        });
      }
    }

    const trace: Trace = {
      version: 1,
      title: this.scenario.title?.value ?? '',
      variant: this.variant,
      endpoints: this.scenario.endpoints.map((e) => ({ name: e.name.value, address: e.address, port: e.port })),
      segments: this.network.traceSegments,
      transitions: this.transitions,
      errors: this.errors,
      hazards: this.hazards,
      expectations: this.expectations,
      endedAt: this.t,
      truncated: this.truncated,
      profile: this.options.profile,
    };
    return { trace, diagnostics: this.diagnostics };
  }
}
