// The state timeline: a Mermaid gantt chart with one section (one row, in compact mode) per
// TCB, in endpoint declaration order, each state an interval labelled with its name; errors and
// hazards are milestones in rows of their own (one each while there are few, so that their
// labels do not overlap) plus vertical lines across the chart.
//
// The time axis. TCP mixes time scales: a handshake takes a few round trips (tens of ms) and
// TIME_WAIT lasts 2*MSL (60 s on Linux). Drawn to scale, the handshake would be a sliver
// beside TIME_WAIT. So the axis is compressed piecewise: the instants at which something
// happens (state changes, errors, hazards, the end of the run) are kept in order, and every
// quiet stretch between two neighbouring instants that is longer than a threshold Q is drawn
// shorter, logarithmically: a gap d > Q is drawn as Q * (1 + ln(d / Q)) (60 s beside Q = 200 ms
// becomes 1.3 s). Q is four times the median gap, clamped to [100 ms, 1 s], so the busy parts
// keep their true proportions; the axis is compressed only when that makes the chart at least
// two times shorter. Short states are drawn at least 3% of the chart wide (less when there are
// very many) so that a name fits.
//
// When the drawing is off scale (compressed or widened), the axis ticks would lie, so they are
// hidden (`axisFormat` prints a neutral dot), the title says so, every interval's label gives
// its real start and duration when the bar has room for it (else its name or abbreviation;
// the trace tab and the sequence diagram have the times), and a row "shortened" has a bar over
// each compressed stretch saying how much real time it holds.
//
// Labels never overlap. Mermaid draws a label that does not fit its bar beside it, where in
// compact mode it covers the next state's label. The chart is laid out at least CHART_WIDTH
// wide, so the least room of each bar is known here in pixels: a bar
// gets the longest label that fits, and one too short for even an abbreviation (or a state that
// lasts no time, a milestone) gets none. A "legend" row spells out the abbreviations used and
// names each unlabelled state with its row, real start and duration. When it is to scale, the axis is
// real time (`%S.%L`, or `%M:%S.%L` past 60 s).
//
// Gantt text rules (shared/notes/mermaid.md): task names and section names go through
// escapeGantt (no `:` `#` `;` `%`), ids are generated (`s1`, `m1`, ...), and no `after`/`until`
// is used, so no id can dangle.

import type { Trace } from '../trace';
import type { TcpState } from '../types';
import { escapeGantt } from './escape';
import { formatDuration } from '../duration';

interface Interval {
  state: TcpState;
  start: number;
  end: number;
}

interface TcbRow {
  tcb: number;
  endpoint: string;
  peer: string | null;
  firstT: number;
  intervals: Interval[];
}

/** Builds each TCB's intervals from its transitions; CLOSED (before and after) is not drawn. */
function tcbRows(trace: Trace): TcbRow[] {
  const rows = new Map<number, TcbRow>();
  const current = new Map<number, { state: TcpState; since: number }>();
  for (const x of trace.transitions) {
    let row = rows.get(x.tcb);
    if (!row) {
      row = { tcb: x.tcb, endpoint: x.endpoint, peer: x.peer, firstT: x.t, intervals: [] };
      rows.set(x.tcb, row);
    }
    if (row.peer === null && x.peer !== null) row.peer = x.peer;
    const open = current.get(x.tcb);
    if (open && open.state !== 'CLOSED')
      row.intervals.push({ state: open.state, start: open.since, end: Math.max(open.since, x.t) });
    current.set(x.tcb, { state: x.to, since: x.t });
  }
  for (const [tcb, open] of current) {
    if (open.state === 'CLOSED') continue;
    rows.get(tcb)?.intervals.push({ state: open.state, start: open.since, end: Math.max(open.since, trace.endedAt) });
  }
  const order = new Map(trace.endpoints.map((e, i) => [e.name, i]));
  return [...rows.values()].sort(
    (a, b) => (order.get(a.endpoint) ?? Infinity) - (order.get(b.endpoint) ?? Infinity) || a.tcb - b.tcb,
  );
}

/** The compressed axis: real instant -> drawn instant (integer ms), see the file comment. */
export interface TimeAxis {
  compressed: boolean;
  /** Real gaps that were visibly shortened (drawn at most 3/4 of their length), in real ms. */
  breaks: Array<{ start: number; end: number }>;
  toDisplay(t: number): number;
  /** The drawn length of the whole axis. */
  drawnSpan: number;
}

