// Short, fixed explanations of errors and hazards and the one-line labels every renderer
// shares, so the sequence diagram, the Markdown report and the text trace say the same thing.

import type { TraceError, TraceHazard, TraceSegment } from '../trace';
import type { ErrorCode, HazardKind } from '../types';
import { formatMs } from './escape';

/** What the error means for the application that made the call (spec, "Application calls"). */
export const ERROR_MEANING: Readonly<Record<ErrorCode, string>> = {
  EADDRINUSE: 'the local address and port are still held by another incarnation (TIME_WAIT or a listener), so bind() fails',
  ECONNREFUSED: 'the SYN was answered by RST: nobody listens there',
  ECONNRESET: 'the peer reset a synchronized connection; unsent and unread data is lost',
  ETIMEDOUT: 'retransmissions ran out without an acknowledgment; the connection is given up',
  ENOTCONN: 'the call needs a connection and the endpoint has none',
  EINVAL: 'the endpoint is already in use by its own earlier call',
};

/** Why each hazard matters (the harms the TIME_WAIT article is about). */
export const HAZARD_MEANING: Readonly<Record<HazardKind, string>> = {
  'old-duplicate': 'a segment of an earlier connection was taken as part of a new one: its data corrupts the new stream',
  'reset-close': 'a graceful close ended in RST: the closing side may report an error and data may be lost',
  'time-wait-assassination': 'a RST ended TIME_WAIT early (RFC 1337): old duplicates can now reach a new incarnation',
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

/** What an error is, and what it means: the sequence diagram shows them on two lines. */
export function errorParts(e: TraceError): { headline: string; meaning: string } {
  return { headline: `error ${e.code} on ${e.call} at ${formatMs(e.t)}`, meaning: ERROR_MEANING[e.code] ?? '' };
}

export function errorLine(e: TraceError): string {
  const p = errorParts(e);
  return `${p.headline}: ${p.meaning}`;
}

/** What a hazard is, what the simulator saw, and why it matters. */
export function hazardParts(h: TraceHazard): { headline: string; message: string; meaning: string } {
  return {
    headline: `hazard ${h.kind} at ${formatMs(h.t)} (segment #${h.segment})`,
    message: h.message.trim().replace(/[.\s]+$/, ''),
    meaning: HAZARD_MEANING[h.kind] ?? '',
  };
}

export function hazardLine(h: TraceHazard): string {
  const p = hazardParts(h);
  return `${p.headline}: ${p.message !== '' ? `${p.message}; ` : ''}${p.meaning}`;
}
