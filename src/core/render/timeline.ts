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
// two times shorter. Short states are widened until their full names fit (compressTime's
// `rooms`), as far as the chart has room: the proportional part keeps at least a third of it,
// and a state that still has too little room falls back to an abbreviation or the legend.
//
// Real times on the axis. Mermaid can only print the drawn (compressed) times, so the core
// exposes the mapping as data (TimelineAxis: each instant and where it is drawn; drawnAt between
// them) and chooses the ticks itself (timelineTicks: real round times per stretch between two
// instants, the Ladder's tick rules in timeTicks.ts, none inside a folded stretch, each fold
// labelled `+59.95s`). The preview (`pageAxis`) has Mermaid print drawn ms (`%Q`), reads its
// scale from them and writes these ticks instead (webview/timelineAxis.ts), so its SVG export
// has them too. Mermaid text for a renderer tcpscn does not run (Markdown, `tcpscn render
// --format timeline`) cannot: when it is off scale its axis prints a neutral dot, the title says
// "not to scale", and the chart's `note` (OFF_SCALE_NOTE) is written beside it. Either way every
// interval's label gives its real start and duration when the bar has room for it, and a row
// "shortened" has a bar over each compressed stretch saying how much real time it holds.
//
// Labels never overlap. Mermaid draws a label that does not fit its bar beside it, where in
// compact mode it covers the next state's label. The chart is laid out at a width known here
// (the preview's pane, else CHART_WIDTH), so the room of each bar is known in pixels: a bar
// gets the longest label that fits, and one too short for even an abbreviation (or a state that
// lasts no time, a milestone) gets none. A "legend" row spells out the abbreviations used and
// names each unlabelled state with its row, real start and duration. When it is to scale, the
// Mermaid text's own axis is real time (`%S.%L`, or `%M:%S.%L` past 60 s).
//
// Gantt text rules (shared/notes/mermaid.md): task names and section names go through
// escapeGantt (no `:` `#` `;` `%`), ids are generated (`s1`, `m1`, ...), and no `after`/`until`
// is used, so no id can dangle.

import type { Trace } from '../trace';
import type { TcpState } from '../types';
import { escapeGantt } from './escape';
import { formatDuration } from '../duration';
import { connectionNames } from './explain';
import { niceStep, ticksAlong, type TimeRun } from './timeTicks';

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

/**
 * What of a trace the timeline is drawn from: its state changes, errors and hazards, never its
 * segments (the preview sends it without them: src/protocol/ladder.ts).
 */
export type TimelineTrace = Pick<
  Trace,
  'title' | 'endpoints' | 'transitions' | 'errors' | 'hazards' | 'endedAt' | 'truncated'
>;

/** Builds each TCB's intervals from its transitions; CLOSED (before and after) is not drawn. */
function tcbRows(trace: TimelineTrace): TcbRow[] {
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

/**
 * The compressed axis as data (it crosses to the webview, which writes real times on it): the
 * instants at which something happens, each with where it is drawn (integer "drawn ms", the
 * gantt's own time), and the quiet stretches folded into breaks. Between two instants the
 * drawing is linear, so `drawnAt` maps any real time, and the ticks (timelineTicks) are placed
 * at real round times through it.
 */
export interface TimelineAxis {
  /** Real instants, increasing, in ms. */
  points: number[];
  /** Where each is drawn, increasing (distinct instants at least 1 drawn ms apart). */
  drawn: number[];
  /** Real gaps that were visibly shortened (drawn at most 3/4 of their length), in real ms. */
  breaks: Array<{ start: number; end: number }>;
}

/** The compressed axis: real instant -> drawn instant (integer ms), see the file comment. */
export interface TimeAxis extends TimelineAxis {
  /** Off scale: shortened, widened, or shifted anywhere. */
  compressed: boolean;
  toDisplay(t: number): number;
  /** The drawn length of the whole axis. */
  drawnSpan: number;
}

/** Where real time `t` is drawn: linear between two instants, clamped to the first and last. */
export function drawnAt(axis: Pick<TimelineAxis, 'points' | 'drawn'>, t: number): number {
  const { points, drawn } = axis;
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0) return Math.round(t);
  if (t <= points[0]) return drawn[0];
  if (t >= points[hi]) return drawn[hi];
  // Binary search: instants are sorted; a time between two instants is interpolated.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid] <= t) lo = mid;
    else hi = mid;
  }
  if (points[lo] === t) return drawn[lo];
  const f = (t - points[lo]) / (points[hi] - points[lo]);
  return drawn[lo] + f * (drawn[hi] - drawn[lo]);
}

