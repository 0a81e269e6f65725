// The one vocabulary of the `.tcpscn` language: every word the language knows (statement
// keywords, application calls, network rules and their match words, endpoint options, states,
// flags, error codes, hazards, time units) and the option table, each with what it means for
// a user and where the RFC says it. The lexer, the parser, option handling, hovers,
// completion, the line grammar, the TextMate grammar generator (syntaxes/generate.mjs) and
// the reference page (docs/language.md, via scripts/docs.ts) all read from here, so a new
// word is added in this file only.
//
// Adding an option: one entry in OPTION_TABLE below (its name, its `Options` field, its kind,
// range, default per profile and meaning), and its behaviour in the simulator (src/core/sim).
// The parser checks its value, `resolveOptions` assigns it, and hovers, completion, the
// grammar and the reference page pick it up from the entry (`npm run generate` rewrites the
// two generated files, syntaxes/tcpscn.tmLanguage.json and the tables of docs/language.md;
// the unit tests fail until they are current).
//
// Pure: no imports of node, the DOM or vscode.

import { formatDuration } from './duration';

/** One word of the language, as hovers, completion and the reference page explain it. */
export interface DocEntry {
  /** The word as the language spells it (states and flags in their canonical spelling). */
  name: string;
  /** One line: what it is. Used as a completion item's detail. */
  summary: string;
  /** Markdown: what it means and how the model uses it. */
  detail: string;
  /** Where the RFC says it, e.g. "RFC 9293 §3.3.2". */
  rfc?: string;
  /** The default, as one would write it in a `.tcpscn` file. */
  default?: string;
  /** Example of use, one line of `.tcpscn`. */
  example?: string;
  /** An option under `profile = linux`: its default there, what changes, the kernel's name for it. */
  linux?: string;
}

// ---- the reference page ----------------------------------------------------------------

/** The language reference, relative to the repository (and the extension's) root. */
export const REFERENCE_PAGE = 'docs/language.md';

/** The section of the reference page that explains each kind of word (GitHub's heading anchors). */
export const REFERENCE_SECTIONS = {
  statement: 'statements',
  endpoint: 'endpoints',
  variant: 'variants',
  time: 'when-things-happen',
  call: 'calls',
  net: 'network-rules',
  expect: 'expectations',
  option: 'options',
  state: 'states',
  flag: 'flags',
  error: 'error-codes',
  hazard: 'hazards',
} as const;
export type ReferenceSection = keyof typeof REFERENCE_SECTIONS;

/** A Markdown link to a section of the reference page, as hovers end with. */
export function referenceLink(section: ReferenceSection): string {
  return `[Reference](${REFERENCE_PAGE}#${REFERENCE_SECTIONS[section]})`;
}

// ---- keywords ---------------------------------------------------------------------------

/** Words with a fixed meaning at the start of a statement or of an event's body; not names. */
export const KEYWORDS = ['title', 'set', 'endpoint', 'link', 'variant', 'on', 'net', 'expect', 'hazard', 'no'] as const;

/** The words that begin a statement (what "did you mean" offers for a misspelt first word). */
export const STATEMENT_KEYWORDS = ['title', 'set', 'endpoint', 'link', 'variant', 'on', 'expect'] as const;

// ---- states and flags -------------------------------------------------------------------

/** The eleven connection states of RFC 9293 section 3.3.2, spelled as the spec spells them. */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

/** Control bits, in the order the trace lists them (spec: "SYN, FIN, RST, PSH, ACK"). */
export const FLAGS = ['SYN', 'FIN', 'RST', 'PSH', 'ACK'] as const;
export type Flag = (typeof FLAGS)[number];

// ---- application calls, errors, hazards -------------------------------------------------

/** Application calls (the verbs of `WHEN ENDPOINT VERB ...`). */
export const VERBS = ['listen', 'connect', 'send', 'close', 'shutdown', 'abort'] as const;
export type Verb = (typeof VERBS)[number];
/** How each call is written after `WHEN ENDPOINT`. */
export const VERB_FORMS: Readonly<Record<Verb, string>> = {
  listen: 'listen',
  connect: 'connect PEER',
  send: 'send BYTES | send "TEXT"',
  close: 'close',
  shutdown: 'shutdown',
  abort: 'abort',
};

