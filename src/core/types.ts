// Vocabulary shared by every part of the core: TCP's own words (states, flags, errors),
// the scenario-wide options, and source positions for diagnostics.

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

/** Errors a failed application call records on its endpoint (spec, "Application calls"). */
export const ERROR_CODES = ['EADDRINUSE', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTCONN', 'EINVAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Harms the TIME_WAIT article is about (spec, "The model"). */
export const HAZARD_KINDS = ['old-duplicate', 'reset-close', 'time-wait-assassination'] as const;
export type HazardKind = (typeof HAZARD_KINDS)[number];

export const VERBS = ['listen', 'connect', 'send', 'close', 'shutdown', 'abort'] as const;
export type Verb = (typeof VERBS)[number];

/** Scenario-wide options, resolved to numbers (times in milliseconds). */
export interface Options {
  /** Maximum segment lifetime. */
  msl: number;
  /** How long TIME_WAIT lasts; null means 2 * msl. */
  timeWait: number | null;
  /** One-way latency of every segment unless a `link` says otherwise. */
  latency: number;
  /** Initial retransmission timeout; doubles on each retry. */
  rto: number;
  /** Retransmissions of one segment before ETIMEDOUT. */
  maxRetries: number;
  /** Largest payload of one segment. */
  mss: number;
  /** How long a receiver may hold an ACK of data or FIN; 0 acks at once. */
  delayedAck: number;
  /** RFC 1337: TIME_WAIT ignores RST. */
  rfc1337: boolean;
  /** RFC 5961 challenge ACKs. */
  challengeAck: boolean;
  /** `fixed` ISNs (endpoint's isn=, else 0) or RFC 793's 4 microsecond `clock`. */
  isn: 'fixed' | 'clock';
  /** Stop the run at this time even if timers are pending; null for no limit. */
  duration: number | null;
}

export const OPTION_NAMES = [
  'msl',
  'time_wait',
  'latency',
  'rto',
  'max_retries',
  'mss',
  'delayed_ack',
  'rfc1337',
  'challenge_ack',
  'isn',
  'duration',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

export const DEFAULT_OPTIONS: Readonly<Options> = Object.freeze({
  msl: 30_000,
  timeWait: null,
  latency: 50,
  rto: 1_000,
  maxRetries: 5,
  mss: 1460,
  delayedAck: 0,
  rfc1337: false,
  challengeAck: true,
  isn: 'fixed',
  duration: null,
});

/** The effective TIME_WAIT length of a set of options. */
export function timeWaitOf(options: Options): number {
  return options.timeWait ?? 2 * options.msl;
}

/** Hard limits of a run (spec: "A run that reaches 100 000 segments or 10 000 000 events stops"). */
export interface Limits {
  maxSegments: number;
  maxEvents: number;
}
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({ maxSegments: 100_000, maxEvents: 10_000_000 });

/** A position in a document: zero-based line and zero-based UTF-16 column, as VS Code counts. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range [start, end) in a document. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  message: string;
  range: Range;
  /** A stable machine-readable code, e.g. `unknown-state`, `expectation-failed`. */
  code: string;
}

export function range(line: number, startCharacter: number, endCharacter: number): Range {
  return { start: { line, character: startCharacter }, end: { line, character: endCharacter } };
}

/**
 * Normalizes a state or flag name as the spec allows: any case, `-` or `_`.
 * `fin-wait-1` -> `FIN_WAIT_1`. Returns the canonical spelling, not checked for validity.
 */
export function normalizeName(word: string): string {
  return word.toUpperCase().replace(/-/g, '_');
}

export function parseTcpState(word: string): TcpState | undefined {
  const n = normalizeName(word);
  return (TCP_STATES as readonly string[]).includes(n) ? (n as TcpState) : undefined;
}

export function parseFlag(word: string): Flag | undefined {
  const n = normalizeName(word);
  return (FLAGS as readonly string[]).includes(n) ? (n as Flag) : undefined;
}
