// The sequence diagram: one participant per endpoint (an incarnation that reuses an earlier
// endpoint's address and port is an endpoint of its own, so it gets its own lifeline), one
// arrow per segment, a note per state change, and a coloured block for every error and
// hazard. Events are drawn in time order. Mermaid arrows are horizontal, so an arrow stands at
// one instant: an ordinary segment's at its sending (it arrives one latency later, before
// anything it causes). A segment whose arrival is far from its sending (held by `net delay`, or
// the extra copy of a duplicate) is drawn where it ARRIVES, next to what it causes there, with
// both times in its label, and a small note on the sender marks when it left: drawn at its
// sending it would point at an endpoint that may not even exist yet (a later incarnation).

import type { Trace, TraceEndpoint, TraceSegment, TraceTransition } from '../trace';
import { MermaidIds, escapeMermaid, formatMs, wrapText } from './escape';
import { errorParts, hazardParts, segmentRemarks, segmentSummary } from './explain';

export interface SequenceOptions {
  /** First segment number to draw (1-based, inclusive). */
  fromSegment?: number;
  /** Last segment number to draw (inclusive). */
  toSegment?: number;
}

export interface SequenceRender {
  text: string;
  /**
   * The segment number of each arrow, in the order the arrows appear in the text. Mermaid
   * marks each drawn arrow `data-et="message"` (notes are `data-et="note"`, blocks
   * `control-structure`), in the same order: the i-th `[data-et="message"]` element of the SVG
   * (document order) is segment `arrowSegments[i]`. Do not use Mermaid's `data-id` for this:
   * it counts notes and block starts/ends too.
   */
  arrowSegments: number[];
}

const ERROR_RECT = 'rgba(220, 38, 38, 0.18)';
const HAZARD_RECT = 'rgba(245, 158, 11, 0.25)';

