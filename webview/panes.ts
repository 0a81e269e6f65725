// The diagram panes: one per view (sequence, timeline) and variant, side by side when the page
// is wide enough, else one at a time picked from the variant dropdown. Draws what is on screen
// with Mermaid (one diagram at a time, a newer update wins), keeps each pane's zoom and pan,
// leads clicks on arrows back to their line, and marks the arrows of the cursor's line.

import { chartWidth, timelineChart, type TimelineChart } from '../src/core/render/timeline';
import type { ToExtension, TraceEvents, Transform, Unaddressed, VariantView, ViewKind } from '../src/protocol';
import { clickedSegment, exportableSvg, markHighlight, prepareSvg } from './diagramSvg';
import { diagramDescription, diagramName, describeSegment } from './describe';
import { setHidden, setText, type Ui } from './dom';
import type { DiagramKeyboard } from './keyboard';
import { Generations, SEQUENCE_FONT_PX, configureMermaid, renderMermaid, svgElementFrom } from './renderer';
import { paneKey, type PreviewState } from './state';
import { writeRealTimes } from './timelineAxis';
import { MARGIN, PanZoom, svgWidth } from './zoom';

/**
 * A variant is shown beside the others only when each pane gets at least this much width: the
 * compact sequence diagram of up to four endpoints is 340 to 460 px wide at 100 % (see
 * renderSequence's `compact`), shown whole at a readable scale (READABLE_PX) in this much.
 * Narrower panes would shrink the text or cut the right-hand lifeline, so below it the variants
 * are picked from a dropdown.
 */
const MIN_PANE_WIDTH = 480;
/** The smallest text the first view of a sequence diagram shows, in screen pixels. */
export const READABLE_PX = 11;
/** The app's side padding, and what each further pane takes for its gap, border and padding (main.css). */
const APP_PADDING = 16;
const PANE_SEPARATION = 17;
/** The state timeline's text size (renderer.ts, gantt fontSize), which its layout measures labels for. */
const TIMELINE_FONT_PX = 12;
/** A resized timeline pane is laid out again once its width has stayed put this long. */
const RELAYOUT_DELAY_MS = 150;
/** Numbers the panes' description elements (ids are unique in the page). */
let describedPanes = 0;

interface Pane {
  view: ViewKind;
  variant: string;
  root: HTMLElement;
  viewport: HTMLElement;
  canvas: HTMLElement;
  zoom: PanZoom;
  /** The Mermaid text now on screen, with a timeline's axis (null: nothing drawn yet, or the theme changed). */
  renderedText: string | null;
  /** The text (and axis) that failed last, so it is not retried on every update. */
  failedText: string | null;
  error: string | null;
  /**
   * The transform the page chose for the drawing now shown (initialFit), while the user has not
   * zoomed or panned since: a new drawing of another width (the first diagram after the empty
   * file's placeholder, an endpoint added) is fitted again. Null once the user moved it.
   */
  fitted: Transform | null;
  /** The names over the lifelines, shown while the diagram's own boxes are scrolled out of view. */
  names: HTMLElement;
  /** Each lifeline's name, centre and the bottom of its box, in the SVG's pixels at scale 1. */
  lifelines: Array<{ name: string; x: number; bottom: number }>;
}

export interface PanesHost {
  post(m: Unaddressed<ToExtension>): void;
  reveal(line: number, column: number): void;
  /** After the panes' layout changed (the window bar shows the windows of the shown variants). */
  laidOut(): void;
  /** After a round of drawing (the banner lists the diagrams that failed). */
  drawn(): void;
  /** The keyboard of the diagrams (each pane's viewport is attached to it). */
  keyboard: DiagramKeyboard;
  /** Shows the Trace tab: the diagrams' text alternative. */
  showTable(): void;
}

