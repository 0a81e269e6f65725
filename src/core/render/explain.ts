// Short, fixed explanations of errors and hazards and the one-line labels every renderer
// shares, so the sequence diagram, the Markdown report and the text trace say the same thing.

import type { CallResponse, TraceError, TraceHazard, TraceSegment, TraceTransition } from '../trace';
import type { ErrorCode, HazardKind } from '../types';
import { formatDuration } from '../duration';

/**
 * Why the call failed (spec, "Application calls"). The headline already says which error on
 * which call, so this says only the cause, once.
 */
export const ERROR_MEANING: Readonly<Record<ErrorCode, string>> = {
  EADDRINUSE: 'Why: another socket (a listener, or a connection in TIME_WAIT) still holds this local address and port.',
  ECONNREFUSED: 'Why: the SYN was answered by RST, so nothing listens on that port.',
  ECONNRESET: 'Why: the peer reset the connection; data not yet sent or read is lost.',
  ETIMEDOUT: 'Why: every retransmission went unacknowledged, so TCP gave up.',
  ENOTCONN: 'Why: the call needs a connection and this endpoint has none.',
  EINVAL: 'Why: the endpoint is already in use by its own earlier call.',
  EPIPE: 'Why: this side can no longer send: it has no connection, has closed, or its peer reset it after closing.',
  EALREADY: 'Why: a connect is already in progress on this endpoint.',
  EISCONN: 'Why: the endpoint is already connected (or listening).',
  EADDRNOTAVAIL:
    'Why: another socket, a TIME_WAIT included, still holds this 4-tuple and Linux cannot take it over without timestamps.',
};

/**
 * Why each hazard matters (the harms the TIME_WAIT article is about). The simulator's message
 * says what happened in this run; this is only the consequence, so that the note never says
 * the same thing twice.
 */
export const HAZARD_MEANING: Readonly<Record<HazardKind, string>> = {
  'old-duplicate':
    'Why it matters: the new connection acts on a segment its peer never sent (reads its data, opens or resets because of it) and no check in TCP can tell; a full TIME_WAIT (2×MSL) keeps such segments out.',
  'reset-close':
    'Why it matters: the application gets a reset error instead of a clean close, and data still in flight may be lost.',
  'time-wait-assassination':
    'Why it matters: nothing now keeps delayed segments of the old connection out of the next one on the same 4-tuple; RFC 1337 advises ignoring RST in TIME_WAIT.',
};

/**
 * The general lesson of each hazard, added after the simulator's own, specific consequence
 * (its message's "..., so <why it matters>" part), which it does not restate.
 */
export const HAZARD_LESSON: Readonly<Record<HazardKind, string>> = {
  'old-duplicate':
    'no check in TCP tells such a segment from a real one, and only a full TIME_WAIT (2×MSL) keeps them out.',
  'reset-close': 'the application sees a reset error instead of a clean close.',
  'time-wait-assassination': 'RFC 1337 advises ignoring RST in TIME_WAIT for this reason.',
};

/**
 * A name for each TCB (by its run-wide id) in the words of its endpoints: `client to server`,
 * `server listener`, and for a later connection between the same two `client to server,
 * connection 2`. The trace numbers TCBs across the whole run, so a bare "TCB 3" in a note
 * leaves a reader looking for TCB 2 (which may be another endpoint's); the endpoints and the
 * count between them are what a reader can find in the diagram.
 */
export function connectionNames(transitions: readonly TraceTransition[]): Map<number, string> {
  const first = new Map<number, TraceTransition>();
  const listening = new Set<number>();
  for (const x of transitions) {
    if (!first.has(x.tcb)) first.set(x.tcb, x);
    if (x.to === 'LISTEN') listening.add(x.tcb);
  }
  const count = new Map<string, number>();
  const out = new Map<number, string>();
  for (const [tcb, x] of [...first].sort((a, b) => a[0] - b[0])) {
    const base = listening.has(tcb)
      ? `${x.endpoint} listener`
      : x.peer !== null
        ? `${x.endpoint} to ${x.peer}`
        : `${x.endpoint} to an undeclared address`;
    const n = (count.get(base) ?? 0) + 1;
    count.set(base, n);
    out.set(tcb, n === 1 ? base : `${base}, connection ${n}`);
  }
  return out;
}

