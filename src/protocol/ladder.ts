// The Ladder's and the Timeline's data: each variant's trace, as two JSON texts (one string
// crosses postMessage as one copy, like segmentRows), from which the page lays the diagrams out
// with the core's layoutLadder and timelineChart at the width it has (the data flow: text -> AST
// -> trace -> this view model -> layout -> SVG). The trace without its segments (`traceEvents`:
// endpoints, state changes, errors, hazards) is all the Timeline needs, and is small; the
// segments (`ladderSegments`) only the Ladder draws. Sent as one text, a 10 001-segment trace
// (3 MB of JSON) was parsed and checked on every update of the Timeline, for a chart drawn from a
// dozen transitions: 11 ms, half of what Mermaid took to draw it. A trace longer than
// LADDER_MAX_SEGMENTS is cut there, saying so in its `truncated`, so that one update never carries
// megabytes; the page draws only what is in view beyond a few thousand segments
// (webview/ladder.ts). Checked on arrival like every message.

import type { Trace, TraceSegment } from '../core/trace';
import type { TimelineTrace } from '../core/render/timeline';
import { FLAGS as FLAG_NAMES } from '../core/vocabulary';
import { arrayOf, isBool, isInt, isNat, isNum, isPos, isRec, isStr, orNull } from './guards';

/** The most segments of one variant the ladder is sent. */
export const LADDER_MAX_SEGMENTS = 20_000;

/** The trace the Ladder and the Timeline draw: the whole run, or its first LADDER_MAX_SEGMENTS segments. */
export function ladderTrace(trace: Trace, max: number = LADDER_MAX_SEGMENTS): Trace {
  if (trace.segments.length <= max) return { ...trace, expectations: [] };
  const segments = trace.segments.slice(0, max);
  // What happened after the last segment kept was sent is left out with it.
  const until = segments[segments.length - 1].sentAt;
  const ends = (s: (typeof segments)[number]): number => s.arrivedAt ?? s.sentAt;
  const endedAt = Math.max(until, ...segments.slice(-200).map(ends));
  return {
    ...trace,
    segments,
    transitions: trace.transitions.filter((x) => x.t <= endedAt),
    errors: trace.errors.filter((x) => x.t <= endedAt),
    hazards: trace.hazards.filter((x) => x.t <= endedAt && x.segment <= max),
    expectations: [],
    endedAt,
    truncated: `the preview draws the first ${max} of ${trace.segments.length} segments${trace.truncated !== null ? `; ${trace.truncated}` : ''}`,
  };
}

/** A trace without its segments: what the Timeline is drawn from, and the Ladder's frame. */
export type TraceEvents = TimelineTrace & { variant: string };

/** A variant's trace as the page receives it: the trace without its segments, and its segments. */
export interface EncodedTrace {
  traceEvents: string;
  ladderSegments: string;
}

/**
 * A segment's fields, in the order `ladderSegments` lists them: each segment crosses as an array
 * of its values, not an object that names every field again. That is 40 % of the text (a
 * 10 001-segment trace: 1.0 instead of 2.4 MB), and the page pays for every byte twice on every
 * update, cloning the message out and reading it in, whichever tab is shown.
 */
const SEGMENT_FIELDS = [
  'n',
  'from',
  'to',
  'sentAt',
  'arrivedAt',
  'flags',
  'seq',
  'ack',
  'len',
  'fate',
  'retransmission',
  'incarnation',
  'injected',
  'delayedBy',
  'duplicateOf',
  'window',
  'causeLine',
  'note',
] as const satisfies ReadonlyArray<keyof TraceSegment>;
/** Fails to compile when TraceSegment gains a field SEGMENT_FIELDS does not send. */
const everyField: [Exclude<keyof TraceSegment, (typeof SEGMENT_FIELDS)[number]>] extends [never] ? true : false = true;
void everyField;

