// Zoom and pan of one diagram viewport. The transform lives on a canvas element that stays in
// place while the SVG inside it is swapped, so zoom and pan survive re-renders; the owner
// persists it (vscode.setState) through onChange.

import type { Transform } from '../src/protocol';

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 8;

export function clampScale(s: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

/** The transform after zooming by `factor` around the point (px, py) of the viewport. */
export function zoomAround(t: Transform, factor: number, px: number, py: number): Transform {
  const scale = clampScale(t.scale * factor);
  const k = scale / t.scale;
  return { scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k };
}

/** Room left between the viewport's edge and the diagram. */
export const MARGIN = 8;

/**
 * The first view of a diagram `naturalWidth` CSS pixels wide (the whole SVG, at scale 1) in a
 * viewport `viewportWidth` wide: the whole width when it fits at `minScale` or more (never
 * enlarged past 1, centred when narrower), else `minScale` with the SVG's left edge at the
 * margin. Its left edge is never off screen, so no text is cut on the left when the diagram
 * first appears; a wide diagram is read from its left (its first lifeline) by panning right.
 */
export function firstView(naturalWidth: number, viewportWidth: number, minScale: number): Transform {
  const available = viewportWidth - 2 * MARGIN;
  if (!(naturalWidth > 0) || !(available > 0)) return { scale: 1, x: MARGIN, y: 0 };
  const fit = available / naturalWidth;
  if (fit >= minScale) {
    const scale = clampScale(Math.min(1, fit));
    return { scale, x: MARGIN + Math.max(0, (available - naturalWidth * scale) / 2), y: 0 };
  }
  return { scale: clampScale(minScale), x: MARGIN, y: 0 };
}

export class PanZoom {
  private t: Transform;
  private drag: { x: number; y: number; startX: number; startY: number; moved: boolean } | null = null;
  /** True right after a drag that moved: the click that ends it is not a click on the diagram. */
  suppressClick = false;

  constructor(
    readonly viewport: HTMLElement,
    readonly canvas: HTMLElement,
    initial: Transform | undefined,
    private readonly onChange: (t: Transform) => void,
  ) {
    this.t = initial ?? { scale: 1, x: 0, y: 0 };
    this.apply();
    viewport.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    viewport.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    viewport.addEventListener('pointermove', (e) => this.onPointerMove(e));
    viewport.addEventListener('pointerup', (e) => this.onPointerUp(e));
    viewport.addEventListener('pointercancel', (e) => this.onPointerUp(e));
    // The viewport clips; it must never scroll (focus or find could scroll it and put the
    // picture off from the transform), so any scroll is undone at once.
    viewport.addEventListener('scroll', () => {
      viewport.scrollLeft = 0;
      viewport.scrollTop = 0;
    });
  }

  get transform(): Transform {
    return { ...this.t };
  }

  set(t: Transform): void {
    this.t = { scale: clampScale(t.scale), x: t.x, y: t.y };
    this.apply();
    this.onChange(this.transform);
  }

  zoomBy(factor: number): void {
    const r = this.viewport.getBoundingClientRect();
    this.set(zoomAround(this.t, factor, r.width / 2, 0));
  }

  reset(): void {
    this.set({ scale: 1, x: 0, y: 0 });
  }

  /** Shows the whole SVG across the viewport's width, its left edge at the margin. */
  fitWidth(): void {
    const svg = this.canvas.querySelector('svg');
    if (!svg) return;
    const natural = svgWidth(svg);
    const available = this.viewport.clientWidth - 2 * MARGIN;
    if (natural <= 0 || available <= 0) return;
    this.set({ scale: clampScale(available / natural), x: MARGIN, y: 0 });
  }

  /** The first view of a newly drawn diagram (see firstView). */
  showFirstView(minScale: number): void {
    const svg = this.canvas.querySelector('svg');
    if (!svg) return;
    this.set(firstView(svgWidth(svg), this.viewport.clientWidth, minScale));
  }

  /** Called after every change of the transform, drags included (the lifeline names follow it). */
  onApply: ((t: Transform) => void) | null = null;

  private apply(): void {
    this.canvas.style.transform = `translate(${this.t.x}px, ${this.t.y}px) scale(${this.t.scale})`;
    this.onApply?.(this.t);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      const r = this.viewport.getBoundingClientRect();
      this.set(zoomAround(this.t, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top));
    } else {
      this.set({
        ...this.t,
        x: this.t.x - (e.shiftKey ? e.deltaY : e.deltaX),
        y: this.t.y - (e.shiftKey ? 0 : e.deltaY),
      });
    }
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: this.t.x, y: this.t.y, startX: e.clientX, startY: e.clientY, moved: false };
    this.suppressClick = false;
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.drag) return;
    const dx = e.clientX - this.drag.startX;
    const dy = e.clientY - this.drag.startY;
    if (!this.drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!this.drag.moved) {
      this.drag.moved = true;
      this.viewport.setPointerCapture(e.pointerId);
      this.viewport.classList.add('panning');
    }
    this.t = { ...this.t, x: this.drag.x + dx, y: this.drag.y + dy };
    this.apply();
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.drag) return;
    if (this.drag.moved) {
      this.suppressClick = true;
      if (this.viewport.hasPointerCapture(e.pointerId)) this.viewport.releasePointerCapture(e.pointerId);
      this.onChange(this.transform);
    }
    this.viewport.classList.remove('panning');
    this.drag = null;
  }
}

/** The SVG's drawn width in CSS pixels at scale 1. */
export function svgWidth(svg: SVGSVGElement): number {
  const w = parseFloat(svg.getAttribute('width') ?? '');
  if (Number.isFinite(w) && w > 0) return w;
  const vb = svg.viewBox?.baseVal;
  if (vb && vb.width > 0) return vb.width;
  return svg.getBoundingClientRect().width;
}