export class Panes {
  private readonly panes = new Map<string, Pane>();
  private readonly generations = new Generations();
  private themeReady: Promise<void> | null = null;
  /**
   * The app's width, kept by the app's ResizeObserver (resized). Reading clientWidth at the
   * start of every render forced a layout of the page, old diagram included, before Mermaid even
   * started (10 of the 26 ms an update of a 1 001-segment sequence added to Mermaid's own render).
   */
  private appWidth: number;
  private wasSideBySide = false;
  private wasLaidOut: boolean;
  /** Each pane viewport's content width, kept by one ResizeObserver (no layout is forced to read it). */
  private readonly paneWidths = new WeakMap<Element, number>();
  private readonly paneResize = new ResizeObserver((entries) => {
    let timelineResized = false;
    for (const e of entries) {
      if (this.paneWidths.get(e.target) !== e.contentRect.width && e.contentRect.width > 0)
        timelineResized ||= (e.target as HTMLElement).closest('[data-view="timeline"]') !== null;
      this.paneWidths.set(e.target, e.contentRect.width);
    }
    // The timeline is laid out for its pane's width: once the pane has its new width, it is drawn
    // again for it (a drag of the sash resizes it many times a second; only the last one counts).
    if (timelineResized) {
      clearTimeout(this.relayout);
      this.relayout = setTimeout(() => {
        if (this.state.activeView() === 'timeline') this.render();
      }, RELAYOUT_DELAY_MS);
    }
  });
  private relayout: ReturnType<typeof setTimeout> | undefined;
  /**
   * Each timeline as last laid out, and the width it was laid out for, by the decoded trace it
   * was laid out from (which the state hands back unchanged while its text is the same).
   */
  private readonly timelines = new WeakMap<TraceEvents, { width: number; chart: TimelineChart }>();

  constructor(
    private readonly state: PreviewState,
    private readonly ui: Ui,
    private readonly host: PanesHost,
  ) {
    this.appWidth = ui.app.clientWidth;
    this.wasLaidOut = this.appWidth > 0;
  }

  // ---- which variants are shown, and how wide -------------------------------------------

  /** Each pane's width when `n` panes share the app's width (main.css). */
  private paneWidthAmong(n: number): number {
    return (this.appWidth - APP_PADDING - (n - 1) * PANE_SEPARATION) / n;
  }

  sideBySide(): boolean {
    const n = this.state.variants.length;
    return n > 1 && this.paneWidthAmong(n) >= MIN_PANE_WIDTH;
  }

  /** The variants whose panes are on screen. */
  shownVariants(): VariantView[] {
    if (this.sideBySide()) return this.state.variants;
    const v = this.state.selectedVariant();
    return v ? [v] : [];
  }

  /**
   * The width to lay a timeline out at: its pane's, less the margins of its first view (so that
   * it is shown whole at 100 %), at least the core's MIN_CHART_WIDTH. The pane's width comes from
   * its ResizeObserver (paneWidths): reading clientWidth here forced a layout of the page, old
   * diagram included, right before Mermaid started (1.9 ms of a 14 ms timeline update). A pane
   * not laid out yet (its tab was hidden) is estimated from the app's width as main.css shares it.
   */
  private timelineWidth(pane: Pane): number {
    const width =
      this.paneWidths.get(pane.viewport) || this.paneWidthAmong(this.sideBySide() ? this.state.variants.length : 1);
    return chartWidth(Math.floor(width - 2 * MARGIN));
  }

  /**
   * A variant's timeline laid out at `width`, by the core's renderer from the variant's trace
   * without its segments (the Ladder's, which the Timeline does not read), as the Ladder is: the
   * host cannot know the pane's width. The page writes the axis' real times itself (pageAxis,
   * webview/timelineAxis.ts).
   */
  private timelineOf(v: VariantView, width: number): TimelineChart | undefined {
    const trace = this.state.timelineTraceOf(v);
    if (!trace) return undefined;
    const known = this.timelines.get(trace);
    if (known?.width === width) return known.chart;
    const chart = timelineChart(trace, { pageAxis: true, width });
    this.timelines.set(trace, { width, chart });
    return chart;
  }

  private visiblePanes(view: ViewKind): Pane[] {
    return this.shownVariants()
      .map((v) => this.panes.get(paneKey(view, v.label)))
      .filter((p): p is Pane => p !== undefined);
  }

  // ---- panes ------------------------------------------------------------------------------