/**
 * Room a state's bar should have for its name, in pixels of a bar area `barPx` wide: compressTime
 * widens the stretch from `start` to `end` (two of its instants) until it has that much, when the
 * chart has the room.
 */
export interface LabelRoom {
  start: number;
  end: number;
  px: number;
  /** Met in full before the others (a fold's length): those get less when not all fit. */
  firm?: boolean;
}

export function compressTime(
  instants: readonly number[],
  rooms: readonly LabelRoom[] = [],
  barPx: number = CHART_WIDTH - 2 * RIGHT_PADDING,
): TimeAxis {
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
  // Every stretch stays visible: a gap is drawn at least minGap wide (3% of the chart, less when
  // there are very many), which also puts the axis off scale; widenForLabels then makes room for names.
  const baseTotal = base.reduce((sum, d) => sum + d, 0);
  const minGap = positive.length > 0 ? Math.min(0.03 * baseTotal, baseTotal / (2 * positive.length)) : 0;
  let widened = false;
  const g = base.map((d, i) => {
    if (gaps[i] > 0 && d < minGap) {
      widened = true;
      return minGap;
    }
    return d;
  });
  // A folded stretch asks for room for its length (`+59.95s`, timelineTicks) between the times
  // where it starts and ends, which the axis always labels. The longest (a TIME_WAIT's minute)
  // gets it first, before the states' names; the others as those do, as far as there is room.
  const folds: LabelRoom[] = [];
  let longest = -1;
  if (compress)
    gaps.forEach((d, i) => {
      if (shortened(d) > 0.75 * d) return;
      // The length is centred on the fold, so each side needs room for the wider of the two times.
      const edges = 2 * (Math.max(textPx(formatDuration(points[i])), textPx(formatDuration(points[i + 1]))) / 2 + 6);
      folds.push({ start: points[i], end: points[i + 1], px: textPx(`+${formatDuration(d)}`) + 12 + edges + 1 });
      if (longest < 0 || d > folds[longest].end - folds[longest].start) longest = folds.length - 1;
    });
  if (longest >= 0) folds[longest].firm = true;
  if (widenForLabels(points, gaps, g, [...rooms, ...folds], barPx)) widened = true;
  const drawn: number[] = [];
  const breaks: Array<{ start: number; end: number }> = [];
  let at = 0;
  for (let i = 0; i < points.length; i++) {
    if (i > 0) {
      const d = gaps[i - 1];
      // A stretch is marked when it is drawn at most 3/4 of its length (visibly shortened).
      if (compress && shortened(d) <= 0.75 * d) breaks.push({ start: points[i - 1], end: points[i] });
      // Distinct instants stay at least 1 drawn ms apart so that their order stays visible.
      at += Math.max(1, Math.round(g[i - 1]));
    } else {
      at = Math.round(points[0] ?? 0);
    }
    drawn.push(at);
  }
  const compressed = compress || widened || drawn.some((x, i) => x !== points[i]);
  const toDisplay = (t: number): number => Math.round(drawnAt({ points, drawn }, t));
  return {
    points,
    drawn,
    breaks,
    compressed,
    toDisplay,
    drawnSpan: drawn.length > 0 ? drawn[drawn.length - 1] - drawn[0] : 0,
  };
}