/** Errors a failed application call records on its endpoint (spec, "Application calls"). */
export const ERROR_CODES = [
  'EADDRINUSE',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTCONN',
  'EINVAL',
  'EPIPE',
  'EALREADY',
  'EISCONN',
  'EADDRNOTAVAIL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Harms the TIME_WAIT article is about (spec, "The model"). */
export const HAZARD_KINDS = ['old-duplicate', 'reset-close', 'time-wait-assassination'] as const;
export type HazardKind = (typeof HAZARD_KINDS)[number];

// ---- network rules, match words, endpoint options ---------------------------------------

export const NET_RULES = ['drop', 'delay', 'duplicate', 'inject'] as const;
export type NetRuleName = (typeof NET_RULES)[number];

/** Segment properties a rule may match: `data` (payload), `pure-ack` (ACK alone, no payload). */
export const MATCH_PROPERTIES = ['data', 'pure-ack'] as const;
/** Numbers a rule may match, written `seq=N`, `ack=N`. */
export const MATCH_FIELDS = ['seq', 'ack'] as const;
/** How many segments a rule takes: `count N` (default 1) or `all`. */
export const MATCH_COUNTS = ['count', 'all'] as const;
/** The words that may follow a direction in `drop`/`delay`/`duplicate` (besides flag names). */
export const MATCH_WORDS = [...MATCH_PROPERTIES, ...MATCH_FIELDS, ...MATCH_COUNTS] as const;
/** The clause each rule adds: `drop segment N`, `delay … by D`, `duplicate … after D`. */
export const NET_CLAUSES = { drop: 'segment', delay: 'by', duplicate: 'after' } as const;

/** The fields of a forged segment in `net inject` (after its flags), written `seq=N`. */
export const INJECT_FIELDS = ['seq', 'ack', 'len'] as const;

/** What may follow `endpoint NAME ADDRESS:PORT`: `isn=N`, `window=N`, and the bare word `reuse`. */
export const ENDPOINT_OPTIONS = ['isn', 'window', 'reuse'] as const;
export type EndpointOption = (typeof ENDPOINT_OPTIONS)[number];
/** The endpoint options written `NAME=N`; the others stand alone. */
export const ENDPOINT_VALUE_OPTIONS: readonly EndpointOption[] = ['isn', 'window'];

/** The words of `expect` after its subject: `expect A error CODE`, `expect [no] hazard KIND`, `expect no hazards`, `… in "LABEL"`. */
export const EXPECT_WORDS = ['error', 'hazard', 'hazards', 'no', 'in'] as const;
/** `link A B latency DURATION`. */
export const LINK_WORDS = ['latency'] as const;

// ---- time -------------------------------------------------------------------------------

/** The units a duration is written in, in the order completion offers them. */
export const TIME_UNITS = [
  { unit: 'ms', microseconds: 1_000, summary: 'milliseconds' },
  { unit: 's', microseconds: 1_000_000, summary: 'seconds' },
  { unit: 'min', microseconds: 60_000_000, summary: 'minutes' },
  { unit: 'us', microseconds: 1, summary: 'microseconds' },
] as const;
export type DurationUnit = (typeof TIME_UNITS)[number]['unit'];

/** Longest duration or time accepted: 100 days in ms (far beyond any useful scenario). */
export const MAX_DURATION_MS = 100 * 24 * 3600 * 1000;
/** Largest integer where a sequence number or ISN is meant (2^32 - 1). */
export const MAX_U32 = 4_294_967_295;

// ---- options ----------------------------------------------------------------------------

/**
 * Profiles: which TCP the run models. Every option has a default for `rfc` (RFC 9293 with the
 * RFCs it adopts); another profile lists, in the option's `defaults`, only the values where
 * it differs. A profile's defaults are data in the table, nothing else.
 */
export const PROFILES = ['rfc', 'linux'] as const;
export type Profile = (typeof PROFILES)[number];
export const DEFAULT_PROFILE: Profile = 'rfc';

/** An option's default under each profile: `rfc` always, the others where they differ. */
export type ProfileDefaults<V> = { readonly rfc: V } & { readonly [P in Exclude<Profile, 'rfc'>]?: V };

/** How an option's value is written. */
export type OptionKind = 'duration' | 'integer' | 'on-off' | 'enum';

export interface OptionSpec<N extends string = string, F extends string = string, V = unknown> {
  /** As written after `set`. */
  readonly name: N;
  /** The field of `Options` it sets. */
  readonly field: F;
  readonly kind: OptionKind;
  /** integer: the smallest value; duration: 0. */
  readonly min: number;
  /** integer: the largest value; duration: MAX_DURATION_MS. */
  readonly max: number;
  /** duration: must be more than 0 (a zero would retransmit in a loop). */
  readonly positive?: boolean;
  /** on-off and enum: the words accepted. */
  readonly values?: readonly string[];
  /** The default under each profile; `null` means "not set", explained by `unset`. */
  readonly defaults: ProfileDefaults<V>;
  /** What the option is when its default is null, as a user reads it (`2*msl`, `none`). */
  readonly unset?: string;
  /** One line: what it is (a completion item's detail). */
  readonly summary: string;
  /** Markdown, one to three sentences: what it means and how the model uses it. */
  readonly detail: string;
  /** Where the RFC says it. */
  readonly rfc?: string;
  /** The Linux setting or constant that plays the same part, when there is one. */
  readonly linux?: string;
  /** What the option does under `profile = linux` beyond its default, when that differs. */
  readonly linuxDetail?: string;
  /** One line of `.tcpscn` using it. */
  readonly example: string;
}

type OptionDoc = Pick<OptionSpec, 'summary' | 'detail' | 'rfc' | 'linux' | 'linuxDetail' | 'example'>;
type Named<N extends string, F extends string> = { readonly name: N; readonly field: F };

/** A duration in milliseconds, from 0 (or more than 0 when `positive`) to 100 days. */
function duration<const N extends string, const F extends string>(
  s: Named<N, F> & OptionDoc & { defaults: ProfileDefaults<number>; positive?: boolean },
): OptionSpec<N, F, number> {
  return { ...s, kind: 'duration', min: 0, max: MAX_DURATION_MS };
}
/** A duration that may be left unset (null), meaning what `unset` says. */
function durationOrUnset<const N extends string, const F extends string>(
  s: Named<N, F> & OptionDoc & { defaults: ProfileDefaults<number | null>; unset: string },
): OptionSpec<N, F, number | null> {
  return { ...s, kind: 'duration', min: 0, max: MAX_DURATION_MS };
}
/** A whole number in [min, max]. */
function integer<const N extends string, const F extends string>(
  s: Named<N, F> & OptionDoc & { defaults: ProfileDefaults<number>; min: number; max: number },
): OptionSpec<N, F, number> {
  return { ...s, kind: 'integer' };
}
/** A whole number in [min, max] that may be left unset (null), meaning what `unset` says. */
export function integerOrUnset<const N extends string, const F extends string>(
  s: Named<N, F> & OptionDoc & { defaults: ProfileDefaults<number | null>; min: number; max: number; unset: string },
): OptionSpec<N, F, number | null> {
  return { ...s, kind: 'integer' };
}
/** `on` or `off`. */
function onOff<const N extends string, const F extends string>(
  s: Named<N, F> & OptionDoc & { defaults: ProfileDefaults<boolean> },
): OptionSpec<N, F, boolean> {
  return { ...s, kind: 'on-off', min: 0, max: 0, values: ['on', 'off'] };
}
/** One word out of `values`. */
function choice<const N extends string, const F extends string, const V extends string>(
  s: Named<N, F> & OptionDoc & { defaults: ProfileDefaults<V>; values: readonly V[] },
): OptionSpec<N, F, V> {
  return { ...s, kind: 'enum', min: 0, max: 0 };
}

/**
 * Scenario-wide options (`set NAME = VALUE`, and overrides in `variant`), in the order the
 * reference page and completion list them.
 */
export const OPTION_TABLE = [
  duration({
    name: 'msl',
    field: 'msl',
    defaults: { rfc: 30_000 },
    summary: 'maximum segment lifetime',
    detail:
      'How long a segment may live in the network. TIME_WAIT lasts 2×MSL unless `time_wait` says otherwise. RFC 9293 takes MSL as 2 minutes; Linux keeps TIME_WAIT 60 s, which the default of 30 s reproduces.',
    rfc: 'RFC 9293 §3.4.2, §3.6.1',
    linux: 'TCP_TIMEWAIT_LEN = 60 s = 2 × 30 s',
    example: 'set msl = 2s',
  }),
  durationOrUnset({
    name: 'time_wait',
    field: 'timeWait',
    defaults: { rfc: null },
    unset: '2*msl',
    summary: 'how long TIME_WAIT lasts',
    detail:
      'How long TIME_WAIT lasts. `0` makes it last no time (a dangerous shortcut): the TCB enters TIME_WAIT, sends its ACK and is deleted at the same instant, so `on … TIME_WAIT` triggers still fire, but a retransmitted FIN then meets no TCB and gets a RST (`reset-close`), and old duplicates may reach a new incarnation (`old-duplicate`).',
    rfc: 'RFC 9293 §3.6.1 (MUST-13: linger 2×MSL)',
    linux: 'TCP_TIMEWAIT_LEN',
    linuxDetail:
      'Any segment with ACK (and no RST) that reaches a TIME_WAIT restarts it (tcp_timewait_state_process), and `hz` makes it end up to 2 s late.',
    example: 'variant "no TIME_WAIT" time_wait = 0',
  }),
  duration({
    name: 'latency',
    field: 'latency',
    defaults: { rfc: 50 },
    summary: 'one-way latency of every segment',
    detail: 'The one-way latency of every segment, unless a `link` between the two endpoints says otherwise.',
    example: 'set latency = 20ms',
  }),
  duration({
    name: 'rto',
    field: 'rto',
    defaults: { rfc: 1_000 },
    positive: true,
    summary: 'initial retransmission timeout; doubles on each retry',
    detail:
      'The retransmission timeout of a SYN, data or FIN that is not acknowledged. It doubles on each retry (exponential backoff) until `max_retries`, then the call fails with `ETIMEDOUT`. RFC 6298 (cited by RFC 9293) sets the initial RTO to 1 s.',
    rfc: 'RFC 9293 §3.8.1; RFC 6298',
    linux: 'TCP_TIMEOUT_INIT',
    linuxDetail:
      'The RTO before any RTT sample; after one it follows RFC 6298 with `rto_min`, and an active open retransmits its SYN `syn_linear_timeouts` times before doubling.',
    example: 'set rto = 500ms',
  }),
  integer({
    name: 'max_retries',
    field: 'maxRetries',
    defaults: { rfc: 5, linux: 15 },
    min: 0,
    max: 1000,
    summary: 'retransmissions of one segment before ETIMEDOUT',
    detail:
      'How many times one segment is retransmitted before the connection gives up with `ETIMEDOUT` (the R2 threshold of RFC 9293 §3.8.3).',
    rfc: 'RFC 9293 §3.8.3',
    linux: 'net.ipv4.tcp_retries2',
    linuxDetail:
      'For data and FIN it is a time budget, not a count (retransmits_timed_out): the connection gives up at the first RTO expiry (2^(N+1) − 1) × 200 ms or more after its first retransmission, 3 s for N = 3; at most 8 once the application closed (tcp_orphan_retries). SYNs count `syn_retries`, SYN,ACKs `synack_retries`.',
    example: 'set max_retries = 3',
  }),
  integerOrUnset({
    name: 'syn_retries',
    field: 'synRetries',
    defaults: { rfc: null, linux: 6 },
    unset: 'max_retries',
    min: 0,
    max: 1000,
    summary: 'retransmissions of an unanswered SYN before connect fails',
    detail:
      'How many times an unanswered SYN is retransmitted before `connect` fails with `ETIMEDOUT`; not set, it is `max_retries`. RFC 9293 §3.8.3 gives a SYN its own R2 threshold (at least 3 minutes of retransmission).',
    rfc: 'RFC 9293 §3.8.3',
    linux: 'net.ipv4.tcp_syn_retries',
    linuxDetail:
      'Counted after the `syn_linear_timeouts` (4) retransmissions 1 s apart, so 10 SYN retransmissions in all.',
    example: 'set syn_retries = 2',
  }),
  integer({
    name: 'mss',
    field: 'mss',
    defaults: { rfc: 1460 },
    // A segment carries at least one byte, or a send could never be cut into segments.
    min: 1,
    max: 65535,
    summary: 'largest payload in one segment',
    detail: 'The largest payload of one segment, in bytes; a `send` larger than this is cut into several segments.',
    rfc: 'RFC 9293 §3.7.1',
    example: 'set mss = 536',
  }),
  duration({
    name: 'delayed_ack',
    field: 'delayedAck',
    defaults: { rfc: 0, linux: 40 },
    summary: 'how long a receiver may hold the ACK of data or of a FIN',
    detail:
      "How long a receiver may hold the ACK of data or of a FIN, hoping to piggyback it on data or a FIN of its own; `0` acknowledges at once. The handshake's ACK is never held. RFC 9293 allows a delay below 0.5 s.",
    rfc: 'RFC 9293 §3.8.6.3',
    linux: 'TCP_DELACK_MIN, TCP_ATO_MIN',
    linuxDetail:
      "The ACK timeout once data has arrived: the first data starts quick-ack mode (up to 16 ACKs at once, tcp_incr_quickack), a reply sent soon after data received makes the connection interactive (pingpong) and its ACKs wait; a FIN's ACK always waits (tcp_fin), one tick when no data arrived yet, so a prompt close() carries it on its FIN: a three-segment close.",
    example: 'set delayed_ack = 40ms',
  }),
  onOff({
    name: 'rfc1337',
    field: 'rfc1337',
    defaults: { rfc: false },
    summary: 'TIME_WAIT ignores RST (RFC 1337)',
    detail:
      "`on`: a RST that reaches a connection in TIME_WAIT is ignored, so TIME_WAIT cannot be assassinated (RFC 1337's fix TW-A; Linux `net.ipv4.tcp_rfc1337`). `off`: RST ends TIME_WAIT (hazard `time-wait-assassination`).",
    rfc: 'RFC 1337',
    linux: 'net.ipv4.tcp_rfc1337',
    linuxDetail: 'A SYN above RCV.NXT reopens a TIME_WAIT at once, before any RST (tcp_timewait_state_process).',
    example: 'set rfc1337 = on',
  }),
  onOff({
    name: 'challenge_ack',
    field: 'challengeAck',
    defaults: { rfc: true },
    summary: 'challenge ACKs for SYN and inexact RST (RFC 5961)',
    detail:
      '`on`: in a synchronized state, a RST whose sequence number is in the window but not exactly RCV.NXT, or any SYN, is answered by an ACK (a "challenge ACK") instead of being acted on (RFC 5961 §3 and §4, adopted by RFC 9293 §3.10.7.4). `off`: RFC 793 rules, where any in-window RST resets.',
    rfc: 'RFC 5961 §3, §4; RFC 9293 §3.10.7.4',
    linux: 'tcp_send_challenge_ack',
    example: 'set challenge_ack = off',
  }),
  choice({
    name: 'isn',
    field: 'isn',
    defaults: { rfc: 'fixed', linux: 'clock' },
    values: ['fixed', 'clock'],
    summary: 'how initial sequence numbers are chosen: fixed or clock',
    detail:
      "`fixed`: each endpoint's `isn=`, else 0. `clock`: RFC 793's ISN clock, which ticks every 4 µs (ISN = 250 × t in ms, mod 2³²).",
    rfc: 'RFC 9293 §3.4.1',
    linux: 'secure_tcp_seq',
    linuxDetail:
      'The clock ticks every 64 ns (ktime_get_real_ns() >> 6): ISN = 15 625 × t in ms, so a new incarnation starts about 15.6 million beyond the old one per second.',
    example: 'set isn = clock',
  }),
  durationOrUnset({
    name: 'duration',
    field: 'duration',
    defaults: { rfc: null },
    unset: 'none',
    summary: 'stop the run at this time',
    detail:
      'Stops the run at this simulated time even if timers are still pending. Without it, the run ends when no event is pending.',
    example: 'set duration = 10s',
  }),
  choice({
    name: 'profile',
    field: 'profile',
    defaults: { rfc: 'rfc', linux: 'linux' },
    values: PROFILES,
    summary: 'which TCP the run models: `rfc` (RFC 9293) or `linux` (Linux 6.x)',
    detail:
      "`rfc`: RFC 9293 and the RFCs it adopts. `linux`: every default and rule set to Linux 6.x's observable behaviour where the language can express it, as measured on a real kernel: each option's `linux` default, plus a delayed-ACK engine with quick-ack and pingpong (a prompt close makes a three-segment close; a read that reopens a half-used window sends its update at once), RTO from RTT samples, a retransmission that takes in the segments sent after it (a FIN included), a FIN set on unsent data that waits with it for window room, data give-up as a time budget, a SYN re-sent 8 ms after a RST for a bad ACK in SYN_SENT, the SYN,ACK sent again for a repeated SYN in SYN_RECEIVED, a SYN above RCV.NXT reopening a TIME_WAIT with ISN = SND.NXT + 65537, no TIME_WAIT takeover without timestamps (EADDRINUSE, EADDRNOTAVAIL), RST,ACK on abort, Linux's errno (EPIPE, EALREADY, EISCONN; a second listen succeeds) and 64 240 as the first window. An explicit `set` wins over the profile, which only gives defaults.",
    rfc: 'RFC 9293; RFC 1122 §4.2.2.13; RFC 6298',
    linux: 'Linux 6.x, CONFIG_HZ = 250, timestamps and SACK off',
    example: 'variant "Linux" profile = linux',
  }),
  durationOrUnset({
    name: 'rto_min',
    field: 'rtoMin',
    defaults: { rfc: null, linux: 200 },
    unset: 'none',
    summary: 'floor of an RTO computed from RTT samples (RFC 6298)',
    detail:
      'With a value, the RTO follows RFC 6298: `rto` until the first RTT sample (never from a retransmitted segment: Karn), then max(`rto_min`, SRTT + 4·RTTVAR), and 3 s when the handshake gave no sample (§5.7). `none`: the RTO stays `rto`, doubling on each retry.',
    rfc: 'RFC 6298 §2, §3, §5.7',
    linux: 'TCP_RTO_MIN',
    linuxDetail:
      'SRTT + max(4·RTTVAR, `rto_min`) (tcp_set_rto: the floor bounds the variance term), so 20 ms of RTT gives 220 ms and 100 ms gives 300 ms.',
    example: 'set rto_min = 200ms',
  }),
  durationOrUnset({
    name: 'rto_max',
    field: 'rtoMax',
    defaults: { rfc: null, linux: 120_000 },
    unset: 'none',
    summary: 'ceiling of the RTO and its backoff',
    detail: 'The RTO never doubles beyond this (RFC 6298 §2.5 allows a ceiling of 60 s or more). `none`: no ceiling.',
    rfc: 'RFC 6298 §2.5',
    linux: 'TCP_RTO_MAX',
    example: 'set rto_max = 60s',
  }),
  integerOrUnset({
    name: 'synack_retries',
    field: 'synackRetries',
    defaults: { rfc: null, linux: 5 },
    min: 0,
    max: 1000,
    unset: 'max_retries',
    summary: 'SYN,ACK retransmissions of an accepted connection before it is dropped',
    detail:
      'How many times a connection accepted from a listener retransmits its SYN,ACK before it is dropped (no error is recorded: no application has it yet).',
    rfc: 'RFC 9293 §3.8.3',
    linux: 'net.ipv4.tcp_synack_retries',
    example: 'set synack_retries = 2',
  }),
  integer({
    name: 'syn_linear_timeouts',
    field: 'synLinearTimeouts',
    defaults: { rfc: 0, linux: 4 },
    min: 0,
    max: 1000,
    summary: 'SYN retransmissions one RTO apart before the backoff doubles',
    detail:
      'An active open first retransmits its SYN this many times without doubling the RTO, in addition to `syn_retries`: with 4, SYNs leave 1 s apart five times, then 2, 4, 8, … s apart.',
    linux: 'net.ipv4.tcp_syn_linear_timeouts (Linux 6.7+)',
    example: 'set syn_linear_timeouts = 0',
  }),
  durationOrUnset({
    name: 'fin_timeout',
    field: 'finTimeout',
    defaults: { rfc: null, linux: 60_000 },
    unset: 'none',
    summary: 'how long an orphaned FIN_WAIT_2 lives',
    detail:
      "After `close` (not `shutdown`: nobody can read any more), a connection in FIN_WAIT_2 is deleted this long after entering it (or 3.5 RTO, if longer), without a segment. `none`: it waits for the peer's FIN forever, as RFC 9293 says.",
    linux: 'net.ipv4.tcp_fin_timeout (tcp_fin_time)',
    example: 'set fin_timeout = 10s',
  }),
  integerOrUnset({
    name: 'hz',
    field: 'hz',
    defaults: { rfc: null, linux: 250 },
    min: 100,
    max: 1000,
    unset: 'none',
    summary: "kernel timer ticks per second: TCP's timers fire on Linux's timer wheel",
    detail:
      'With a value, every TCP timer (retransmission, delayed ACK, TIME_WAIT, FIN_WAIT_2) fires as on a Linux kernel with that CONFIG_HZ: rounded up to whole ticks and to the granule of its timer-wheel level, never early. At 250 a 1 s RTO fires 0–32 ms late and a 60 s TIME_WAIT up to 2 s late, by chance (the kernel ticks are not in step with the scenario); the model takes the middle of that range (1016 ms, 61.024 s). A timer re-armed as it fires (a backed-off RTO) starts on its granule boundary, so its slack is exact. `none`: timers fire exactly on time.',
    linux: 'CONFIG_HZ (kernel/time/timer.c)',
    example: 'set hz = 1000',
  }),
] as const;

type OptionEntry = (typeof OPTION_TABLE)[number];
export type OptionName = OptionEntry['name'];

/** Scenario-wide options, resolved to values (times in milliseconds), one field per table entry. */
export type Options = { -readonly [E in OptionEntry as E['field']]: E['defaults']['rfc'] };

/** Every option name, in table order. */
export const OPTION_NAMES: readonly OptionName[] = OPTION_TABLE.map((o) => o.name);

const OPTION_BY_NAME: ReadonlyMap<string, OptionSpec> = new Map(OPTION_TABLE.map((o) => [o.name, o as OptionSpec]));

/** The table entry of an option name, or undefined for a word that names no option. */
export function optionSpec(name: string): OptionSpec | undefined {
  return OPTION_BY_NAME.get(name);
}

export function isOptionName(word: string): word is OptionName {
  return OPTION_BY_NAME.has(word);
}

/** An option's default under a profile: the profile's own value when it has one, else `rfc`'s. */
export function optionDefault(spec: OptionSpec, profile: Profile = DEFAULT_PROFILE): unknown {
  const defaults = spec.defaults as Readonly<Record<string, unknown>>;
  return profile in defaults ? defaults[profile] : defaults.rfc;
}

/** Every option at its default under `profile`. */
export function defaultOptions(profile: Profile = DEFAULT_PROFILE): Options {
  const options: Record<string, unknown> = {};
  for (const spec of OPTION_TABLE) options[spec.field] = optionDefault(spec, profile);
  return options as Options;
}

/** The options of a run that sets nothing, under the `rfc` profile. */
export const DEFAULT_OPTIONS: Readonly<Options> = Object.freeze(defaultOptions());

/**
 * A value as the option takes it, or undefined when it is of the wrong kind (the parser has
 * reported it; a value that reaches here from elsewhere is ignored rather than trusted).
 * Whole numbers are rounded down and kept in [min, max].
 */
export function coerceOptionValue(spec: OptionSpec, value: unknown): unknown {
  switch (spec.kind) {
    case 'duration':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
      return spec.positive && value === 0 ? undefined : value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
      return Math.min(spec.max, Math.max(spec.min, Math.floor(value)));
    case 'on-off':
      return typeof value === 'boolean' ? value : undefined;
    case 'enum':
      return typeof value === 'string' && spec.values!.includes(value) ? value : undefined;
  }
}

/** A value as a user writes it in a `.tcpscn` file (`30s`, `5`, `on`, `clock`); null gives `unset`. */
export function formatOptionValue(spec: OptionSpec, value: unknown): string {
  if (value === null || value === undefined) return spec.unset ?? 'none';
  if (spec.kind === 'duration') return formatDuration(value as number);
  if (spec.kind === 'on-off') return value ? 'on' : 'off';
  return String(value);
}

/** The values an option accepts, as a user reads them: `0 to 100 days`, `1 to 65535`, `` `on` or `off` ``. */
export function optionRange(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'duration':
      return `${spec.positive ? 'more than 0' : '0'} to 100 days`;
    case 'integer':
      return `${spec.min} to ${spec.max}`;
    default:
      return spec.values!.map((v) => `\`${v}\``).join(' or ');
  }
}

