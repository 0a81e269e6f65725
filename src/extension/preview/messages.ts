// The messages between the extension and the preview's webview, both ways, and the state the
// webview persists. Shared by src/extension/preview and webview/main.ts. Nothing crossing
// postMessage is trusted: each side checks what arrives with isToWebview / isToExtension
// before acting on it. This file must stay free of `vscode` and DOM imports.

export type ViewKind = 'sequence' | 'timeline';
export type TabKind = ViewKind | 'trace';

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
  timeline: string;
  /**
   * The segments of the sequence's window (all of them when there is no window), as the JSON
   * text of a SegmentRow[] (encodeSegmentRows). One string crosses postMessage as one copy: as
   * 400 row objects it took about a millisecond to clone, on every update, although the page
   * needs the rows only for the Trace tab, a click on an arrow or the cursor's highlight. The
   * page decodes (and checks) them when it first needs them, with decodeSegmentRows.
   */
  segmentRows: string;
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

export interface SourceInfo {
  uri: string;
  fileName: string;
  version: number;
  locked: boolean;
}

export type ToWebview =
  /**
   * The document's latest analysis. With `runnable` false the webview keeps its last good
   * diagrams and lists `problems` in the banner; `variants` is then empty.
   */
  | {
      type: 'update';
      source: SourceInfo;
      title: string;
      runnable: boolean;
      problems: ProblemRow[];
      variants: VariantView[];
    }
  /** Another window of a big trace, as asked for by `requestWindow`. */
  | { type: 'window'; variant: string; sequence: SequenceView; segmentRows: string }
  /** The editor's cursor is on this 1-based line (null: not on an event line / other editor). */
  | { type: 'cursor'; line: number | null }
  | { type: 'locked'; locked: boolean }
  /** Send back the SVG of the diagram on screen. */
  | { type: 'exportSvg'; requestId: number };

export type ToExtension =
  | { type: 'ready' }
  /** Reveal and select this 1-based line (column 1-based; 0 selects the whole line). */
  | { type: 'reveal'; line: number; column: number }
  | { type: 'requestWindow'; variant: string; fromSegment: number; toSegment: number }
  /** The answer to `exportSvg`: the SVG text, or null with the reason. */
  | { type: 'svg'; requestId: number; svg: string | null; view: ViewKind; variant: string; error: string }
  /** A diagram finished rendering (or failed): lets tests and logs see the webview's progress. */
  | { type: 'rendered'; variant: string; view: ViewKind; ok: boolean; arrows: number; error: string }
  /** The user switched tab or variant (export and copy act on what is shown). */
  | { type: 'view'; tab: TabKind; variant: string | null }
  /** The webview is done with the update of this document version (drawn, failed, or nothing to draw): the next edit may go. */
  | { type: 'drawn'; version: number };

/** Zoom and pan of one diagram: scale 1 is 100 %, x/y are the translation in CSS pixels. */
export interface Transform {
  scale: number;
  x: number;
  y: number;
}

/** What the webview keeps with vscode.setState; the serializer reads it after a reload. */
export interface WebviewState {
  uri: string;
  locked: boolean;
  tab: TabKind;
  variant: string | null;
  /** Keyed by `${view}:${variant}`. */
  transforms: Record<string, Transform>;
}

// ---- runtime validators ----------------------------------------------------------------

type Rec = Record<string, unknown>;

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
const isStr = (x: unknown): x is string => typeof x === 'string';
const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isInt = (x: unknown): x is number => Number.isSafeInteger(x);
const isNat = (x: unknown): x is number => isInt(x) && x >= 0;
const isPos = (x: unknown): x is number => isInt(x) && x >= 1;
const orNull =
  <T>(f: (x: unknown) => x is T) =>
  (x: unknown): x is T | null =>
    x === null || f(x);
const arrayOf =
  <T>(f: (x: unknown) => x is T) =>
  (x: unknown): x is T[] =>
    Array.isArray(x) && x.every(f);