/**
 * Widens the drawn gaps `g` (in place) so that each room's stretch gets its pixels in a bar area
 * `barPx` wide, keeping as much of the chart as it can in the proportions it had: every gap is
 * drawn `c` times its length before widening, plus what the rooms need, and `c` is the largest
 * for which the whole still fits (bisected). The proportional part keeps at least a third of the
 * chart; rooms that cannot all be met then are met in part (their states fall back to a shorter
 * label, or the legend). Returns whether any gap was widened.
 */
function widenForLabels(
  points: readonly number[],
  gaps: readonly number[],
  g: number[],
  rooms: readonly LabelRoom[],
  barPx: number,
): boolean {
  const total = g.reduce((sum, d) => sum + d, 0);
  if (rooms.length === 0 || total <= 0 || barPx <= 0) return false;
  const index = new Map(points.map((t, i) => [t, i]));
  // Each room as the range of gaps it covers, the shortest first (they are the ones that need it).
  const spans = rooms
    .map((r) => ({ from: index.get(r.start) ?? -1, to: index.get(r.end) ?? -1, px: r.px, firm: r.firm === true }))
    .filter((r) => r.from >= 0 && r.to > r.from && r.to - r.from <= gaps.length)
    .sort((a, b) => a.to - a.from - (b.to - b.from) || a.from - b.from);
  // Widths in px of each gap with the proportional part scaled by c and the rooms' needs (times f) met.
  const layout = (c: number, f: number): number[] => {
    const w = g.map((d) => (d / total) * barPx * c);
    for (const r of spans) {
      let have = 0;
      for (let k = r.from; k < r.to; k++) have += w[k];
      const need = r.px * (r.firm ? 1 : f);
      if (have >= need) continue;
      // The missing pixels, shared in proportion to the gaps' real lengths (or evenly).
      let real = 0;
      for (let k = r.from; k < r.to; k++) real += gaps[k];
      for (let k = r.from; k < r.to; k++) w[k] += (need - have) * (real > 0 ? gaps[k] / real : 1 / (r.to - r.from));
    }
    return w;
  };
  const sum = (w: number[]): number => w.reduce((s, x) => s + x, 0);
  if (sum(layout(1, 1)) <= barPx * 1.0001) return false; // every room is there already
  let w: number[];
  const floor = 1 / 3;
  if (sum(layout(floor, 1)) <= barPx) {
    let lo = floor;
    let hi = 1;
    for (let i = 0; i < 30; i++) {
      const mid = (lo + hi) / 2;
      if (sum(layout(mid, 1)) <= barPx) lo = mid;
      else hi = mid;
    }
    w = layout(lo, 1);
  } else {
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 30; i++) {
      const mid = (lo + hi) / 2;
      if (sum(layout(floor, mid)) <= barPx) lo = mid;
      else hi = mid;
    }
    w = layout(floor, lo);
  }
  // Back to drawn ms: the chart's span unchanged, or at least 10 drawn ms a pixel so that rounding
  // to whole drawn ms moves nothing visibly.
  const scale = Math.max(total, 10 * barPx) / sum(w);
  for (let k = 0; k < g.length; k++) g[k] = w[k] * scale;
  return true;
}

/**
 * The width a standalone chart (Markdown, the command line) is laid out at (gantt `useWidth`),
 * then scaled to its page, text included. The preview lays it out at its pane's width instead
 * (TimelineOptions.width). Either way Mermaid draws at the width judged here, so whether a
 * label fits its bar can be decided here, on the drawn (compressed) axis.
 */
export const CHART_WIDTH = 1000;
const RIGHT_PADDING = 75;
/**
 * The narrowest width a chart is laid out at: below it the bars would have no room for even an
 * abbreviation, so a narrower pane scrolls sideways.
 */
export const MIN_CHART_WIDTH = 320;

/** The width a chart is laid out at, for a requested width (see TimelineOptions.width). */
export function chartWidth(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return CHART_WIDTH;
  return Math.max(MIN_CHART_WIDTH, Math.round(requested));
}

/** Mermaid draws a gantt's title at 18 px (its `.titleText`), textPx measures 12 px text. */
const TITLE_SCALE = 18 / 12;