/** `SYN,ACK seq=0 ack=1` / `PSH,ACK seq=1 ack=1 len=100`: flags, seq, ack when set, len when > 0. */
export function segmentSummary(s: TraceSegment): string {
  const flags = s.flags.length > 0 ? s.flags.join(',') : '(no flags)';
  let out = `${flags} seq=${s.seq}`;
  if (s.ack !== null) out += ` ack=${s.ack}`;
  if (s.len > 0) out += ` len=${s.len}`;
  return out;
}

/** The segment's fate and peculiarities in words: `lost`, `delayed +3s`, `duplicate of #4`, ... */
export function segmentRemarks(s: TraceSegment): string[] {
  const out: string[] = [];
  if (s.injected) out.push('injected');
  if (s.retransmission) out.push('retransmission');
  if (s.fate === 'duplicate') out.push(s.duplicateOf !== null ? `duplicate of #${s.duplicateOf}` : 'duplicate');
  if (s.delayedBy > 0) out.push(`delayed +${formatDuration(s.delayedBy)}`);
  if (s.fate === 'dropped') out.push('LOST');
  return out;
}

/** The section of RFC 9293 that gives each call's responses (OPEN, SEND, CLOSE, ABORT). */
const CALL_SECTION: Readonly<Record<string, string>> = {
  connect: '3.10.1',
  listen: '3.10.1',
  send: '3.10.2',
  close: '3.10.4',
  shutdown: '3.10.4',
  abort: '3.10.5',
};

/**
 * Why a call the state refused failed, in the RFC's words: one errno (ENOTCONN) covers both a
 * connection that does not exist and one that is closing, so the code alone cannot say it.
 */
const RESPONSE_MEANING: Readonly<Record<CallResponse, string>> = {
  'connection does not exist': 'Why: the call needs a connection and this endpoint has none',
  'connection closing':
    'Why: this endpoint has already closed its sending side (its FIN is sent or queued), so it cannot send any more',
  'connection already exists': 'Why: the endpoint is already in use by its own earlier call',
  'foreign socket unspecified': 'Why: the endpoint only listens; it has no connection to send on',
};

/** The cause of an error: the RFC's response for a refused call, else the code's meaning. */
export function errorMeaning(e: TraceError): string {
  const r = e.response;
  if (r === undefined || RESPONSE_MEANING[r] === undefined) return ERROR_MEANING[e.code] ?? '';
  const section = CALL_SECTION[e.call];
  const rfc = section !== undefined ? `RFC 9293 ${section}` : 'RFC 9293 3.10';
  return `${RESPONSE_MEANING[r]} (${rfc}: "${r}").`;
}

/** The errors counted as the summaries give them: `2 unexpected, 1 expected`, `1 expected`, `1 unexpected`. */
export function errorCounts(errors: readonly TraceError[]): string {
  const expected = errors.filter((e) => e.expectedBy !== undefined).length;
  const unexpected = errors.length - expected;
  return [unexpected > 0 ? `${unexpected} unexpected` : '', expected > 0 ? `${expected} expected` : '']
    .filter((x) => x !== '')
    .join(', ');
}

/** What an error is, and why: the sequence diagram shows them on two lines. */
export function errorParts(e: TraceError): { headline: string; meaning: string } {
  // An error an `expect ... error` line asked for is what the scenario set out to show.
  const headline =
    e.expectedBy !== undefined
      ? `expected error ${e.code} on ${e.call} at ${formatDuration(e.t)} (as line ${e.expectedBy} expects)`
      : `error ${e.code} on ${e.call} at ${formatDuration(e.t)}`;
  return { headline, meaning: errorMeaning(e) };
}

export function errorLine(e: TraceError): string {
  const p = errorParts(e);
  return p.meaning !== '' ? `${p.headline}. ${p.meaning}` : p.headline;
}

/** Lower-case words of a text, for comparing what two sentences say. */
function words(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z0-9_'-]+/)
    .filter((w) => w !== '');
}

/** Common words that do not make two phrases say the same thing. */
const FILLER = new Set([
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'to',
  'by',
  'and',
  'or',
  'so',
  'is',
  'it',
  'its',
  'this',
  'that',
  'can',
  'now',
  'be',
  'as',
  'at',
]);

/**
 * True when `b` repeats `a`: they share a run of three words that are not all filler words
 * ("an earlier connection", "old duplicates can"). Used so that a simulator message that
 * already explains the consequence is not followed by the same explanation again.
 */
