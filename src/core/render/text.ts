// The readable trace for `tcpscn run` and the extension's output channel: what happened, in
// time order, then errors, hazards and each expectation's result. User strings are passed
// through displayText so that no control character (a terminal escape sequence, NUL) or bidi
// override from a `.tcpscn` file reaches the terminal.

import type { Trace, TraceSegment } from '../trace';
import { displayText } from './escape';
import { formatDuration } from '../duration';
import { endpointAddress } from './sequence';
import { connectionNames, errorCounts, errorLine, hazardLine, segmentRemarks, segmentSummary } from './explain';

/** A user string on one line of a terminal. */
export function plain(s: string): string {
  return displayText(s).replace(/\n/g, ' ');
}

function segmentLine(s: TraceSegment): string {
  const arrival = s.arrivedAt === null ? 'lost' : `arrives ${formatDuration(s.arrivedAt)}`;
  const remarks = segmentRemarks(s).filter((r) => r !== 'LOST');
  const extra = remarks.length > 0 ? `, ${remarks.join(', ')}` : '';
  return `#${s.n} ${plain(s.from)} -> ${plain(s.to)}  ${segmentSummary(s)} win=${s.window}  (${arrival}${extra})`;
}

export interface TextOptions {
  /**
   * Lists each expectation's result at the end (default). The extension's "Run TCP scenario"
   * report lists them once for all variants after the traces, so it leaves them out here.
   */
  expectations?: boolean;
}

export function renderText(trace: Trace, opts: TextOptions = {}): string {
  const out: string[] = [];
  const title = plain(trace.title);
  out.push(`${title !== '' ? title : '(untitled)'}  [variant "${plain(trace.variant)}"]`);
  if (trace.profile === 'linux') out.push('profile: linux (Linux 6.x as measured)');
  else if (trace.profile === 'rfc') out.push('profile: rfc (RFC 9293)');
  out.push(`endpoints: ${trace.endpoints.map((e) => `${plain(e.name)} ${endpointAddress(e)}`).join(', ') || 'none'}`);
  out.push('');

  // Time order; at one instant state changes come before the segments they send (as in the
  // sequence diagram), deletions after.
  const rows: Array<{ t: number; rank: number; order: number; text: string }> = [];
  let order = 0;
  // Each TCB by its endpoints ("client to server, connection 2"), not by its run-wide number.
  const names = connectionNames(trace.transitions);
  for (const x of trace.transitions) {
    rows.push({
      t: x.t,
      rank: x.to === 'CLOSED' ? 2 : 0,
      order: order++,
      text: `${plain(names.get(x.tcb) ?? x.endpoint)}: ${x.from} -> ${x.to}  [${plain(x.cause)}]`,
    });
  }
  for (const s of trace.segments) rows.push({ t: s.sentAt, rank: 1, order: order++, text: segmentLine(s) });
  for (const e of trace.errors)
    rows.push({ t: e.t, rank: 3, order: order++, text: `! ${plain(e.endpoint)}: ${plain(errorLine(e))}` });
  for (const h of trace.hazards)
    rows.push({ t: h.t, rank: 4, order: order++, text: `! ${plain(h.endpoint)}: ${plain(hazardLine(h))}` });
  rows.sort((a, b) => a.t - b.t || a.rank - b.rank || a.order - b.order);
  const width = Math.max(8, ...rows.slice(-1).map((r) => formatDuration(r.t).length + 1));
  for (const r of rows) out.push(`${formatDuration(r.t).padStart(width)}  ${r.text}`);
  out.push(
    `${'end'.padStart(width)}  run ended at ${formatDuration(trace.endedAt)}${trace.truncated !== null ? ` (stopped early: ${plain(trace.truncated)})` : ''}`,
  );
  out.push('');

  out.push(`errors: ${trace.errors.length === 0 ? 'none' : errorCounts(trace.errors)}`);
  for (const e of trace.errors)
    out.push(
      `  ${formatDuration(e.t)} ${plain(e.endpoint)} ${e.code} (${plain(e.call)})${e.line !== null ? ` line ${e.line}` : ''}${e.expectedBy !== undefined ? `, expected (line ${e.expectedBy})` : ''}`,
    );
  out.push(`hazards: ${trace.hazards.length === 0 ? 'none' : ''}`);
  for (const h of trace.hazards)
    out.push(`  ${formatDuration(h.t)} ${h.kind} at ${plain(h.endpoint)}, segment #${h.segment}: ${plain(h.message)}`);
  if (opts.expectations !== false) {
    out.push(`expectations: ${trace.expectations.length === 0 ? 'none' : ''}`);
    for (const x of trace.expectations) out.push(`  ${expectationLine(x)}`);
  }
  return out.map((l) => l.trimEnd()).join('\n') + '\n';
}

/** `PASS line 18: expect client ESTABLISHED` / `FAIL line 24: expect no hazards: found ...`. */
export function expectationLine(x: Trace['expectations'][number]): string {
  const why = x.ok || x.message === '' ? '' : `: ${plain(x.message)}`;
  return `${x.ok ? 'PASS' : 'FAIL'} line ${x.line}: ${plain(x.text)}${why}`;
}
