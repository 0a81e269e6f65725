// The ladder view as data: where every line, arrow, band, label and marker goes, for a given
// width, with no DOM. The SVG renderer (svg.ts), the command line, the webview and the tests
// all read this one layout.
//
// The picture is the textbook's: one vertical line per host, time running down (scale.ts),
// each segment an arrow from (sender, sentAt) to (receiver, arrivedAt).
//
// - Columns. One per address and port (an endpoint's `address:port`). An endpoint declared
//   on the address and port of an earlier one is a later incarnation of that socket: it shares
//   the column, and gets its own colour index (its bands, its name in the header, the dot at
//   the end of every arrow it receives), so that an old segment landing in the new incarnation
//   is seen at a glance.
// - Arrows. A delivered segment ends at its arrival; a lost one is drawn half-way along the
//   path it would have taken (the one-way latency seen on delivered segments between the same
//   two lines, else the run's typical latency) and ends there with a cross: the trace does not
//   say where in the network it was lost, and half-way reads as "it never got there" without
//   claiming a time. A delayed one is long because it is drawn to its real arrival, crossing
//   what happened meanwhile; an extra copy (duplicate) is an arrow of its own; flags for
//   retransmission and injection let the renderer dash or mark them.
// - Bands. Beside each line, each TCB's states as a strip from transition to transition,
//   from its first transition to its return to CLOSED (or the end of the run). TCBs of one
//   column that live at the same time (a listener and its connections) get lanes side by side.
//   The first column has its bands and state names on its left, the others on their right, so
//   that names stay out of the space where arrows run when there are two columns.
// - Labels. Placed in one collision pass so that no two overlap: state names first (longest
//   states first), then the labels of errors and hazards, then each arrow's label at the first
//   free spot along its arrow (the middle, then further from it). A label with no free spot is
//   not drawn (its arrow keeps the tooltip and the click): `hiddenLabels` counts them.
// - Variants side by side on one time axis when they fit the width, else the chosen one.
// - Viewport: with `viewport` (real time) or `visibleY` (drawn y, what a webview knows from its
//   scroll position; many events at one instant are drawn one under the other, so a stretch of
//   time can be very tall), only what lies in it is laid out, for a
//   webview drawing a run of thousands of segments; the scale still covers the whole run so
//   that the drawing does not move when the viewport does.

import type { Trace, TraceEndpoint, TraceSegment } from '../../trace';
import type { TcpState } from '../../types';
import { formatDuration } from '../../duration';
import { errorLine, hazardLine } from '../explain';
import { endpointAddress } from '../sequence';
import { buildScale, type ScaleBreak, type ScaleTick, type TimeScale } from './scale';
import { fitText, ladderLabel, ladderTooltip, textWidth } from './text';

export interface LadderOptions {
  /** The width available, in px (default 800). */
  width?: number;
  /** The variant drawn when not all of them fit side by side (default: the first). */
  variant?: string;
  /** false: draw only the chosen variant even when all would fit. */
  sideBySide?: boolean;
  /** Only lay out what lies between these real times (ms); the scale still spans the whole run. */
  viewport?: { from: number; to: number };
  /** Only lay out what is drawn between these y (px); the scale still spans the whole run. */
  visibleY?: { top: number; bottom: number };
}

