// The Ladder tab: every variant's trace (sent as JSON text, src/protocol/ladder.ts) laid out by
// the core's layoutLadder at the width of the tab, drawn by the core's renderLadderSvg, and
// swapped into a pane that keeps its zoom and pan (PanZoom) across updates. Clicks on an arrow
// or its label reveal the line that caused the segment; the cursor's line marks its arrows.
// Colours come from the VS Code theme through CSS variables (ladderThemeCss), so a theme switch
// needs no redraw.
//
// A run of more than CULL_SEGMENTS segments is laid out for what is in view (and a screen above
// and below it), as the core's `visibleY` option allows; panning or zooming past what was laid
// out draws again. (In y, not in time: the segments of one big send leave at one instant and are
// drawn one under the other, so one instant can be many screens tall.)

import { LADDER_PALETTES, layoutLadder, renderLadderSvg, type LadderLayout } from '../src/core/render/ladder/index';
import type { Trace } from '../src/core/trace';
import { type ToExtension, type Transform, type Unaddressed, type VariantView } from '../src/protocol';
import { describeSegment, diagramName } from './describe';
import { setText } from './dom';
import type { KeyTarget } from './keyboard';
import { svgElementFrom } from './renderer';
import type { PreviewState } from './state';
import { MARGIN, PanZoom } from './zoom';

/** Above this many segments (all variants), only what is in view is laid out and drawn. */
export const CULL_SEGMENTS = 2000;
const ZOOM_KEY = 'ladder:';

export interface LadderHost {
  post(m: Unaddressed<ToExtension>): void;
  reveal(line: number, column: number): void;
}

export interface LadderElements {
  viewport: HTMLElement;
  canvas: HTMLElement;
  /** A copy of the column headers, pinned at the top once the drawing's own scroll away. */
  header: HTMLElement;
  zoomLevel: HTMLElement;
}

/**
 * The page's ladder colours: the VS Code theme's background and text, and per theme kind a
 * palette for lines, states and incarnations that keeps every text at 4.5 : 1 or more against
 * the editor background (the light and dark palettes of the standalone SVG; for the
 * high-contrast themes, brighter or darker ones).
 */
export function ladderThemeCss(): string {
  const vars = (p: Readonly<Record<string, string>>, skip: readonly string[] = []): string =>
    Object.entries(p)
      .filter(([k]) => !skip.includes(k))
      .map(([k, v]) => `--ladder-${k}:${v}`)
      .join(';');
  // The editor's colours, with the palette's own as fallbacks (a page outside VS Code has none).
  const base = (bg: string, fg: string): string =>
    `--ladder-bg:var(--vscode-editor-background,${bg});--ladder-fg:var(--vscode-editor-foreground,${fg})`;
  const font = '--ladder-font:var(--vscode-font-family,system-ui,sans-serif)';
  const hcDark = {
    muted: '#d0d0d0',
    line: '#c0c0c0',
    grid: '#333333',
    break: '#1a1a1a',
    lost: '#ff9580',
    error: '#ff9580',
    hazard: '#ffd000',
    hl: '#f38518',
    'inc-0': '#6fc3ff',
    'inc-1': '#ff9ee8',
    'inc-2': '#7ee787',
    'inc-3': '#d2b0ff',
  };
  const hcLight = {
    muted: '#3b3b3b',
    line: '#595959',
    grid: '#d8d8d8',
    break: '#f0f0f0',
    lost: '#b5200d',
    error: '#b5200d',
    hazard: '#735000',
    hl: '#0f4a85',
    'inc-0': '#0f4a85',
    'inc-1': '#8b1a6b',
    'inc-2': '#1a5c2a',
    'inc-3': '#5a2ea6',
  };
  return [
    `body .ladder{${vars(LADDER_PALETTES.light, ['bg', 'fg'])};${base('#ffffff', '#1f2328')};${font}}`,
    `body.vscode-dark .ladder{${vars(LADDER_PALETTES.dark, ['bg', 'fg'])};${base('#1e1e1e', '#d4d4d4')}}`,
    `body.vscode-high-contrast .ladder{${vars(hcDark)};${base('#000000', '#ffffff')}}`,
    `body.vscode-high-contrast-light .ladder{${vars(hcLight)};${base('#ffffff', '#292929')}}`,
  ].join('\n');
}

/**
 * What a drawing of the ladder is made from: each variant's label and the two texts its trace
 * came in (src/protocol/ladder.ts), the width laid out for, and the variant chosen.
 */
export interface LadderInputs {
  data: Array<Pick<VariantView, 'label' | 'traceEvents' | 'ladderSegments'>>;
  width: number;
  variant: string | null;
}

/**
 * Whether two drawings would be the same: equal in content, not the same objects. Every update
 * brings new variant objects, even when an edit changed nothing the ladder draws (a comment, a
 * change the sequence diagram alone shows), and comparing them by identity laid out and swapped
 * in the whole ladder again on every update.
 */