  private makePane(view: ViewKind, variant: string): Pane {
    const root = document.createElement('div');
    root.className = 'variant-pane';
    root.dataset.variant = variant;
    root.dataset.view = view;
    const label = document.createElement('div');
    label.className = 'variant-title';
    label.textContent = variant;
    const viewport = document.createElement('div');
    viewport.className = 'viewport';
    const canvas = document.createElement('div');
    canvas.className = 'canvas';
    const status = document.createElement('div');
    status.className = 'pane-status';
    status.textContent = 'Drawing the diagram\u2026';
    canvas.append(status);
    const names = document.createElement('div');
    names.className = 'lifeline-names';
    names.hidden = true;
    names.setAttribute('aria-hidden', 'true');
    viewport.append(canvas, names);
    // Screen readers: the viewport is named and described (sync() keeps the words current), and
    // a button that shows only when focused leads to the Trace tab, the text alternative.
    const description = document.createElement('div');
    description.hidden = true;
    description.id = `desc-${view}-${++describedPanes}`;
    viewport.setAttribute('aria-describedby', description.id);
    const toTable = document.createElement('button');
    toTable.className = 'show-table';
    toTable.textContent = 'Show as table';
    toTable.title = 'Every segment of this diagram as rows of the Trace tab';
    toTable.addEventListener('click', () => this.host.showTable());
    root.append(label, toTable, viewport, description);
    const key = paneKey(view, variant);
    const zoom = new PanZoom(viewport, canvas, this.state.transformOf(key), (t) => {
      this.state.setTransform(key, t);
      if (pane.fitted && !sameTransform(pane.fitted, t)) pane.fitted = null;
      this.showZoomLevel();
    });
    const pane: Pane = {
      view,
      variant,
      root,
      viewport,
      canvas,
      zoom,
      renderedText: null,
      failedText: null,
      error: null,
      fitted: null,
      names,
      lifelines: [],
    };
    zoom.onApply = (t) => placeLifelineNames(pane, t);
    this.paneResize.observe(viewport);
    viewport.addEventListener('click', (e) => this.onDiagramClick(pane, e));
    this.host.keyboard.attach(viewport, {
      zoom,
      describe: (n) => {
        const v = this.state.variantByLabel(variant);
        const row = v ? this.state.rowsOf(v).rows.find((r) => r.n === n) : undefined;
        return row ? describeSegment(row) : null;
      },
      causeLine: (n) => this.state.causeLineOf(variant, n),
    });
    return pane;
  }

  /** Removes every pane (another document: its diagrams start from scratch). */
  clear(): void {
    for (const pane of this.panes.values()) {
      this.paneResize.unobserve(pane.viewport);
      pane.root.remove();
    }
    this.panes.clear();
  }

  /** Creates and removes panes so that every view has one per variant, in variant order. */
  sync(): void {
    const labels = new Set(this.state.variants.map((v) => v.label));
    for (const [key, pane] of this.panes) {
      if (!labels.has(pane.variant)) {
        this.paneResize.unobserve(pane.viewport);
        pane.root.remove();
        this.panes.delete(key);
      }
    }
    for (const view of ['sequence', 'timeline'] as const) {
      const container = this.ui.containers[view];
      let previous: Element | null = null;
      for (const v of this.state.variants) {
        const key = paneKey(view, v.label);
        let pane = this.panes.get(key);
        if (!pane) {
          pane = this.makePane(view, v.label);
          this.panes.set(key, pane);
        }
        // Keeps the variants' order, moving a pane only when it is out of place: re-appending a pane
        // that holds a drawn diagram made the browser restyle the whole SVG on every update.
        const expected: Element | null = previous ? previous.nextElementSibling : container.firstElementChild;
        if (expected !== pane.root) {
          if (previous) previous.after(pane.root);
          else container.prepend(pane.root);
        }
        previous = pane.root;
      }
    }
  }

