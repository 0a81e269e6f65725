// The Trace tab: the segments of one variant in a toolkit data grid (its cells show text
// through bindings, never as HTML). A click on a row leads to the line that caused it; the
// rows caused by the editor's cursor line are marked.

import type { SegmentRow, VariantView } from '../src/protocol';
import { formatDuration } from '../src/core/duration';
import type { PreviewState } from './state';

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
  const arrival = s.arrivedAt === null ? '' : ` \u2192 ${formatDuration(s.arrivedAt)}`;
  const fate = s.fate + (s.retransmission ? ' (retransmission)' : '') + (s.injected ? ' (injected)' : '');
  return {
    '#': s.n,
    time: formatDuration(s.sentAt) + arrival,
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

interface DataGridElement extends HTMLElement {
  rowsData: object[];
  columnDefinitions: object[];
  gridTemplateColumns: string;
}

/** The segment number of a grid row element, or NaN. */
function rowSegment(row: Element | null): number {
  const data = (row as (Element & { rowData?: Record<string, unknown> }) | null)?.rowData;
  return data ? Number(data['#']) : NaN;
}

export class TraceGrid {
  private readonly grid = document.createElement('vscode-data-grid') as DataGridElement;
  private readonly note = document.createElement('div');
  /** The variant the grid was last built for (the grid is left stale while its tab is hidden). */
  private builtFor: VariantView | undefined;

  constructor(
    container: HTMLElement,
    private readonly state: PreviewState,
    reveal: (line: number, column: number) => void,
  ) {
    const { grid, note } = this;
    grid.id = 'trace-grid';
    grid.setAttribute('aria-label', 'Segments');
    grid.setAttribute('generate-header', 'sticky');
    grid.columnDefinitions = GRID_COLUMNS;
    grid.gridTemplateColumns = GRID_TEMPLATE;
    note.id = 'trace-note';
    container.append(note, grid);
    grid.addEventListener('click', (e) => {
      const n = rowSegment(e.target instanceof Element ? e.target.closest('vscode-data-grid-row') : null);
      const v = state.selectedVariant();
      if (!v || !Number.isSafeInteger(n)) return;
      const line = state.causeLineOf(v.label, n);
      if (line !== null) reveal(line, 0);
    });
  }

  /** The variants changed (an update, another window): the grid is built again when shown. */
  invalidate(): void {
    this.builtFor = undefined;
  }

  /**
   * Fills the grid, only while the Trace tab is shown: building a data grid of hundreds of rows
   * took a quarter of an update's time (339 of 1 440 ms at 1 001 segments) when nobody could
   * see it. A hidden grid is left stale (builtFor says for which variant it was built) and is
   * built when its tab is next shown.
   */
  refresh(): void {
    const { state } = this;
    if (state.saved.tab !== 'trace') return;
    const v = state.selectedVariant();
    if (v === this.builtFor) return;
    this.builtFor = v;
    const rows = v ? state.rowsOf(v).rows : [];
    this.grid.rowsData = rows.map(gridRow);
    const w = v?.sequence.window;
    this.note.textContent = v
      ? `${state.variants.length > 1 ? `Variant "${v.label}": ` : ''}${w ? `segments ${w.from}\u2013${w.to} of ${w.total}` : `${rows.length} segment${rows.length === 1 ? '' : 's'}`}. Click a row to go to the line that caused it.`
      : '';
    requestAnimationFrame(() => this.highlightRows());
  }

  /** Marks the rows of segments caused by the editor's cursor line. */
  highlightRows(): void {
    const { state } = this;
    if (state.saved.tab !== 'trace') return; // refresh highlights when the tab is shown
    const v = state.selectedVariant();
    const causes = v ? state.rowsOf(v).causeLines : new Map<number, number | null>();
    const line = state.highlightLine;
    for (const row of this.grid.querySelectorAll('vscode-data-grid-row')) {
      row.classList.toggle('tcpscn-highlight-row', line !== null && causes.get(rowSegment(row)) === line);
    }
  }
}
