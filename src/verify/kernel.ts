// Runs a scenario on this machine's Linux kernel, in real time, and records it as a trace of the
// model's shape. One namespace agent (helper/netns_agent.py) per distinct address holds a network
// namespace with a TUN device; this file is the wire between them and the applications' clock:
// it makes each call at its time, reads every packet a kernel sends, applies latency and the
// `net` rules (wire.ts), rewrites sequence numbers where the scenario writes ISNs (isn.ts),
// writes the packet into the destination's TUN when it is due, and turns the agents'
// /proc/net/tcp snapshots into state transitions (firing `on` triggers).
//
// Times are CLOCK_MONOTONIC (process.hrtime here, time.monotonic_ns in the agent), in ms from the
// run's start. Node timers are ms-grained, so a due item is woken a little early and waited for
// with setImmediate; how late each call and delivery really was is measured and reported.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CallStmt, EndpointDecl, EventStmt, NetStmt, Scenario } from '../core/ast';
import type { Trace, TraceError, TraceSegment, TraceTransition } from '../core/trace';
import { timeWaitOf, type ErrorCode, type Options, type TcpState } from '../core/types';
import { ERROR_CODES } from '../core/vocabulary';
import { asksForIsns, IsnRewriter, sideKey } from './isn';
import { latenessWarning, type Lateness } from './lateness';
import { buildTcpPacket, bytesOf, parseTcpPacket, rewriteSeqAck, type TcpPacket } from './packet';
import type { PcapRecord } from './pcap';
import { RuleBook } from './wire';

export interface KernelRunInput {
  scenario: Scenario;
  variant: string;
  /** The model's options for that variant (latency, rfc1337, time_wait, mss, max_retries...). */
  options: Options;
  /** Absolute path of netns_agent.py. */
  agentPath: string;
  /** Hard stop, ms of scenario time. */
  capMs: number;
  /** Keep running while only TIME_WAIT timers are pending (Linux holds TIME_WAIT 60 s). */
  waitTimeWait: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /**
   * The model's ISNs per side of a 4-tuple, in connection order (isn.ts, modelIsns). Where the
   * scenario asks for ISNs (asksForIsns), the wire rewrites sequence numbers so that each kernel
   * sees its peers in these numbers; a side the model has no connection for keeps the kernel's.
   */
  modelIsns?: ReadonlyMap<string, readonly number[]>;
}

export interface KernelRun {
  trace: Trace;
  packets: PcapRecord[];
  kernel: string;
  sysctls: Record<string, string>;
  defaults: Record<string, string>;
  /** Options and constructs the kernel cannot take, in words. */
  notHonoured: string[];
  /** What the wire does besides latency and `net` rules, in words (the ISN rewriting). */
  wireNotes: string[];
  warnings: string[];
  lateness: Lateness;
  /** The run stopped while a TIME_WAIT was still held. */
  cutInTimeWait: boolean;
  /** Why the run stopped. */
  stoppedBy: 'quiet' | 'cap' | 'time-wait';
  /** Raw sequence numbers of each segment, by segment number. */
  raw: Map<number, { seq: number; ack: number }>;
}

/** Sysctls of every namespace: what the language can say and what keeps segments comparable. */
export function sysctlsFor(scenario: Scenario, variant: string, o: Options): Record<string, string> {
  const s: Record<string, string> = {
    // No options the model does not have: no timestamps, SACK, window scaling or ECN.
    'net/ipv4/tcp_timestamps': '0',
    'net/ipv4/tcp_sack': '0',
    'net/ipv4/tcp_window_scaling': '0',
    'net/ipv4/tcp_ecn': '0',
    'net/ipv4/tcp_rfc1337': o.rfc1337 ? '1' : '0',
  };
  // tcp_time_wait() finds no bucket and destroys the socket: TIME_WAIT of no length.
  if (timeWaitOf(o) === 0) s['net/ipv4/tcp_max_tw_buckets'] = '0';
  if (optionWritten(scenario, variant, 'max_retries')) {
    const n = String(o.maxRetries);
    s['net/ipv4/tcp_syn_retries'] = n;
    s['net/ipv4/tcp_synack_retries'] = n;
    s['net/ipv4/tcp_retries2'] = n;
    s['net/ipv4/tcp_orphan_retries'] = n;
    // Since 6.7 the first tcp_syn_linear_timeouts SYN retries come on top of tcp_syn_retries.
    s['net/ipv4/tcp_syn_linear_timeouts'] = '0';
  }
  // Options that are the kernel's own sysctls (the model's options table names them), when this
  // model has them and the run sets them (the profile's defaults included).
  const syn = numberOption(o, 'synRetries');
  if (syn !== null) s['net/ipv4/tcp_syn_retries'] = String(syn);
  const synack = numberOption(o, 'synackRetries');
  if (synack !== null) s['net/ipv4/tcp_synack_retries'] = String(synack);
  const linear = numberOption(o, 'synLinearTimeouts');
  if (linear !== null) s['net/ipv4/tcp_syn_linear_timeouts'] = String(linear);
  const fin = numberOption(o, 'finTimeout');
  if (fin !== null) s['net/ipv4/tcp_fin_timeout'] = String(Math.max(1, Math.round(fin / 1000)));
  if (timeWaitOf(o) === 0) {
    // With no bucket, tcp_time_wait() destroys an orphaned FIN_WAIT_2 too: on the ACK of its FIN
    // a closed socket whose tcp_fin_time() is at most TCP_TIMEWAIT_LEN becomes a timewait socket
    // at once (tcp_rcv_state_process, FIN_WAIT1), so the peer's FIN, arriving after that ACK,
    // would be answered by a RST instead of an ACK. Above TCP_TIMEWAIT_LEN the full socket
    // waits on its keepalive timer for the excess (tcp_keepalive_timer then calls
    // tcp_time_wait(), which ends it silently): tcp_fin_timeout + 60 s keeps it tcp_fin_timeout.
    const finS = fin !== null ? Math.max(1, Math.round(fin / 1000)) : TCP_FIN_TIMEOUT_S;
    s['net/ipv4/tcp_fin_timeout'] = String(finS + TCP_TIMEWAIT_LEN_S);
  }
  return s;
}