  /**
   * The pane's accessible name and description, written only when they change. Written by
   * draw() for the panes on screen, once their drawing is: the description reads the segment
   * rows, which no diagram needs (decoding them on every update, for both views, ran before
   * Mermaid even started); a pane of another tab is described when its tab is shown.
   */
  private describe(pane: Pane, v: VariantView): void {
    const name = diagramName(pane.view, this.state.title, this.state.variants.length > 1 ? v.label : null);
    if (pane.viewport.getAttribute('aria-label') !== name) pane.viewport.setAttribute('aria-label', name);
    const id = pane.viewport.getAttribute('aria-describedby');
    const desc = id ? document.getElementById(id) : null;
    if (desc) setText(desc, diagramDescription(pane.view, v, this.state.rowsOf(v).rows));
  }

  /** Fills the variant dropdown with the variants, in order, and shows the one selected. */
  syncVariantPicker(): void {
    const { variants } = this.state;
    const select = this.ui.variantSelect;
    const options = variants.map((v) => v.label);
    const current = [...select.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value') ?? '');
    if (options.join('\u0000') !== current.join('\u0000')) {
      select.replaceChildren(
        ...options.map((label) => {
          const o = document.createElement('vscode-option');
          o.setAttribute('value', label);
          o.textContent = label;
          return o;
        }),
      );
    }
    const selected = this.state.selectedVariant();
    if (selected && variants.length > 1) {
      queueMicrotask(() => {
        if (select.value !== selected.label) select.value = selected.label;
      });
    }
  }

  /** Shows the panes of the shown variants, side by side or not, and the dropdown when there is a choice. */
  layout(): void {
    const side = this.sideBySide();
    const several = this.state.variants.length > 1;
    const shown = new Set(this.shownVariants().map((v) => v.label));
    for (const pane of this.panes.values()) setHidden(pane.root, !shown.has(pane.variant));
    for (const c of Object.values(this.ui.containers)) {
      c.classList.toggle('side-by-side', side);
      c.classList.toggle('several', several);
    }
    setHidden(this.ui.variantSelect, !several);
    setHidden(this.ui.variantLabel, !several);
    const pickerTitle = side ? 'Variant shown in the Trace tab and exported' : 'Variant shown';
    if (this.ui.variantSelect.title !== pickerTitle) this.ui.variantSelect.title = pickerTitle;
    this.host.laidOut();
    this.showZoomLevel();
  }

  /**
   * The app was resized (its ResizeObserver calls back once the page is laid out, so reading its
   * width costs no extra layout): lays the panes out again and draws when that changed whether
   * they fit side by side, or whether the page has a size at all.
   */
  resized(): void {
    this.appWidth = this.ui.app.clientWidth;
    const laidOut = this.appWidth > 0;
    const side = this.sideBySide();
    if (side === this.wasSideBySide && laidOut === this.wasLaidOut) return;
    this.wasSideBySide = side;
    this.wasLaidOut = laidOut;
    this.layout();
    this.render();
  }

  showZoomLevel(): void {
    const view = this.state.activeView();
    const pane = view ? this.visiblePanes(view)[0] : undefined;
    setText(this.ui.zoomLevel, pane ? `${Math.round(pane.zoom.transform.scale * 100)}%` : '');
  }

  /** Applies a zoom action to every shown pane of the active view. */
  zoomVisible(action: (z: PanZoom) => void): void {
    const view = this.state.activeView();
    if (!view) return;
    for (const p of this.visiblePanes(view)) action(p.zoom);
  }

  /** Why shown diagrams could not be drawn, for the banner. */
  renderErrors(): string[] {
    const several = this.state.variants.length > 1;
    return [...this.panes.values()]
      .filter((p) => p.error !== null && !p.root.hidden)
      .map((p) => `The ${p.view} diagram${several ? ` of "${p.variant}"` : ''} could not be drawn: ${p.error}`);
  }

  /** Whether any diagram is on screen (the banner says the diagrams are from an older version). */
  anyDrawn(): boolean {
    return [...this.panes.values()].some((p) => p.renderedText !== null);
  }

  // ---- drawing ----------------------------------------------------------------------------

  /** Light, dark and high-contrast themes, and a switch between two of one kind: redraw in the new colours. */
  themeChanged(): void {
    this.themeReady = configureMermaid();
    for (const p of this.panes.values()) {
      p.renderedText = null;
      p.failedText = null;
    }
    this.render();
  }

  /** Draws what is on screen and out of date (see draw); a failure to draw is logged, not thrown. */
  render(): void {
    this.draw().catch((err: unknown) => console.error('tcpscn: drawing the diagrams failed', err));
  }

  /** Draws what is on screen and out of date, one diagram at a time; a newer call wins. */
  private async draw(): Promise<void> {
    const { state, host } = this;
    const generation = this.generations.next();
    // Mermaid measures text: in a page that is not laid out (an iframe VS Code hides) every box
    // is 0 and it throws. Wait until the page has a size again (the ResizeObserver calls back).
    // document.hidden alone is not the test: a page can be hidden yet laid out, and waiting for a
    // visibilitychange that never comes would leave the panel blank.
    const done = (): void => host.post({ type: 'drawn', version: state.source?.version ?? 0 });
    if (!state.haveData || this.appWidth === 0) return done();
    const view = state.activeView();
    if (!view) return done();
    this.themeReady ??= configureMermaid();
    await this.themeReady;
    for (const pane of this.visiblePanes(view)) {
      if (!this.generations.isCurrent(generation)) return;
      const variant = state.variants.find((v) => v.label === pane.variant);
      if (!variant) continue;
      // The timeline is laid out for its pane's width, and Mermaid draws it at that width.
      const ganttWidth = pane.view === 'timeline' ? this.timelineWidth(pane) : undefined;
      const timeline = ganttWidth !== undefined ? this.timelineOf(variant, ganttWidth) : undefined;
      const text = pane.view === 'sequence' ? variant.sequence.text : timeline?.text;
      if (text === undefined) continue;
      // A timeline is its text and the axis its real times are placed on (writeRealTimes).
      const drawing = timeline ? `${text}\n${JSON.stringify(timeline.axis)}` : text;
      if (drawing === pane.renderedText || drawing === pane.failedText) continue;
      try {
        const crossed = taskPassed();
        const { svg } = await renderMermaid(text, ganttWidth);
        if (!this.generations.isCurrent(generation)) return; // a newer update is on its way
        if (crossed() && this.hiddenMeanwhile()) return done();
        const el = svgElementFrom(svg);
        if (!el) throw new Error('Mermaid returned no SVG');
        const arrows = prepareSvg(el, pane.view === 'sequence' ? variant.sequence.arrowSegments : null);
        if (timeline) writeRealTimes(el, timeline.axis);
        const oldWidth = pane.renderedText !== null ? svgWidthIn(pane.canvas) : 0;
        pane.canvas.replaceChildren(el); // one swap: no blank frame between old and new
        this.host.keyboard.refresh(pane.viewport);
        pane.lifelines = pane.view === 'sequence' ? lifelinesOf(el) : [];
        const key = paneKey(pane.view, pane.variant);
        // A diagram the page fitted and the user left alone is fitted again when its width changes.
        if (!state.transformOf(key) || (pane.fitted !== null && svgWidth(el) !== oldWidth)) initialFit(pane);
        else placeLifelineNames(pane, pane.zoom.transform);
        pane.renderedText = drawing;
        pane.failedText = null;
        pane.error = null;
        this.applyHighlight(pane);
        host.post({ type: 'rendered', variant: pane.variant, view, ok: true, arrows, error: '' });
      } catch (err) {
        if (!this.generations.isCurrent(generation)) return;
        if (this.hiddenMeanwhile()) return done();
        // The last good drawing stays; the banner says what went wrong.
        pane.failedText = drawing;
        pane.error = err instanceof Error ? err.message : String(err);
        host.post({ type: 'rendered', variant: pane.variant, view, ok: false, arrows: 0, error: pane.error });
      }
    }
    // A task of its own, after the one that put the drawing on screen (the browser may paint between).
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!this.generations.isCurrent(generation)) return;
    for (const pane of this.visiblePanes(view)) {
      const variant = state.variants.find((v) => v.label === pane.variant);
      if (variant) this.describe(pane, variant);
    }
    done();
    host.drawn();
    this.showZoomLevel();
    this.scrollToPendingSegment();
  }