/**
 * The chart's title (`title - state timeline`) in its width: Mermaid centres it and cuts both
 * ends of a longer one off, so a long scenario title loses words at its end (with an ellipsis);
 * the preview shows the whole title above the tabs.
 */
function chartTitle(title: string, suffix: string, width: number): string {
  const maxPx = (width - 16) / TITLE_SCALE;
  if (title === '') return suffix;
  const whole = `${title} - ${suffix}`;
  if (textPx(whole) <= maxPx) return whole;
  // The most words (all but one at most) that fit with the ellipsis and the suffix, measured as a
  // running sum (textPx adds up per character): a 100 000-character title re-joined and measured
  // once per word dropped took minutes.
  const words = title.split(' ');
  const room = maxPx - textPx(`\u2026 - ${suffix}`);
  let kept = 0;
  let px = 0;
  for (let i = 0; i < words.length - 1; i++) {
    px += textPx(i === 0 ? words[i] : ` ${words[i]}`);
    if (px > room) break;
    kept = i + 1;
  }
  return kept === 0 ? suffix : `${words.slice(0, kept).join(' ')}\u2026 - ${suffix}`;
}

/** Mermaid's line break in a section name (its lineBreakRegex), which draws the name over two lines. */
const LINE_BREAK = '<br>';
/** Room around a section name: Mermaid draws it 10 px from the left, and a few px keep it off the bars. */
const SECTION_AIR_PX = 16;

/**
 * A section name (already escaped) wrapped at its spaces into lines of at most `maxPx`
 * (textPx): a long connection name (`client to server, connection 2`) in a narrow chart. A
 * single word longer than that stays whole.
 */
function wrapName(name: string, maxPx: number): string {
  if (textPx(name) <= maxPx) return name;
  const lines: string[] = [];
  let line = '';
  for (const word of name.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textPx(next) > maxPx) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines.join(LINE_BREAK);
}

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

/**
 * Packs legend entries into lines that fit a bar as wide as the chart, each entry in the
 * longest of its forms that fits alone (the last when none does).
 */