const isView = (x: unknown): x is ViewKind => x === 'sequence' || x === 'timeline';
const isTab = (x: unknown): x is TabKind => isView(x) || x === 'trace';

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

function isSequenceView(x: unknown): x is SequenceView {
  return isRec(x) && isStr(x.text) && arrayOf(isPos)(x.arrowSegments) && orNull(isSegmentWindow)(x.window);
}

function isHazardRow(x: unknown): x is HazardRow {
  return isRec(x) && isNum(x.t) && isStr(x.kind) && isStr(x.endpoint) && isPos(x.segment) && isStr(x.message);
}

function isErrorRow(x: unknown): x is ErrorRow {
  return isRec(x) && isNum(x.t) && isStr(x.endpoint) && isStr(x.call) && isStr(x.code) && orNull(isPos)(x.line);
}

function isExpectationRow(x: unknown): x is ExpectationRow {
  return isRec(x) && isPos(x.line) && isStr(x.text) && isBool(x.ok) && isStr(x.message);
}

function isVariantView(x: unknown): x is VariantView {
  return (
    isRec(x) &&
    isStr(x.label) &&
    isSequenceView(x.sequence) &&
    isStr(x.timeline) &&
    isStr(x.segmentRows) &&
    arrayOf(isHazardRow)(x.hazards) &&
    arrayOf(isErrorRow)(x.errors) &&
    arrayOf(isExpectationRow)(x.expectations) &&
    orNull(isStr)(x.truncated) &&
    isNum(x.endedAt)
  );
}

function isProblemRow(x: unknown): x is ProblemRow {
  return (
    isRec(x) &&
    (x.severity === 'error' || x.severity === 'warning' || x.severity === 'info') &&
    isPos(x.line) &&
    isPos(x.column) &&
    isStr(x.message)
  );
}

function isSourceInfo(x: unknown): x is SourceInfo {
  return isRec(x) && isStr(x.uri) && isStr(x.fileName) && isInt(x.version) && isBool(x.locked);
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

export function isToWebview(x: unknown): x is ToWebview {
  if (!isRec(x)) return false;
  switch (x.type) {
    case 'update':
      return (
        isSourceInfo(x.source) &&
        isStr(x.title) &&
        isBool(x.runnable) &&
        arrayOf(isProblemRow)(x.problems) &&
        arrayOf(isVariantView)(x.variants)
      );
    case 'window':
      return isStr(x.variant) && isSequenceView(x.sequence) && isStr(x.segmentRows);
    case 'cursor':
      return orNull(isPos)(x.line);
    case 'locked':
      return isBool(x.locked);
    case 'exportSvg':
      return isNat(x.requestId);
    default:
      return false;
  }
}

export function isToExtension(x: unknown): x is ToExtension {
  if (!isRec(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'reveal':
      return isPos(x.line) && isNat(x.column);
    case 'requestWindow':
      return isStr(x.variant) && isPos(x.fromSegment) && isPos(x.toSegment) && x.fromSegment <= x.toSegment;
    case 'svg':
      return isNat(x.requestId) && orNull(isStr)(x.svg) && isView(x.view) && isStr(x.variant) && isStr(x.error);
    case 'rendered':
      return isStr(x.variant) && isView(x.view) && isBool(x.ok) && isNat(x.arrows) && isStr(x.error);
    case 'view':
      return isTab(x.tab) && orNull(isStr)(x.variant);
    case 'drawn':
      return isNat(x.version);
    default:
      return false;
  }
}

function isTransform(x: unknown): x is Transform {
  return isRec(x) && isNum(x.scale) && x.scale > 0 && isNum(x.x) && isNum(x.y);
}

export function isWebviewState(x: unknown): x is WebviewState {
  return (
    isRec(x) &&
    isStr(x.uri) &&
    isBool(x.locked) &&
    isTab(x.tab) &&
    orNull(isStr)(x.variant) &&
    isRec(x.transforms) &&
    Object.values(x.transforms).every(isTransform)
  );
}