/** A text's box: top-left corner and size, in px. */
export interface LadderBox {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LadderIncarnation {
  /** The endpoint's name. */
  name: string;
  /** 0 for the first endpoint on this address and port, 1 for the next, ... */
  colour: number;
}

export interface LadderColumn {
  /** `address:port`. */
  address: string;
  x: number;
  incarnations: LadderIncarnation[];
  /** Header lines (address, then each incarnation's name), fitted to the column's room. */
  header: Array<{ text: string; colour: number | null; title: string }>;
}

export interface LadderArrow {
  seg: number;
  from: string;
  to: string;
  fromColumn: number;
  toColumn: number;
  /** The sender's and the receiver's incarnation colours. */
  fromColour: number;
  toColour: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** For a segment between two endpoints of one column: the point the arrow bends through. */
  via: { x: number; y: number } | null;
  sentAt: number;
  /** Its arrival, or for a lost one the time drawn at its cross. */
  endAt: number;
  lost: boolean;
  retransmission: boolean;
  injected: boolean;
  duplicate: boolean;
  delayed: boolean;
  label: LadderBox | null;
  /** The full description (tooltip). */
  title: string;
}

export interface LadderBand {
  tcb: number;
  endpoint: string;
  colour: number;
  column: number;
  lane: number;
  state: TcpState;
  t1: number;
  t2: number;
  x: number;
  w: number;
  y1: number;
  y2: number;
  title: string;
}

export interface LadderText {
  /** A state's name beside its band, or the words of an error or hazard marker. */
  kind: 'state' | 'error' | 'hazard';
  box: LadderBox;
  /** Text anchored at the box's left or right edge. */
  anchor: 'start' | 'end';
  colour: number | null;
  title: string;
}

export interface LadderMarker {
  kind: 'error' | 'hazard';
  t: number;
  endpoint: string;
  x: number;
  y: number;
  /** The segment a hazard is about. */
  seg: number | null;
  title: string;
}

export interface LadderPanel {
  variant: string;
  x: number;
  width: number;
  columns: LadderColumn[];
  bands: LadderBand[];
  arrows: LadderArrow[];
  markers: LadderMarker[];
  texts: LadderText[];
  /** Arrow labels left out because they found no free spot. */
  hiddenLabels: number;
}

export interface LadderLayout {
  title: string;
  width: number;
  height: number;
  /** The width asked for; `width` exceeds it only when even one variant does not fit. */
  availableWidth: number;
  /** Every variant label of the run, in order, and whether all of them are drawn. */
  variants: string[];
  allVariants: boolean;
  /** Where the lines start (below the headers) and end. */
  top: number;
  bottom: number;
  headerHeight: number;
  axis: { x: number; ticks: ScaleTick[] };
  breaks: ScaleBreak[];
  panels: LadderPanel[];
  /**
   * The drawn instants: real ms, the y of its first slot and of its last (several events at one
   * instant on one line are drawn apart, scale.ts), for tests and for turning a scroll position
   * back into time.
   */
  instants: { t: number[]; y: number[]; end: number[] };
  fontPx: number;
  stateFontPx: number;
  segmentCount: number;
}

/** Sizes, in px. */
export const LADDER_FONT_PX = 12;
export const LADDER_STATE_FONT_PX = 11;
const LABEL_H = LADDER_FONT_PX + 4;
const STATE_H = LADDER_STATE_FONT_PX + 3;
const LINE_H = 16;
const AXIS_W = 52;
const PANEL_GAP = 28;
const MARGIN = 8;
const STRIP_W = 5;
const LANE_W = 8;
/** Room for arrow labels between two lines, at the least and at the most. */
const MIN_SPACING = 160;
/** When even one variant does not fit, spacings shrink down to this (labels may then cover a line). */
const TIGHT_SPACING = 120;
const MAX_SPACING = 340;
/** A typical one-way trip is drawn this tall. */
const TRIP_PX = 46;
const BREAK_PX = 44;
/** Events at one instant on one line are drawn this far apart (a label's height and air). */
const SLOT_PX = LABEL_H + 2;
/** A quiet stretch longer than this many typical trips is folded. */
const FOLD_TRIPS = 3;
const STATE_TEXT_MAX_PX = 150;
const MARKER_TEXT_MAX_PX = 240;
const HEADER_NAME_MAX_PX = 220;

interface Interval {
  state: TcpState;
  t1: number;
  t2: number;
  y1: number;
  y2: number;
}

interface Tcb {
  tcb: number;
  endpoint: string;
  peer: string | null;
  intervals: Interval[];
  lane: number;
  /** When it returned to CLOSED, or null when it was still open at the end of the run. */
  closedAt: number | null;
}

interface Prepared {
  trace: Trace;
  columns: Array<{ address: string; incarnations: LadderIncarnation[] }>;
  columnOf: Map<string, number>;
  colourOf: Map<string, number>;
  /** Per segment index: its slot at sending and at arrival. */
  sendSlot: Int32Array;
  arriveSlot: Int32Array;
  /** Per segment index: the time its lost arrow's cross stands for (NaN when not lost). */
  lostEnd: Float64Array;
  lanes: number[];
  tcbs: Tcb[];
}

/** The endpoint's `address:port`, or its name when the trace does not declare it. */
function columnKey(e: TraceEndpoint): string {
  return endpointAddress(e);
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[s.length >> 1];
}

/** One-way latency typical of the run: the median trip of segments the network did not hold. */
function typicalTrip(traces: readonly Trace[]): number {
  const trips: number[] = [];
  for (const t of traces)
    for (const s of t.segments)
      if (s.arrivedAt !== null && s.delayedBy === 0 && s.fate === 'delivered') trips.push(s.arrivedAt - s.sentAt);
  const m = median(trips.filter((x) => x > 0));
  return Number.isFinite(m) && m > 0 ? m : 50;
}

function prepare(trace: Trace, trip: number): Prepared {
  const columns: Prepared['columns'] = [];
  const columnOf = new Map<string, number>();
  const colourOf = new Map<string, number>();
  const byKey = new Map<string, number>();
  const addEndpoint = (name: string, key: string): void => {
    if (columnOf.has(name)) return;
    let c = byKey.get(key);
    if (c === undefined) {
      c = columns.push({ address: key, incarnations: [] }) - 1;
      byKey.set(key, c);
    }
    const colour = columns[c].incarnations.length;
    columns[c].incarnations.push({ name, colour });
    columnOf.set(name, c);
    colourOf.set(name, colour);
  };
  for (const e of trace.endpoints) addEndpoint(e.name, columnKey(e));
  // Names the trace uses without declaring them (it should not happen) still get a line.
  const undeclared = (name: string): void => addEndpoint(name, name);
  for (const s of trace.segments) {
    undeclared(s.from);
    undeclared(s.to);
  }
  for (const x of trace.transitions) undeclared(x.endpoint);
  for (const x of trace.errors) undeclared(x.endpoint);
  for (const x of trace.hazards) undeclared(x.endpoint);

  // Slots: on each line at each instant, the arrivals first (TCP acts on what arrives, and what
  // it sends at that instant is mostly the answer), in segment order, then the sendings.
  // `count` holds the arrivals per line and instant.
  const segs = trace.segments;
  const sendSlot = new Int32Array(segs.length);
  const arriveSlot = new Int32Array(segs.length);
  const lostEnd = new Float64Array(segs.length).fill(NaN);
  // Per line, a map from instant to how many arrivals (count) and sendings (sends) it has seen:
  // numbers as keys, no string per segment.
  const perLine = (): Array<Map<number, number>> => columns.map(() => new Map<number, number>());
  const count = perLine();
  const lineOf = (name: string): number => columnOf.get(name) ?? 0;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s.arrivedAt === null) continue;
    const m = count[lineOf(s.to)];
    const n = m.get(s.arrivedAt) ?? 0;
    arriveSlot[i] = n;
    m.set(s.arrivedAt, n + 1);
  }
  // The trip between two lines, for drawing lost segments (see the file comment).
  const pair = (s: TraceSegment): number => lineOf(s.from) * columns.length + lineOf(s.to);
  const trips = new Map<number, number[]>();
  for (const s of segs) {
    if (s.arrivedAt === null || s.delayedBy !== 0 || s.fate !== 'delivered') continue;
    let list = trips.get(pair(s));
    if (!list) trips.set(pair(s), (list = []));
    if (list.length < 64) list.push(s.arrivedAt - s.sentAt);
  }
  const tripOf = new Map<number, number>();
  for (const [k, v] of trips) tripOf.set(k, median(v));
  // The first sending shares the point of the last arrival (the answer leaves where the segment
  // it answers arrived, the textbook's V), the next ones go below.
  const sends = perLine();
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const line = lineOf(s.from);
    const k = sends[line].get(s.sentAt) ?? 0;
    sends[line].set(s.sentAt, k + 1);
    sendSlot[i] = Math.max(0, (count[line].get(s.sentAt) ?? 0) - 1) + k;
    if (s.arrivedAt === null) {
      const d = tripOf.get(pair(s)) ?? trip;
      lostEnd[i] = s.sentAt + (Number.isFinite(d) && d > 0 ? d : trip);
    }
  }

  // TCBs and their intervals, as the timeline builds them; CLOSED is not drawn.
  const tcbById = new Map<number, Tcb>();
  const open = new Map<number, { state: TcpState; since: number }>();
  for (const x of trace.transitions) {
    let tcb = tcbById.get(x.tcb);
    if (!tcb)
      tcbById.set(
        x.tcb,
        (tcb = { tcb: x.tcb, endpoint: x.endpoint, peer: x.peer, intervals: [], lane: 0, closedAt: null }),
      );
    if (tcb.peer === null && x.peer !== null) tcb.peer = x.peer;
    const o = open.get(x.tcb);
    if (o && o.state !== 'CLOSED')
      tcb.intervals.push({ state: o.state, t1: o.since, t2: Math.max(o.since, x.t), y1: 0, y2: 0 });
    open.set(x.tcb, { state: x.to, since: x.t });
    tcb.closedAt = x.to === 'CLOSED' ? x.t : null;
  }
  for (const [id, o] of open)
    if (o.state !== 'CLOSED')
      tcbById
        .get(id)
        ?.intervals.push({ state: o.state, t1: o.since, t2: Math.max(o.since, trace.endedAt), y1: 0, y2: 0 });
  const tcbs = [...tcbById.values()].filter((t) => t.intervals.length > 0);
  // Lanes: per column, a TCB takes the innermost lane free at its first state.
  const lanes = columns.map(() => 0);
  const laneEnds = columns.map(() => [] as number[]);
  for (const t of [...tcbs].sort((a, b) => a.intervals[0].t1 - b.intervals[0].t1 || a.tcb - b.tcb)) {
    const c = columnOf.get(t.endpoint) ?? 0;
    const ends = laneEnds[c];
    const start = t.intervals[0].t1;
    let lane = ends.findIndex((e) => e <= start);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = t.intervals[t.intervals.length - 1].t2;
    t.lane = lane;
    lanes[c] = Math.max(lanes[c], lane + 1);
  }
  return { trace, columns, columnOf, colourOf, sendSlot, arriveSlot, lostEnd, lanes, tcbs };
}

