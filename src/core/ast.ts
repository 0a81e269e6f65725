// The parsed form of a `.tcpscn` file. Every statement keeps its source range so the editor
// can point at it and the preview can lead back to it. Times are milliseconds.

import type { ErrorCode, Flag, HazardKind, OptionName, Range, TcpState, Verb } from './types';

/** A word of the source with where it was written. */
export interface Located<T> {
  value: T;
  range: Range;
}

export interface Scenario {
  title: Located<string> | null;
  /** `set` statements, in file order (before the first event). */
  settings: OptionSetting[];
  endpoints: EndpointDecl[];
  links: LinkDecl[];
  variants: VariantDecl[];
  /** Timed and triggered lines: calls, network rules and expectations, in file order. */
  events: EventStmt[];
  /** Every statement in file order (for the outline). */
  statements: Statement[];
  /** Number of lines in the source text. */
  lineCount: number;
}

export type Statement = TitleStmt | OptionSetting | EndpointDecl | LinkDecl | VariantDecl | EventStmt;

export interface TitleStmt {
  kind: 'title';
  text: string;
  range: Range;
}

/** A scenario-wide option value after parsing: durations and counts are numbers. */
/** A number (durations in ms), `on`/`off` as a boolean, or the word of an enum option. */
export type OptionValue = number | boolean | string;

export interface OptionSetting {
  kind: 'set';
  name: Located<OptionName>;
  value: Located<OptionValue>;
  range: Range;
}

export interface EndpointDecl {
  kind: 'endpoint';
  name: Located<string>;
  /** IPv4 dotted, or IPv6 without the brackets. */
  address: string;
  port: number;
  /** `isn=N`, or null when not given. */
  isn: number | null;
  /** `window=N`, or null for the default 65535. */
  window: number | null;
  /** `reuse`: may take over a 4-tuple whose earlier incarnation is in TIME_WAIT. */
  reuse: boolean;
  /** Position among the endpoints, from 0, in declaration order. */
  index: number;
  range: Range;
}

export interface LinkDecl {
  kind: 'link';
  a: Located<string>;
  b: Located<string>;
  latency: number;
  range: Range;
}

export interface VariantDecl {
  kind: 'variant';
  label: Located<string>;
  overrides: OptionSetting[];
  range: Range;
}

/** When an event line happens. */
export type When =
  /** An absolute time in ms (a relative `+100ms` is already resolved against the previous timed line). */
  | { kind: 'at'; t: number; relative: boolean; range: Range }
  /** `on ENDPOINT STATE [+DURATION]`: once, the first time that endpoint's connection enters STATE. */
  | { kind: 'on'; endpoint: Located<string>; state: Located<TcpState>; delay: number; range: Range }
  /** An `expect` line without WHEN: checked at the end of the run. */
  | { kind: 'end'; range: Range };

export interface CallStmt {
  kind: 'call';
  /** Index of this event among Scenario.events; stable identity for triggers and causes. */
  id: number;
  when: When;
  actor: Located<string>;
  verb: Located<Verb>;
  /** `connect PEER`. */
  peer: Located<string> | null;
  /** `send N` or `send "TEXT"`: the number of bytes. */
  bytes: number | null;
  /** `send "TEXT"`: the text (its UTF-8 bytes are sent). */
  text: string | null;
  range: Range;
}

/** `A->B` or `*`. */
export type Direction = { kind: 'any' } | { kind: 'between'; from: Located<string>; to: Located<string> };

/** Which segments a rule applies to: every listed property must hold. */
export interface SegmentMatch {
  flags: Flag[];
  /** `data`: payload length > 0. */
  data: boolean;
  /** `pure-ack`: ACK only, no payload, no other flag. */
  pureAck: boolean;
  seq: number | null;
  ack: number | null;
}

export type NetRule =
  | { kind: 'drop'; dir: Direction; match: SegmentMatch; count: number | 'all' }
  | { kind: 'delay'; dir: Direction; match: SegmentMatch; by: number; count: number | 'all' }
  | { kind: 'duplicate'; dir: Direction; match: SegmentMatch; after: number | null; count: number | 'all' }
  /** `drop segment N`: the N-th segment of the run, from 1. */
  | { kind: 'drop-segment'; n: Located<number> }
  | {
      kind: 'inject';
      from: Located<string>;
      to: Located<string>;
      flags: Flag[];
      seq: number | null;
      ack: number | null;
      len: number | null;
    };

export interface NetStmt {
  kind: 'net';
  id: number;
  when: When;
  rule: NetRule;
  range: Range;
}

export type Assertion =
  | { kind: 'state'; endpoint: Located<string>; state: Located<TcpState> }
  | { kind: 'error'; endpoint: Located<string>; code: Located<ErrorCode> }
  | { kind: 'hazard'; hazard: Located<HazardKind> }
  | { kind: 'no-hazards' }
  | { kind: 'no-hazard'; hazard: Located<HazardKind> };

export interface ExpectStmt {
  kind: 'expect';
  id: number;
  when: When;
  assertion: Assertion;
  /** `in "LABEL"`: only in that variant; null for every variant. */
  variant: Located<string> | null;
  /** The statement's text from `expect` to the end (comments and trailing blanks removed), for the trace. */
  text: string;
  range: Range;
}

export type EventStmt = CallStmt | NetStmt | ExpectStmt;