export function encodeLadderTrace(trace: Trace): EncodedTrace {
  const { segments, version: _version, expectations: _expectations, profile: _profile, ...events } = ladderTrace(trace);
  return {
    traceEvents: JSON.stringify(events),
    ladderSegments: JSON.stringify(segments.map((s) => SEGMENT_FIELDS.map((f) => s[f]))),
  };
}

/** The segments listed in `ladderSegments`, or null when it is no list of valid ones. */
function decodeSegments(text: string): TraceSegment[] | null {
  const rows = parse(text);
  if (!Array.isArray(rows)) return null;
  const out: TraceSegment[] = [];
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== SEGMENT_FIELDS.length) return null;
    const s: Record<string, unknown> = {};
    for (let i = 0; i < SEGMENT_FIELDS.length; i++) s[SEGMENT_FIELDS[i]!] = row[i];
    if (!isSegment(s)) return null;
    out.push(s as unknown as TraceSegment);
  }
  return out;
}

const FLAGS: ReadonlySet<string> = new Set(FLAG_NAMES);
const FATES = new Set(['delivered', 'dropped', 'duplicate']);
const isFlag = (x: unknown): x is string => isStr(x) && FLAGS.has(x);

function isSegment(x: unknown): boolean {
  return (
    isRec(x) &&
    isPos(x.n) &&
    isStr(x.from) &&
    isStr(x.to) &&
    isNum(x.sentAt) &&
    orNull(isNum)(x.arrivedAt) &&
    arrayOf(isFlag)(x.flags) &&
    isNat(x.seq) &&
    orNull(isNat)(x.ack) &&
    isNat(x.len) &&
    isStr(x.fate) &&
    FATES.has(x.fate) &&
    isBool(x.retransmission) &&
    orNull(isInt)(x.incarnation) &&
    isBool(x.injected) &&
    isNum(x.delayedBy) &&
    orNull(isPos)(x.duplicateOf) &&
    isNat(x.window) &&
    orNull(isPos)(x.causeLine) &&
    isStr(x.note)
  );
}

function isTransition(x: unknown): boolean {
  return (
    isRec(x) &&
    isNum(x.t) &&
    isStr(x.endpoint) &&
    orNull(isStr)(x.peer) &&
    isStr(x.from) &&
    isStr(x.to) &&
    isStr(x.cause) &&
    isPos(x.tcb) &&
    orNull(isPos)(x.segment)
  );
}

function isTraceEvents(x: unknown): x is TraceEvents {
  return (
    isRec(x) &&
    isStr(x.title) &&
    isStr(x.variant) &&
    arrayOf((e): e is unknown => isRec(e) && isStr(e.name) && isStr(e.address) && isNat(e.port))(x.endpoints) &&
    arrayOf((t): t is unknown => isTransition(t))(x.transitions) &&
    arrayOf(
      (e): e is unknown =>
        isRec(e) && isNum(e.t) && isStr(e.endpoint) && isStr(e.call) && isStr(e.code) && orNull(isPos)(e.line),
    )(x.errors) &&
    arrayOf(
      (h): h is unknown =>
        isRec(h) && isNum(h.t) && isStr(h.kind) && isStr(h.endpoint) && isPos(h.segment) && isStr(h.message),
    )(x.hazards) &&
    isNum(x.endedAt) &&
    orNull(isStr)(x.truncated)
  );
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The trace without its segments in a variant's `traceEvents` text (what the Timeline draws), or null when it is not a valid one. */
export function decodeTraceEvents(text: string): TraceEvents | null {
  const x = parse(text);
  return isTraceEvents(x) ? x : null;
}

/** The whole trace in a variant's two texts (what the Ladder draws), or null when either is not a valid one. */
export function decodeLadderTrace(
  encoded: EncodedTrace,
  events = decodeTraceEvents(encoded.traceEvents),
): Trace | null {
  const segments = events === null ? null : decodeSegments(encoded.ladderSegments);
  if (events === null || segments === null) return null;
  return { ...events, version: 1, segments, expectations: [] };
}