/** An option as hovers and completion show it. */
export function optionDoc(spec: OptionSpec, profile: Profile = DEFAULT_PROFILE): DocEntry {
  const entry: DocEntry = {
    name: spec.name,
    summary: spec.summary,
    detail: spec.detail,
    default: formatOptionValue(spec, optionDefault(spec, profile)),
    example: spec.example,
  };
  if (spec.rfc) entry.rfc = spec.rfc;
  const linux = linuxLine(spec);
  if (linux) entry.linux = linux;
  return entry;
}

/** What `profile = linux` makes of an option: its default there, what changes, the kernel's name. */
function linuxLine(spec: OptionSpec): string | undefined {
  if (spec.name === 'profile') return undefined;
  const defaults = spec.defaults as Readonly<Record<string, unknown>>;
  const own = 'linux' in defaults;
  if (!own && !spec.linuxDetail && !spec.linux) return undefined;
  const parts = [`default \`${formatOptionValue(spec, optionDefault(spec, 'linux'))}\`${own ? '' : ' (the same)'}`];
  if (spec.linux) parts[0] += ` — ${spec.linux}`;
  if (spec.linuxDetail) parts.push(spec.linuxDetail);
  return parts.join('. ');
}

/** Every option as hovers and completion show it (defaults of the `rfc` profile). */
export const OPTION_DOCS: Readonly<Record<OptionName, DocEntry>> = Object.fromEntries(
  OPTION_TABLE.map((o) => [o.name, optionDoc(o)]),
) as Record<OptionName, DocEntry>;