export function sameLadderInputs(a: LadderInputs | null, b: LadderInputs): boolean {
  return (
    a !== null &&
    a.width === b.width &&
    a.variant === b.variant &&
    a.data.length === b.data.length &&
    a.data.every(
      (x, i) =>
        x.label === b.data[i]!.label &&
        x.traceEvents === b.data[i]!.traceEvents &&
        x.ladderSegments === b.data[i]!.ladderSegments,
    )
  );
}

export class LadderView {
  private readonly zoom: PanZoom;
  /** What is on screen: its layout, and the inputs it was made from. */
  private layout: LadderLayout | null = null;
  private drawnFrom: LadderInputs | null = null;
  /** The y span laid out when culling (null: everything). */
  private drawnRange: { top: number; bottom: number } | null = null;
  private width = 0;

  constructor(
    private readonly state: PreviewState,
    private readonly el: LadderElements,
    private readonly host: LadderHost,
  ) {
    const style = document.createElement('style');
    style.textContent = ladderThemeCss();
    document.head.append(style);
    this.zoom = new PanZoom(el.viewport, el.canvas, state.transformOf(ZOOM_KEY), (t) => this.moved(t));
    el.viewport.addEventListener('click', (e) => this.onClick(e));
    new ResizeObserver((entries) => {
      for (const e of entries) this.width = e.contentRect.width;
      this.render();
    }).observe(el.viewport);
  }

  private get active(): boolean {
    return this.state.saved.tab === 'ladder';
  }

  /** The decoded traces of the variants, in order (a variant whose text is malformed is left out). */
  private tracesOf(variants: readonly VariantView[]): Trace[] {
    const out: Trace[] = [];
    for (const v of variants) {
      const t = this.state.traceOf(v);
      if (t !== null) out.push(t);
    }
    return out;
  }

  /** The drawing's y on screen (at the current zoom and pan), `margin` screens above and below included. */
  private visibleRange(margin: number): { top: number; bottom: number } {
    const t = this.zoom.transform;
    const h = this.el.viewport.clientHeight || 800;
    const top = -t.y / t.scale;
    const bottom = (h - t.y) / t.scale;
    const screen = bottom - top;
    return { top: top - margin * screen, bottom: bottom + margin * screen };
  }

  /** Draws the ladder when its tab is shown and what it shows changed. */
  render(): void {
    if (!this.active || !this.state.haveData || this.width <= 0) return;
    const variants = this.state.variants;
    const variant = this.state.saved.variant;
    const width = Math.max(200, Math.floor(this.width - 2 * MARGIN));
    const inputs: LadderInputs = {
      data: variants.map(({ label, traceEvents, ladderSegments }) => ({ label, traceEvents, ladderSegments })),
      width,
      variant,
    };
    const same = sameLadderInputs(this.drawnFrom, inputs);
    // Nothing to draw again; the title (in the accessible name) comes with the update, not the trace.
    if (same && this.drawnRange === null) return this.name();
    const traces = this.tracesOf(variants);
    const opts = { width, variant: variant ?? undefined };
    const total = traces.reduce((a, t) => a + t.segments.length, 0);
    let layout: LadderLayout;
    let range: { top: number; bottom: number } | null = null;
    try {
      if (total > CULL_SEGMENTS) {
        // Drawn again only when what is on screen leaves what was laid out.
        const onScreen = this.visibleRange(0);
        if (same && this.drawnRange && onScreen.top >= this.drawnRange.top && onScreen.bottom <= this.drawnRange.bottom)
          return this.name();
        range = this.visibleRange(1);
        layout = layoutLadder(traces, { ...opts, visibleY: range });
      } else layout = layoutLadder(traces, opts);
      const svg = svgElementFrom(renderLadderSvg(layout, { theme: 'inherit' }));
      if (!svg) throw new Error('the ladder made no SVG');
      this.el.canvas.replaceChildren(svg);
      const header = svgElementFrom(renderLadderSvg(layout, { theme: 'inherit', part: 'header' }));
      this.el.header.replaceChildren(...(header ? [header] : []));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      console.error('tcpscn: drawing the ladder failed', err);
      this.host.post({ type: 'rendered', variant: '', view: 'ladder', ok: false, arrows: 0, error });
      return;
    }
    const first = this.layout === null && this.state.transformOf(ZOOM_KEY) === undefined;
    this.layout = layout;
    this.name();
    this.drawnFrom = inputs;
    this.drawnRange = range;
    if (first) this.zoom.set({ scale: 1, x: MARGIN, y: 0 });
    this.pinHeader();
    this.highlight();
    this.showZoomLevel();
    const arrows = layout.panels.reduce((a, p) => a + p.arrows.length, 0);
    this.host.post({
      type: 'rendered',
      variant: layout.panels.map((p) => p.variant).join(', '),
      view: 'ladder',
      ok: true,
      arrows,
      error: '',
    });
  }

  /** The drawing's accessible name: the title, and the variants it shows when there are several. */
  private name(): void {
    if (!this.layout) return;
    const shown = this.layout.panels.map((p) => p.variant);
    const name = diagramName('ladder', this.state.title, this.state.variants.length > 1 ? shown.join(' and ') : null);
    if (this.el.viewport.getAttribute('aria-label') !== name) this.el.viewport.setAttribute('aria-label', name);
  }

