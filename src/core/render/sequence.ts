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
import { MermaidIds, NOTE_WIDTH, escapeMermaid, wrapText } from './escape';
import { formatDuration } from '../duration';
import { connectionNames, errorParts, hazardParts, segmentRemarks, segmentSummary } from './explain';

/** How state changes are drawn: `full` (old → new · cause · time), `short` (the new state), or not at all. */
export type StateNotes = 'full' | 'short' | 'off';
export const STATE_NOTES: readonly StateNotes[] = ['full', 'short', 'off'];

export interface SequenceOptions {
  /** First segment number to draw (1-based, inclusive). */
  fromSegment?: number;
  /** Last segment number to draw (inclusive). */
  toSegment?: number;
  /**
   * Narrow enough for a side pane (the preview): every label and note is a few short lines
   * (COMPACT_WIDTH characters), errors and hazards are noted by their headline (the summary
   * and the Trace tab have the rest), and the title is left to the page around the diagram.
   * A two-endpoint diagram is then about 400 px wide at the preview's font sizes, where the full
   * form (one-line labels, `SYN_SENT → ESTABLISHED · rcv SYN,ACK · 110ms` notes, 60-character
   * hazard paragraphs) was about 1 500 px.
   */
  compact?: boolean;
  /** State-change notes; `full` unless compact, where it is `short`. */
  stateNotes?: StateNotes;
}

/** The widest line, in characters, of a compact diagram's labels and notes. */
export const COMPACT_WIDTH = 24;

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
/** An error an expectation asked for: shown, but not in the red of a failure. */
const EXPECTED_ERROR_RECT = 'rgba(59, 130, 246, 0.16)';

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
    const held = s.delayedBy > 0 ? `, held ${formatDuration(s.delayedBy)}` : '';
    parts.push(`sent ${formatDuration(s.sentAt)}${held}, arrives ${formatDuration(s.arrivedAt)}`);
    parts.push(...segmentRemarks(s).filter((r) => !r.startsWith('delayed ')));
  } else {
    parts.push(`sent ${formatDuration(s.sentAt)}`, ...segmentRemarks(s));
  }
  return parts;
}

/**
 * The widest line, in characters, of a compact diagram's labels and notes with `lifelines`
 * lifelines. Mermaid spaces two neighbouring lifelines as far apart as the widest label of an
 * arrow between them, so the lines get narrower as lifelines are added: at the preview's 11 to
 * 12 px, two lifelines with 24-character lines, three with 18 and four with 13 fit a 440 px
 * side pane (the labels get taller instead).
 */
export function compactWidth(lifelines: number): number {
  return lifelines <= 2 ? COMPACT_WIDTH : lifelines === 3 ? 14 : 10;
}

/**
 * The lines of a segment's label in a compact diagram, unescaped: what it is (`#2 SYN,ACK`,
 * with `len=100` when it carries data), then its numbers, its time (`t=60ms`; `t=300ms→3.35s`
 * for one drawn where it arrives) and its remarks (`LOST`, `retransmission`, ...) packed into
 * lines of at most `width` characters (a single longer word keeps its line).
 */