// ---- what each word means ---------------------------------------------------------------

/** The eleven states (RFC 9293 §3.3.2), what they wait for, and how the model leaves them. */
export const STATE_DOCS: Readonly<Record<TcpState, DocEntry>> = {
  CLOSED: {
    name: 'CLOSED',
    summary: 'no connection state at all (fictional: no TCB)',
    detail:
      'Represents no connection state at all: there is no TCB. A segment that reaches no TCB is answered with RST (unless it is itself a RST), as RFC 9293 §3.10.7.1 says. In a scenario, an endpoint that has done nothing, or whose latest connection was deleted (after TIME_WAIT, LAST_ACK, an abort or a reset), is CLOSED.',
    rfc: 'RFC 9293 §3.3.2, §3.10.7.1',
    example: 'expect client CLOSED',
  },
  LISTEN: {
    name: 'LISTEN',
    summary: 'waiting for a connection request (SYN) from any remote TCP endpoint',
    detail:
      'Entered by a passive OPEN (`listen`). A SYN that arrives is answered with SYN,ACK and a new connection in SYN_RECEIVED is made; the listener stays (each accepted connection is a TCB of its own). A RST is ignored; an ACK gets a RST (§3.10.7.2). An endpoint that listens and has no connection yet is in LISTEN.',
    rfc: 'RFC 9293 §3.3.2, §3.10.7.2',
    example: 'on server LISTEN client connect server',
  },
  SYN_SENT: {
    name: 'SYN_SENT',
    summary: 'SYN sent, waiting for a matching SYN (or SYN,ACK)',
    detail:
      'Entered by an active OPEN (`connect`). A SYN,ACK that acknowledges the SYN leads to ESTABLISHED; a bare SYN (simultaneous open) leads to SYN_RECEIVED; an acceptable RST ends the attempt with `ECONNREFUSED` (§3.10.7.3). The SYN is retransmitted on RTO (§3.8.1) until `max_retries`, then `ETIMEDOUT`.',
    rfc: 'RFC 9293 §3.3.2, §3.10.7.3',
    example: '50ms expect client SYN_SENT',
  },
  SYN_RECEIVED: {
    name: 'SYN_RECEIVED',
    summary: 'SYN received and SYN,ACK sent, waiting for the ACK of the SYN',
    detail:
      'Waiting for a confirming acknowledgment after having both received and sent a connection request. The ACK of our SYN leads to ESTABLISHED (§3.10.7.4, "fifth, check the ACK field"). The SYN,ACK is retransmitted on RTO.',
    rfc: 'RFC 9293 §3.3.2, §3.10.7.4',
    example: '50ms expect server SYN_RECEIVED',
  },
  ESTABLISHED: {
    name: 'ESTABLISHED',
    summary: 'an open connection: data flows both ways',
    detail:
      'The normal state for the data transfer phase. `send` queues data, cut into segments of at most `mss`; a `close` sends a FIN and leads to FIN_WAIT_1; a FIN from the peer leads to CLOSE_WAIT.',
    rfc: 'RFC 9293 §3.3.2, §3.10.7.4',
    example: '100ms expect client ESTABLISHED',
  },
  FIN_WAIT_1: {
    name: 'FIN_WAIT_1',
    summary: "our FIN sent, waiting for its ACK or for the peer's FIN",
    detail:
      "Waiting for a connection termination request from the remote TCP peer, or an acknowledgment of the termination request previously sent. The ACK of our FIN leads to FIN_WAIT_2; the peer's FIN first (simultaneous close) leads to CLOSING; FIN and ACK together lead to TIME_WAIT.",
    rfc: 'RFC 9293 §3.3.2, §3.6, §3.10.7.4',
    example: 'on client FIN_WAIT_1 net drop client->server FIN',
  },
  FIN_WAIT_2: {
    name: 'FIN_WAIT_2',
    summary: "our FIN acknowledged, waiting for the peer's FIN (half-closed)",
    detail:
      "Waiting for a connection termination request from the remote TCP peer. Our direction is closed; the peer may still send data, which is received (half-close, §3.6.1). The peer's FIN leads to TIME_WAIT.",
    rfc: 'RFC 9293 §3.3.2, §3.6.1',
    example: '345ms expect client FIN_WAIT_2',
  },
  CLOSE_WAIT: {
    name: 'CLOSE_WAIT',
    summary: "the peer's FIN received, waiting for our application to close",
    detail:
      'Waiting for a connection termination request from the local user. The peer has finished sending; we may still send. Our `close` sends a FIN and leads to LAST_ACK. A trigger `on X CLOSE_WAIT X close` is the usual way to close back.',
    rfc: 'RFC 9293 §3.3.2, §3.10.4',
    example: 'on server CLOSE_WAIT server close',
  },
  CLOSING: {
    name: 'CLOSING',
    summary: 'simultaneous close: both FINs crossed, waiting for the ACK of ours',
    detail:
      "Waiting for a connection termination request acknowledgment from the remote TCP peer. Reached when the peer's FIN arrives in FIN_WAIT_1 before the ACK of our FIN; the ACK of our FIN leads to TIME_WAIT.",
    rfc: 'RFC 9293 §3.3.2, §3.6 (case 3: both close simultaneously)',
    example: 'expect client CLOSING',
  },
  LAST_ACK: {
    name: 'LAST_ACK',
    summary: "our FIN sent after the peer's, waiting for its ACK",
    detail:
      'Waiting for an acknowledgment of the connection termination request previously sent to the remote TCP peer (which includes an acknowledgment of its connection termination request). The ACK of our FIN deletes the TCB (CLOSED); without it our FIN is retransmitted on RTO. A RST here ends a graceful close abruptly (hazard `reset-close`).',
    rfc: 'RFC 9293 §3.3.2, §3.10.7.4',
    example: '345ms expect server LAST_ACK',
  },
  TIME_WAIT: {
    name: 'TIME_WAIT',
    summary: 'waiting 2×MSL so the peer surely got the last ACK and old duplicates die out',
    detail:
      'Waiting for enough time to pass to be sure the remote TCP peer received the acknowledgment of its connection termination request, and to avoid new connections being impacted by delayed segments from previous connections. Lasts 2×MSL (`msl` default 30 s, so 60 s; `time_wait` overrides it). A retransmitted FIN is re-acknowledged and restarts the timer. While it lasts, the 4-tuple stays taken (`EADDRINUSE`) unless the new socket has `reuse` (RFC 6191). A RST ends it early ("assassination", RFC 1337) unless `rfc1337 = on`. When it ends the TCB is deleted (CLOSED).',
    rfc: 'RFC 9293 §3.3.2, §3.6.1, §3.4.2; RFC 1337; RFC 6191',
    default: `2×msl = ${formatDuration(2 * DEFAULT_OPTIONS.msl)}`,
    example: 'on client TIME_WAIT net drop client->server ACK',
  },
};