function legendLines(entries: ReadonlyArray<readonly string[]>, barPx: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const forms of entries) {
    const e = fitting(forms, barPx) ?? forms[forms.length - 1];
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

/**
 * One section name per TCB, in the words the rest of the project uses (connectionNames: `client
 * to server`, `server listener`, `client to server, connection 2`), unique after escaping
 * (Mermaid groups rows by section name).
 */
function sectionNames(rows: readonly TcbRow[], trace: TimelineTrace): string[] {
  const named = connectionNames(trace.transitions);
  const used = new Map<string, number>();
  return rows.map((r) => {
    const base = escapeGantt(named.get(r.tcb) ?? `${r.endpoint} to ${r.peer ?? 'an undeclared address'}`) || 'TCB';
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}, row ${n}`;
  });
}

/** An error or hazard: its words, longest first (the first is the vertical line's own label), and its time. */
interface Problem {
  forms: string[];
  t: number;
}

/** The first of `forms` (longest first) that fits in `px` with a little air, or null. */
function fitting(forms: readonly string[], px: number): string | null {
  return forms.find((f) => textPx(f) + LABEL_AIR_PX <= px) ?? null;
}

/**
 * Rows for the error and hazard milestones: one each while there are few, so that their labels
 * cannot overlap; beyond that packed into rows where their labels do not meet (a label is
 * beside its diamond, right or left as Mermaid finds room, so both sides are kept free). One
 * that finds no room in MAX_PACKED_ROWS rows keeps its diamond and line but loses its label.
 */
function packProblems(
  problems: ReadonlyArray<Problem>,
  xOf: (t: number) => number,
  roomAt: (x: number) => number,
): { rowOf: number[]; labelOf: string[] } {
  const rowOf: number[] = [];
  const labelOf: string[] = [];
  // The longest of its labels that has room beside its diamond (right or left, within the chart).
  const labelFor = (p: Problem): string => fitting(p.forms.map(escapeGantt), roomAt(xOf(p.t))) ?? NO_LABEL;
  if (problems.length <= MAX_PROBLEM_ROWS) {
    problems.forEach((p, i) => {
      rowOf.push(i);
      labelOf.push(labelFor(p));
    });
    return { rowOf, labelOf };
  }
  const freeFrom: number[] = [];
  for (const p of problems) {
    const x = xOf(p.t);
    const label = labelFor(p);
    const w = textPx(label) + LABEL_AIR_PX;
    let row = freeFrom.findIndex((f) => f <= x - w - MILESTONE_PX);
    if (row < 0 && freeFrom.length < MAX_PACKED_ROWS) row = freeFrom.push(-Infinity) - 1;
    if (row < 0) {
      // No room: in the row that frees up first, without a label.
      row = freeFrom.indexOf(Math.min(...freeFrom));
      labelOf.push(NO_LABEL);
      freeFrom[row] = Math.max(freeFrom[row], x + MILESTONE_PX);
    } else {
      labelOf.push(label);
      freeFrom[row] = x + MILESTONE_PX + w;
    }
    rowOf.push(row);
  }
  return { rowOf, labelOf };
}

export interface TimelineOptions {
  /**
   * The width in CSS pixels the chart is laid out for (at least MIN_CHART_WIDTH; CHART_WIDTH
   * when left out): the preview gives its pane's width, so that the chart fits the pane at 100 %
   * (12 px text) and each state gets the longest name that fits at that width.
   */
  width?: number;
  /**
   * Lay the chart out at exactly its width (gantt `useWidth`), to be scaled to its page: for
   * a chart shown by a renderer tcpscn does not configure (Markdown on GitHub, the command
   * line). The preview leaves it out and sets the same width in Mermaid's configuration.
   */
  fixedWidth?: boolean;
  /**
   * The page writes real times on the axis (the preview, through timelineTicks): Mermaid prints
   * its ticks in drawn ms (`%Q`), which the page reads to place its own. Without it, a chart
   * whose axis is off scale prints no values on it (a neutral dot), since Mermaid can only
   * print the drawn times, and says so.
   */
  pageAxis?: boolean;
}

/** A timeline's Mermaid text and the axis it was drawn on (for the page's real-time ticks). */
export interface TimelineChart {
  text: string;
  axis: TimelineAxis;
  /**
   * Why the axis has no times, for the reader of a chart without the page's ticks (beside the
   * Markdown's chart, on the command line's stderr); null when it has them. Not in the Mermaid
   * text: a `%%` comment there is seen by no reader of the drawing.
   */
  note: string | null;
}

/** Said beside a chart whose axis is off scale and not labelled by the page. */
export const OFF_SCALE_NOTE =
  'The time axis of the state timeline is not to scale, so it shows no times: quiet stretches are shortened (the row "shortened" says how much) and short states widened so that their names fit. Each bar gives its real start and duration where it has room, the legend row the others; the Ladder and the trace have every time.';

export function renderTimeline(trace: TimelineTrace, opts: TimelineOptions = {}): string {
  return timelineChart(trace, opts).text;
}

export function timelineChart(trace: TimelineTrace, opts: TimelineOptions = {}): TimelineChart {
  const rows = tcbRows(trace);
  const width = chartWidth(opts.width);
  // Room on the left for the section names, at most 30 % of the chart (and 300 px): a longer name
  // is wrapped at its spaces (Mermaid centres a section name's lines on its row).
  const leftMax = Math.min(300, Math.max(75, Math.round(width * 0.3)));
  const names = sectionNames(rows, trace);
  const wrapped = names.map((n) => wrapName(n, leftMax - SECTION_AIR_PX));
  const leftPadding = Math.min(
    leftMax,
    Math.max(75, Math.ceil(Math.max(0, ...wrapped.flatMap((n) => n.split(LINE_BREAK).map(textPx))) + SECTION_AIR_PX)),
  );
  // Room on the right for half of the last tick's label; Mermaid's 75 px where the chart is wide.
  const rightPadding = Math.min(RIGHT_PADDING, Math.max(24, Math.round(width * 0.04)));
  const barArea = width - leftPadding - rightPadding;
  const instants: number[] = [0, trace.endedAt];
  for (const x of trace.transitions) instants.push(x.t);
  for (const e of trace.errors) instants.push(e.t);
  for (const h of trace.hazards) instants.push(h.t);
  // Each state with a length asks for room for its full name (a pixel more against rounding).
  const rooms: LabelRoom[] = rows.flatMap((r) =>
    r.intervals
      .filter((iv) => iv.end > iv.start)
      .map((iv) => ({ start: iv.start, end: iv.end, px: textPx(iv.state) + LABEL_AIR_PX + 1 })),
  );
  const axis = compressTime(instants, rooms, barArea);
  let last = 0;
  for (const t of instants) if (t > last) last = t;
  const endShown = axis.toDisplay(last);

  const title = escapeGantt(trace.title);
  const lines: string[] = [
    '---',
    'config:',
    '  gantt:',
    '    displayMode: compact',
    `    leftPadding: ${leftPadding}`,
    `    rightPadding: ${rightPadding}`,
    ...(opts.fixedWidth === true ? [`    useWidth: ${width}`] : []),
    '---',
    'gantt',
  ];
  // Drawn milliseconds to pixels of the bar area.
  const pxPerMs = barArea / Math.max(1, axis.drawnSpan);
  const suffix = axis.compressed ? 'state timeline (not to scale)' : 'state timeline';
  lines.push(`title ${chartTitle(title, suffix, width)}`);
  lines.push('dateFormat x');
  if (opts.pageAxis === true) lines.push('axisFormat %Q');
  else if (axis.compressed) lines.push('axisFormat \u00B7');
  else lines.push(endShown >= 60_000 ? 'axisFormat %M\u2236%S.%L' : 'axisFormat %S.%L');
  lines.push('todayMarker off');

  let taskId = 0;
  // States whose bar is too short for any label, named in a legend row instead (shorter forms
  // for a narrow chart: without the row, whose own states tell it apart, then the duration).
  const unlabelled: string[][] = [];
  const abbreviated = new Set<TcpState>();
  rows.forEach((row, i) => {
    lines.push(`section ${wrapped[i]}`);
    for (const iv of row.intervals) {
      const start = axis.toDisplay(iv.start);
      const end = axis.toDisplay(iv.end);
      // A milestone's label always lies beside its diamond, over its neighbours': it gets none.
      const fitted = end > start ? taskLabel(iv, (end - start) * pxPerMs) : null;
      if (fitted === null) {
        // A state entered and left at one instant (to the microsecond) was passed through: a
        // FIN,ACK takes FIN_WAIT_1 through FIN_WAIT_2 to TIME_WAIT (RFC 9293 3.10.7.4).
        const lasted = formatDuration(iv.end - iv.start);
        const when = [
          `${iv.state} ${formatDuration(iv.start)} ${lasted === formatDuration(0) ? 'passed through' : `+${lasted}`}`,
          `${iv.state} ${formatDuration(iv.start)}`,
        ].map(escapeGantt);
        unlabelled.push([...when.map((w) => `${names[i]} \u2014 ${w}`), ...when]);
      }
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
  // Shorter forms for a narrow chart: the mark (\u2713 expected, \u26A0 not) says what
  // "(expected)" says, and the row (the endpoint) is where its line crosses.
  const problems: Problem[] = [
    ...trace.errors.map((e) => {
      const mark = e.expectedBy !== undefined ? '\u2713' : '\u26A0';
      const at = `${e.code} ${formatDuration(e.t)}`;
      const full = `${mark} ${e.endpoint} ${at}`;
      return {
        forms: [
          `${full}${e.expectedBy !== undefined ? ' (expected)' : ''}`,
          full,
          `${mark} ${at}`,
          `${mark} ${e.code}`,
        ],
        t: e.t,
      };
    }),
    ...trace.hazards.map((h) => ({
      forms: [
        `\u26A0 ${h.endpoint} ${h.kind} ${formatDuration(h.t)}`,
        `\u26A0 ${h.kind} ${formatDuration(h.t)}`,
        `\u26A0 ${h.kind}`,
      ],
      t: h.t,
    })),
    ...(trace.truncated !== null
      ? [
          {
            // The simulator's own limit ("the run reached N segments") or the preview's cut of a
            // long run (protocol/ladder.ts): the reason says which.
            forms: [
              `\u26A0 ends ${formatDuration(trace.endedAt)}: ${trace.truncated}`,
              `\u26A0 ends ${formatDuration(trace.endedAt)}`,
              '\u26A0 ends',
            ],
            t: trace.endedAt,
          },
        ]
      : []),
  ].sort((x, y) => x.t - y.t);
  const packed = packProblems(
    problems,
    (t) => (axis.toDisplay(t) - axis.toDisplay(0)) * pxPerMs,
    (x) => Math.max(x + leftPadding, barArea + rightPadding - x) - MILESTONE_PX / 2,
  );
  const unnamed = packed.labelOf.filter((l) => l === NO_LABEL).length;

  // The legend, in bars as wide as the chart: what each abbreviation stands for, then the states
  // too short for any label, by row, start and duration.
  let markId = 0;
  const legend: string[][] = [
    ...[...abbreviated].map((st) => [`${STATE_ABBREVIATIONS[st]} = ${st}`]),
    ...unlabelled,
    ...(unnamed > 0
      ? [
          [
            `\u26A0 ${unnamed} of ${problems.length} errors and hazards are too close together to label (red lines), see the trace`,
            `\u26A0 ${unnamed} of ${problems.length} errors and hazards unlabelled (red lines)`,
            `\u26A0 ${unnamed} unlabelled (red lines)`,
          ],
        ]
      : []),
  ];
  if (legend.length > 0) {
    lines.push(`section ${LEGEND_SECTION}`);
    const from = axis.toDisplay(0);
    const legendPx = (endShown - from) * pxPerMs;
    let legendText = legendLines(legend, legendPx);
    if (legendText.length > MAX_LEGEND_LINES) {
      // A run with very many short states: the legend stays a few rows; the trace has them all.
      const shown = legendText.slice(0, MAX_LEGEND_LINES - 1);
      const named = shown.join('  \u00B7  ').split('  \u00B7  ').length;
      const more = legend.length - named;
      legendText = [
        ...shown,
        fitting(
          [
            `\u2026 and ${more} more states too short to label (the trace lists every state)`,
            `\u2026 and ${more} more (the trace lists every state)`,
          ],
          legendPx,
        ) ?? `\u2026 and ${more} more`,
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
      lines.push(`${escapeGantt(p.forms[0])} :vert, m${markId}, ${axis.toDisplay(p.t)}, 0ms`);
    }
  }
  return {
    text: lines.join('\n') + '\n',
    axis: { points: axis.points, drawn: axis.drawn, breaks: axis.breaks },
    note: opts.pageAxis !== true && axis.compressed ? OFF_SCALE_NOTE : null,
  };
}

/** Ticks are at least this far apart on the timeline's axis, where their labels stand side by side. */
export const TIMELINE_TICK_MIN_PX = 64;

export interface TimelineTick {
  /** Real time, ms. */
  t: number;
  /** Where it is drawn, in the gantt's drawn ms. */
  drawn: number;
  label: string;
}

export interface TimelineBreakMark {
  /** The folded stretch in real ms, and where it is drawn (drawn ms). */
  start: number;
  end: number;
  drawnStart: number;
  drawnEnd: number;
  /** `+59.95s` (as the Ladder writes it), or null when it does not fit between its neighbour ticks. */
  label: string | null;
}

/**
 * Real times for the timeline's axis, drawn `pxPerDrawnMs` pixels per drawn ms: ticks at real
 * round times (timeTicks.ts, as the Ladder's axis), none inside a folded stretch (there the
 * drawing says nothing about time), whose labels do not overlap (textPx, the chart's 12 px text);
 * and each break with its real length. The page places them through the gantt's own scale.
 */
export function timelineTicks(
  axis: TimelineAxis,
  pxPerDrawnMs: number,
  minPx: number = TIMELINE_TICK_MIN_PX,
): { ticks: TimelineTick[]; breaks: TimelineBreakMark[] } {
  const { points } = axis;
  if (points.length === 0 || !(pxPerDrawnMs > 0) || !Number.isFinite(pxPerDrawnMs)) return { ticks: [], breaks: [] };
  const d0 = axis.drawn[0];
  const px = (t: number): number => (drawnAt(axis, t) - d0) * pxPerDrawnMs;
  const folded = [...axis.breaks].sort((a, b) => a.start - b.start);
  const isBreak = new Set(folded.map((b) => b.start));
  // Runs between neighbouring instants (not across a break), each with the step its own drawn
  // density allows: a short state widened for its name gets finer ticks than the stretch before
  // it, so the axis shows where it is stretched, and every instant (a state change) is a
  // candidate tick itself.
  // The edges of a break are candidates too: where time stops being drawn and where it resumes.
  const runs: TimeRun[] = [];
  for (let i = 0; i + 1 < points.length; i++)
    runs.push({ from: points[i], to: isBreak.has(points[i]) ? points[i] : points[i + 1] });
  if (points.length === 1 || isBreak.has(points[points.length - 2]))
    runs.push({ from: points[points.length - 1], to: points[points.length - 1] });
  const stepOf = (r: TimeRun): number => {
    const w = px(r.to) - px(r.from);
    return w > 0 && r.to > r.from ? niceStep((minPx * (r.to - r.from)) / w) : 1e15;
  };
  // Half a label and 6 px of air: side by side, two labels keep 12 px between them.
  const half = (label: string): number => textPx(label) / 2 + 6;
  // Where time folds and resumes (and where the axis starts) are said first; the other ticks
  // then where their labels meet none of those.
  const candidates = ticksAlong(runs, px, minPx, stepOf);
  const edges = new Set([points[0], ...folded.flatMap((b) => [b.start, b.end])]);
  for (const t of edges)
    if (!candidates.some((c) => c.t === t)) candidates.push({ t, at: px(t), label: formatDuration(t) });
  const ticks: Array<{ t: number; at: number; label: string }> = [];
  const meets = (a: { at: number; label: string }, b: { at: number; label: string }): boolean =>
    Math.abs(a.at - b.at) < half(a.label) + half(b.label);
  for (const first of [true, false])
    for (const tk of candidates) if (edges.has(tk.t) === first && !ticks.some((k) => meets(k, tk))) ticks.push(tk);
  ticks.sort((x, y) => x.at - y.at);
  const breaks = folded.map((b) => {
    const label = `+${formatDuration(b.end - b.start)}`;
    const x1 = px(b.start);
    const x2 = px(b.end);
    const mid = (x1 + x2) / 2;
    const left = ticks.filter((tk) => tk.at <= x1 + 1e-6).pop();
    const right = ticks.find((tk) => tk.at >= x2 - 1e-6);
    // The ticks' own air (half) is on their side, and the label keeps as much on its own: in
    // code-server's font a fold's length and its neighbours were 1.4 px apart with the ticks' alone.
    const w = half(label);
    const fits =
      mid - w >= (left ? left.at + half(left.label) : -Infinity) &&
      mid + w <= (right ? right.at - half(right.label) : Infinity);
    return {
      start: b.start,
      end: b.end,
      drawnStart: drawnAt(axis, b.start),
      drawnEnd: drawnAt(axis, b.end),
      label: fits ? label : null,
    };
  });
  return { ticks: ticks.map((tk) => ({ t: tk.t, drawn: d0 + tk.at / pxPerDrawnMs, label: tk.label })), breaks };
}

/** Exported for tests: the TCB rows the timeline draws. */
export function timelineRows(trace: TimelineTrace): Array<{ tcb: number; endpoint: string; states: TcpState[] }> {
  return tcbRows(trace).map((r) => ({ tcb: r.tcb, endpoint: r.endpoint, states: r.intervals.map((i) => i.state) }));
}