export function compressTime(instants: readonly number[]): TimeAxis {
  const points = [...new Set(instants.filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i++) gaps.push(points[i] - points[i - 1]);
  const positive = gaps.filter((g) => g > 0).sort((a, b) => a - b);
  const median = positive.length > 0 ? positive[Math.floor(positive.length / 2)] : 0;
  const q = Math.min(1000, Math.max(100, 4 * median));
  const span = points.length > 0 ? points[points.length - 1] - points[0] : 0;
  // q * (1 + ln(d / q)) meets d at d = q with slope 1 and grows slower after: never longer than d.
  const shortened = (d: number): number => (d > q ? q * (1 + Math.log(d / q)) : d);
  // Compress only when it matters: the drawn span would be under half of the real one.
  const compressedSpan = gaps.reduce((sum, d) => sum + shortened(d), 0);
  const compress = compressedSpan * 2 < span;
  const base = gaps.map((d) => (compress ? shortened(d) : d));
  // Every state gets room for its name: a gap is drawn at least minGap wide (3% of the chart,
  // less when there are very many), which also puts the axis off scale.
  const baseTotal = base.reduce((sum, d) => sum + d, 0);
  const minGap = positive.length > 0 ? Math.min(0.03 * baseTotal, baseTotal / (2 * positive.length)) : 0;
  const drawn: number[] = [];
  const breaks: Array<{ start: number; end: number }> = [];
  let widened = false;
  let at = 0;
  for (let i = 0; i < points.length; i++) {
    if (i > 0) {
      const d = points[i] - points[i - 1];
      // A stretch is marked when it is drawn at most 3/4 of its length (visibly shortened).
      if (compress && shortened(d) <= 0.75 * d) breaks.push({ start: points[i - 1], end: points[i] });
      let g = base[i - 1];
      if (d > 0 && g < minGap) {
        g = minGap;
        widened = true;
      }
      // Distinct instants stay at least 1 drawn ms apart so that their order stays visible.
      at += Math.max(1, Math.round(g));
    } else {
      at = Math.round(points[0] ?? 0);
    }
    drawn.push(at);
  }
  const compressed = compress || widened || drawn.some((x, i) => x !== points[i]);
  const toDisplay = (t: number): number => {
    // Binary search: instants are sorted; a time between two instants is interpolated.
    let lo = 0;
    let hi = points.length - 1;
    if (hi < 0) return Math.round(t);
    if (t <= points[0]) return drawn[0];
    if (t >= points[hi]) return drawn[hi];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (points[mid] <= t) lo = mid;
      else hi = mid;
    }
    if (points[lo] === t) return drawn[lo];
    const f = (t - points[lo]) / (points[hi] - points[lo]);
    return Math.round(drawn[lo] + f * (drawn[hi] - drawn[lo]));
  };
  return { compressed, breaks, toDisplay, drawnSpan: drawn.length > 0 ? drawn[drawn.length - 1] - drawn[0] : 0 };
}

/**
 * The narrowest width the chart is laid out at: the preview gives it the pane's width but at
 * least this much (and scrolls), and a standalone chart (Markdown, the command line) is laid out
 * at exactly this width (gantt `useWidth`) and then scaled to its page, text included. Bars
 * only get wider than judged here, so whether a label fits its bar can be decided here, on the
 * drawn (compressed) axis.
 */
export const CHART_WIDTH = 1000;
const RIGHT_PADDING = 75;

/**
 * The width of a text at the preview's gantt font size (12 px; Mermaid's default is 11), a
 * little wider than measured in Chromium for DejaVu Sans so that wider fonts (Verdana) fit too.
 */