/** Application calls (RFC 9293 §3.10.1–§3.10.5). */
export const VERB_DOCS: Readonly<Record<Verb, DocEntry>> = {
  listen: {
    name: 'listen',
    summary: 'passive OPEN: accept connections',
    detail:
      'The endpoint enters LISTEN and accepts connections; every accepted connection is a TCB of its own, and the listener stays. Fails with `EADDRINUSE` when another incarnation holds the address and port, `EINVAL` when this endpoint is already in use.',
    rfc: 'RFC 9293 §3.10.1 (OPEN call, passive)',
    example: '0ms server listen',
  },
  connect: {
    name: 'connect',
    summary: 'active OPEN: send a SYN to PEER',
    detail:
      "Sends a SYN from this endpoint's address and port to PEER's, and enters SYN_SENT. The SYN takes one sequence number (the ISN). Fails with `EADDRINUSE` while an earlier incarnation of the same address and port still holds a TCB (TIME_WAIT included, unless `reuse`).",
    rfc: 'RFC 9293 §3.10.1 (OPEN call, active)',
    example: '10ms client connect server',
  },
  send: {
    name: 'send',
    summary: 'SEND: queue N bytes or a text',
    detail:
      '`send N` queues N bytes, `send "TEXT"` the text\'s UTF-8 bytes; they are cut into segments of at most `mss` and retransmitted on RTO until acknowledged. Fails with `ENOTCONN` when the endpoint has no connection.',
    rfc: 'RFC 9293 §3.10.2 (SEND call)',
    example: '100ms client send "GET / HTTP/1.0"',
  },
  close: {
    name: 'close',
    summary: 'CLOSE: FIN after all queued data; receiving goes on',
    detail:
      'Sends a FIN once every queued byte is sent (ESTABLISHED → FIN_WAIT_1, CLOSE_WAIT → LAST_ACK); the connection still receives (half-close). On an endpoint with no connection it stops its listening. Fails with `ENOTCONN` when there is neither a connection nor a listener.',
    rfc: 'RFC 9293 §3.10.4 (CLOSE call)',
    example: '300ms client close',
  },
  shutdown: {
    name: 'shutdown',
    summary: 'CLOSE: the same as `close`, reads as a half-close',
    detail:
      'Exactly `close`: a FIN after all queued data, receiving goes on. Use it where the scenario is about a half-closed connection (RFC 9293 §3.6.1). Fails with `ENOTCONN` on an endpoint with no connection.',
    rfc: 'RFC 9293 §3.10.4 (CLOSE call), §3.6.1',
    example: '200ms client shutdown',
  },
  abort: {
    name: 'abort',
    summary: 'ABORT: send RST and delete the TCB at once (no TIME_WAIT)',
    detail:
      'Sends a RST and deletes the TCB at once: no FIN, no TIME_WAIT (what SO_LINGER with a zero timeout does). Queued data is discarded.',
    rfc: 'RFC 9293 §3.10.5 (ABORT call)',
    example: '500ms client abort',
  },
};

