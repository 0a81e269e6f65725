// Words for screen readers (issue 11): a segment as it is announced when the keyboard moves to
// it ("segment 5, client to server, FIN and ACK, sequence 513, lost"), and a diagram's
// accessible name and description. Pure: no DOM, so the words are tested in node.

import type { SegmentRow, VariantView } from '../src/protocol';

/** `FIN,ACK` -> `FIN and ACK`; `SYN` -> `SYN`; `` -> `no flags`. */
export function flagWords(flags: string): string {
  const f = flags.split(',').filter((x) => x !== '');
  if (f.length === 0) return 'no flags';
  if (f.length === 1) return f[0];
  return `${f.slice(0, -1).join(', ')} and ${f[f.length - 1]}`;
}

/** A time as the language writes it (`250ms`, `1.5s`). */
function time(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms * 1000) / 1000}ms`;
  return `${Math.round(ms) / 1000}s`;
}

/** The segment in words, in the order a listener needs them: which, who to whom, what, fate. */
export function describeSegment(s: SegmentRow): string {
  const parts = [`segment ${s.n}`, `${s.from} to ${s.to}`, flagWords(s.flags), `sequence ${s.seq}`];
  if (s.ack !== null) parts.push(`acknowledgment ${s.ack}`);
  if (s.len > 0) parts.push(`${s.len} byte${s.len === 1 ? '' : 's'}`);
  if (s.retransmission) parts.push('retransmission');
  if (s.injected) parts.push('injected');
  parts.push(`sent at ${time(s.sentAt)}`);
  if (s.fate === 'dropped' || s.arrivedAt === null) parts.push('lost');
  else parts.push(`${s.fate === 'duplicate' ? 'a duplicate, arrives' : 'arrives'} at ${time(s.arrivedAt)}`);
  if (s.causeLine !== null) parts.push(`caused by line ${s.causeLine}`);
  return parts.join(', ');
}

const VIEW_NAMES: Record<string, string> = {
  sequence: 'Sequence diagram',
  timeline: 'State timeline',
  ladder: 'Ladder diagram',
};

/** The diagram's accessible name: `Sequence diagram of "Lost SYN"` (and its variant when there are several). */
export function diagramName(view: string, title: string, variant: string | null): string {
  const what = VIEW_NAMES[view] ?? `${view} diagram`;
  const of = title !== '' ? ` of "${title}"` : '';
  return `${what}${of}${variant !== null ? `, variant "${variant}"` : ''}`;
}

/** `a`, `a and b`, `a, b and c`. */
function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * The diagram's description: its endpoints, how many segments (and lost ones), hazards, failed
 * expectations and errors, then how to use it from the keyboard and where its text alternative is.
 */
export function diagramDescription(view: string, v: VariantView, rows: readonly SegmentRow[]): string {
  const endpoints = [...new Set(rows.flatMap((r) => [r.from, r.to]))];
  const lost = rows.filter((r) => r.fate === 'dropped').length;
  const total = v.sequence.window?.total ?? rows.length;
  const out: string[] = [];
  if (endpoints.length > 0) out.push(`Endpoints ${list(endpoints)}.`);
  out.push(`${total} segment${total === 1 ? '' : 's'}${lost > 0 ? `, ${lost} lost` : ''}.`);
  if (v.sequence.window && view === 'sequence')
    out.push(`Showing segments ${v.sequence.window.from} to ${v.sequence.window.to}.`);
  const kinds = [...new Set(v.hazards.map((h) => h.kind))];
  out.push(
    v.hazards.length === 0
      ? 'No hazards.'
      : `${v.hazards.length} hazard${v.hazards.length === 1 ? '' : 's'}: ${list(kinds)}.`,
  );
  const failed = v.expectations.filter((x) => !x.ok).length;
  if (v.expectations.length > 0)
    out.push(`${v.expectations.length - failed} of ${v.expectations.length} expectations passed.`);
  const unexpected = v.errors.filter((e) => e.expectedBy === undefined).length;
  if (unexpected > 0) out.push(`${unexpected} call error${unexpected === 1 ? '' : 's'}.`);
  out.push(
    'Arrow keys move from segment to segment, Enter shows its line in the editor, plus and minus zoom, 0 fits the width, Shift with the arrow keys pans. The Trace tab lists every segment as a table.',
  );
  return out.join(' ');
}

/** The run's results in one sentence, for the live region (said once per change). */
export function resultsSentence(variants: readonly VariantView[]): string {
  return variants
    .map((v) => {
      const passed = v.expectations.filter((x) => x.ok).length;
      const failed = v.expectations.length - passed;
      const unexpected = v.errors.filter((e) => e.expectedBy === undefined).length;
      const parts = [
        `${passed} expectation${passed === 1 ? '' : 's'} passed`,
        `${failed} failed`,
        `${v.hazards.length} hazard${v.hazards.length === 1 ? '' : 's'}`,
        `${unexpected} call error${unexpected === 1 ? '' : 's'}`,
      ];
      return `${variants.length > 1 ? `Variant "${v.label}": ` : ''}${parts.join(', ')}.`;
    })
    .join(' ');
}