/** Instants a trace draws something at, and the slots each instant needs. */
function collectInstants(p: Prepared, instants: number[], slots: Map<number, number>): void {
  const t = p.trace;
  instants.push(0, t.endedAt);
  t.segments.forEach((s, i) => {
    instants.push(s.sentAt);
    bump(slots, s.sentAt, p.sendSlot[i] + 1);
    if (s.arrivedAt !== null) {
      instants.push(s.arrivedAt);
      bump(slots, s.arrivedAt, p.arriveSlot[i] + 1);
    } else if (Number.isFinite(p.lostEnd[i])) instants.push(p.lostEnd[i]);
  });
  for (const x of t.transitions) instants.push(x.t);
  for (const x of t.errors) instants.push(x.t);
  for (const x of t.hazards) instants.push(x.t);
}

function bump(slots: Map<number, number>, t: number, n: number): void {
  if ((slots.get(t) ?? 1) < n) slots.set(t, n);
}

/**
 * The text beside a band: the state's full name. TIME_WAIT also gets how long it lasted, on a
 * second line (stateSubText), since that is what it is about (2\u00D7MSL, or less when cut short).
 */
function stateText(iv: Interval): string {
  return iv.state;
}

function stateSubText(iv: Interval): string | null {
  return iv.state === 'TIME_WAIT' ? formatDuration(iv.t2 - iv.t1) : null;
}