/** Control bits (RFC 9293 §3.1). */
export const FLAG_DOCS: Readonly<Record<Flag, DocEntry>> = {
  SYN: {
    name: 'SYN',
    summary: 'synchronize sequence numbers',
    detail: 'Opens a connection and carries the initial sequence number; takes one sequence number itself.',
    rfc: 'RFC 9293 §3.1, §3.4, §3.5',
  },
  FIN: {
    name: 'FIN',
    summary: 'no more data from sender',
    detail: "Closes the sender's direction of the connection; takes one sequence number itself.",
    rfc: 'RFC 9293 §3.1, §3.6',
  },
  RST: {
    name: 'RST',
    summary: 'reset the connection',
    detail:
      'Aborts a connection. Sent for a segment that reaches no TCB (§3.10.7.1) and by `abort`; a RST is never answered. A RST is acceptable when its sequence number is in the receive window (with `challenge_ack`, exactly RCV.NXT).',
    rfc: 'RFC 9293 §3.1, §3.5.2, §3.5.3, §3.10.7.1',
  },
  PSH: {
    name: 'PSH',
    summary: 'push function',
    detail: 'Asks the receiver to deliver the data to the application promptly; set on data segments.',
    rfc: 'RFC 9293 §3.1, §3.9.1.2',
  },
  ACK: {
    name: 'ACK',
    summary: 'acknowledgment field is significant',
    detail:
      'The acknowledgment number is valid: the next sequence number the sender expects. Set on every segment after the first SYN.',
    rfc: 'RFC 9293 §3.1, §3.4',
  },
};