/** Address and port as written in the scenario: IPv6 in brackets. */
export function endpointAddress(e: TraceEndpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** The arrow kind: delivered `->>`, lost `-x`, the extra copy of a duplicate dashed, injected open. */
function arrowOf(s: TraceSegment): string {
  const dashed = s.fate === 'duplicate';
  if (s.fate === 'dropped') return dashed ? '--x' : '-x';
  if (s.injected) return dashed ? '--)' : '-)';
  return dashed ? '-->>' : '->>';
}

/**
 * A segment drawn at its arrival rather than at its sending: one held in the network (`net
 * delay`) or the extra copy of a duplicate, when it does arrive. A lost one stays at its sending.
 */
export function drawnAtArrival(s: TraceSegment): boolean {
  return s.arrivedAt !== null && (s.delayedBy > 0 || s.fate === 'duplicate');
}

/** The pieces of a segment's arrow label, unescaped: `#2 SYN,ACK seq=0 ack=1`, `sent 60ms`, ... */
export function arrowLabelParts(s: TraceSegment): string[] {
  const parts = [`#${s.n} ${segmentSummary(s)}`];
  if (drawnAtArrival(s) && s.arrivedAt !== null) {
    // Drawn where it arrives: the label says when it left and how long the network held it.
    const held = s.delayedBy > 0 ? `, held ${formatMs(s.delayedBy)}` : '';
    parts.push(`sent ${formatMs(s.sentAt)}${held}, arrives ${formatMs(s.arrivedAt)}`);
    parts.push(...segmentRemarks(s).filter((r) => !r.startsWith('delayed ')));
  } else {
    parts.push(`sent ${formatMs(s.sentAt)}`, ...segmentRemarks(s));
  }
  return parts;
}

/** The arrow's label, already escaped for Mermaid. */
function arrowLabel(s: TraceSegment): string {
  // Escaped piece by piece: the pieces are ASCII (the fast path of escapeMermaid), the
  // separator is written as its entity code once.
  return arrowLabelParts(s).map(escapeMermaid).join(' #183; ');
}

/**
 * A block's note: the headline (what happened), then what the simulator saw and why it matters,
 * each on a line of its own so that the note stays narrow.
 */
function noteLines(...parts: string[]): string {
  return parts
    .filter((p) => p.trim() !== '')
    .map(noteText)
    .join('<br/>');
}

/**
 * A one-paragraph note's text, escaped: line breaks in it become spaces, then it is wrapped at
 * NOTE_WIDTH characters so that a long message makes a tall note, not a wide diagram.
 */
function noteText(s: string): string {
  return escapeMermaid(wrapText(s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').trim()));
}

/** Ranks of simultaneous events: arrivals drawn at arrival, state changes, sends, deletions, errors, hazards. */
const RANK_ARRIVAL = -1;
const RANK_TRANSITION = 0;
const RANK_SEND = 1;
const RANK_CLOSED = 2;
const RANK_ERROR = 3;
const RANK_HAZARD = 4;

interface Drawable {
  t: number;
  rank: number;
  order: number;
  lines: string[];
  segment: number | null;
}

export function renderSequence(trace: Trace, opts: SequenceOptions = {}): SequenceRender {
  const ids = new MermaidIds('p');
  const lines: string[] = ['sequenceDiagram'];
  if (trace.title.trim() !== '') lines.push(`title ${escapeMermaid(trace.title)}`);

  // Participants in declaration order; a name used by the trace but not declared (should not
  // happen) still gets a lifeline so that no arrow points at an undeclared id.
  const declared = new Set<string>();
  const participant = (name: string, label: string): void => {
    if (declared.has(name)) return;
    declared.add(name);
    lines.push(`participant ${ids.id(name)} as ${label}`);
  };
  // An endpoint on the address and port of an earlier one is a new incarnation of that socket:
  // its lifeline says so, as that is the situation TIME_WAIT is about.
  const firstAt = new Map<string, string>();
  for (const e of trace.endpoints) {
    const where = endpointAddress(e);
    const earlier = firstAt.get(where);
    if (earlier === undefined) firstAt.set(where, e.name);
    const again = earlier !== undefined ? `<br/>${escapeMermaid(`(new incarnation, as ${earlier})`)}` : '';
    participant(e.name, `${escapeMermaid(e.name)}<br/>${escapeMermaid(where)}${again}`);
  }
  const ensure = (name: string): string => {
    participant(name, escapeMermaid(name));
    return ids.id(name);
  };
  for (const s of trace.segments) {
    ensure(s.from);
    ensure(s.to);
  }
  for (const x of trace.transitions) ensure(x.endpoint);
  for (const x of trace.errors) ensure(x.endpoint);
  for (const x of trace.hazards) ensure(x.endpoint);

  const window = segmentWindow(trace, opts);
  const inWindow = (t: number): boolean => window === null || (t >= window.fromT && t <= window.toT);
  if (window !== null) {
    const names = [...declared];
    const over =
      names.length > 1 ? `${ids.id(names[0])},${ids.id(names[names.length - 1])}` : ids.id(names[0] ?? 'tcpscn');
    const shown =
      window.count === 0
        ? `no segments in the window #${opts.fromSegment ?? 1} to #${opts.toSegment ?? trace.segments.length} of ${trace.segments.length}`
        : `showing segments #${window.from} to #${window.to} of ${trace.segments.length} (${formatMs(window.fromT)} to ${formatMs(window.toT)}); the rest of the run is not drawn`;
    lines.push(`Note over ${over}: nowrap:${noteText(shown)}`);
  }

  const tcbsOf = tcbCounts(trace.transitions);
  const events: Drawable[] = [];
  let order = 0;
  for (const s of trace.segments) {
    if (window !== null && (s.n < window.from || s.n > window.to)) continue;
    const line = `${ids.id(s.from)}${arrowOf(s)}${ids.id(s.to)}: nowrap:${arrowLabel(s)}`;
    if (!drawnAtArrival(s) || s.arrivedAt === null) {
      events.push({ t: s.sentAt, rank: RANK_SEND, order: order++, segment: s.n, lines: [line] });
      continue;
    }
    // Drawn where it arrives, before what it causes there; the sender gets a note when it left.
    events.push({ t: s.arrivedAt, rank: RANK_ARRIVAL, order: order++, segment: s.n, lines: [line] });
    // The sender did not send the extra copy of a duplicate: the network made it.
    const what =
      s.fate === 'duplicate'
        ? `#${s.n}: the network makes an extra copy${s.duplicateOf !== null ? ` of #${s.duplicateOf}` : ''}${s.delayedBy > 0 ? ' and holds it' : ''}`
        : `#${s.n} sent, held in the network`;
    events.push({
      t: s.sentAt,
      rank: RANK_SEND,
      order: order++,
      segment: null,
      lines: [`Note over ${ids.id(s.from)}: nowrap:${noteText(`${what} (arrives ${formatMs(s.arrivedAt)})`)}`],
    });
  }
  for (const x of trace.transitions) {
    if (!inWindow(x.t)) continue;
    const tcb = (tcbsOf.get(x.endpoint) ?? 0) > 1 ? ` (TCB ${x.tcb})` : '';
    const text = `${x.from} → ${x.to}${tcb} · ${x.cause} · ${formatMs(x.t)}`;
    events.push({
      t: x.t,
      rank: x.to === 'CLOSED' ? RANK_CLOSED : RANK_TRANSITION,
      order: order++,
      segment: null,
      lines: [`Note over ${ids.id(x.endpoint)}: nowrap:${noteText(text)}`],
    });
  }
  for (const e of trace.errors) {
    if (!inWindow(e.t)) continue;
    const p = errorParts(e);
    events.push({
      t: e.t,
      rank: RANK_ERROR,
      order: order++,
      segment: null,
      lines: [
        `rect ${ERROR_RECT}`,
        `Note over ${ids.id(e.endpoint)}: nowrap:${noteLines(`⚠ ${e.endpoint}: ${p.headline}`, p.meaning)}`,
        'end',
      ],
    });
  }
  for (const h of trace.hazards) {
    if (!inWindow(h.t)) continue;
    const p = hazardParts(h);
    events.push({
      t: h.t,
      rank: RANK_HAZARD,
      order: order++,
      segment: null,
      lines: [
        `rect ${HAZARD_RECT}`,
        `Note over ${ids.id(h.endpoint)}: nowrap:${noteLines(`⚠ ${h.endpoint}: ${p.headline}`, p.message, p.meaning)}`,
        'end',
      ],
    });
  }
  events.sort((a, b) => a.t - b.t || a.rank - b.rank || a.order - b.order);

  const arrowSegments: number[] = [];
  for (const ev of events) {
    for (const l of ev.lines) lines.push(l);
    if (ev.segment !== null) arrowSegments.push(ev.segment);
  }
  if (declared.size === 0) {
    // A sequence diagram with nothing in it does not parse; say why instead.
    lines.push(`participant ${ids.id('tcpscn')} as tcpscn`, `Note over ${ids.id('tcpscn')}: nowrap:no endpoints`);
  } else if (window === null && trace.truncated !== null) {
    const first = ids.id([...declared][0]);
    lines.push(
      `rect ${ERROR_RECT}`,
      `Note over ${first}: nowrap:${noteText(`⚠ run stopped at ${formatMs(trace.endedAt)}: ${trace.truncated}`)}`,
      'end',
    );
  }
  return { text: lines.join('\n') + '\n', arrowSegments };
}

interface Window {
  from: number;
  to: number;
  fromT: number;
  toT: number;
  count: number;
}

/** The segments (and the stretch of time from the first sending to the last arrow) a windowed render shows. */
function segmentWindow(trace: Trace, opts: SequenceOptions): Window | null {
  if (opts.fromSegment === undefined && opts.toSegment === undefined) return null;
  const from = Math.max(1, Math.floor(opts.fromSegment ?? 1));
  const to = Math.floor(opts.toSegment ?? Number.MAX_SAFE_INTEGER);
  const chosen = trace.segments.filter((s) => s.n >= from && s.n <= to);
  if (chosen.length === 0) return { from, to, fromT: Infinity, toT: -Infinity, count: 0 };
  let fromT = Infinity;
  let toT = -Infinity;
  for (const s of chosen) {
    fromT = Math.min(fromT, s.sentAt);
    // A segment drawn where it arrives takes the window to its arrival, so that what happens
    // there before it (the new incarnation it reaches) is drawn too.
    toT = Math.max(toT, drawnAtArrival(s) && s.arrivedAt !== null ? s.arrivedAt : s.sentAt);
  }
  // The window starts with the run when it starts with its first segment, so the state
  // changes that lead to it (connect, listen) are drawn too; it ends with the run when it
  // ends with the last segment.
  if (from <= 1) fromT = -Infinity;
  if (chosen[chosen.length - 1] === trace.segments[trace.segments.length - 1]) toT = Infinity;
  return { from: chosen[0].n, to: chosen[chosen.length - 1].n, fromT, toT, count: chosen.length };
}

function tcbCounts(transitions: readonly TraceTransition[]): Map<string, number> {
  const seen = new Map<string, Set<number>>();
  for (const x of transitions) {
    let set = seen.get(x.endpoint);
    if (!set) seen.set(x.endpoint, (set = new Set()));
    set.add(x.tcb);
  }
  return new Map([...seen].map(([k, v]) => [k, v.size]));
}