export function repeats(a: string, b: string): boolean {
  const grams = (ws: string[]): Set<string> => {
    const out = new Set<string>();
    for (let i = 0; i + 3 <= ws.length; i++) {
      const g = ws.slice(i, i + 3);
      if (g.some((w) => !FILLER.has(w))) out.add(g.join(' '));
    }
    return out;
  };
  const ga = grams(words(a));
  for (const g of grams(words(b))) if (ga.has(g)) return true;
  return false;
}

/**
 * Phrases in which a simulator message gives a hazard's consequence, the idea HAZARD_MEANING
 * states: such a clause is dropped from the message so that the note says it once.
 */
const CONSEQUENCE: Readonly<Record<HazardKind, RegExp>> = {
  'old-duplicate': /earlier connection|got into the new|never sent|corrupt|cannot (tell|detect)|silently/i,
  'reset-close': /reported as a reset|reset error|(data|bytes)\b.*\blost/i,
  'time-wait-assassination': /old duplicates|new incarnation|RFC 1337|4-tuple early|delayed segments/i,
};

/** Where a message's clause about consequences starts: `: `, `; `, `, so `, `, freeing `, ... */
const CLAUSE = /(?::|;|,\s+(?:so|freeing|which|thus|meaning))\s+/g;

/** The message without trailing clauses that state the consequence (kept if nothing else is left). */
function whatHappened(kind: HazardKind, message: string): string {
  const said = message.trim().replace(/[.\s]+$/, '');
  const consequence = CONSEQUENCE[kind];
  if (consequence === undefined) return said;
  const cuts = [...said.matchAll(CLAUSE)].map((m) => m.index ?? 0);
  let end = said.length;
  for (let i = cuts.length - 1; i >= 0; i--) {
    if (cuts[i] === 0 || !consequence.test(said.slice(cuts[i], end))) break;
    end = cuts[i];
  }
  return said.slice(0, end);
}

/** Words in which a consequence already gives the kind's lesson (then the lesson is not added). */
const LESSON_IDEA: Readonly<Record<HazardKind, RegExp>> = {
  'old-duplicate': /no check|cannot tell|2\s*[×x*]\s*MSL/i,
  'reset-close': /reset error|reported as a reset|error instead/i,
  'time-wait-assassination': /RFC 1337|ignor\w* (the )?RST/i,
};

/**
 * A hazard in three parts: the headline (which, when, which segment), what happened, and why it
 * matters, each said once. The simulator writes each message as one sentence "<what happened>,
 * so <why it matters>." (src/core/sim/tcb.ts): the part before the last ", so" is what
 * happened, the part after is the specific consequence, followed here by the kind's general
 * lesson. A message without that shape keeps its words, less a trailing clause that gives the
 * consequence, and gets the kind's general explanation (unless it already says it).
 */
export function hazardParts(h: TraceHazard): { headline: string; message: string; meaning: string } {
  const headline = `hazard ${h.kind} at ${formatDuration(h.t)} (segment #${h.segment})`;
  const whole = h.message.trim().replace(/[.\s]+$/, '');
  const so = whole.lastIndexOf(', so ');
  if (so > 0) {
    const what = whole.slice(0, so);
    const consequence = whole.slice(so + ', so '.length);
    const lesson = HAZARD_LESSON[h.kind] ?? '';
    const said = lesson === '' || repeats(consequence, lesson) || (LESSON_IDEA[h.kind]?.test(consequence) ?? false);
    const why = said ? `${consequence}.` : `${consequence}; ${lesson}`;
    return { headline, message: `${what}.`, meaning: `Why it matters: ${why}` };
  }
  const said = whatHappened(h.kind, whole);
  const meaning = HAZARD_MEANING[h.kind] ?? '';
  const why = meaning.replace(/^Why it matters: /, '');
  const repeated = said !== '' && (repeats(said, why) || (CONSEQUENCE[h.kind]?.test(said) ?? false));
  return { headline, message: said !== '' ? `${said}.` : '', meaning: repeated ? '' : meaning };
}

export function hazardLine(h: TraceHazard): string {
  const p = hazardParts(h);
  return [`${p.headline}:`, p.message, p.meaning].filter((x) => x !== '').join(' ');
}