/** Errors a failed call records on its endpoint (Linux errno names for RFC 9293's error signals). */
export const ERROR_DOCS: Readonly<Record<ErrorCode, DocEntry>> = {
  EADDRINUSE: {
    name: 'EADDRINUSE',
    summary: 'address already in use',
    detail:
      '`connect` or `listen` while another incarnation of the same local address and port still holds a TCB (TIME_WAIT included, unless `reuse`) or listens there: the implicit bind() fails, as on Linux. This is TIME_WAIT keeping the 4-tuple for 2×MSL.',
    rfc: 'RFC 9293 §3.6.1 (MUST-13), §3.4.2',
    example: 'expect passerby error EADDRINUSE',
  },
  ECONNREFUSED: {
    name: 'ECONNREFUSED',
    summary: 'connection refused: the SYN was answered by RST',
    detail:
      'The SYN was answered by RST: nobody listens at the peer\'s port (RFC 9293 §3.10.7.1 sends the RST, §3.10.7.3 acts on it in SYN_SENT: "error: connection reset").',
    rfc: 'RFC 9293 §3.10.7.3',
    example: 'expect client error ECONNREFUSED',
  },
  ECONNRESET: {
    name: 'ECONNRESET',
    summary: 'connection reset by peer',
    detail: 'A synchronized connection received an acceptable RST; the TCB is deleted.',
    rfc: 'RFC 9293 §3.10.7.4 (second, check the RST bit)',
    example: 'expect server error ECONNRESET',
  },
  ETIMEDOUT: {
    name: 'ETIMEDOUT',
    summary: 'retransmissions ran out',
    detail: 'A segment was retransmitted `max_retries` times without being acknowledged; the connection is given up.',
    rfc: 'RFC 9293 §3.8.1, §3.8.3',
    example: 'expect client error ETIMEDOUT',
  },
  ENOTCONN: {
    name: 'ENOTCONN',
    summary: 'not connected',
    detail:
      '`send` or `shutdown` on an endpoint with no connection; `close` on one with neither a connection nor a listener ("error: connection does not exist").',
    rfc: 'RFC 9293 §3.10.2, §3.10.4',
    example: 'expect client error ENOTCONN',
  },
  EINVAL: {
    name: 'EINVAL',
    summary: 'endpoint already in use by its own earlier call',
    detail:
      '`listen` or `connect` on an endpoint already in use by its own earlier call ("error: connection already exists").',
    rfc: 'RFC 9293 §3.10.1',
    example: 'expect client error EINVAL',
  },
  EPIPE: {
    name: 'EPIPE',
    summary: 'broken pipe: this side can no longer send (`linux`)',
    detail:
      'Under `profile = linux`: `send` with no connection or after this side closed (tcp_sendmsg), and the error a RST leaves on a connection in CLOSE_WAIT (tcp_reset), where `rfc` says ENOTCONN and ECONNRESET.',
    rfc: 'RFC 9293 §3.10.2 ("connection closing")',
    example: 'expect client error EPIPE in "Linux"',
  },
  EALREADY: {
    name: 'EALREADY',
    summary: 'a connect is already in progress (`linux`)',
    detail:
      'Under `profile = linux`: `connect` on an endpoint whose own connect is still in progress (inet_stream_connect), where `rfc` says EINVAL.',
    rfc: 'RFC 9293 §3.10.1',
    example: 'expect client error EALREADY in "Linux"',
  },
  EISCONN: {
    name: 'EISCONN',
    summary: 'already connected (`linux`)',
    detail:
      'Under `profile = linux`: `connect` on an endpoint whose connection is synchronized, or that listens (inet_stream_connect), where `rfc` says EINVAL.',
    rfc: 'RFC 9293 §3.10.1',
    example: 'expect client error EISCONN in "Linux"',
  },
  EADDRNOTAVAIL: {
    name: 'EADDRNOTAVAIL',
    summary: 'the 4-tuple is still taken (`linux`)',
    detail:
      'Under `profile = linux`: `connect` to a 4-tuple that another socket still holds, a TIME_WAIT included: Linux takes over a TIME_WAIT only when it saw timestamps (tcp_twsk_unique), which the model does not use. `reuse` on every incarnation gets past bind() and then meets this.',
    rfc: 'RFC 9293 §3.4.2; RFC 6191',
    example: 'expect newcomer error EADDRNOTAVAIL in "Linux"',
  },
};

/** Hazards: the harms TIME_WAIT exists to prevent. */
export const HAZARD_DOCS: Readonly<Record<HazardKind, DocEntry>> = {
  'old-duplicate': {
    name: 'old-duplicate',
    summary: 'a segment of an earlier incarnation was accepted by a later one',
    detail:
      "A segment sent by an earlier incarnation of a 4-tuple is accepted (its data delivered, or its SYN, FIN or RST acted on) by a later incarnation. TIME_WAIT's 2×MSL exists so that such old duplicates die out before the 4-tuple is used again.",
    rfc: 'RFC 9293 §3.4.2, §3.6.1; RFC 1337',
    example: 'expect hazard old-duplicate in "no TIME_WAIT"',
  },
  'reset-close': {
    name: 'reset-close',
    summary: 'a graceful close ended by RST instead of the final handshake',
    detail:
      'A connection that was closing gracefully (FIN_WAIT_1/2, CLOSING, LAST_ACK) ends by a RST, for example because the peer kept no TIME_WAIT and answered a retransmitted FIN with RST (RFC 9293 §3.10.7.1).',
    rfc: 'RFC 9293 §3.6.1, §3.10.7.1',
    example: 'expect hazard reset-close in "no TIME_WAIT"',
  },
  'time-wait-assassination': {
    name: 'time-wait-assassination',
    summary: 'a RST ended TIME_WAIT before its time',
    detail:
      'A RST ends a TIME_WAIT before its time (RFC 1337 "TIME-WAIT Assassination Hazards"). Never happens with `rfc1337 = on`.',
    rfc: 'RFC 1337',
    example: 'expect hazard time-wait-assassination',
  },
};

/** Endpoint options (`endpoint NAME ADDRESS:PORT [OPT=VALUE | FLAG]...`). */
export const ENDPOINT_OPTION_DOCS: Readonly<Record<EndpointOption, DocEntry>> = {
  isn: {
    name: 'isn',
    summary: 'initial sequence number of this endpoint',
    detail: "`isn=N`: the initial sequence number (0 to 4294967295) of this endpoint's connections.",
    rfc: 'RFC 9293 §3.4.1',
    default: '0, or the ISN clock when `set isn = clock`',
    example: 'endpoint client 10.0.0.1:5000 isn=1000',
  },
  window: {
    name: 'window',
    summary: 'receive window advertised',
    detail: '`window=N`: the receive window this endpoint advertises; segments outside it are not acceptable.',
    rfc: 'RFC 9293 §3.3.1, §3.10.7.4',
    default: '65535',
    example: 'endpoint server 10.0.0.2:80 window=1000',
  },
  reuse: {
    name: 'reuse',
    summary: 'may take over a 4-tuple in TIME_WAIT',
    detail:
      "The socket may take over a 4-tuple whose earlier incarnation is in TIME_WAIT; that TIME_WAIT ends at once and, unless `isn=` is given, the new ISN is the old SND.NXT + 65537 (Linux's takeover rule when timestamps allow it, after RFC 6191 and RFC 9293 §3.6.1's MAY-2).",
    rfc: 'RFC 6191; RFC 9293 §3.6.1',
    default: 'off',
    example: 'endpoint passerby 10.0.0.1:5000 reuse',
  },
};

/** Match words of `net drop|delay|duplicate DIR [MATCH...]` and fields of `net inject`. */
export const MATCH_DOCS: Readonly<Record<string, DocEntry>> = {
  data: {
    name: 'data',
    summary: 'segments that carry payload (length > 0)',
    detail: 'Matches a segment whose payload length is greater than 0.',
  },
  'pure-ack': {
    name: 'pure-ack',
    summary: 'ACK only: no payload, no other flag',
    detail: 'Matches a segment with only the ACK flag and no payload.',
  },
  seq: {
    name: 'seq',
    summary: 'sequence number',
    detail:
      "`seq=N`: in a match, the segment's sequence number is N; in `inject`, the forged segment's (default: A's SND.NXT when A has a connection to B, else 0).",
    rfc: 'RFC 9293 §3.4',
  },
  ack: {
    name: 'ack',
    summary: 'acknowledgment number',
    detail:
      "`ack=N`: in a match, the segment's acknowledgment number is N; in `inject`, the forged segment's (default: A's RCV.NXT when A has a connection to B, else 0).",
    rfc: 'RFC 9293 §3.4',
  },
  len: {
    name: 'len',
    summary: 'payload length of an injected segment',
    detail: '`len=N`: the payload length of the forged segment (`net inject` only).',
  },
  count: {
    name: 'count',
    summary: 'apply to the next N matching segments',
    detail: '`count N`: the rule applies to the next N matching segments (default 1).',
  },
  all: {
    name: 'all',
    summary: 'apply to every matching segment from now on',
    detail: '`all`: the rule applies to every matching segment sent from its instant on.',
  },
  by: {
    name: 'by',
    summary: 'extra latency of a delayed segment',
    detail: "`net delay DIR … by DURATION`: adds DURATION to the segment's latency.",
  },
  after: {
    name: 'after',
    summary: 'when the duplicate copy arrives',
    detail:
      '`net duplicate DIR … after DURATION`: the second copy arrives DURATION after the first (default: the latency again).',
  },
  segment: {
    name: 'segment',
    summary: 'the N-th segment of the run',
    detail:
      '`net drop segment N`: drops the N-th segment handed to the network, counting from 1, as numbered in the diagram.',
  },
};