export function compactLabelLines(s: TraceSegment, width = COMPACT_WIDTH): string[] {
  const flags = s.flags.length > 0 ? s.flags.join(',') : '(no flags)';
  const at =
    drawnAtArrival(s) && s.arrivedAt !== null
      ? [`t=${formatDuration(s.sentAt)}`, `to ${formatDuration(s.arrivedAt)}`]
      : [`t=${formatDuration(s.sentAt)}`];
  const words = [
    ...(s.len > 0 ? [`len=${s.len}`] : []),
    `seq=${s.seq}`,
    ...(s.ack !== null ? [`ack=${s.ack}`] : []),
    ...at,
    ...segmentRemarks(s).map((r) => r.replace(/^duplicate of/, 'copy of')),
  ];
  const lines = [`#${s.n} ${flags}`];
  let line = '';
  for (const w of words) {
    if (line === '' && lines.length === 1 && [...`${lines[0]} ${w}`].length <= width) {
      // `len=` shares the head's line when it fits: it says what the segment carries.
      if (w.startsWith('len=')) {
        lines[0] = `${lines[0]} ${w}`;
        continue;
      }
    }
    if (line !== '' && [...`${line} ${w}`].length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The arrow's label, already escaped for Mermaid. */
function arrowLabel(s: TraceSegment, compact: number | null): string {
  if (compact !== null) return compactLabelLines(s, compact).map(escapeMermaid).join('<br/>');
  // Escaped piece by piece: the pieces are ASCII (the fast path of escapeMermaid), the
  // separator is written as its entity code once.
  return arrowLabelParts(s).map(escapeMermaid).join(' #183; ');
}

/**
 * A block's note: the headline (what happened), then what the simulator saw and why it matters,
 * each on a line of its own so that the note stays narrow.
 */
/** `time-wait-assassination` in lines of at most `width` characters, broken after its hyphens. */
function hyphenLines(word: string, width: number): string[] {
  const lines: string[] = [];
  for (const piece of word.split(/(?<=-)/)) {
    const last = lines.length - 1;
    if (last >= 0 && [...lines[last]].length + [...piece].length <= width) lines[last] += piece;
    else lines.push(piece);
  }
  return lines;
}

function noteLines(width: number, ...parts: string[]): string {
  return parts
    .filter((p) => p.trim() !== '')
    .map((p) => noteText(p, width))
    .join('<br/>');
}

/**
 * A one-paragraph note's text, escaped: line breaks in it become spaces, then it is wrapped at
 * NOTE_WIDTH characters so that a long message makes a tall note, not a wide diagram.
 */
function noteText(s: string, width = NOTE_WIDTH): string {
  return escapeMermaid(wrapText(s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').trim(), width));
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
  const compact = opts.compact === true;
  const stateNotes = opts.stateNotes ?? (compact ? 'short' : 'full');
  // Lifelines: one per endpoint (every endpoint is declared, and anything else is an error of the trace).
  const lifelineCount = new Set([
    ...trace.endpoints.map((e) => e.name),
    ...trace.segments.flatMap((s) => [s.from, s.to]),
  ]).size;
  const width = compact ? compactWidth(lifelineCount) : NOTE_WIDTH;
  const lines: string[] = ['sequenceDiagram'];
  // Mermaid centres the title over the diagram without making room for it: a compact diagram
  // would cut a long one, and the preview shows the title above the diagram anyway.
  if (!compact && trace.title.trim() !== '') lines.push(`title ${escapeMermaid(trace.title)}`);

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
    if (compact) {
      // Narrow: the name, the address only while there is room for it (two lifelines), and
      // for a later incarnation whose port it reuses, which is what TIME_WAIT is about.
      const lines = [e.name];
      if (width >= COMPACT_WIDTH) lines.push(where);
      if (earlier !== undefined) lines.push(`(${earlier}'s port)`);
      participant(e.name, lines.map(escapeMermaid).join('<br/>'));
      continue;
    }
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
        : `showing segments #${window.from} to #${window.to} of ${trace.segments.length} (${windowSpan(window)}); the rest of the run is not drawn`;
    lines.push(`Note over ${over}: nowrap:${noteText(shown, width)}`);
  }

  const tcbsOf = tcbCounts(trace.transitions);
  const connections = connectionNames(trace.transitions);
  const events: Drawable[] = [];
  let order = 0;
  for (const s of trace.segments) {
    if (window !== null && (s.n < window.from || s.n > window.to)) continue;
    const line = `${ids.id(s.from)}${arrowOf(s)}${ids.id(s.to)}: nowrap:${arrowLabel(s, compact ? width : null)}`;
    if (!drawnAtArrival(s) || s.arrivedAt === null) {
      events.push({ t: s.sentAt, rank: RANK_SEND, order: order++, segment: s.n, lines: [line] });
      continue;
    }
    // Drawn where it arrives, before what it causes there; the sender gets a note when it left.
    events.push({ t: s.arrivedAt, rank: RANK_ARRIVAL, order: order++, segment: s.n, lines: [line] });
    // The sender did not send the extra copy of a duplicate: the network made it.
    const what = compact
      ? s.fate === 'duplicate'
        ? `#${s.n}: extra copy${s.duplicateOf !== null ? ` of #${s.duplicateOf}` : ''}`
        : `#${s.n} sent`
      : s.fate === 'duplicate'
        ? `#${s.n}: the network makes an extra copy${s.duplicateOf !== null ? ` of #${s.duplicateOf}` : ''}${s.delayedBy > 0 ? ' and holds it' : ''}`
        : `#${s.n} sent, held in the network`;
    events.push({
      t: s.sentAt,
      rank: RANK_SEND,
      order: order++,
      segment: null,
      lines: [
        `Note over ${ids.id(s.from)}: nowrap:${compact ? noteLines(width, what, `arrives ${formatDuration(s.arrivedAt)}`) : noteText(`${what} (arrives ${formatDuration(s.arrivedAt)})`, width)}`,
      ],
    });
  }
  for (const x of trace.transitions) {
    if (stateNotes === 'off' || !inWindow(x.t)) continue;
    // Which of the endpoint's TCBs, by the endpoints (the trace's TCB numbers run across all
    // endpoints, so a bare "TCB 3" would leave a reader looking for 2).
    const tcb = (tcbsOf.get(x.endpoint) ?? 0) > 1 ? ` (${connections.get(x.tcb) ?? x.endpoint})` : '';
    // Short: the state it is in from here on; the old state is the note above it on the same
    // lifeline, the cause the arrow just drawn (the Trace tab has both). The TCB, when the
    // endpoint has several, goes on a line of its own rather than be cut by the wrapping.
    // Plain ASCII: Mermaid spaces the diagram by the width of the text it is given, where an
    // entity code (an arrow `→` is `#8594;`) counts as seven characters.
    const note =
      stateNotes === 'short'
        ? noteLines(width, x.to, tcb.trim().replace(/^\((.*)\)$/, '$1'))
        : noteText(`${x.from} → ${x.to}${tcb} · ${x.cause} · ${formatDuration(x.t)}`, width);
    events.push({
      t: x.t,
      rank: x.to === 'CLOSED' ? RANK_CLOSED : RANK_TRANSITION,
      order: order++,
      segment: null,
      lines: [`Note over ${ids.id(x.endpoint)}: nowrap:${note}`],
    });
  }
  for (const e of trace.errors) {
    if (!inWindow(e.t)) continue;
    const p = errorParts(e);
    // An error an expectation asked for is drawn as expected: a check mark and blue, not red.
    const expected = e.expectedBy !== undefined;
    const mark = expected ? '✓' : '⚠';
    events.push({
      t: e.t,
      rank: RANK_ERROR,
      order: order++,
      segment: null,
      lines: [
        `rect ${expected ? EXPECTED_ERROR_RECT : ERROR_RECT}`,
        // Compact: what and when, over the endpoint's own lifeline; why it failed is in the
        // summary's details and the Trace tab.
        `Note over ${ids.id(e.endpoint)}: nowrap:${compact ? noteLines(width, `${mark} ${e.code}`, `on ${e.call}`, `at ${formatDuration(e.t)}${expected ? ', expected' : ''}`) : noteLines(width, `${mark} ${e.endpoint}: ${p.headline}`, p.meaning)}`,
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
        `Note over ${ids.id(h.endpoint)}: nowrap:${compact ? noteLines(width, '⚠ hazard', ...hyphenLines(h.kind, width), `#${h.segment} at ${formatDuration(h.t)}`) : noteLines(width, `⚠ ${h.endpoint}: ${p.headline}`, p.message, p.meaning)}`,
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
      `Note over ${first}: nowrap:${noteText(`⚠ run stopped at ${formatDuration(trace.endedAt)}: ${trace.truncated}`, width)}`,
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

/**
 * The stretch of time a window draws, in words: a window that starts with the run or ends with
 * it is open on that side (its time is infinite), which reads "from the start" / "to the end".
 */
export function windowSpan(w: { fromT: number; toT: number }): string {
  const from = Number.isFinite(w.fromT) ? formatDuration(w.fromT) : null;
  const to = Number.isFinite(w.toT) ? formatDuration(w.toT) : null;
  if (from === null && to === null) return 'the whole run';
  if (from === null) return `from the start to ${to}`;
  if (to === null) return `${from} to the end`;
  return `${from} to ${to}`;
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