  /** Another document: its ladder starts from scratch, at its own first view. */
  clear(): void {
    this.layout = null;
    this.drawnFrom = null;
    this.drawnRange = null;
    this.el.canvas.replaceChildren();
    this.el.header.replaceChildren();
    this.el.header.hidden = true;
  }

  /** Shows the pinned headers, at the drawing's zoom and horizontal pan, once its own are scrolled off. */
  private pinHeader(): void {
    const t = this.zoom.transform;
    const off = t.y < 0 && this.layout !== null;
    if (this.el.header.hidden === off) this.el.header.hidden = !off;
    if (off) this.el.header.style.transform = `translate(${t.x}px, 0px) scale(${t.scale})`;
  }

  private moved(t: Transform): void {
    this.state.setTransform(ZOOM_KEY, t);
    this.pinHeader();
    this.showZoomLevel();
    // A big run is laid out around what is in view: panning past it draws the next stretch.
    if (this.drawnRange !== null) this.render();
  }

  showZoomLevel(): void {
    if (this.active) setText(this.el.zoomLevel, `${Math.round(this.zoom.transform.scale * 100)}%`);
  }

  /**
   * The ladder for the keyboard (webview/keyboard.ts): its segments are those of the first
   * variant drawn (side by side, the others follow the same numbers), described and led back to
   * their lines as the Sequence tab's are.
   */
  keyboardTarget(): KeyTarget {
    const variant = (): string => this.layout?.panels[0]?.variant ?? this.state.selectedVariant()?.label ?? '';
    return {
      zoom: this.zoom,
      describe: (n) => {
        const v = this.state.variantByLabel(variant());
        const row = v ? this.state.rowsOf(v).rows.find((r) => r.n === n) : undefined;
        return row ? describeSegment(row) : null;
      },
      causeLine: (n) => this.causeLine(variant(), n),
    };
  }

  zoomAction(action: (z: PanZoom) => void): void {
    action(this.zoom);
  }

  /** The variant of the panel an element is in, and the segment it stands for. */
  private segmentAt(target: EventTarget | null): { variant: string; seg: number } | null {
    const el = target instanceof Element ? target.closest('[data-seg]') : null;
    const panel = el?.closest('.panel');
    if (!el || !(panel instanceof SVGElement)) return null;
    const seg = Number(el.getAttribute('data-seg'));
    const variant = panel.dataset.variant;
    return Number.isSafeInteger(seg) && variant !== undefined ? { variant, seg } : null;
  }

  private causeLine(variant: string, seg: number): number | null {
    const v = this.state.variants.find((x) => x.label === variant);
    const t = v ? this.state.traceOf(v) : null;
    return t?.segments[seg - 1]?.n === seg ? (t.segments[seg - 1].causeLine ?? null) : null;
  }

  private onClick(e: MouseEvent): void {
    if (this.zoom.suppressClick) {
      this.zoom.suppressClick = false;
      return;
    }
    const hit = this.segmentAt(e.target);
    if (!hit) return;
    const line = this.causeLine(hit.variant, hit.seg);
    if (line !== null) this.host.reveal(line, 0);
  }

  /** Marks the arrows and labels of the segments the cursor's line caused. */
  highlight(): void {
    const line = this.state.highlightLine;
    let first: Element | null = null;
    for (const panel of this.el.canvas.querySelectorAll<SVGElement>('g.panel')) {
      const variant = panel.dataset.variant ?? '';
      for (const el of panel.querySelectorAll('[data-seg]')) {
        const on = line !== null && this.causeLine(variant, Number(el.getAttribute('data-seg'))) === line;
        if (el.classList.contains('hl') !== on) el.classList.toggle('hl', on);
        if (on && first === null) first = el;
      }
    }
    // Brings the first marked arrow into view (vertically, keeping the zoom).
    if (first && this.active) {
      const r = first.getBoundingClientRect();
      const v = this.el.viewport.getBoundingClientRect();
      if (v.height > 0 && (r.top < v.top || r.bottom > v.bottom)) {
        const t = this.zoom.transform;
        this.zoom.set({ ...t, y: t.y + (v.top + v.height / 3 - r.top) });
      }
    }
  }

  /** Answers `exportSvg` on the Ladder tab: a standalone SVG in the light palette, every arrow drawn. */
  exportSvg(requestId: number): void {
    const traces = this.tracesOf(this.state.variants);
    const variant = this.state.selectedVariant()?.label ?? '';
    if (traces.length === 0) {
      this.host.post({ type: 'svg', requestId, svg: null, view: 'ladder', variant, error: 'nothing to draw yet' });
      return;
    }
    const width = Math.max(200, Math.floor(this.width - 2 * MARGIN)) || 1000;
    const svg = renderLadderSvg(layoutLadder(traces, { width, variant }), { theme: 'light' });
    this.host.post({ type: 'svg', requestId, svg, view: 'ladder', variant, error: '' });
  }
}