export function textPx(text: string): number {
  let px = 0;
  for (const ch of text) {
    if (/[MW]/.test(ch)) px += 12.5;
    else if (/[A-Z_]/.test(ch)) px += 8.8;
    else if (/[mw]/.test(ch)) px += 10;
    else if (/[a-z]/.test(ch)) px += 6.6;
    else if (/[0-9+]/.test(ch)) px += 6.9;
    else if (/[ .,:;'|!]/.test(ch)) px += 4;
    else px += 10;
  }
  return px;
}

/** Room a label needs inside its bar: its text and a little air on both sides. */
const LABEL_AIR_PX = 8;

/** The label of a bar too short for any: invisible, but not empty (Mermaid needs a task name). */
const NO_LABEL = '\u200B';
/** The row that spells out the abbreviations used and names the states whose bars are too short for any label. */
export const LEGEND_SECTION = 'legend';

/** The legend row holds at most this many lines. */
const MAX_LEGEND_LINES = 6;

/** Errors and hazards get a row each up to this many; more share one row. */
const MAX_PROBLEM_ROWS = 6;
/** Beyond MAX_PROBLEM_ROWS problems, they are packed into at most this many rows. */
const MAX_PACKED_ROWS = 12;
/** A milestone's diamond and the gap before its label, in pixels. */
const MILESTONE_PX = 30;

/** Short names for bars too narrow for the full one (the trace and the sequence diagram say it in full). */
export const STATE_ABBREVIATIONS: Readonly<Record<TcpState, string>> = {
  CLOSED: 'CL',
  LISTEN: 'LSN',
  SYN_SENT: 'SS',
  SYN_RECEIVED: 'SR',
  ESTABLISHED: 'EST',
  FIN_WAIT_1: 'FW1',
  FIN_WAIT_2: 'FW2',
  CLOSE_WAIT: 'CW',
  CLOSING: 'CLG',
  LAST_ACK: 'LA',
  TIME_WAIT: 'TW',
};

/**
 * `ESTABLISHED 110ms +890ms` (the state, its real start and duration) when that fits in the
 * bar; else the state's name, else its abbreviation; else no text at all (null), and the
 * legend row names it. Mermaid draws a label that does not fit beside its bar, over the next
 * state's label, where neither can be read.
 */
function taskLabel(iv: Interval, barPx: number): string | null {
  const fits = (text: string): boolean => textPx(text) + LABEL_AIR_PX <= barPx;
  const full = `${iv.state} ${formatDuration(iv.start)} +${formatDuration(iv.end - iv.start)}`;
  for (const label of [full, iv.state, STATE_ABBREVIATIONS[iv.state]]) if (fits(label)) return escapeGantt(label);
  return null;
}

/** Packs legend entries into lines that fit a bar as wide as the chart. */
function legendLines(entries: readonly string[], barPx: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const e of entries) {
    const next = line === '' ? e : `${line}  \u00B7  ${e}`;
    if (line !== '' && textPx(next) + LABEL_AIR_PX > barPx) {
      lines.push(line);
      line = e;
    } else {
      line = next;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** One section name per TCB, unique after escaping (Mermaid groups rows by section name). */
function sectionNames(rows: readonly TcbRow[]): string[] {
  const used = new Map<string, number>();
  return rows.map((r) => {
    const base = escapeGantt(r.peer === null ? `${r.endpoint} listener` : `${r.endpoint} to ${r.peer}`) || 'TCB';
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * Rows for the error and hazard milestones: one each while there are few, so that their labels
 * cannot overlap; beyond that packed into rows where their labels do not meet (a label is
 * beside its diamond, right or left as Mermaid finds room, so both sides are kept free). One
 * that finds no room in MAX_PACKED_ROWS rows keeps its diamond and line but loses its label.
 */
function packProblems(
  problems: ReadonlyArray<{ text: string; t: number }>,
  xOf: (t: number) => number,
): { rowOf: number[]; labelOf: string[] } {
  const rowOf: number[] = [];
  const labelOf: string[] = [];
  if (problems.length <= MAX_PROBLEM_ROWS) {
    problems.forEach((p, i) => {
      rowOf.push(i);
      labelOf.push(escapeGantt(p.text));
    });
    return { rowOf, labelOf };
  }
  const freeFrom: number[] = [];
  for (const p of problems) {
    const x = xOf(p.t);
    const w = textPx(p.text) + LABEL_AIR_PX;
    let row = freeFrom.findIndex((f) => f <= x - w - MILESTONE_PX);
    if (row < 0 && freeFrom.length < MAX_PACKED_ROWS) row = freeFrom.push(-Infinity) - 1;
    if (row < 0) {
      // No room: in the row that frees up first, without a label.
      row = freeFrom.indexOf(Math.min(...freeFrom));
      labelOf.push(NO_LABEL);
      freeFrom[row] = Math.max(freeFrom[row], x + MILESTONE_PX);
    } else {
      labelOf.push(escapeGantt(p.text));
      freeFrom[row] = x + MILESTONE_PX + w;
    }
    rowOf.push(row);
  }
  return { rowOf, labelOf };
}

export interface TimelineOptions {
  /**
   * Lay the chart out at exactly CHART_WIDTH (gantt `useWidth`), to be scaled to its page: for
   * a chart shown by a renderer tcpscn does not configure (Markdown on GitHub, the command
   * line). The preview leaves it out and sets a width of at least CHART_WIDTH itself.
   */
  fixedWidth?: boolean;
}

export function renderTimeline(trace: Trace, opts: TimelineOptions = {}): string {
  const rows = tcbRows(trace);
  const instants: number[] = [0, trace.endedAt];
  for (const x of trace.transitions) instants.push(x.t);
  for (const e of trace.errors) instants.push(e.t);
  for (const h of trace.hazards) instants.push(h.t);
  const axis = compressTime(instants);
  let last = 0;
  for (const t of instants) if (t > last) last = t;
  const endShown = axis.toDisplay(last);

  const names = sectionNames(rows);
  // Room on the left for the longest section name (Mermaid's default 75 px fits ~10 characters).
  const leftPadding = Math.min(300, Math.max(75, Math.round(Math.max(0, ...names.map((n) => [...n].length)) * 7 + 16)));
  const title = escapeGantt(trace.title);
  const lines: string[] = [
    '---',
    'config:',
    '  gantt:',
    '    displayMode: compact',
    `    leftPadding: ${leftPadding}`,
    `    rightPadding: ${RIGHT_PADDING}`,
    ...(opts.fixedWidth === true ? [`    useWidth: ${CHART_WIDTH}`] : []),
    '---',
    'gantt',
  ];
  // Drawn milliseconds to pixels of the bar area.
  const pxPerMs = (CHART_WIDTH - leftPadding - RIGHT_PADDING) / Math.max(1, axis.drawnSpan);
  const suffix = axis.compressed ? 'state timeline (not to scale)' : 'state timeline';
  lines.push(`title ${title !== '' ? `${title} - ${suffix}` : suffix}`);
  lines.push('dateFormat x');
  if (axis.compressed) lines.push('axisFormat \u00B7');
  else lines.push(endShown >= 60_000 ? 'axisFormat %M\u2236%S.%L' : 'axisFormat %S.%L');
  lines.push('todayMarker off');

  let taskId = 0;
  // States whose bar is too short for any label, named in a legend row instead.
  const unlabelled: string[] = [];
  const abbreviated = new Set<TcpState>();
  rows.forEach((row, i) => {
    lines.push(`section ${names[i]}`);
    for (const iv of row.intervals) {
      const start = axis.toDisplay(iv.start);
      const end = axis.toDisplay(iv.end);
      // A milestone's label always lies beside its diamond, over its neighbours': it gets none.
      const fitted = end > start ? taskLabel(iv, (end - start) * pxPerMs) : null;
      if (fitted === null)
        unlabelled.push(
          `${names[i]} \u2014 ${escapeGantt(`${iv.state} ${formatDuration(iv.start)} +${formatDuration(iv.end - iv.start)}`)}`,
        );
      if (fitted === STATE_ABBREVIATIONS[iv.state]) abbreviated.add(iv.state);
      const label = fitted ?? NO_LABEL;
      taskId++;
      // A state that lasts no time (TIME_WAIT with time_wait = 0) is a milestone, so it shows.
      if (end <= start) lines.push(`${label} :milestone, s${taskId}, ${start}, 0ms`);
      else lines.push(`${label} :s${taskId}, ${start}, ${end - start}ms`);
    }
  });
  if (rows.length === 0) {
    // A gantt chart without tasks draws nothing useful; one row says why.
    lines.push(
      'section run',
      `no connection ${formatDuration(0)} +${formatDuration(trace.endedAt)} :s0, ${axis.toDisplay(0)}, ${Math.max(1, endShown - axis.toDisplay(0))}ms`,
    );
  }

  // Errors and hazards: a milestone in a row of their own with what happened, and a vertical
  // line across every row at that instant. (Mermaid places a vert marker's own label below the
  // chart, out of view in compact mode, so the milestone carries the words.)
  const problems: Array<{ text: string; t: number }> = [
    ...trace.errors.map((e) => ({
      text: `${e.expectedBy !== undefined ? '\u2713' : '\u26A0'} ${e.endpoint} ${e.code} ${formatDuration(e.t)}${e.expectedBy !== undefined ? ' (expected)' : ''}`,
      t: e.t,
    })),
    ...trace.hazards.map((h) => ({ text: `\u26A0 ${h.endpoint} ${h.kind} ${formatDuration(h.t)}`, t: h.t })),
    ...(trace.truncated !== null
      ? [{ text: `\u26A0 run stopped ${formatDuration(trace.endedAt)}`, t: trace.endedAt }]
      : []),
  ].sort((x, y) => x.t - y.t);
  const packed = packProblems(problems, (t) => (axis.toDisplay(t) - axis.toDisplay(0)) * pxPerMs);
  const unnamed = packed.labelOf.filter((l) => l === NO_LABEL).length;

  // The legend, in bars as wide as the chart: what each abbreviation stands for, then the states
  // too short for any label, by row, start and duration.
  let markId = 0;
  const legend = [
    ...[...abbreviated].map((st) => `${STATE_ABBREVIATIONS[st]} = ${st}`),
    ...unlabelled,
    ...(unnamed > 0
      ? [
          `\u26A0 ${unnamed} of ${problems.length} errors and hazards are too close together to label (red lines), see the trace`,
        ]
      : []),
  ];
  if (legend.length > 0) {
    lines.push(`section ${LEGEND_SECTION}`);
    const from = axis.toDisplay(0);
    let legendText = legendLines(legend, (endShown - from) * pxPerMs);
    if (legendText.length > MAX_LEGEND_LINES) {
      // A run with very many short states: the legend stays a few rows; the trace has them all.
      const shown = legendText.slice(0, MAX_LEGEND_LINES - 1);
      const named = shown.join('  \u00B7  ').split('  \u00B7  ').length;
      legendText = [
        ...shown,
        `\u2026 and ${legend.length - named} more states too short to label (the trace lists every state)`,
      ];
    }
    for (const text of legendText) {
      markId++;
      lines.push(`${text} :done, m${markId}, ${from}, ${Math.max(1, endShown - from)}ms`);
    }
  }
  // The shortened stretches get a row of their own, a bar over each saying how long it really is
  // (or just how long, or nothing, when the bar is narrower than that).
  if (axis.breaks.length > 0) {
    lines.push('section shortened');
    for (const br of axis.breaks) {
      const start = axis.toDisplay(br.start);
      const end = axis.toDisplay(br.end);
      const barPx = Math.max(1, end - start) * pxPerMs;
      const label = [`\u22EF ${formatDuration(br.end - br.start)} quiet`, formatDuration(br.end - br.start)].find(
        (t) => textPx(t) + LABEL_AIR_PX <= barPx,
      );
      markId++;
      lines.push(
        `${label !== undefined ? escapeGantt(label) : NO_LABEL} :done, m${markId}, ${start}, ${Math.max(1, end - start)}ms`,
      );
    }
  }
  if (problems.length > 0) {
    // Rows as packProblems chose them; the legend row says how many lost their label.
    const { rowOf, labelOf } = packed;
    const rowCount = rowOf.reduce((m, r) => Math.max(m, r), 0) + 1;
    for (let r = 0; r < rowCount; r++) {
      lines.push(`section \u26A0 ${r + 1}`);
      problems.forEach((p, i) => {
        if (rowOf[i] !== r) return;
        markId++;
        lines.push(`${labelOf[i]} :crit, milestone, m${markId}, ${axis.toDisplay(p.t)}, 0ms`);
      });
    }
    for (const p of problems) {
      markId++;
      lines.push(`${escapeGantt(p.text)} :vert, m${markId}, ${axis.toDisplay(p.t)}, 0ms`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Exported for tests: the TCB rows the timeline draws. */
export function timelineRows(trace: Trace): Array<{ tcb: number; endpoint: string; states: TcpState[] }> {
  return tcbRows(trace).map((r) => ({ tcb: r.tcb, endpoint: r.endpoint, states: r.intervals.map((i) => i.state) }));
}