  /** A segment to bring into view once its variant's sequence diagram is drawn (a hazard's link). */
  private pendingSegment: { variant: string; segment: number } | null = null;

  /** Scrolls the variant's sequence diagram (now, or once drawn) so that the segment's arrow is a third of the way down. */
  scrollToSegment(variant: string, segment: number): void {
    this.pendingSegment = { variant, segment };
    this.scrollToPendingSegment();
  }

  private scrollToPendingSegment(): void {
    const p = this.pendingSegment;
    const pane = p ? this.panes.get(paneKey('sequence', p.variant)) : undefined;
    if (!p || !pane || pane.root.hidden || pane.renderedText === null) return;
    const arrow = pane.canvas.querySelector(`[data-et="message"][data-segment="${p.segment}"]`);
    this.pendingSegment = null;
    if (!arrow) return;
    const r = arrow.getBoundingClientRect();
    const v = pane.viewport.getBoundingClientRect();
    const t = pane.zoom.transform;
    pane.zoom.set({ ...t, y: t.y + (v.top + v.height / 3 - r.top) });
  }

  /**
   * Whether the page lost its size while Mermaid drew (VS Code hid the panel; appWidth, kept by the
   * ResizeObserver, may not know yet): what Mermaid made then is not kept, not even as a failure,
   * and the ResizeObserver draws again when the page has a size. Reading the width here is cheap:
   * Mermaid has just laid the page out to measure its text.
   */
  private hiddenMeanwhile(): boolean {
    if (this.ui.app.clientWidth > 0) return false;
    this.appWidth = 0;
    return true;
  }