/** Keywords of statements, WHEN, network rules and expectations. */
export const KEYWORD_DOCS: Readonly<Record<string, DocEntry>> = {
  title: {
    name: 'title',
    summary: "the scenario's title (at most once)",
    detail: '`title "TEXT"`: shown above the diagrams.',
    example: 'title "Handshake, data and close"',
  },
  set: {
    name: 'set',
    summary: 'a scenario-wide option',
    detail:
      '`set OPTION = VALUE`, before the first event. Options: ' +
      OPTION_NAMES.map((o) => '`' + o + '`').join(', ') +
      '.',
    example: 'set msl = 2s',
  },
  endpoint: {
    name: 'endpoint',
    summary: 'declare a socket: name, address and port',
    detail:
      '`endpoint NAME ADDRESS:PORT [isn=N] [window=N] [reuse]`. Two endpoints may share an address and port: the later one is a new incarnation of that socket.',
    example: 'endpoint client 10.0.0.1:5000',
  },
  link: {
    name: 'link',
    summary: 'one-way latency between two endpoints',
    detail:
      '`link NAME NAME latency DURATION`: the one-way latency between two endpoints, both ways (overrides `latency`).',
    example: 'link client server latency 100ms',
  },
  latency: {
    name: 'latency',
    summary: 'the latency of a link',
    detail: 'In `link A B latency DURATION`: the one-way latency between A and B, both ways.',
  },
  variant: {
    name: 'variant',
    summary: 'another run of the same scenario with options changed',
    detail:
      '`variant "LABEL" OPTION = VALUE {, OPTION = VALUE}`: adds a run with those options changed. The run without overrides is `"default"`. The preview shows variants side by side.',
    example: 'variant "no TIME_WAIT" time_wait = 0',
  },
  on: {
    name: 'on',
    summary: 'trigger: when an endpoint enters a state',
    detail:
      "`on ENDPOINT STATE [+DURATION]`: the first time that endpoint's connection enters STATE (after DURATION if given). Fires once, after the segment that caused the transition has been fully processed and answered.",
    example: 'on server CLOSE_WAIT server close',
  },
  net: {
    name: 'net',
    summary: 'a network fault: drop, delay, duplicate or inject',
    detail:
      '`WHEN net drop|delay|duplicate DIR [MATCH...]` or `WHEN net drop segment N` or `WHEN net inject A->B FLAG...`. A rule armed at an instant applies to every segment handed to the network at that instant or later.',
    example: '300ms net delay server->client data by 3s',
  },
  drop: {
    name: 'drop',
    summary: 'lose the next matching segment',
    detail: '`net drop DIR [MATCH...] [count N | all]`, or `net drop segment N`.',
    example: 'on client TIME_WAIT net drop client->server ACK',
  },
  delay: {
    name: 'delay',
    summary: 'add latency to the next matching segment',
    detail:
      '`net delay DIR [MATCH...] by DURATION [count N | all]`: a delayed segment is delivered later, possibly after newer ones.',
    example: '300ms net delay server->client data by 3s',
  },
  duplicate: {
    name: 'duplicate',
    summary: 'deliver a second copy of the next matching segment',
    detail:
      '`net duplicate DIR [MATCH...] [after DURATION] [count N | all]`: a second copy arrives DURATION after the first (default: the latency again).',
    example: '0ms net duplicate client->server SYN after 2s',
  },
  inject: {
    name: 'inject',
    summary: 'hand the network a forged or stray segment',
    detail:
      "`net inject A->B FLAG... [seq=N] [ack=N] [len=N]`: a segment no TCB sent, from A's address and port to B's (a spoofer, or a stray old duplicate). It belongs to no incarnation.",
    example: '1s net inject client->server RST',
  },
  expect: {
    name: 'expect',
    summary: 'a check on the run',
    detail:
      '`expect ENDPOINT STATE`, `expect ENDPOINT error CODE`, `expect hazard KIND`, `expect no hazards`, `expect no hazard KIND`, optionally `in "LABEL"`. Without WHEN the check is made at the end of the run. A failed expectation is a diagnostic on its line.',
    example: '50ms expect client ESTABLISHED',
  },
  error: {
    name: 'error',
    summary: 'the endpoint recorded this error code',
    detail: '`expect ENDPOINT error CODE`: that endpoint has recorded CODE by WHEN.',
    example: 'expect passerby error EADDRINUSE',
  },
  hazard: {
    name: 'hazard',
    summary: 'the run reports this hazard',
    detail:
      '`expect hazard KIND` / `expect no hazard KIND`. Kinds: ' +
      HAZARD_KINDS.map((h) => '`' + h + '`').join(', ') +
      '.',
    example: 'expect hazard reset-close',
  },
  hazards: {
    name: 'hazards',
    summary: 'any hazard',
    detail: '`expect no hazards`: the run reports no hazard at all by WHEN.',
    example: 'expect no hazards',
  },
  no: {
    name: 'no',
    summary: 'negates a hazard check',
    detail: '`expect no hazards` or `expect no hazard KIND`.',
    example: 'expect no hazard old-duplicate',
  },
  in: {
    name: 'in',
    summary: 'limit an expectation to one variant',
    detail: '`in "LABEL"`: the check applies only to that variant; without it, to every variant.',
    example: 'expect no hazards in "default"',
  },
};

/** Option values: `on`/`off` for the switches, `fixed`/`clock` for `isn`. */
export const VALUE_DOCS: Readonly<Record<string, DocEntry>> = {
  on: { name: 'on', summary: 'switch on', detail: 'Turns the option on.' },
  off: { name: 'off', summary: 'switch off', detail: 'Turns the option off.' },
  fixed: { name: 'fixed', summary: 'fixed ISNs', detail: "Each endpoint's `isn=`, else 0.", rfc: 'RFC 9293 §3.4.1' },
  clock: {
    name: 'clock',
    summary: "RFC 793's 4 µs ISN clock",
    detail: 'ISN = 250 × t in ms, mod 2³²; under `profile = linux`, 15 625 × t (a 64 ns clock, secure_tcp_seq).',
    rfc: 'RFC 9293 §3.4.1',
  },
  rfc: {
    name: 'rfc',
    summary: 'RFC 9293 as written',
    detail: "RFC 9293 and the RFCs it adopts: every option's own default.",
    rfc: 'RFC 9293',
  },
  linux: {
    name: 'linux',
    summary: 'Linux 6.x as measured',
    detail:
      "Linux 6.x's observable behaviour where the language can express it: every option's `linux` default (TIME_WAIT 60 s, delayed ACKs 40 ms, RTO floor 200 ms, SYN retries 4 + 6, tcp_fin_timeout 60 s, HZ 250, ISN clock) and Linux's own rules (three-segment close, TIME_WAIT reopened by a SYN, no takeover without timestamps, RST,ACK on abort, EPIPE/EALREADY).",
  },
};