function bandTitle(tcb: Tcb, iv: Interval, ended: boolean): string {
  const who =
    tcb.peer === null
      ? `${tcb.endpoint} (listener, TCB ${tcb.tcb})`
      : `${tcb.endpoint} with ${tcb.peer} (TCB ${tcb.tcb})`;
  const until = ended ? `until the end of the run at ${formatDuration(iv.t2)}` : `until ${formatDuration(iv.t2)}`;
  const lines = [`${who}: ${iv.state}`, `from ${formatDuration(iv.t1)} ${until} (${formatDuration(iv.t2 - iv.t1)})`];
  if (iv.state === 'TIME_WAIT')
    lines.push('TIME_WAIT holds the 4-tuple for 2\u00D7MSL so that old duplicates die out before it is reused.');
  return lines.join('\n');
}

/** A grid of placed boxes, for the collision pass: rows of CELL px. */
class Occupied {
  private readonly cells = new Map<number, LadderBox[]>();
  private static readonly CELL = 48;

  fits(b: LadderBox): boolean {
    const c0 = Math.floor(b.y / Occupied.CELL);
    const c1 = Math.floor((b.y + b.h) / Occupied.CELL);
    for (let c = c0; c <= c1; c++) {
      const list = this.cells.get(c);
      if (!list) continue;
      for (const o of list) if (overlaps(o, b)) return false;
    }
    return true;
  }

  add(b: LadderBox): void {
    const c0 = Math.floor(b.y / Occupied.CELL);
    const c1 = Math.floor((b.y + b.h) / Occupied.CELL);
    for (let c = c0; c <= c1; c++) {
      let list = this.cells.get(c);
      if (!list) this.cells.set(c, (list = []));
      list.push(b);
    }
  }
}

/** True when two boxes share more than a hairline. */
export function overlaps(a: LadderBox, b: LadderBox): boolean {
  const e = 0.5;
  return a.x + e < b.x + b.w && b.x + e < a.x + a.w && a.y + e < b.y + b.h && b.y + e < a.y + a.h;
}

/** Where along an arrow its label is tried, as fractions of its length from the sender. */
const LABEL_SPOTS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.14, 0.86];
/**
 * Each spot is tried on the arrow, then just above it, then just below it (the box's edge 2 px
 * from the line): two arrows that cross get their labels apart without leaving their arrows.
 */
const LABEL_SHIFTS = [0, -(LADDER_FONT_PX + 4) / 2 - 2, (LADDER_FONT_PX + 4) / 2 + 2];

interface Geometry {
  /** Left gutter (bands and names of column 0), each spacing, right gutter. */
  left: number;
  spacings: number[];
  right: number;
  /** State-name widths per column (for the layout of text). */
  width: number;
}

