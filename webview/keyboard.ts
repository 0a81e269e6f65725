// The diagrams from the keyboard (issue 11). Each diagram viewport is focusable; in it the arrow
// keys move from segment to segment (the segment is marked and its line selected in the editor,
// focus staying here), Enter shows the line in the editor, `+`/`-` zoom, `0` fits the width, and
// Shift (or Alt) with the arrow keys pans. A moved-to segment is announced in words through the
// page's live region. Segments are whatever elements a pane marks with `data-segment` (the
// sequence diagram's arrows, a ladder's), so any view that marks its segments joins in.

import type { Transform } from '../src/protocol';
import type { PanZoom } from './zoom';

export interface KeyTarget {
  zoom: PanZoom;
  /** The segment's words for the live region, or null when the pane has no rows for it. */
  describe(segment: number): string | null;
  /** The 1-based line that caused the segment, or null. */
  causeLine(segment: number): number | null;
}

export interface KeyboardHost {
  /** Selects the line in the editor; `focusEditor` moves the keyboard focus there too. */
  reveal(line: number, focusEditor: boolean): void;
  announce(text: string): void;
}

/** How far one arrow press pans, in CSS pixels. */
const PAN_STEP = 60;

export class DiagramKeyboard {
  private readonly targets = new WeakMap<HTMLElement, KeyTarget>();
  /** The segment each viewport's keyboard is on. */
  private readonly current = new WeakMap<HTMLElement, number>();

  constructor(private readonly host: KeyboardHost) {}

  /** Makes `viewport` a keyboard target (focusable, named by the caller with aria-label). */
  attach(viewport: HTMLElement, target: KeyTarget): void {
    this.targets.set(viewport, target);
    viewport.tabIndex = 0;
    viewport.setAttribute('role', 'group');
    viewport.addEventListener('keydown', (e) => this.onKey(viewport, e));
  }

  /** The segment numbers of the viewport, in drawing order, each once. */
  private segments(viewport: HTMLElement): number[] {
    const seen = new Set<number>();
    for (const el of viewport.querySelectorAll(SEGMENT_SELECTOR)) {
      const n = segmentNumber(el);
      if (Number.isFinite(n)) seen.add(n);
    }
    return [...seen];
  }

  /** The segment the keyboard is on in `viewport`, if any (for tests and the pane's redraws). */
  segmentOf(viewport: HTMLElement): number | null {
    return this.current.get(viewport) ?? null;
  }

  /** Re-marks the current segment after a redraw replaced the SVG. */
  refresh(viewport: HTMLElement): void {
    const n = this.current.get(viewport);
    if (n !== undefined) mark(viewport, n);
  }

  private onKey(viewport: HTMLElement, e: KeyboardEvent): void {
    const target = this.targets.get(viewport);
    if (!target || e.target !== viewport || e.ctrlKey || e.metaKey) return;
    const arrows: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const arrow = arrows[e.key];
    if (arrow && (e.shiftKey || e.altKey)) {
      const t = target.zoom.transform;
      target.zoom.set({ ...t, x: t.x - arrow[0] * PAN_STEP, y: t.y - arrow[1] * PAN_STEP });
    } else if (arrow || e.key === 'Home' || e.key === 'End') {
      const step = e.key === 'Home' ? -Infinity : e.key === 'End' ? Infinity : arrow ? arrow[0] + arrow[1] : 0;
      this.move(viewport, target, step);
    } else if (e.key === 'Enter' || e.key === ' ') {
      const n = this.current.get(viewport);
      const line = n !== undefined ? target.causeLine(n) : null;
      if (line === null) return;
      this.host.reveal(line, true);
    } else if (e.key === '+' || e.key === '=') target.zoom.zoomBy(1.25);
    else if (e.key === '-' || e.key === '_') target.zoom.zoomBy(0.8);
    else if (e.key === '0') target.zoom.fitWidth();
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  private move(viewport: HTMLElement, target: KeyTarget, step: number): void {
    const all = this.segments(viewport);
    if (all.length === 0) {
      this.host.announce('This diagram has no segments to move to.');
      return;
    }
    const at = this.current.get(viewport);
    const i = at === undefined ? -1 : all.indexOf(at);
    let next: number;
    if (step === -Infinity) next = 0;
    else if (step === Infinity) next = all.length - 1;
    else if (i < 0) next = step < 0 ? all.length - 1 : 0;
    else next = Math.min(all.length - 1, Math.max(0, i + step));
    const n = all[next];
    this.current.set(viewport, n);
    const el = mark(viewport, n);
    if (el) bringIntoView(target.zoom, viewport, el);
    this.host.announce(target.describe(n) ?? `segment ${n}`);
    const line = target.causeLine(n);
    if (line !== null) this.host.reveal(line, false);
  }
}

/** Marks segment `n` in the viewport (and no other); returns its first element. */
/** The sequence diagram marks its segments with `data-segment`, the ladder's SVG with `data-seg`. */
const SEGMENT_SELECTOR = '[data-segment], [data-seg]';

function segmentNumber(el: Element): number {
  return Number(el.getAttribute('data-segment') ?? el.getAttribute('data-seg'));
}

function mark(viewport: HTMLElement, n: number): Element | null {
  let first: Element | null = null;
  for (const el of viewport.querySelectorAll(SEGMENT_SELECTOR)) {
    const on = segmentNumber(el) === n;
    el.classList.toggle('tcpscn-focus', on);
    if (on && !first && !el.classList.contains('tcpscn-hit')) first = el;
  }
  return first;
}

/** Pans (keeping the zoom) so that `el` is inside the viewport, a third from its top when it was not. */
function bringIntoView(zoom: PanZoom, viewport: HTMLElement, el: Element): void {
  const r = el.getBoundingClientRect();
  const v = viewport.getBoundingClientRect();
  if (v.height === 0 || v.width === 0) return;
  const t: Transform = zoom.transform;
  let { x, y } = t;
  if (r.top < v.top || r.bottom > v.bottom) y += v.top + v.height / 3 - r.top;
  if (r.left < v.left || r.right > v.right) x += v.left + v.width / 2 - (r.left + r.width / 2);
  if (x !== t.x || y !== t.y) zoom.set({ ...t, x, y });
}
