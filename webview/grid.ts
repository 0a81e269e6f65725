// The Trace tab: the segments of one variant in a toolkit data grid (its cells show text
// through bindings, never as HTML).

import type { SegmentRow } from '../src/extension/preview/messages';
import { formatMs } from './panels';

export interface GridRow extends Record<string, string | number> {
  '#': number;
  time: string;
  from: string;
  to: string;
  flags: string;
  seq: number;
  ack: string;
  len: number;
  fate: string;
  note: string;
}

export const GRID_COLUMNS = [
  { columnDataKey: '#', title: '#' },
  { columnDataKey: 'time', title: 'Time' },
  { columnDataKey: 'from', title: 'From' },
  { columnDataKey: 'to', title: 'To' },
  { columnDataKey: 'flags', title: 'Flags' },
  { columnDataKey: 'seq', title: 'Seq' },
  { columnDataKey: 'ack', title: 'Ack' },
  { columnDataKey: 'len', title: 'Len' },
  { columnDataKey: 'fate', title: 'Fate' },
  { columnDataKey: 'note', title: 'Note' },
];

export function gridRow(s: SegmentRow): GridRow {
  const arrival = s.arrivedAt === null ? '' : ` \u2192 ${formatMs(s.arrivedAt)}`;
  const fate = s.fate + (s.retransmission ? ' (retransmission)' : '') + (s.injected ? ' (injected)' : '');
  return {
    '#': s.n,
    time: formatMs(s.sentAt) + arrival,
    from: s.from,
    to: s.to,
    flags: s.flags,
    seq: s.seq,
    ack: s.ack === null ? '' : String(s.ack),
    len: s.len,
    fate,
    note: s.note,
  };
}

export const GRID_TEMPLATE = '6ch 20ch 10ch 10ch 12ch 12ch 12ch 7ch 16ch minmax(36ch, 1fr)';