/** The state texts of a prepared trace, per column, to size the gutters. */
function stateTextWidth(p: Prepared): number[] {
  const w = p.columns.map(() => 0);
  for (const t of p.tcbs) {
    const c = p.columnOf.get(t.endpoint) ?? 0;
    for (const iv of t.intervals)
      w[c] = Math.max(w[c], Math.min(STATE_TEXT_MAX_PX, textWidth(stateText(iv), LADDER_STATE_FONT_PX)));
  }
  return w;
}

/** The least widths of a panel: gutters and spacings. */
function minGeometry(p: Prepared): Geometry {
  const textW = stateTextWidth(p);
  const lanesW = (c: number): number => p.lanes[c] * LANE_W;
  const n = p.columns.length;
  const left = 4 + lanesW(0) + (textW[0] > 0 ? textW[0] + 8 : 0) + 2;
  const spacings: number[] = [];
  for (let c = 0; c + 1 < n; c++) spacings.push(MIN_SPACING + (c > 0 ? lanesW(c) + textW[c] : 0));
  const right = n > 1 ? 4 + lanesW(n - 1) + (textW[n - 1] > 0 ? textW[n - 1] + 8 : 0) + 2 : 40;
  // A lone column still needs room for its header.
  const width = Math.max(n === 1 ? 120 : 0, left + spacings.reduce((a, b) => a + b, 0) + right);
  return { left, spacings, right, width };
}

export function layoutLadder(traces: readonly Trace[], opts: LadderOptions = {}): LadderLayout {
  const available = Math.max(200, Math.floor(opts.width ?? 800));
  const variants = traces.map((t) => t.variant);
  const trip = typicalTrip(traces);
  const all = traces.map((t) => prepare(t, trip));
  const mins = all.map(minGeometry);
  const totalMin = AXIS_W + mins.reduce((a, g) => a + g.width, 0) + PANEL_GAP * Math.max(0, all.length - 1) + MARGIN;
  const sideBySide = opts.sideBySide !== false && all.length > 1 && totalMin <= available;
  let chosen: number[];
  if (sideBySide || all.length <= 1) chosen = all.map((_, i) => i);
  else {
    const i = opts.variant !== undefined ? variants.indexOf(opts.variant) : 0;
    chosen = [i >= 0 ? i : 0];
  }
  const shown = chosen.map((i) => all[i]);
  // The shared scale.
  const instants: number[] = [];
  const slots = new Map<number, number>();
  for (const p of shown) collectInstants(p, instants, slots);
  const maxIncarnations = Math.max(1, ...shown.flatMap((p) => p.columns.map((c) => c.incarnations.length)));
  const variantLine = traces.length > 1 ? LINE_H + 4 : 0;
  const headerHeight = MARGIN + variantLine + LINE_H * (1 + maxIncarnations) + 6;
  const top = headerHeight + 14;
  const pxPerMs = TRIP_PX / trip;
  const scale = buildScale(instants, slots, {
    top,
    pxPerMs,
    foldAfterMs: trip * FOLD_TRIPS,
    breakPx: BREAK_PX,
    slotPx: SLOT_PX,
  });
  // Room under the last instant for the names of the states the run ends in.
  const bottom = scale.bottom + 2 * STATE_H + 4;

  // The axis is as wide as its longest text: a tick, or a break's `+59.95s` (11 px).
  const axisTexts = [
    ...scale.ticks.map((t) => t.label),
    ...scale.breaks.map((b) => `+${formatDuration(b.to - b.from)}`),
  ];
  const axisW = Math.max(AXIS_W, Math.ceil(Math.max(0, ...axisTexts.map((t) => textWidth(t, 11)))) + 14);
  const geos = chosen.map((i) => ({ ...mins[i], spacings: [...mins[i].spacings] }));
  // What does not fit (one variant in a narrow pane, or an axis wider than guessed): the
  // spacings shrink, down to TIGHT_SPACING.
  const spacingCount = geos.reduce((a, g) => a + g.spacings.length, 0);
  const over =
    axisW + geos.reduce((a, g) => a + g.width, 0) + PANEL_GAP * Math.max(0, geos.length - 1) + MARGIN - available;
  if (over > 0 && spacingCount > 0) {
    const cut = Math.min(over / spacingCount, MIN_SPACING - TIGHT_SPACING);
    for (const g of geos) {
      g.spacings = g.spacings.map((sp) => sp - cut);
      g.width -= cut * g.spacings.length;
    }
  }

  // Spread the spare width over the spacings, up to MAX_SPACING each.
  const used = axisW + geos.reduce((a, g) => a + g.width, 0) + PANEL_GAP * Math.max(0, geos.length - 1) + MARGIN;
  let spare = Math.max(0, available - used);
  if (spacingCount > 0 && spare > 0) {
    const each = spare / spacingCount;
    for (const g of geos)
      g.spacings = g.spacings.map((s) => {
        const grown = Math.min(MAX_SPACING, s + each);
        spare -= grown - s;
        return grown;
      });
  }
  for (const g of geos) g.width = g.left + g.spacings.reduce((a, b) => a + b, 0) + g.right;

  const panels: LadderPanel[] = [];
  let x = axisW;
  shown.forEach((p, i) => {
    panels.push(layoutPanel(p, geos[i], x, scale, opts.viewport, opts.visibleY));
    x += geos[i].width + PANEL_GAP;
  });
  const width = Math.ceil(x - PANEL_GAP + MARGIN);
  const points = [...new Set(instants)].sort((a, b) => a - b);
  return {
    title: traces[0]?.title ?? '',
    width,
    height: Math.ceil(bottom + 20),
    availableWidth: available,
    variants,
    allVariants: shown.length === traces.length,
    top,
    bottom,
    headerHeight,
    axis: { x: axisW - 8, ticks: scale.ticks },
    breaks: scale.breaks,
    panels,
    instants: {
      t: points,
      y: points.map((t) => scale.y(t)),
      end: points.map((t) => scale.y(t, (slots.get(t) ?? 1) - 1)),
    },
    fontPx: LADDER_FONT_PX,
    stateFontPx: LADDER_STATE_FONT_PX,
    segmentCount: shown.reduce((a, p) => a + p.trace.segments.length, 0),
  };
}

