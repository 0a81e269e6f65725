// The view model: what the preview's webview draws, as the extension computes it (see
// src/extension/preview/payload.ts) and the webview receives it. Types, their runtime checks
// and the encoding of a window's segment rows. Pure: no DOM, node or vscode.

import { arrayOf, isBool, isNat, isNum, isPos, isRec, isStr, orNull } from './guards';

/** The Mermaid diagrams (a pane per variant). */
export type ViewKind = 'sequence' | 'timeline';
/** What the page draws: the Mermaid diagrams and the ladder (all variants in one drawing). */
export type DrawnKind = ViewKind | 'ladder';
export type TabKind = DrawnKind | 'trace';

/** One row of the Trace tab: a segment as the grid shows it. */
export interface SegmentRow {
  n: number;
  sentAt: number;
  arrivedAt: number | null;
  from: string;
  to: string;
  /** Flags joined with ",", in trace order (SYN, FIN, RST, PSH, ACK). */
  flags: string;
  seq: number;
  ack: number | null;
  len: number;
  fate: string;
  retransmission: boolean;
  injected: boolean;
  /** 1-based line of the statement that caused it, or null. */
  causeLine: number | null;
  note: string;
}

/** Which segments a windowed sequence diagram shows (1-based, inclusive), out of `total`. */
export interface SegmentWindow {
  from: number;
  to: number;
  total: number;
}

export interface SequenceView {
  text: string;
  /** The segment number of each message arrow, in drawing order. */
  arrowSegments: number[];
  /** null when the whole trace is drawn. */
  window: SegmentWindow | null;
}

export interface HazardRow {
  t: number;
  kind: string;
  endpoint: string;
  segment: number;
  message: string;
}

export interface ErrorRow {
  t: number;
  endpoint: string;
  call: string;
  code: string;
  line: number | null;
  /** RFC 9293 3.10's text for a call the state refused ("connection closing"), when it is one. */
  response?: string;
  /** The line of the `expect ... error` that asked for this error, when one did: it is no failure. */
  expectedBy?: number;
}

export interface ExpectationRow {
  line: number;
  text: string;
  ok: boolean;
  message: string;
}

export interface VariantView {
  label: string;
  sequence: SequenceView;
  /**
   * The segments of the sequence's window (all of them when there is no window), as the JSON
   * text of a SegmentRow[] (encodeSegmentRows). One string crosses postMessage as one copy: as
   * 400 row objects it took about a millisecond to clone, on every update, although the page
   * needs the rows only for the Trace tab, a click on an arrow or the cursor's highlight. The
   * page decodes (and checks) them when it first needs them, with decodeSegmentRows.
   */
  segmentRows: string;
  /**
   * The trace the Ladder and Timeline tabs lay out at the width they have, as two JSON texts
   * (src/protocol/ladder.ts): the trace without its segments, from which the page runs the
   * core's timelineChart, and the segments, which only the Ladder (layoutLadder) needs.
   */
  traceEvents: string;
  ladderSegments: string;
  hazards: HazardRow[];
  errors: ErrorRow[];
  expectations: ExpectationRow[];
  /** Why the run stopped early, or null. */
  truncated: string | null;
  endedAt: number;
}

/** A diagnostic as the banner lists it; line and column are 1-based. */
export interface ProblemRow {
  severity: 'error' | 'warning' | 'info';
  line: number;
  column: number;
  message: string;
}

export const isView = (x: unknown): x is ViewKind => x === 'sequence' || x === 'timeline';
export const isDrawn = (x: unknown): x is DrawnKind => isView(x) || x === 'ladder';
export const isTab = (x: unknown): x is TabKind => isDrawn(x) || x === 'trace';

export function isSegmentRow(x: unknown): x is SegmentRow {
  return (
    isRec(x) &&
    isPos(x.n) &&
    isNum(x.sentAt) &&
    orNull(isNum)(x.arrivedAt) &&
    isStr(x.from) &&
    isStr(x.to) &&
    isStr(x.flags) &&
    isNat(x.seq) &&
    orNull(isNat)(x.ack) &&
    isNat(x.len) &&
    isStr(x.fate) &&
    isBool(x.retransmission) &&
    isBool(x.injected) &&
    orNull(isPos)(x.causeLine) &&
    isStr(x.note)
  );
}

export function isSegmentWindow(x: unknown): x is SegmentWindow {
  return isRec(x) && isPos(x.from) && isPos(x.to) && isNat(x.total) && x.from <= x.to && x.to <= x.total;
}

export function isSequenceView(x: unknown): x is SequenceView {
  return isRec(x) && isStr(x.text) && arrayOf(isPos)(x.arrowSegments) && orNull(isSegmentWindow)(x.window);
}

export function isHazardRow(x: unknown): x is HazardRow {
  return isRec(x) && isNum(x.t) && isStr(x.kind) && isStr(x.endpoint) && isPos(x.segment) && isStr(x.message);
}

export function isErrorRow(x: unknown): x is ErrorRow {
  return (
    isRec(x) &&
    isNum(x.t) &&
    isStr(x.endpoint) &&
    isStr(x.call) &&
    isStr(x.code) &&
    orNull(isPos)(x.line) &&
    (x.response === undefined || isStr(x.response)) &&
    (x.expectedBy === undefined || isPos(x.expectedBy))
  );
}

export function isExpectationRow(x: unknown): x is ExpectationRow {
  return isRec(x) && isPos(x.line) && isStr(x.text) && isBool(x.ok) && isStr(x.message);
}

export function isVariantView(x: unknown): x is VariantView {
  return (
    isRec(x) &&
    isStr(x.label) &&
    isSequenceView(x.sequence) &&
    isStr(x.segmentRows) &&
    isStr(x.traceEvents) &&
    isStr(x.ladderSegments) &&
    arrayOf(isHazardRow)(x.hazards) &&
    arrayOf(isErrorRow)(x.errors) &&
    arrayOf(isExpectationRow)(x.expectations) &&
    orNull(isStr)(x.truncated) &&
    isNum(x.endedAt)
  );
}

export function isProblemRow(x: unknown): x is ProblemRow {
  return (
    isRec(x) &&
    (x.severity === 'error' || x.severity === 'warning' || x.severity === 'info') &&
    isPos(x.line) &&
    isPos(x.column) &&
    isStr(x.message)
  );
}

/** The `segmentRows` text of a window's segments. */
export function encodeSegmentRows(rows: readonly SegmentRow[]): string {
  return JSON.stringify(rows);
}

/**
 * The rows in `segmentRows`, or null when the text is not a JSON array of valid rows: like every
 * message, it is checked before it is used.
 */
export function decodeSegmentRows(text: string): SegmentRow[] | null {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return null;
  }
  return arrayOf(isSegmentRow)(rows) ? rows : null;
}