/** Linux's TCP_TIMEWAIT_LEN and default tcp_fin_timeout (TCP_FIN_TIMEOUT), s. */
const TCP_TIMEWAIT_LEN_S = 60;
const TCP_FIN_TIMEOUT_S = 60;

/** Linux's TCP_TIMEOUT_INIT and TCP_RTO_MAX (include/net/tcp.h), ms. */
const TCP_TIMEOUT_INIT_MS = 1000;
const TCP_RTO_MAX_MS = 120_000;

/**
 * How long after its first SYN this kernel gives up a connect nobody answers (ETIMEDOUT), ms,
 * with the run's sysctls: tcp_write_timeout allows tcp_syn_retries + tcp_syn_linear_timeouts
 * retransmissions; tcp_retransmit_timer keeps the first tcp_syn_linear_timeouts waits at
 * TCP_TIMEOUT_INIT and then doubles them up to TCP_RTO_MAX; and the timer wheel may fire a long
 * timer up to an eighth late (measured: 134.9 s for the 131 s of 6 + 4 retries). Linux starts at
 * 1 s whatever `rto` says, so a model told `rto = 200ms` gives up long before the kernel does.
 */
export function synGiveUpMs(sysctls: Record<string, string>): number {
  const retries = Number(sysctls['net/ipv4/tcp_syn_retries'] ?? 6);
  const linear = Number(sysctls['net/ipv4/tcp_syn_linear_timeouts'] ?? 4);
  let total = 0;
  for (let k = 1; k <= retries + linear + 1; k++) {
    total += Math.min(TCP_TIMEOUT_INIT_MS * 2 ** Math.max(0, k - 1 - linear), TCP_RTO_MAX_MS);
  }
  return total * 1.125;
}