function layoutPanel(
  p: Prepared,
  g: Geometry,
  panelX: number,
  scale: TimeScale,
  viewport: LadderOptions['viewport'],
  visibleY: LadderOptions['visibleY'],
): LadderPanel {
  const trace = p.trace;
  const n = p.columns.length;
  const xs: number[] = [];
  let cx = panelX + g.left;
  for (let c = 0; c < n; c++) {
    xs.push(cx);
    if (c < g.spacings.length) cx += g.spacings[c];
  }
  const inView = (a: number, b: number): boolean =>
    viewport === undefined || (Math.max(a, b) >= viewport.from && Math.min(a, b) <= viewport.to);
  const yInView = (a: number, b: number): boolean =>
    visibleY === undefined || (Math.max(a, b) >= visibleY.top && Math.min(a, b) <= visibleY.bottom);

  // Headers: the address, then each incarnation's name in its colour, fitted to the room.
  const columns: LadderColumn[] = p.columns.map((col, c) => {
    const leftRoom = c === 0 ? 2 * g.left : g.spacings[c - 1];
    const rightRoom = c === n - 1 ? 2 * g.right : g.spacings[c];
    const room = Math.min(HEADER_NAME_MAX_PX, Math.min(leftRoom, rightRoom) - 8);
    const header: LadderColumn['header'] = [];
    const many = col.incarnations.length > 1;
    for (const inc of col.incarnations) {
      const text = many && inc.colour > 0 ? `${inc.name} (later)` : inc.name;
      header.push({
        text: fitText(text, room, LADDER_FONT_PX),
        colour: inc.colour,
        title: many && inc.colour > 0 ? `${inc.name}: a later incarnation on ${col.address}` : inc.name,
      });
    }
    header.push({ text: fitText(col.address, room, LADDER_STATE_FONT_PX), colour: null, title: col.address });
    return { address: col.address, x: xs[c], incarnations: col.incarnations, header };
  });

  const occupied = new Occupied();
  const texts: LadderText[] = [];

  // Bands, each interval's y from its transition (see bandY): contiguous within a TCB.
  const arrivalY = new Map<number, number>();
  const segIndex = new Map<number, number>();
  trace.segments.forEach((s, i) => {
    segIndex.set(s.n, i);
    if (s.arrivedAt !== null) arrivalY.set(s.n, scale.y(s.arrivedAt, p.arriveSlot[i]));
  });
  // A transition a segment caused is drawn where that segment arrives; any other at the instant.
  const transitionY = new Map<string, number>();
  for (const x of trace.transitions) {
    const key = `${x.tcb}|${x.t}|${x.to}`;
    let y = scale.y(x.t);
    if (x.segment !== null) {
      const i = segIndex.get(x.segment);
      const ay = arrivalY.get(x.segment);
      if (i !== undefined && ay !== undefined && trace.segments[i].arrivedAt === x.t) y = ay;
    }
    if (!transitionY.has(key)) transitionY.set(key, y);
  }
  const bands: LadderBand[] = [];
  const stateCandidates: Array<{ band: LadderBand; text: string; sub: string | null; column: number }> = [];
  for (const t of p.tcbs) {
    const c = p.columnOf.get(t.endpoint) ?? 0;
    const colour = p.colourOf.get(t.endpoint) ?? 0;
    const outward = c === 0 && n > 1 ? -1 : 1;
    const laneOffset = 3 + t.lane * LANE_W;
    const bx = outward < 0 ? xs[c] - laneOffset - STRIP_W : xs[c] + laneOffset;
    t.intervals.forEach((iv, k) => {
      const y1 =
        k === 0 ? (transitionY.get(`${t.tcb}|${iv.t1}|${iv.state}`) ?? scale.y(iv.t1)) : bands[bands.length - 1].y2;
      const next = t.intervals[k + 1];
      const last = k === t.intervals.length - 1;
      let y2: number;
      if (next !== undefined) y2 = transitionY.get(`${t.tcb}|${next.t1}|${next.state}`) ?? scale.y(next.t1);
      else if (t.closedAt !== null) y2 = transitionY.get(`${t.tcb}|${t.closedAt}|CLOSED`) ?? scale.y(iv.t2);
      else y2 = scale.y(iv.t2);
      y2 = Math.max(y1, y2);
      const band: LadderBand = {
        tcb: t.tcb,
        endpoint: t.endpoint,
        colour,
        column: c,
        lane: t.lane,
        state: iv.state,
        t1: iv.t1,
        t2: iv.t2,
        x: bx,
        w: STRIP_W,
        y1,
        y2,
        title: bandTitle(t, iv, last && t.closedAt === null),
      };
      bands.push(band);
      if (inView(iv.t1, iv.t2) && yInView(y1, y2))
        stateCandidates.push({ band, text: stateText(iv), sub: stateSubText(iv), column: c });
    });
  }
  const shownBands = bands.filter((b) => inView(b.t1, b.t2) && yInView(b.y1, b.y2));

  // State names beside the bands: longest states first, so a state that lasted no time gives
  // way to its neighbour.
  const lanesW = (c: number): number => p.lanes[c] * LANE_W;
  stateCandidates.sort((a, b) => b.band.t2 - b.band.t1 - (a.band.t2 - a.band.t1) || a.band.y1 - b.band.y1);
  for (const { band, text, sub, column } of stateCandidates) {
    const outward = column === 0 && n > 1;
    const edge = outward ? xs[column] - 3 - lanesW(column) - 4 : xs[column] + 3 + lanesW(column) + 4;
    const lines = sub !== null ? [text, sub] : [text];
    lines.forEach((line, k) => {
      const fitted = fitText(line, STATE_TEXT_MAX_PX, LADDER_STATE_FONT_PX);
      const w = textWidth(fitted, LADDER_STATE_FONT_PX) + 4;
      const box: LadderBox = {
        text: fitted,
        x: outward ? edge - w : edge,
        y: band.y1 + 1 + k * STATE_H,
        w,
        h: STATE_H,
      };
      // The second line only where the band is tall enough, and only under its first.
      if (k > 0 && (band.y2 - band.y1 < 2 * STATE_H || texts[texts.length - 1]?.title !== band.title)) return;
      if (!occupied.fits(box)) return;
      occupied.add(box);
      texts.push({ kind: 'state', box, anchor: outward ? 'end' : 'start', colour: band.colour, title: band.title });
    });
  }

  // Errors and hazards: a marker on the line at that instant, its words beside it.
  const markers: LadderMarker[] = [];
  const problems = [
    ...trace.errors.map((e) => ({
      kind: 'error' as const,
      t: e.t,
      endpoint: e.endpoint,
      seg: null,
      words: `${e.call}: ${e.code}`,
      title: errorLine(e),
    })),
    ...trace.hazards.map((h) => ({
      kind: 'hazard' as const,
      t: h.t,
      endpoint: h.endpoint,
      seg: h.segment,
      words: h.kind,
      title: hazardLine(h),
    })),
  ];
  if (trace.truncated !== null && trace.endpoints.length > 0)
    problems.push({
      kind: 'error',
      t: trace.endedAt,
      endpoint: trace.endpoints[0].name,
      seg: null,
      words: 'run stopped',
      title: `The run stopped at ${formatDuration(trace.endedAt)}: ${trace.truncated}`,
    });
  for (const pr of problems) {
    if (!inView(pr.t, pr.t)) continue;
    const c = p.columnOf.get(pr.endpoint) ?? 0;
    const y = scale.y(pr.t);
    if (!yInView(y, y)) continue;
    markers.push({ kind: pr.kind, t: pr.t, endpoint: pr.endpoint, x: xs[c], y, seg: pr.seg, title: pr.title });
    // In a column several incarnations share, the words say whose it is.
    const whose = (p.columns[c]?.incarnations.length ?? 1) > 1 ? `${pr.endpoint} ` : '';
    const words = fitText(`\u26A0 ${whose}${pr.words}`, MARKER_TEXT_MAX_PX, LADDER_STATE_FONT_PX);
    const w = textWidth(words, LADDER_STATE_FONT_PX) + 4;
    // Toward the arrows first (for column 0 that is the right), then the other side, then a line lower.
    const inward = c === 0 && n > 1 ? 1 : c === n - 1 && n > 1 ? -1 : 1;
    const tries: Array<{ side: number; dy: number }> = [
      { side: inward, dy: 0 },
      { side: -inward, dy: 0 },
      { side: inward, dy: STATE_H },
      { side: -inward, dy: STATE_H },
      { side: inward, dy: -STATE_H },
    ];
    for (const tr of tries) {
      const bx = tr.side > 0 ? xs[c] + 9 : xs[c] - 9 - w;
      const box: LadderBox = { text: words, x: bx, y: y - STATE_H / 2 + tr.dy, w, h: STATE_H };
      if (!occupied.fits(box)) continue;
      occupied.add(box);
      texts.push({ kind: pr.kind, box, anchor: tr.side > 0 ? 'start' : 'end', colour: null, title: pr.title });
      break;
    }
  }

  // Arrows, and their labels at the first free spot along them.
  const arrows: LadderArrow[] = [];
  let hiddenLabels = 0;
  trace.segments.forEach((s: TraceSegment, i) => {
    const lost = s.arrivedAt === null;
    const endAt = lost ? (s.sentAt + p.lostEnd[i]) / 2 : (s.arrivedAt as number);
    if (!inView(s.sentAt, endAt)) return;
    const fc = p.columnOf.get(s.from) ?? 0;
    const tc = p.columnOf.get(s.to) ?? 0;
    const x1 = xs[fc];
    const y1 = scale.y(s.sentAt, p.sendSlot[i]);
    let x2 = xs[tc];
    let y2: number;
    if (lost) {
      // Half-way along the path it would have taken (file comment).
      const wouldY = scale.y(p.lostEnd[i], p.sendSlot[i]);
      x2 = fc === tc ? x1 + 24 : (x1 + x2) / 2;
      y2 = (y1 + wouldY) / 2;
    } else y2 = scale.y(s.arrivedAt as number, p.arriveSlot[i]);
    if (!yInView(y1, y2)) return;
    const via = fc === tc && !lost ? { x: x1 + 44, y: (y1 + y2) / 2 } : null;
    const text = ladderLabel(s);
    const w = textWidth(text, LADDER_FONT_PX) + 6;
    let label: LadderBox | null = null;
    if (via !== null) {
      const box: LadderBox = { text, x: via.x + 4, y: via.y - LABEL_H / 2, w, h: LABEL_H };
      if (occupied.fits(box)) label = box;
    } else {
      const lo = Math.min(x1, x2) + 4;
      const hi = Math.max(x1, x2) - 4;
      const roomy = w <= hi - lo;
      spots: for (const dy of LABEL_SHIFTS)
        for (const f of LABEL_SPOTS) {
          const cxl = x1 + f * (x2 - x1);
          const cyl = y1 + f * (y2 - y1) + dy;
          const box: LadderBox = { text, x: cxl - w / 2, y: cyl - LABEL_H / 2, w, h: LABEL_H };
          if (roomy && (box.x < lo || box.x + w > hi)) continue;
          if (!roomy && f !== 0.5) continue;
          if (occupied.fits(box)) {
            label = box;
            break spots;
          }
        }
    }
    if (label !== null) occupied.add(label);
    else hiddenLabels++;
    arrows.push({
      seg: s.n,
      from: s.from,
      to: s.to,
      fromColumn: fc,
      toColumn: tc,
      fromColour: p.colourOf.get(s.from) ?? 0,
      toColour: p.colourOf.get(s.to) ?? 0,
      x1,
      y1,
      x2,
      y2,
      via,
      sentAt: s.sentAt,
      endAt,
      lost,
      retransmission: s.retransmission,
      injected: s.injected,
      duplicate: s.fate === 'duplicate',
      delayed: s.delayedBy > 0,
      label,
      title: ladderTooltip(s),
    });
  });

  return {
    variant: trace.variant,
    x: panelX,
    width: g.width,
    columns,
    bands: shownBands,
    arrows,
    markers,
    texts,
    hiddenLabels,
  };
}

/** The real time drawn at y (for a webview turning its scroll position into a viewport). */
export function ladderTimeAt(layout: Pick<LadderLayout, 'instants'>, y: number): number {
  const { t, y: ys } = layout.instants;
  if (t.length === 0) return 0;
  if (y <= ys[0]) return t[0];
  let lo = 0;
  let hi = ys.length - 1;
  if (y >= ys[hi]) return t[hi];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ys[mid] <= y) lo = mid;
    else hi = mid;
  }
  const f = ys[hi] === ys[lo] ? 0 : (y - ys[lo]) / (ys[hi] - ys[lo]);
  return t[lo] + f * (t[hi] - t[lo]);
}
