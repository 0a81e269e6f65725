// The ladder's words: a segment's short label, its full description for the tooltip, and the
// width of a text, so that the layout can place labels without a DOM to measure them.

import type { TraceSegment } from '../../trace';
import { formatDuration } from '../../duration';
import { segmentRemarks, segmentSummary } from '../explain';

/**
 * The short label drawn on an arrow: `SYN 0`, `SYN,ACK 0 ack 1`, `FIN 513 ack 16`,
 * `ACK 2 ack 102`, `PSH 1 ack 1 len 100`. The flags without ACK (which nearly every segment
 * carries: its number says it), except in `SYN,ACK`, which is what everyone calls that segment;
 * a segment whose only flag is ACK is `ACK`. Then the sequence number, the acknowledgment
 * number, and `len N` when it carries data. An injected one starts with `inj`, an extra copy
 * ends with `dup`, a delayed one with how long the network held it.
 */
export function ladderLabel(s: TraceSegment): string {
  const syn = s.flags.includes('SYN');
  const named = s.flags.filter((f) => f !== 'ACK' || syn);
  const word = named.length > 0 ? named.join(',') : s.flags.includes('ACK') ? 'ACK' : 'no flags';
  let out = `${word} ${s.seq}`;
  if (s.ack !== null) out += ` ack ${s.ack}`;
  if (s.len > 0) out += ` len ${s.len}`;
  if (s.injected) out = `inj ${out}`;
  if (s.fate === 'duplicate') out += ' dup';
  if (s.delayedBy > 0) out += ` +${formatDuration(s.delayedBy)}`;
  return out;
}

/** The tooltip: everything the trace says about the segment, one fact per line. */
export function ladderTooltip(s: TraceSegment): string {
  const lines = [`#${s.n} ${s.from} \u2192 ${s.to}`, `${segmentSummary(s)} win=${s.window}`];
  lines.push(
    s.arrivedAt === null
      ? `sent ${formatDuration(s.sentAt)}, lost`
      : `sent ${formatDuration(s.sentAt)}, arrives ${formatDuration(s.arrivedAt)}`,
  );
  const remarks = segmentRemarks(s).filter((r) => r !== 'LOST');
  if (remarks.length > 0) lines.push(remarks.join(', '));
  if (s.note.trim() !== '') lines.push(s.note);
  if (s.causeLine !== null) lines.push(`line ${s.causeLine}`);
  return lines.join('\n');
}

/**
 * The width of a text in pixels at `fontPx`, a little wider (about 3 %) than Chromium draws it
 * in DejaVu Sans, the widest of the fonts the SVG asks for (Segoe UI and San Francisco are
 * narrower), so that a label judged to fit does fit. Per character class, measured at 12 px.
 */
export function textWidth(text: string, fontPx: number): number {
  let px = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) continue; // the low surrogate counts for the pair
    if (c === 77 || c === 87)
      px += 11.5; // M W
    else if (c >= 65 && c <= 90)
      px += 8; // A-Z
    else if (c === 95)
      px += 6.2; // _
    else if (c === 109 || c === 119)
      px += 11; // m w
    else if (c >= 97 && c <= 122)
      px += 6.6; // a-z
    else if (c >= 48 && c <= 57)
      px += 7.8; // 0-9
    else if (c === 32 || c === 46 || c === 44 || c === 58 || c === 59 || c === 39 || c === 124 || c === 33) px += 3.8;
    else if (c < 128) px += 6.8;
    else px += 12;
  }
  return (px * fontPx) / 12;
}

/** The longest prefix of `text` (with an ellipsis) no wider than `px`. */
export function fitText(text: string, px: number, fontPx: number): string {
  if (textWidth(text, fontPx) <= px) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(chars.slice(0, mid).join('') + '\u2026', fontPx) <= px) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '\u2026' : chars.slice(0, lo).join('') + '\u2026';
}