  private onDiagramClick(pane: Pane, e: MouseEvent): void {
    if (pane.zoom.suppressClick) {
      pane.zoom.suppressClick = false;
      return;
    }
    const segment = clickedSegment(e);
    if (segment === null) return;
    const line = this.state.causeLineOf(pane.variant, segment);
    if (line !== null) this.host.reveal(line, 0);
  }

  // ---- the cursor's highlight ---------------------------------------------------------------

  /** Marks the arrows of segments caused by the editor's cursor line. */
  private applyHighlight(pane: Pane): void {
    const { state } = this;
    const variant = state.variants.find((v) => v.label === pane.variant);
    const causes = state.highlightLine !== null && variant ? state.rowsOf(variant).causeLines : null;
    markHighlight(pane.canvas, causes, state.highlightLine);
  }

  /** Marks the cursor line's arrows in every pane and brings them into view in the shown ones. */
  highlight(): void {
    for (const pane of this.panes.values()) {
      this.applyHighlight(pane);
      if (!pane.root.hidden) bringHighlightIntoView(pane);
    }
  }

  // ---- export -------------------------------------------------------------------------------

  /** Answers `exportSvg`: the SVG of the active view's diagram of the selected variant. */
  exportSvg(requestId: number): void {
    const view: ViewKind = this.state.activeView() ?? 'sequence';
    const v = this.state.selectedVariant();
    const pane = v ? this.panes.get(paneKey(view, v.label)) : undefined;
    const svg = pane?.canvas.querySelector('svg');
    if (!v || !pane || !svg || pane.renderedText === null) {
      this.host.post({
        type: 'svg',
        requestId,
        svg: null,
        view,
        variant: v?.label ?? '',
        error: `the ${view} diagram has not been drawn yet (open its tab first)`,
      });
      return;
    }
    this.host.post({ type: 'svg', requestId, svg: exportableSvg(svg), view, variant: v.label, error: '' });
  }
}

/**
 * Whether a task has run since the call: the page is resized or hidden only between tasks (VS
 * Code's workbench changes the frame in tasks of its own), so a render that ended in the task it
 * began in (Mermaid's, once its diagram code is loaded, runs in microtasks) cannot have seen the
 * page lose its size, and need not ask: reading the width forced a layout of the page after
 * Mermaid had removed its drawing (0.7 of the 3.5 ms a Timeline update added to Mermaid's render).
 */
function taskPassed(): () => boolean {
  let passed = false;
  setTimeout(() => {
    passed = true;
  }, 0);
  return () => passed;
}