/** An option of the model's options table by its field name, when this model has it and it has a number. */
function numberOption(o: Options, field: string): number | null {
  const v = (o as unknown as Record<string, unknown>)[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function optionWritten(scenario: Scenario, variant: string, name: string): boolean {
  if (scenario.settings.some((x) => x.name.value === name)) return true;
  const v = scenario.variants.find((x) => x.label.value === variant);
  return v?.overrides.some((x) => x.name.value === name) ?? false;
}

/** What this run cannot do as the scenario says, named for the user (never silently ignored). */
export function notHonoured(scenario: Scenario, variant: string, o: Options): string[] {
  const out: string[] = [];
  const tw = timeWaitOf(o);
  if (tw !== 0 && tw !== 60_000) {
    out.push(
      `time_wait ${tw} ms (msl ${o.msl} ms): Linux holds TIME_WAIT 60 s (TCP_TIMEWAIT_LEN); its end is not compared`,
    );
  }
  if (optionWritten(scenario, variant, 'rto')) {
    out.push(
      `rto ${o.rto} ms: Linux starts at 1 s (TCP_TIMEOUT_INIT), then RFC 6298 with a 200 ms floor (TCP_RTO_MIN)`,
    );
  }
  if (optionWritten(scenario, variant, 'delayed_ack')) {
    out.push(`delayed_ack ${o.delayedAck} ms: Linux decides (quick-ack at first, then a 40 ms ATO)`);
  }
  if (!o.challengeAck) out.push('challenge_ack = off: Linux always answers with challenge ACKs (RFC 5961)');
  // A scenario that writes ISNs gets them from the wire (isn.ts, wireNotes); the linux profile's
  // default clock is Linux's own, less the per-4-tuple secret of secure_tcp_seq.
  if (o.isn === 'clock' && !asksForIsns(scenario, variant)) {
    out.push('isn: Linux chooses its own ISNs (secure_tcp_seq); sequence numbers are compared relative to each ISN');
  }
  if (optionWritten(scenario, variant, 'max_retries')) {
    out.push(
      `max_retries ${o.maxRetries}: a count for SYN, SYN,ACK and orphans; for data Linux makes tcp_retries2 a time budget`,
    );
  }
  const rtoMin = numberOption(o, 'rtoMin');
  if (rtoMin !== null && rtoMin !== 200) out.push(`rto_min ${rtoMin} ms: Linux's TCP_RTO_MIN is 200 ms`);
  const fieldNames = Object.keys(o);
  const closes = scenario.events.some((e) => e.kind === 'call' && e.verb.value === 'close');
  if (fieldNames.includes('finTimeout') && numberOption(o, 'finTimeout') === null && closes) {
    out.push('fin_timeout none: Linux deletes an orphaned FIN_WAIT_2 after tcp_fin_timeout (60 s)');
  }
  for (const e of scenario.endpoints) {
    if (e.window !== null) out.push(`${e.name.value} window=${e.window}: approximated with TCP_WINDOW_CLAMP`);
  }
  if (scenario.events.some((e) => e.kind === 'net' && e.rule.kind === 'drop-segment')) {
    out.push("drop segment N counts the kernel's segments, which need not be the model's");
  }
  if (scenario.events.some((e) => e.kind === 'expect')) {
    out.push(
      "expect lines are the model's: the kernel's run is compared, not checked against them; no hazards are computed",
    );
  }
  return out;
}

/** What the wire does to a run besides latency and `net` rules, for the report. */
export function wireNotes(scenario: Scenario, variant: string): string[] {
  if (!asksForIsns(scenario, variant)) return [];
  return [
    "ISNs: the wire rewrites sequence numbers so each peer sees the scenario's ISNs (Linux chooses its own, " +
      'secure_tcp_seq); the pcap shows each packet as its receiving kernel saw it',
  ];
}

/** Reasons the scenario cannot run on the kernel at all (empty when it can). */
export function unrunnable(scenario: Scenario): string[] {
  return scenario.endpoints
    .filter((e) => e.address.includes(':'))
    .map((e) => `${e.name.value} has an IPv6 address (${e.address}): verify runs IPv4 endpoints only`);
}

interface Agent {
  address: string;
  proc: ChildProcessWithoutNullStreams;
  /** Last snapshot: key local|remote -> row. */
  rows: Map<string, Row>;
  busy: boolean;
  onReady: ((ev: AgentEvent) => void) | null;
  onFatal?: (message: string) => void;
}

type RowTuple = [string, string, string, number, number, number | null];

interface Row {
  local: string;
  remote: string;
  state: TcpState;
  inode: number;
  timer: number;
  sid: number | null;
}

interface AgentEvent {
  ev: string;
  t: number;
  [k: string]: unknown;
}

interface KTcb {
  id: number;
  endpoint: string;
  peer: string | null;
  state: TcpState;
}

interface EndpointRt {
  decl: EndpointDecl;
  /** Socket of its own connect or listen. */
  ownSid: number | null;
  ownKind: 'listener' | 'conn' | null;
  /** Latest connection: own connect, or latest accepted. */
  connSid: number | null;
  called: boolean;
}

interface Timer {
  due: number;
  order: number;
  kind: 'call';
  run: () => void;
}

/** The errno names the language knows; any other the kernel returns is warned about. */
const ERRNO_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** How long before its time a packet held by the wire is handed to its agent (deliver). */
const HAND_AHEAD_MS = 50;

/** How long an agent may take to create its namespace and TUN device. */
const AGENT_START_MS = 15_000;

const SYNCHRONIZED_START: readonly string[] = ['SYN_SENT', 'SYN_RECEIVED'];
const BEFORE_TIME_WAIT: readonly string[] = ['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING'];

/**
 * The run is real time on a shared machine, where a process that waits for a CPU is late by
 * milliseconds (and `nice` is weak: with autogroups it only ranks processes of one session). The
 * wire and the agents therefore ask for the lowest real-time priority (SCHED_RR 1). It is safe:
 * none of them spins for more than 3 ms, the kernel caps real-time tasks at 95 % of a CPU
 * (sched_rt_runtime_us), and the run is bounded. Without CAP_SYS_NICE nothing changes.
 */
function raisePriority(pid: number | undefined): void {
  if (pid === undefined) return;
  spawnSync('chrt', ['-r', '-p', '1', String(pid)], { stdio: 'ignore', timeout: 2000 });
}

export async function runOnKernel(input: KernelRunInput): Promise<KernelRun> {
  return new KernelRunner(input).run();
}

class KernelRunner {
  private readonly scenario: Scenario;
  private readonly o: Options;
  private readonly agents = new Map<string, Agent>();
  private readonly eps = new Map<string, EndpointRt>();
  private readonly sidOwner = new Map<number, string>();
  private nextSid = 1;
  private t0 = 0n;
  private startEpochUs = 0;
  private readonly timers: Timer[] = [];
  private order = 0;
  private wake: NodeJS.Timeout | null = null;
  private readonly book = new RuleBook();
  private readonly segments: TraceSegment[] = [];
  private readonly transitions: TraceTransition[] = [];
  private readonly errors: TraceError[] = [];
  private readonly packets: PcapRecord[] = [];
  private readonly raw = new Map<number, { seq: number; ack: number }>();
  private readonly tcbs = new Map<string, KTcb>();
  private nextTcb = 1;
  private readonly triggers: { stmt: EventStmt; endpoint: string; state: TcpState; fired: boolean; armed: boolean }[] =
    [];
  /** Per 4-tuple direction: the kernel's ISN and the model's ISN of the endpoint that chose it. */
  private readonly agentArms: { index: number; endpoint: string; shared: boolean; arm: Record<string, unknown> }[] = [];
  private readonly isnBase = new Map<string, { kernel: number; model: number }>();
  /** Where the scenario asks for ISNs: the sequence-number rewriting (isn.ts); else null. */
  private readonly rewriter: IsnRewriter | null;
  private readonly sndNxt = new Map<string, number>();
  private readonly seen = new Set<string>();
  private inFlight = 0;
  private lastActivity = 0;
  private readonly lateness: Lateness = { calls: [], deliveries: [] };
  private readonly warnings: string[] = [];
  private finished = false;
  private kernel = '';
  private sysctls: Record<string, string> = {};
  private defaults: Record<string, string> = {};
  private ipId = 1;

  constructor(private readonly input: KernelRunInput) {
    this.scenario = input.scenario;
    this.o = input.options;
    this.rewriter = asksForIsns(input.scenario, input.variant) ? new IsnRewriter(input.modelIsns ?? new Map()) : null;
  }

  private now(): number {
    return Number(process.hrtime.bigint() - this.t0) / 1e6;
  }

  private at(ns: number): number {
    return Number(BigInt(ns) - this.t0) / 1e6;
  }

  async run(): Promise<KernelRun> {
    const problems = unrunnable(this.scenario);
    if (problems.length) throw new Error(problems.join('; '));
    for (const d of this.scenario.endpoints) {
      this.eps.set(d.name.value, { decl: d, ownSid: null, ownKind: null, connSid: null, called: false });
    }
    const addresses = [...new Set(this.scenario.endpoints.map((e) => e.address))];
    this.warnSharedAddresses();
    const sysctls = sysctlsFor(this.scenario, this.input.variant, this.o);
    raisePriority(process.pid);
    try {
      await Promise.all(addresses.map((a) => this.startAgent(a, addresses, sysctls)));
      this.prepareEvents();
      this.t0 = process.hrtime.bigint();
      this.startEpochUs = Date.now() * 1000;
      this.scheduleTimed();
      const stoppedBy = await this.untilDone();
      return this.result(stoppedBy);
    } finally {
      this.stopAgents();
    }
  }

  private warnSharedAddresses(): void {
    const connects = this.scenario.events.filter((e): e is CallStmt => e.kind === 'call' && e.verb.value === 'connect');
    for (const c of connects) {
      const a = this.eps.get(c.actor.value)?.decl;
      const b = c.peer ? this.eps.get(c.peer.value)?.decl : undefined;
      if (a && b && a.address === b.address) {
        this.warnings.push(
          `${a.name.value} and ${b.name.value} share ${a.address}: their segments use the namespace's loopback and never cross the wire`,
        );
      }
    }
  }

  // ---- agents -----------------------------------------------------------------------------

  private startAgent(address: string, all: readonly string[], sysctls: Record<string, string>): Promise<void> {
    const proc = spawn('python3', ['-u', this.input.agentPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    const agent: Agent = { address, proc, rows: new Map(), busy: false, onReady: null };
    this.agents.set(address, agent);
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    proc.stdin.on('error', () => {
      // The agent ended (its exit is reported below); nothing more can be written to it.
    });
    const lines = createInterface({ input: proc.stdout });
    return new Promise((resolve, reject) => {
      const started = setTimeout(() => {
        reject(new Error(`the namespace agent for ${address} did not start within ${AGENT_START_MS / 1000} s`));
      }, AGENT_START_MS);
      agent.onFatal = (message) => {
        clearTimeout(started);
        reject(new Error(`the namespace agent for ${address}: ${message}`));
      };
      agent.onReady = (ev) => {
        clearTimeout(started);
        this.kernel = String(ev.kernel ?? '');
        Object.assign(this.sysctls, ev.sysctls as Record<string, string>);
        Object.assign(this.defaults, ev.defaults as Record<string, string>);
        resolve();
      };
      proc.on('exit', (code, signal) => {
        if (!this.finished) {
          const why = `the namespace agent for ${address} ended (${signal ?? `exit ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`;
          reject(new Error(why));
          this.fail(why);
        }
      });
      proc.on('error', (e) => reject(e));
      lines.on('line', (line) => {
        let ev: AgentEvent;
        try {
          ev = JSON.parse(line) as AgentEvent;
        } catch {
          this.warnings.push(`agent ${address}: ${line}`);
          return;
        }
        this.onAgentEvent(agent, ev);
      });
      this.send(agent, {
        op: 'setup',
        address,
        peers: all.filter((a) => a !== address),
        sysctls,
        report: [
          'net/ipv4/tcp_fin_timeout',
          'net/ipv4/tcp_syn_retries',
          'net/ipv4/tcp_synack_retries',
          'net/ipv4/tcp_retries2',
          'net/ipv4/tcp_syn_linear_timeouts',
        ],
      });
    });
  }

  private send(agent: Agent, cmd: Record<string, unknown>): void {
    if (!agent.proc.stdin.writable) return;
    agent.proc.stdin.write(`${JSON.stringify(cmd)}\n`);
  }

  private stopAgents(): void {
    this.finished = true;
    for (const a of this.agents.values()) {
      a.proc.stdin.end();
      // EOF ends it; a kill makes sure of it (the namespace goes with the process).
      setTimeout(() => a.proc.kill('SIGKILL'), 500).unref();
    }
  }

  private failure: Error | null = null;
  private fail(why: string): void {
    this.failure ??= new Error(why);
  }

  private onAgentEvent(agent: Agent, ev: AgentEvent): void {
    switch (ev.ev) {
      case 'ready':
        agent.onReady?.(ev);
        agent.onReady = null;
        return;
      case 'fatal':
        this.fail(`the namespace agent for ${agent.address}: ${String(ev.message)}`);
        agent.onFatal?.(String(ev.message));
        return;
      case 'fired':
        this.firedInAgent(Number(ev.id), Number(ev.sid), this.at(ev.t));
        return;
      case 'fault':
        this.warnings.push(`agent ${agent.address}: ${String(ev.message)}`);
        return;
      case 'table':
        this.onTable(agent, ev);
        return;
      case 'delivered':
        this.inFlight--;
        this.lateness.deliveries.push(Number(ev.late) / 1e6);
        return;
      case 'pkt':
        this.onPacket(agent, bytesOf(Buffer.from(String(ev.d), 'base64')), this.at(ev.t));
        return;
      case 'result':
        if (ev.errno) this.recordError(Number(ev.id), String(ev.op), String(ev.errno), this.at(ev.t));
        return;
      case 'accepted': {
        const listener = this.sidOwner.get(Number(ev.listener));
        if (listener) {
          this.sidOwner.set(Number(ev.sid), listener);
          this.eps.get(listener)!.connSid = Number(ev.sid);
          this.syncArms(listener);
        }
        return;
      }
      case 'sockerr': {
        const owner = this.sidOwner.get(Number(ev.sid));
        if (owner) this.pushError(owner, String(ev.call), String(ev.errno), this.at(ev.t), null);
        return;
      }
      default:
        return;
    }
  }

  // ---- calls and rules at their times -----------------------------------------------------

  private callLines = new Map<number, CallStmt>();

  private prepareEvents(): void {
    for (const e of this.scenario.events) {
      if (e.kind === 'expect') continue;
      if (e.when.kind === 'on') {
        const tr = { stmt: e, endpoint: e.when.endpoint.value, state: e.when.state.value, fired: false, armed: false };
        this.triggers.push(tr);
        if (e.kind === 'call' && e.when.delay === 0) this.armInAgent(this.triggers.length - 1, e);
      }
    }
  }

  /**
   * `on X STATE X close|shutdown|abort|send`: armed in X's agent, which makes the call on the
   * socket that entered STATE right after the segment or call that moved it there. Made from
   * here, a round trip later, such a close loses the race with the kernel's next tick (a FIN's
   * delayed ACK leaves within 4 ms; C2 of the facts note). Only where X's address:port is X's
   * alone, so the agent's socket is X's.
   */
  private armInAgent(index: number, c: CallStmt): void {
    const verb = c.verb.value;
    if (c.when.kind !== 'on' || c.when.endpoint.value !== c.actor.value) return;
    if (verb !== 'close' && verb !== 'shutdown' && verb !== 'abort' && verb !== 'send') return;
    const ep = this.eps.get(c.actor.value);
    if (!ep) return;
    const local = `${ep.decl.address}:${ep.decl.port}`;
    const shared = [...this.eps.values()].filter((x) => `${x.decl.address}:${x.decl.port}` === local).length > 1;
    const id = this.nextSid++;
    this.callLines.set(id, c);
    const call: Record<string, unknown> = { op: verb, id };
    if (verb === 'send') {
      call.n = c.bytes ?? 0;
      call.data = c.text !== null ? Buffer.from(c.text, 'utf8').toString('base64') : null;
    }
    this.agentArms.push({
      index,
      endpoint: c.actor.value,
      shared,
      arm: { op: 'arm', id: index, local, state: c.when.state.value, call },
    });
    this.syncArms(c.actor.value);
    this.triggers[index].armed = true;
  }

  /**
   * (Re)sends the armed triggers of `endpoint`. Where incarnations share its address and port,
   * the agent is told which sockets are this endpoint's (they become known as it connects or
   * accepts), so it never acts on another incarnation's socket.
   */
  private syncArms(endpoint: string): void {
    const ep = this.eps.get(endpoint);
    if (!ep) return;
    for (const a of this.agentArms) {
      if (a.endpoint !== endpoint || this.triggers[a.index].fired) continue;
      const sids = a.shared ? [...this.sidOwner].filter(([, owner]) => owner === endpoint).map(([sid]) => sid) : null;
      this.send(this.agents.get(ep.decl.address)!, { ...a.arm, sids });
    }
  }

  /** The agent made an armed trigger's call on socket `sid`. */
  private firedInAgent(index: number, sid: number, t: number): void {
    const tr = this.triggers[index];
    if (!tr) return;
    tr.fired = true;
    const c = tr.stmt as CallStmt;
    const ep = this.eps.get(c.actor.value);
    if (!ep) return;
    ep.called = true;
    this.lateness.calls.push(0);
    this.lastActivity = t;
    if (c.verb.value === 'close' || c.verb.value === 'abort') {
      if (ep.connSid === sid) ep.connSid = null;
      if (ep.ownSid === sid) {
        ep.ownSid = null;
        ep.ownKind = null;
      }
    }
  }

  private scheduleTimed(): void {
    for (const e of this.scenario.events) {
      if (e.kind === 'expect' || e.when.kind !== 'at') continue;
      const stmt = e;
      this.schedule(e.when.t, 'call', () => this.runEvent(stmt));
    }
    this.arm();
  }

  private runEvent(e: CallStmt | NetStmt): void {
    if (e.kind === 'net') {
      if (e.rule.kind === 'inject') this.inject(e);
      else this.book.arm(e.rule, e.range.start.line + 1);
      return;
    }
    this.call(e);
  }

  private call(c: CallStmt): void {
    const ep = this.eps.get(c.actor.value);
    if (!ep) return;
    const agent = this.agents.get(ep.decl.address)!;
    const id = this.nextSid++;
    this.callLines.set(id, c);
    ep.called = true;
    const base = { id, address: ep.decl.address, port: ep.decl.port, reuse: ep.decl.reuse, window: ep.decl.window };
    const mss = this.o.mss !== 1460 ? this.o.mss : null;
    const verb = c.verb.value;
    this.lastActivity = this.now();
    switch (verb) {
      case 'listen':
      case 'connect': {
        // The endpoint's own socket again (a second call), or a new one: the kernel answers.
        const sid = ep.ownSid ?? id;
        const peer = c.peer ? this.eps.get(c.peer.value)?.decl : undefined;
        if (ep.ownSid === null) {
          ep.ownSid = sid;
          ep.ownKind = verb === 'listen' ? 'listener' : 'conn';
          this.sidOwner.set(sid, ep.decl.name.value);
          if (verb === 'connect') ep.connSid = sid;
        }
        this.send(agent, { op: verb, ...base, sid, mss, peerAddress: peer?.address, peerPort: peer?.port });
        this.syncArms(ep.decl.name.value);
        return;
      }
      case 'send':
        this.send(agent, {
          op: 'send',
          id,
          sid: ep.connSid ?? -id,
          n: c.bytes ?? 0,
          data: c.text !== null ? Buffer.from(c.text, 'utf8').toString('base64') : null,
        });
        return;
      case 'close':
      case 'shutdown':
      case 'abort': {
        if (ep.connSid === null && ep.ownKind === 'listener' && verb === 'close') {
          // `close` on an endpoint with no connection stops its listening.
          this.send(agent, { op: 'unlisten', id, sid: ep.ownSid });
          ep.ownSid = null;
          ep.ownKind = null;
          return;
        }
        const sid = ep.connSid ?? -id;
        this.send(agent, { op: verb, id, sid });
        if (verb !== 'shutdown' && ep.connSid !== null) {
          if (ep.ownSid === ep.connSid) {
            ep.ownSid = null;
            ep.ownKind = null;
          }
          ep.connSid = null;
        }
        return;
      }
    }
  }

  private recordError(id: number, op: string, errno: string, t: number): void {
    const c = this.callLines.get(id);
    if (!c) return;
    const ep = this.eps.get(c.actor.value);
    // A call that failed leaves nothing behind (spec, "A call that fails ... changes nothing else").
    if (ep && (op === 'listen' || op === 'connect') && ep.ownSid === id) {
      ep.ownSid = null;
      ep.ownKind = null;
      if (ep.connSid === id) ep.connSid = null;
    }
    this.pushError(c.actor.value, op, errno, t, c.range.start.line + 1);
  }

  private pushError(endpoint: string, call: string, errno: string, t: number, line: number | null): void {
    if (!ERRNO_CODES.has(errno)) this.warnings.push(`${endpoint}: ${call} failed with ${errno}`);
    this.errors.push({ t, endpoint, call, code: errno as ErrorCode, line });
    this.lastActivity = t;
  }

  // ---- the scheduler ----------------------------------------------------------------------

  private schedule(due: number, kind: Timer['kind'], run: () => void): void {
    const t: Timer = { due, order: this.order++, kind, run };
    let i = this.timers.length;
    while (
      i > 0 &&
      (this.timers[i - 1].due > due || (this.timers[i - 1].due === due && this.timers[i - 1].order > t.order))
    )
      i--;
    this.timers.splice(i, 0, t);
  }

  /** Runs what is due, then sleeps until the next item (a little early: Node's timers are coarse). */
  private arm(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
    if (this.finished) return;
    const now = this.now();
    while (this.timers.length && this.timers[0].due <= now) {
      const t = this.timers.shift()!;
      this.lateness.calls.push(now - t.due);
      t.run();
    }
    if (!this.timers.length) return;
    const wait = this.timers[0].due - this.now();
    // Woken 3 ms early (libuv's timers count whole milliseconds of a cached clock), then polled.
    if (wait > 3) this.wake = setTimeout(() => this.arm(), wait - 3);
    else setImmediate(() => this.arm());
  }

  // ---- the wire ---------------------------------------------------------------------------

  private latency(from: string, to: string): number {
    const link = this.scenario.links.find(
      (l) => (l.a.value === from && l.b.value === to) || (l.a.value === to && l.b.value === from),
    );
    return link ? link.latency : this.o.latency;
  }

  private modelIsn(endpoint: string): number {
    return this.eps.get(endpoint)?.decl.isn ?? 0;
  }

  /** The endpoint a segment of `local -> remote` belongs to, on the side of `local`. */
  private endpointAt(local: string, remote: string): string | null {
    const tcb = this.tcbs.get(`${local}|${remote}`);
    if (tcb) return tcb.endpoint;
    return this.endpointByAddress(local);
  }

  /** Among the incarnations at an address:port: a listener, else the latest that made a call, else the first. */
  private endpointByAddress(addrPort: string): string | null {
    const cands = [...this.eps.values()].filter((e) => `${e.decl.address}:${e.decl.port}` === addrPort);
    if (!cands.length) return null;
    const listener = cands.find((e) => e.ownKind === 'listener');
    if (listener) return listener.decl.name.value;
    const called = cands.filter((e) => e.called);
    return (called.length ? called[called.length - 1] : cands[0]).decl.name.value;
  }

  private onPacket(agent: Agent, bytes: Uint8Array, sentAt: number): void {
    const p = parseTcpPacket(bytes);
    if (!p) return;
    const local = `${p.src}:${p.srcPort}`;
    const remote = `${p.dst}:${p.dstPort}`;
    const from = this.endpointAt(local, remote) ?? local;
    const to = this.endpointAt(remote, local) ?? remote;
    void agent;
    this.wire(p, bytes, from, to, sentAt, false);
  }

  private wire(p: TcpPacket, bytes: Uint8Array, from: string, to: string, sentAt: number, injected: boolean): void {
    // ISNs per 4-tuple direction (as compare.ts numbers them): an old incarnation's segment is
    // numbered from its own connection's ISN.
    const dir = sideKey(p.src, p.srcPort, p.dst, p.dstPort);
    const back = sideKey(p.dst, p.dstPort, p.src, p.srcPort);
    const hasAck = p.flags.includes('ACK');
    let seq: number;
    let ack: number | null;
    const rw = this.rewriter;
    if (rw) {
      // The wire carries the model's numbers (isn.ts): a kernel's seq moves by its incarnation's
      // offset; its ack is already in them (it saw its peer only in them); an injected segment
      // is written in them.
      if (injected) seq = p.seq >>> 0;
      else {
        const w = rw.sent(dir, p.seq, p.flags);
        seq = w.seq;
        if (w.opened && !w.opened.fromModel) {
          this.warnings.push(
            `${from}: the kernel's connection ${w.opened.n} on ${dir} has none in the model: its ISN is the kernel's`,
          );
        }
      }
      ack = hasAck ? p.ack >>> 0 : null;
    } else {
      if (p.flags.includes('SYN') && !injected) this.isnBase.set(dir, { kernel: p.seq, model: this.modelIsn(from) });
      const sb = this.isnBase.get(dir);
      const ab = this.isnBase.get(back);
      seq = sb === undefined ? p.seq : (p.seq - sb.kernel + sb.model) >>> 0;
      ack = !hasAck ? null : ab === undefined ? p.ack : (p.ack - ab.kernel + ab.model) >>> 0;
    }
    // SND.NXT as the wire saw it, in the numbers `inject` is written in (the kernel's without rewriting).
    const wireSeq = rw ? seq : p.seq;
    const end = (wireSeq + p.len + (p.flags.includes('SYN') ? 1 : 0) + (p.flags.includes('FIN') ? 1 : 0)) >>> 0;
    const prev = this.sndNxt.get(dir);
    if (!injected && (prev === undefined || ((end - prev) | 0) > 0)) this.sndNxt.set(dir, end);
    // The packet as the receiving kernel gets it: with rewriting, the ack in the numbers of the
    // receiver's socket at the time it is handed over (isn.ts).
    const handed = (): Uint8Array =>
      rw ? rewriteSeqAck(bytes, seq, hasAck ? rw.received(back, p.ack) : p.ack) : bytes;
    const key = `${dir}|${p.seq}|${p.len}|${p.flags.join(',')}`;
    const retransmission = !injected && this.seen.has(key);
    this.seen.add(key);
    const n = this.segments.length + 1;
    const latency = this.latency(from, to);
    const d = this.book.decide({ n, from, to, flags: p.flags, seq, ack, len: p.len }, latency);
    const arrivedAt = d.fate === 'dropped' ? null : sentAt + latency + d.delayedBy;
    const seg: TraceSegment = {
      n,
      from,
      to,
      sentAt,
      arrivedAt,
      flags: [...p.flags],
      seq,
      ack,
      len: p.len,
      fate: d.fate,
      retransmission,
      incarnation: injected ? null : 1,
      injected,
      delayedBy: d.delayedBy,
      duplicateOf: null,
      window: p.window,
      causeLine: d.lines[0] ?? null,
      note: injected ? 'inject' : retransmission ? 'retransmission' : '',
    };
    this.segments.push(seg);
    this.raw.set(n, { seq: p.seq, ack: p.ack });
    const record: PcapRecord = { timeUs: this.startEpochUs + sentAt * 1000, data: handed() };
    this.packets.push(record);
    this.lastActivity = sentAt;
    if (arrivedAt === null) return;
    const dest = this.agents.get(p.dst);
    if (!dest) return;
    this.deliver(dest, handed, arrivedAt, n, record);
    for (const after of d.copies) {
      const cn = this.segments.length + 1;
      const dropped = this.book.decideCopy(cn);
      const copyAt = arrivedAt + after;
      this.segments.push({
        ...seg,
        n: cn,
        fate: dropped ? 'dropped' : 'duplicate',
        duplicateOf: n,
        arrivedAt: dropped ? null : copyAt,
        flags: [...seg.flags],
      });
      this.raw.set(cn, { seq: p.seq, ack: p.ack });
      if (!dropped) this.deliver(dest, handed, copyAt, cn, null);
    }
  }

  /**
   * Hands the packet to the destination's agent, which writes it into its TUN when due; at once,
   * except where sequence numbers are rewritten: the ack is then translated for the receiver's
   * socket when it reaches it (a `net delay` of seconds may bring it to a later incarnation, as
   * in isn-clock's old segment), so a packet due later is handed HAND_AHEAD_MS before its time.
   * `record` (the pcap's) gets the bytes as handed.
   */
  private deliver(dest: Agent, make: () => Uint8Array, at: number, n: number, record: PcapRecord | null): void {
    this.inFlight++;
    const hand = () => {
      if (this.finished) return;
      const bytes = make();
      if (record) record.data = bytes;
      const atNs = Number(this.t0) + Math.round(at * 1e6);
      this.send(dest, { op: 'pkt', d: Buffer.from(bytes).toString('base64'), n, at: atNs });
    };
    const early = at - HAND_AHEAD_MS - this.now();
    if (this.rewriter && early > 0) setTimeout(hand, early).unref();
    else hand();
  }

  private inject(e: NetStmt): void {
    if (e.rule.kind !== 'inject') return;
    const r = e.rule;
    const a = this.eps.get(r.from.value)?.decl;
    const b = this.eps.get(r.to.value)?.decl;
    if (!a || !b) return;
    const dir = sideKey(a.address, a.port, b.address, b.port);
    const back = sideKey(b.address, b.port, a.address, a.port);
    const sb = this.isnBase.get(dir);
    const ab = this.isnBase.get(back);
    // seq/ack as the scenario writes them: in the model's numbers, which the wire carries when it
    // rewrites (isn.ts); else moved from the model's ISNs onto the kernel's. By default A's
    // SND.NXT and RCV.NXT as the wire has seen them.
    const rw = this.rewriter !== null;
    const seq =
      r.seq !== null ? (rw || sb === undefined ? r.seq : sb.kernel + r.seq - sb.model) : (this.sndNxt.get(dir) ?? 0);
    const ack =
      r.ack !== null ? (rw || ab === undefined ? r.ack : ab.kernel + r.ack - ab.model) : (this.sndNxt.get(back) ?? 0);
    if (!rw && r.seq !== null && sb === undefined && a.isn === null) {
      this.warnings.push(
        `line ${e.range.start.line + 1}: inject before ${a.name.value} has an ISN: seq=${r.seq} is used as is`,
      );
    }
    const p: TcpPacket = {
      src: a.address,
      dst: b.address,
      srcPort: a.port,
      dstPort: b.port,
      seq: seq >>> 0,
      ack: ack >>> 0,
      flags: [...r.flags],
      window: 65535,
      len: r.len ?? 0,
    };
    const bytes = buildTcpPacket(p, this.ipId++);
    this.wire(p, bytes, a.name.value, b.name.value, this.now(), true);
  }

  // ---- states -----------------------------------------------------------------------------

  private onTable(agent: Agent, ev: AgentEvent): void {
    const t = this.at(ev.t);
    const why = String(ev.why);
    const rows = new Map<string, Row>();
    for (const r of ev.rows as RowTuple[]) {
      const row: Row = { local: r[0], remote: r[1], state: r[2] as TcpState, inode: r[3], timer: r[4], sid: r[5] };
      rows.set(`${row.local}|${row.remote}`, row);
    }
    agent.busy = [...rows.values()].some((r) => r.timer !== 0 && r.state !== 'LISTEN');
    const segment = why === 'pkt' && typeof ev.n === 'number' ? ev.n : null;
    const cause =
      why === 'pkt'
        ? (this.segments[Number(ev.n) - 1]?.flags.join(',') ?? 'segment')
        : why === 'poll' || why === 'send'
          ? 'timer'
          : why;
    const entered: KTcb[] = [];
    for (const [key, row] of rows) {
      const old = this.tcbs.get(key);
      if (old && old.state === row.state) continue;
      if (old && !(SYNCHRONIZED_START.includes(row.state) && (old.state === 'TIME_WAIT' || old.state === 'CLOSED'))) {
        this.transition(old, row.state, t, cause, segment);
        entered.push(old);
        continue;
      }
      if (old) this.transition(old, 'CLOSED', t, cause, segment);
      const tcb = this.newTcb(agent, row);
      this.tcbs.set(key, tcb);
      const from: TcpState =
        row.remote !== '0.0.0.0:0' && row.sid === null && this.listensAt(row.local) ? 'LISTEN' : 'CLOSED';
      tcb.state = from;
      this.transition(tcb, row.state, t, cause, segment);
      entered.push(tcb);
    }
    for (const [key, row] of agent.rows) {
      if (rows.has(key)) continue;
      const tcb = this.tcbs.get(key);
      if (!tcb || tcb.state === 'CLOSED') continue;
      if (
        this.sysctls['net/ipv4/tcp_max_tw_buckets'] === '0' &&
        why === 'pkt' &&
        BEFORE_TIME_WAIT.includes(tcb.state)
      ) {
        // tcp_time_wait() found no bucket (tcp_max_tw_buckets = 0): TIME_WAIT of no length.
        this.transition(tcb, 'TIME_WAIT', t, `${cause} (inferred)`, segment);
        entered.push({ ...tcb, state: 'TIME_WAIT' });
      }
      this.transition(tcb, 'CLOSED', t, cause, segment);
      entered.push(tcb);
      this.tcbs.delete(key);
      void row;
    }
    agent.rows = rows;
    for (const e of entered) this.fireTriggers(e.endpoint, e.state, t);
  }

  private listensAt(addrPort: string): boolean {
    return [...this.eps.values()].some(
      (e) => e.ownKind === 'listener' && `${e.decl.address}:${e.decl.port}` === addrPort,
    );
  }

  private newTcb(agent: Agent, row: Row): KTcb {
    void agent;
    const owner = row.sid !== null ? this.sidOwner.get(row.sid) : undefined;
    const endpoint = owner ?? this.endpointByAddress(row.local) ?? row.local;
    const peer = row.remote === '0.0.0.0:0' ? null : (this.endpointByAddress(row.remote) ?? row.remote);
    return { id: this.nextTcb++, endpoint, peer, state: 'CLOSED' };
  }

  private transition(tcb: KTcb, to: TcpState, t: number, cause: string, segment: number | null): void {
    this.transitions.push({
      t,
      endpoint: tcb.endpoint,
      peer: tcb.peer,
      from: tcb.state,
      to,
      cause,
      tcb: tcb.id,
      segment,
    });
    tcb.state = to;
    this.lastActivity = t;
  }

  private fireTriggers(endpoint: string, state: TcpState, t: number): void {
    for (const [i, tr] of this.triggers.entries()) {
      if (tr.fired || tr.endpoint !== endpoint || tr.state !== state) continue;
      tr.fired = true;
      if (tr.armed) {
        // The agent saw no socket of its own enter the state (a TIME_WAIT, a connection not yet
        // accepted): the call is made from here, and the agent must not make it too.
        const c = tr.stmt as CallStmt;
        this.send(this.agents.get(this.eps.get(c.actor.value)!.decl.address)!, { op: 'disarm', id: i });
      }
      const stmt = tr.stmt as CallStmt | NetStmt;
      const delay = stmt.when.kind === 'on' ? stmt.when.delay : 0;
      if (delay === 0) this.runEvent(stmt);
      else this.schedule(t + delay, 'call', () => this.runEvent(stmt));
    }
    this.arm();
  }

  // ---- the end ----------------------------------------------------------------------------

  private untilDone(): Promise<KernelRun['stoppedBy']> {
    return new Promise((resolve, reject) => {
      const check = setInterval(() => {
        if (this.failure) {
          clearInterval(check);
          reject(this.failure);
          return;
        }
        const now = this.now();
        if (now >= this.input.capMs) {
          clearInterval(check);
          resolve('cap');
          return;
        }
        if (this.timers.length || this.inFlight || now - this.lastActivity < 1000) return;
        const busy = [...this.agents.values()].some((a) => a.busy);
        if (!busy) {
          clearInterval(check);
          resolve('quiet');
          return;
        }
        const onlyTimeWait = [...this.agents.values()].every((a) =>
          [...a.rows.values()].every((r) => r.timer === 0 || r.state === 'LISTEN' || r.state === 'TIME_WAIT'),
        );
        if (onlyTimeWait && !this.input.waitTimeWait) {
          clearInterval(check);
          resolve('time-wait');
        }
      }, 20);
    });
  }

  private result(stoppedBy: KernelRun['stoppedBy']): KernelRun {
    const endedAt = Math.min(this.now(), this.input.capMs);
    const cutInTimeWait = [...this.tcbs.values()].some((t) => t.state === 'TIME_WAIT');
    const trace: Trace = {
      version: 1,
      title: this.scenario.title?.value ?? '',
      variant: `Linux ${this.kernel}`.trim(),
      endpoints: this.scenario.endpoints.map((e) => ({ name: e.name.value, address: e.address, port: e.port })),
      segments: this.segments,
      transitions: this.transitions,
      errors: this.errors,
      hazards: [],
      expectations: [],
      endedAt,
      truncated: stoppedBy === 'cap' ? `stopped at the cap (${this.input.capMs} ms)` : null,
    };
    return {
      trace,
      packets: this.packets,
      kernel: this.kernel,
      sysctls: this.sysctls,
      defaults: this.defaults,
      notHonoured: notHonoured(this.scenario, this.input.variant, this.o),
      wireNotes: this.rewriter ? wireNotes(this.scenario, this.input.variant) : [],
      warnings: [...this.warnings, ...[latenessWarning(this.lateness)].filter((w) => w !== null)],
      lateness: this.lateness,
      cutInTimeWait,
      stoppedBy,
      raw: this.raw,
    };
  }
}
