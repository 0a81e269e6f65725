// Short, fixed explanations of errors and hazards and the one-line labels every renderer
// shares, so the sequence diagram, the Markdown report and the text trace say the same thing.

import type { TraceError, TraceHazard, TraceSegment } from '../trace';
import type { ErrorCode, HazardKind } from '../types';
import { formatMs } from './escape';

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
};

/**
 * Why each hazard matters (the harms the TIME_WAIT article is about). The simulator's message
 * says what happened in this run; this is only the consequence, so that the note never says
 * the same thing twice.
 */
export const HAZARD_MEANING: Readonly<Record<HazardKind, string>> = {
  'old-duplicate': 'Why it matters: the new connection acts on a segment its peer never sent (reads its data, opens or resets because of it) and no check in TCP can tell; a full TIME_WAIT (2×MSL) keeps such segments out.',
  'reset-close': 'Why it matters: the application gets a reset error instead of a clean close, and may retry or report as failed work that in fact completed.',
  'time-wait-assassination': 'Why it matters: nothing now keeps delayed segments of the old connection out of the next one on the same 4-tuple; RFC 1337 advises ignoring RST in TIME_WAIT.',
};

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
  if (s.delayedBy > 0) out.push(`delayed +${formatMs(s.delayedBy)}`);
  if (s.fate === 'dropped') out.push('LOST');
  return out;
}

/** What an error is, and why: the sequence diagram shows them on two lines. */
export function errorParts(e: TraceError): { headline: string; meaning: string } {
  return { headline: `error ${e.code} on ${e.call} at ${formatMs(e.t)}`, meaning: ERROR_MEANING[e.code] ?? '' };
}

export function errorLine(e: TraceError): string {
  const p = errorParts(e);
  return p.meaning !== '' ? `${p.headline}. ${p.meaning}` : p.headline;
}

/** Lower-case words of a text, for comparing what two sentences say. */
function words(s: string): string[] {
  return s.toLowerCase().split(/[^a-z0-9_'-]+/).filter((w) => w !== '');
}

/** Common words that do not make two phrases say the same thing. */
const FILLER = new Set(['a', 'an', 'the', 'of', 'in', 'on', 'to', 'by', 'and', 'or', 'so', 'is', 'it', 'its', 'this', 'that', 'can', 'now', 'be', 'as', 'at']);

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
  'reset-close': /reported as a reset|reset error|retr(y|ies)|as failed/i,
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

/**
 * A hazard in three parts: the headline (which, when, which segment), the simulator's message
 * (what happened in this run) and why it matters. A clause of the message that already gives
 * the consequence is dropped; if the message still repeats the meaning, the meaning goes.
 */
export function hazardParts(h: TraceHazard): { headline: string; message: string; meaning: string } {
  const said = whatHappened(h.kind, h.message);
  const meaning = HAZARD_MEANING[h.kind] ?? '';
  const why = meaning.replace(/^Why it matters: /, '');
  const repeated = said !== '' && (repeats(said, why) || (CONSEQUENCE[h.kind]?.test(said) ?? false));
  return {
    headline: `hazard ${h.kind} at ${formatMs(h.t)} (segment #${h.segment})`,
    message: said !== '' ? `${said}.` : '',
    meaning: repeated ? '' : meaning,
  };
}

export function hazardLine(h: TraceHazard): string {
  const p = hazardParts(h);
  return [`${p.headline}:`, p.message, p.meaning].filter((x) => x !== '').join(' ');
}