/**
 * The first view of a diagram: its whole width when that fits with text of at least READABLE_PX,
 * else that scale from the SVG's left edge. The compact sequence diagram of up to four endpoints
 * fits a 440 px pane whole at that scale, and the timeline is laid out for its pane's width (at
 * 100 %, 12 px text), so both read with vertical scrolling only.
 */
function initialFit(pane: Pane): void {
  pane.zoom.showFirstView(READABLE_PX / (pane.view === 'sequence' ? SEQUENCE_FONT_PX : TIMELINE_FONT_PX));
  pane.fitted = pane.zoom.transform;
}

function sameTransform(a: Transform, b: Transform): boolean {
  return a.scale === b.scale && a.x === b.x && a.y === b.y;
}

function svgWidthIn(canvas: HTMLElement): number {
  const svg = canvas.querySelector('svg');
  return svg ? svgWidth(svg) : 0;
}

/** The lifelines of a sequence diagram: the top boxes Mermaid draws (`rect.actor-top`) and their first line of text. */
function lifelinesOf(svg: SVGSVGElement): Pane['lifelines'] {
  const out: Pane['lifelines'] = [];
  for (const rect of svg.querySelectorAll<SVGRectElement>('rect.actor-top')) {
    const x = Number(rect.getAttribute('x'));
    const w = Number(rect.getAttribute('width'));
    const y = Number(rect.getAttribute('y'));
    const h = Number(rect.getAttribute('height'));
    const name = rect.parentElement?.querySelector('text.actor')?.textContent ?? '';
    if ([x, w, y, h].every(Number.isFinite) && name !== '') out.push({ name, x: x + w / 2, bottom: y + h });
  }
  return out;
}

/**
 * Keeps the lifelines' names in view: once the diagram is scrolled so far down that its own
 * boxes at the top are out of view, a strip at the top of the pane names each lifeline above
 * it, following zoom and sideways panning.
 */
function placeLifelineNames(pane: Pane, t: Transform): void {
  const bottom = Math.max(0, ...pane.lifelines.map((l) => l.bottom));
  const show = pane.lifelines.length > 0 && t.y + bottom * t.scale < 0;
  setHidden(pane.names, !show);
  if (!show) return;
  if (pane.names.childElementCount !== pane.lifelines.length) {
    pane.names.replaceChildren(
      ...pane.lifelines.map((l) => {
        const span = document.createElement('span');
        span.textContent = l.name;
        return span;
      }),
    );
  }
  pane.lifelines.forEach((l, i) => {
    const span = pane.names.children[i] as HTMLElement;
    if (span.textContent !== l.name) span.textContent = l.name;
    span.style.left = `${Math.round(t.x + l.x * t.scale)}px`;
  });
}

/** Pans (vertically, keeping the zoom) so that the first highlighted arrow is on screen. */
function bringHighlightIntoView(pane: Pane): void {
  const first = pane.canvas.querySelector('[data-et="message"].tcpscn-highlight');
  if (!first) return;
  const r = first.getBoundingClientRect();
  const v = pane.viewport.getBoundingClientRect();
  if (v.height === 0 || (r.top >= v.top && r.bottom <= v.bottom)) return;
  const t = pane.zoom.transform;
  pane.zoom.set({ ...t, y: t.y + (v.top + v.height / 3 - r.top) });
}

/**
 * Gives the active view's body the rest of the window's height (banner and summary vary). It
 * runs from ResizeObservers (the app, what sits above the views, and each view's body), which
 * call back once the page is laid out, so reading positions there costs no extra layout; run
 * from requestAnimationFrame it laid out the newly drawn diagram a frame early (1.9 ms per
 * timeline update).
 */
export function fitHeights(): void {
  for (const body of document.querySelectorAll<HTMLElement>('.view-body')) {
    const top = body.getBoundingClientRect().top;
    const height = `${Math.max(160, window.innerHeight - top - 6)}px`;
    // Written only when it changes: each write lays the page out again.
    if (top > 0 && body.style.height !== height) body.style.height = height;
  }
}
