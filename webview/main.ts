// The preview's page: tabs Sequence / Timeline / Trace, variants side by side or picked from a
// dropdown, a summary bar, and a banner for the text's errors. The extension sends ready-made
// Mermaid text (see src/extension/preview/payload.ts); this page lays it out with Mermaid,
// keeps the last good diagram while the text has errors, keeps zoom and pan across updates,
// and leads clicks on arrows back to the line that caused them.

import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
} from '@vscode/webview-ui-toolkit';
import {
  decodeSegmentRows,
  isToWebview,
  isWebviewState,
  type ProblemRow,
  type SegmentRow,
  type SourceInfo,
  type TabKind,
  type ToExtension,
  type ToWebview,
  type Transform,
  type VariantView,
  type ViewKind,
  type WebviewState,
} from '../src/extension/preview/messages';
import { neighbourWindows } from '../src/extension/preview/window';
import { GRID_COLUMNS, GRID_TEMPLATE, gridRow } from './grid';
import { fillBanner, fillSummary } from './panels';
import { Generations, configureMermaid, renderMermaid, svgElementFrom } from './renderer';
import { watchTheme } from './theme';
import { PanZoom } from './zoom';

provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeDataGrid(),
  vsCodeDataGridCell(),
  vsCodeDataGridRow(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodePanels(),
  vsCodePanelTab(),
  vsCodePanelView(),
);

interface VsCodeApi {
  postMessage(message: ToExtension): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

/**
 * A variant is shown beside the others only when each pane gets at least this much width: a
 * two-endpoint sequence diagram with its state notes is about 1500 px wide, shown whole at the
 * first view's 50% (see firstView in zoom.ts) with the margins. Narrower panes cut every note
 * on the right-hand lifeline, so below it the variants are picked from a dropdown.
 */
const MIN_PANE_WIDTH = 770;
/** The app's side padding, and what each further pane takes for its gap, border and padding (main.css). */
const APP_PADDING = 16;
const PANE_SEPARATION = 17;
/** The state timeline is laid out at least this wide (zoom out or "Fit width" to see all of it). */
const MIN_TIMELINE_WIDTH = 1000;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
};

const ui = {
  app: $('app'),
  title: $('doc-title'),
  lockState: $('lock-state'),
  variantLabel: $('variant-label'),
  variantSelect: $<HTMLElement & { value: string }>('variant-select'),
  zoomLevel: $('zoom-level'),
  banner: $('banner'),
  summary: $('summary'),
  placeholder: $('placeholder'),
  tabs: $<HTMLElement & { activeid: string }>('tabs'),
  windowBar: $('window-bar'),
  windowNote: $('window-note'),
  containers: { sequence: $('sequence'), timeline: $('timeline') } as Record<ViewKind, HTMLElement>,
  trace: $('trace'),
};

/**
 * The app's width, kept by the ResizeObserver below. Reading clientWidth at the start of every
 * render forced a layout of the page, old diagram included, before Mermaid even started (10 of
 * the 26 ms an update of a 1 001-segment sequence added to Mermaid's own render).
 */
let appWidth = ui.app.clientWidth;

/**
 * The width to lay a timeline out at: its pane's, at least MIN_TIMELINE_WIDTH. The pane's width
 * comes from its ResizeObserver (paneWidths): reading clientWidth here forced a layout of the
 * page, old diagram included, right before Mermaid started (1.9 ms of a 14 ms timeline update).
 * A pane not laid out yet (its tab was hidden) is estimated from the app's width.
 */
function timelineWidth(pane: Pane): number {
  if (appWidth - 16 <= MIN_TIMELINE_WIDTH) return MIN_TIMELINE_WIDTH; // a pane is never wider than the app
  const width = paneWidths.get(pane.viewport) || estimatedPaneWidth();
  return Math.max(MIN_TIMELINE_WIDTH, Math.round(width - 16));
}

/** A pane's width before it has been laid out: the app's width shared as main.css shares it. */
function estimatedPaneWidth(): number {
  return paneWidthAmong(sideBySide() ? variants.length : 1);
}

/** Each pane's width when `n` panes share the app's width (main.css). */
function paneWidthAmong(n: number): number {
  return (appWidth - APP_PADDING - (n - 1) * PANE_SEPARATION) / n;
}

/** Each pane viewport's content width, kept by one ResizeObserver (no layout is forced to read it). */
const paneWidths = new WeakMap<Element, number>();
const paneResize = new ResizeObserver((entries) => {
  for (const e of entries) paneWidths.set(e.target, e.contentRect.width);
});

// ---- state --------------------------------------------------------------------------------

const restored = vscode.getState();
const state: WebviewState = isWebviewState(restored)
  ? restored
  : { uri: '', locked: false, tab: 'sequence', variant: null, transforms: {} };
const saveState = (): void => vscode.setState(state);

/** The last document info, good variants and problems the extension sent. */
let source: SourceInfo | null = null;
let variants: VariantView[] = [];
let problems: ProblemRow[] = [];
let haveData = false;
let highlightLine: number | null = null;
const post = (m: ToExtension): void => vscode.postMessage(m);

interface Pane {
  view: ViewKind;
  variant: string;
  root: HTMLElement;
  viewport: HTMLElement;
  canvas: HTMLElement;
  zoom: PanZoom;
  /** The Mermaid text now on screen (null: nothing drawn yet, or the theme changed). */
  renderedText: string | null;
  /** The text that failed last, so it is not retried on every update. */
  failedText: string | null;
  error: string | null;
}
const panes = new Map<string, Pane>();
const paneKey = (view: ViewKind, variant: string): string => `${view}:${variant}`;
const generations = new Generations();

// ---- helpers ------------------------------------------------------------------------------

function variantByLabel(label: string | null): VariantView | undefined {
  return variants.find((v) => v.label === label) ?? variants[0];
}

function selectedVariant(): VariantView | undefined {
  return variantByLabel(state.variant);
}

/** A variant's rows, decoded from its segmentRows text the first time they are needed. */
const decodedRows = new WeakMap<VariantView, { rows: SegmentRow[]; causeLines: Map<number, number | null> }>();

function rowsOf(v: VariantView): { rows: SegmentRow[]; causeLines: Map<number, number | null> } {
  let d = decodedRows.get(v);
  if (!d) {
    const rows = decodeSegmentRows(v.segmentRows);
    if (!rows)
      console.warn(
        `tcpscn: the segment rows of "${v.label}" are malformed; the Trace tab and click-to-source are off for them`,
      );
    d = { rows: rows ?? [], causeLines: new Map((rows ?? []).map((s) => [s.n, s.causeLine])) };
    decodedRows.set(v, d);
  }
  return d;
}

function causeLineOf(variant: string, segment: number): number | null {
  const v = variantByLabel(variant);
  return v ? (rowsOf(v).causeLines.get(segment) ?? null) : null;
}

function activeView(): ViewKind | null {
  return state.tab === 'trace' ? null : state.tab;
}

function sideBySide(): boolean {
  const n = variants.length;
  return n > 1 && paneWidthAmong(n) >= MIN_PANE_WIDTH;
}

/** The variants whose panes are on screen. */
function shownVariants(): VariantView[] {
  if (sideBySide()) return variants;
  const v = selectedVariant();
  return v ? [v] : [];
}

function textOf(pane: Pane): string | undefined {
  const v = variants.find((x) => x.label === pane.variant);
  if (!v) return undefined;
  return pane.view === 'sequence' ? v.sequence.text : v.timeline;
}

/**
 * Shows or hides `el`, touching it only when that changes: even a write of the same value is a
 * mutation, and these run on every update.
 */
function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

function reveal(line: number, column: number): void {
  post({ type: 'reveal', line, column });
}

// ---- panes --------------------------------------------------------------------------------

function makePane(view: ViewKind, variant: string): Pane {
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
  viewport.append(canvas);
  root.append(label, viewport);
  const key = paneKey(view, variant);
  const zoom = new PanZoom(viewport, canvas, state.transforms[key], (t: Transform) => {
    state.transforms[key] = t;
    saveState();
    showZoomLevel();
  });
  const pane: Pane = { view, variant, root, viewport, canvas, zoom, renderedText: null, failedText: null, error: null };
  paneResize.observe(viewport);
  viewport.addEventListener('click', (e) => onDiagramClick(pane, e));
  return pane;
}

/** Creates and removes panes so that every view has one per variant, in variant order. */
function syncPanes(): void {
  const labels = new Set(variants.map((v) => v.label));
  for (const [key, pane] of panes) {
    if (!labels.has(pane.variant)) {
      paneResize.unobserve(pane.viewport);
      pane.root.remove();
      panes.delete(key);
    }
  }
  for (const view of ['sequence', 'timeline'] as const) {
    const container = ui.containers[view];
    let previous: Element | null = null;
    for (const v of variants) {
      const key = paneKey(view, v.label);
      let pane = panes.get(key);
      if (!pane) {
        pane = makePane(view, v.label);
        panes.set(key, pane);
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

function layout(): void {
  const side = sideBySide();
  const shown = new Set(shownVariants().map((v) => v.label));
  for (const pane of panes.values()) setHidden(pane.root, !shown.has(pane.variant));
  for (const c of Object.values(ui.containers)) {
    c.classList.toggle('side-by-side', side);
    c.classList.toggle('several', variants.length > 1);
  }
  const showPicker = variants.length > 1;
  setHidden(ui.variantSelect, !showPicker);
  setHidden(ui.variantLabel, !showPicker);
  const pickerTitle = side ? 'Variant shown in the Trace tab and exported' : 'Variant shown';
  if (ui.variantSelect.title !== pickerTitle) ui.variantSelect.title = pickerTitle;
  updateWindowBar();
  showZoomLevel();
}

/**
 * Gives the active view's body the rest of the window's height (banner and summary vary). It
 * runs from ResizeObservers (below: the app, what sits above the views, and each view's body),
 * which call back once the page is laid out, so reading positions there costs no extra layout;
 * run from requestAnimationFrame it laid out the newly drawn diagram a frame early (1.9 ms per
 * timeline update).
 */
function fitHeights(): void {
  for (const body of document.querySelectorAll<HTMLElement>('.view-body')) {
    const top = body.getBoundingClientRect().top;
    const height = `${Math.max(160, window.innerHeight - top - 6)}px`;
    // Written only when it changes: each write lays the page out again.
    if (top > 0 && body.style.height !== height) body.style.height = height;
  }
}

function visiblePanes(view: ViewKind): Pane[] {
  return shownVariants()
    .map((v) => panes.get(paneKey(view, v.label)))
    .filter((p): p is Pane => p !== undefined);
}

function showZoomLevel(): void {
  const view = activeView();
  const pane = view ? visiblePanes(view)[0] : undefined;
  const level = pane ? `${Math.round(pane.zoom.transform.scale * 100)}%` : '';
  if (ui.zoomLevel.textContent !== level) ui.zoomLevel.textContent = level;
}

// ---- rendering ----------------------------------------------------------------------------

let themeReady: Promise<void> | null = null;

/** Draws what is on screen and out of date, one diagram at a time; a newer call wins. */
async function renderVisible(): Promise<void> {
  const generation = generations.next();
  // Mermaid measures text: in a page that is not laid out (an iframe VS Code hides) every box
  // is 0 and it throws. Wait until the page has a size again (the ResizeObserver below calls
  // back). document.hidden alone is not the test: a page can be hidden yet laid out, and
  // waiting for a visibilitychange that never comes would leave the panel blank.
  const done = (): void => post({ type: 'drawn', version: source?.version ?? 0 });
  if (!haveData || appWidth === 0) return done();
  const view = activeView();
  if (!view) return done();
  themeReady ??= configureMermaid();
  await themeReady;
  for (const pane of visiblePanes(view)) {
    if (!generations.isCurrent(generation)) return;
    const text = textOf(pane);
    if (text === undefined || text === pane.renderedText || text === pane.failedText) continue;
    const variant = variants.find((v) => v.label === pane.variant);
    try {
      // The timeline gets at least MIN_TIMELINE_WIDTH so that short states keep readable labels.
      const ganttWidth = pane.view === 'timeline' ? timelineWidth(pane) : undefined;
      const { svg } = await renderMermaid(text, ganttWidth);
      if (!generations.isCurrent(generation)) return; // a newer update is on its way
      if (hiddenMeanwhile()) return done();
      const el = svgElementFrom(svg);
      if (!el) throw new Error('Mermaid returned no SVG');
      const arrows = prepareSvg(el, pane, variant);
      pane.canvas.replaceChildren(el); // one swap: no blank frame between old and new
      if (!state.transforms[paneKey(pane.view, pane.variant)]) initialFit(pane);
      pane.renderedText = text;
      pane.failedText = null;
      pane.error = null;
      applyHighlight(pane);
      post({ type: 'rendered', variant: pane.variant, view, ok: true, arrows, error: '' });
    } catch (err) {
      if (!generations.isCurrent(generation)) return;
      if (hiddenMeanwhile()) return done();
      // The last good drawing stays; the banner says what went wrong.
      pane.failedText = text;
      pane.error = err instanceof Error ? err.message : String(err);
      post({ type: 'rendered', variant: pane.variant, view, ok: false, arrows: 0, error: pane.error });
    }
  }
  done();
  refreshBanner();
  showZoomLevel();
}

/**
 * Whether the page lost its size while Mermaid drew (VS Code hid the panel; appWidth, kept by the
 * ResizeObserver, may not know yet): what Mermaid made then is not kept, not even as a failure,
 * and the ResizeObserver draws again when the page has a size. Reading the width here is cheap:
 * Mermaid has just laid the page out to measure its text.
 */
function hiddenMeanwhile(): boolean {
  if (ui.app.clientWidth > 0) return false;
  appWidth = 0;
  return true;
}

/**
 * Ties the SVG's arrows to segments: the i-th `[data-et="message"]` is segment
 * arrowSegments[i] (Mermaid numbers notes and blocks in data-id too, so data-id is not used).
 * Adds a wider invisible line over each arrow so that it is easy to click.
 */
function prepareSvg(svg: SVGSVGElement, pane: Pane, variant: VariantView | undefined): number {
  svg.classList.add('tcpscn-diagram');
  const lines = [...svg.querySelectorAll<SVGElement>('[data-et="message"]')];
  if (pane.view !== 'sequence' || !variant) return lines.length;
  const segments = variant.sequence.arrowSegments;
  if (lines.length !== segments.length) {
    console.warn(
      `tcpscn: ${lines.length} arrows drawn for ${segments.length} segments; click-to-source is off for this diagram`,
    );
    return lines.length;
  }
  lines.forEach((line, i) => {
    const n = String(segments[i]);
    line.dataset.segment = n;
    if (line instanceof SVGLineElement) {
      const hit = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      for (const a of ['x1', 'y1', 'x2', 'y2']) hit.setAttribute(a, line.getAttribute(a) ?? '0');
      hit.setAttribute('class', 'tcpscn-hit');
      hit.dataset.segment = n;
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = `Segment #${n}: click to show the line that caused it`;
      hit.append(title);
      line.after(hit);
    }
  });
  return lines.length;
}

/**
 * The first view of a diagram: its whole width when that fits at a readable scale (50% for the
 * sequence diagram, 70% for the timeline), else that scale from the SVG's left edge. Fitting only
 * the lifelines cut the notes that Mermaid draws left of the first lifeline.
 */
function initialFit(pane: Pane): void {
  pane.zoom.showFirstView(pane.view === 'sequence' ? 0.5 : 0.7);
}

function onDiagramClick(pane: Pane, e: MouseEvent): void {
  if (pane.zoom.suppressClick) {
    pane.zoom.suppressClick = false;
    return;
  }
  const target = e.target instanceof Element ? e.target.closest('[data-segment]') : null;
  if (!(target instanceof SVGElement) || !target.dataset.segment) return;
  const line = causeLineOf(pane.variant, Number(target.dataset.segment));
  if (line !== null) reveal(line, 0);
}

/** Marks the arrows (and grid rows) of segments caused by the editor's cursor line. */
function applyHighlight(pane: Pane): void {
  const variant = variants.find((v) => v.label === pane.variant);
  // Without a cursor line nothing is marked, and the rows need not be decoded.
  const causes = highlightLine !== null && variant ? rowsOf(variant).causeLines : null;
  for (const el of pane.canvas.querySelectorAll<SVGElement>('[data-segment]')) {
    const on = causes !== null && causes.get(Number(el.dataset.segment)) === highlightLine;
    el.classList.toggle('tcpscn-highlight', on);
  }
}

function applyHighlightEverywhere(): void {
  for (const pane of panes.values()) {
    applyHighlight(pane);
    if (!pane.root.hidden) bringHighlightIntoView(pane);
  }
  highlightGridRows();
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

// ---- banner, summary, trace grid, window bar ----------------------------------------------

function refreshBanner(): void {
  const renderErrors = [...panes.values()]
    .filter((p) => p.error !== null && !p.root.hidden)
    .map(
      (p) => `The ${p.view} diagram${variants.length > 1 ? ` of "${p.variant}"` : ''} could not be drawn: ${p.error}`,
    );
  const drawn = [...panes.values()].some((p) => p.renderedText !== null);
  fillBanner(ui.banner, problems, renderErrors, drawn, reveal);
}

interface DataGridElement extends HTMLElement {
  rowsData: object[];
  columnDefinitions: object[];
  gridTemplateColumns: string;
}
const grid = document.createElement('vscode-data-grid') as DataGridElement;
grid.id = 'trace-grid';
grid.setAttribute('aria-label', 'Segments');
grid.setAttribute('generate-header', 'sticky');
grid.columnDefinitions = GRID_COLUMNS;
grid.gridTemplateColumns = GRID_TEMPLATE;
const gridNote = document.createElement('div');
gridNote.id = 'trace-note';
ui.trace.append(gridNote, grid);
let gridVariant: VariantView | undefined;

grid.addEventListener('click', (e) => {
  const row = e.target instanceof Element ? e.target.closest('vscode-data-grid-row') : null;
  const data = (row as (Element & { rowData?: Record<string, unknown> }) | null)?.rowData;
  const n = data ? Number(data['#']) : NaN;
  const v = selectedVariant();
  if (!v || !Number.isSafeInteger(n)) return;
  const line = causeLineOf(v.label, n);
  if (line !== null) reveal(line, 0);
});

/**
 * Fills the Trace tab's grid, only while that tab is shown: building a data grid of hundreds of
 * rows took a quarter of an update's time (339 of 1 440 ms at 1 001 segments) when nobody could
 * see it. A hidden grid is left stale (gridVariant says for which variant it was built) and is
 * built when its tab is next shown.
 */
function refreshGrid(): void {
  if (state.tab !== 'trace') return;
  const v = selectedVariant();
  if (v === gridVariant) return;
  gridVariant = v;
  const rows = v ? rowsOf(v).rows : [];
  grid.rowsData = rows.map(gridRow);
  const w = v?.sequence.window;
  gridNote.textContent = v
    ? `${variants.length > 1 ? `Variant "${v.label}": ` : ''}${w ? `segments ${w.from}\u2013${w.to} of ${w.total}` : `${rows.length} segment${rows.length === 1 ? '' : 's'}`}. Click a row to go to the line that caused it.`
    : '';
  requestAnimationFrame(highlightGridRows);
}

function highlightGridRows(): void {
  if (state.tab !== 'trace') return; // refreshGrid highlights when the tab is shown
  const v = selectedVariant();
  const causes = v ? rowsOf(v).causeLines : new Map<number, number | null>();
  for (const row of grid.querySelectorAll('vscode-data-grid-row')) {
    const data = (row as Element & { rowData?: Record<string, unknown> }).rowData;
    const n = data ? Number(data['#']) : NaN;
    row.classList.toggle('tcpscn-highlight-row', highlightLine !== null && causes.get(n) === highlightLine);
  }
}

function updateWindowBar(): void {
  const windowed = shownVariants().filter((v) => v.sequence.window !== null);
  setHidden(ui.windowBar, windowed.length === 0);
  if (!windowed.length) return;
  const note = windowed
    .map((v) => {
      const w = v.sequence.window!;
      return `${variants.length > 1 ? `"${v.label}": ` : ''}segments ${w.from}\u2013${w.to} of ${w.total}`;
    })
    .join('; ')
    .concat(' \u2014 a large trace is drawn a window at a time.');
  if (ui.windowNote.textContent !== note) ui.windowNote.textContent = note;
  const first = windowed[0].sequence.window!;
  const nb = neighbourWindows(first);
  setDisabled('window-first', nb.previous === null);
  setDisabled('window-prev', nb.previous === null);
  setDisabled('window-next', nb.next === null);
  setDisabled('window-last', nb.next === null);
}

function setDisabled(id: string, disabled: boolean): void {
  const b = document.getElementById(id) as (HTMLElement & { disabled: boolean }) | null;
  if (b && b.disabled !== disabled) b.disabled = disabled;
}

function moveWindows(where: 'first' | 'prev' | 'next' | 'last'): void {
  for (const v of shownVariants()) {
    const w = v.sequence.window;
    if (!w) continue;
    const span = w.to - w.from + 1;
    const nb = neighbourWindows(w);
    const from =
      where === 'first' ? 1 : where === 'last' ? w.total - span + 1 : where === 'prev' ? nb.previous : nb.next;
    if (from === null || from === w.from) continue;
    post({ type: 'requestWindow', variant: v.label, fromSegment: from, toSegment: Math.min(w.total, from + span - 1) });
  }
}

// ---- the document view as a whole ---------------------------------------------------------

function refreshAll(): void {
  const title = source
    ? variants.length && titleText
      ? `${titleText} \u2014 ${source.fileName}`
      : source.fileName
    : '';
  if (ui.title.textContent !== title) ui.title.textContent = title;
  setHidden(ui.lockState, !(source?.locked ?? false));
  const options = variants.map((v) => v.label);
  const current = [...ui.variantSelect.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value') ?? '');
  if (options.join('\u0000') !== current.join('\u0000')) {
    ui.variantSelect.replaceChildren(
      ...options.map((label) => {
        const o = document.createElement('vscode-option');
        o.setAttribute('value', label);
        o.textContent = label;
        return o;
      }),
    );
  }
  const selected = selectedVariant();
  if (selected && variants.length > 1) {
    queueMicrotask(() => {
      if (ui.variantSelect.value !== selected.label) ui.variantSelect.value = selected.label;
    });
  }

  if (haveData) {
    setHidden(ui.placeholder, true);
    setHidden(ui.tabs, false);
  } else {
    setHidden(ui.tabs, true);
    setHidden(ui.placeholder, false);
    ui.placeholder.textContent = source
      ? problems.some((p) => p.severity === 'error')
        ? 'No diagram yet: the scenario has errors (listed above). The diagrams appear as soon as it runs.'
        : 'Running the scenario\u2026'
      : 'Waiting for the scenario\u2026';
  }
  syncPanes();
  layout();
  fillSummary(ui.summary, haveData ? variants : [], reveal, causeLineOf);
  refreshGrid();
  refreshBanner();
  void renderVisible();
}

let titleText = '';

function onUpdate(m: Extract<ToWebview, { type: 'update' }>): void {
  if (source && source.uri !== m.source.uri) {
    // Another document: its diagrams start from scratch, not from the old one's (nor at its zoom).
    variants = [];
    haveData = false;
    gridVariant = undefined;
    for (const pane of panes.values()) pane.root.remove();
    panes.clear();
    state.transforms = {};
    state.variant = null;
  }
  source = m.source;
  problems = m.problems;
  state.uri = m.source.uri;
  state.locked = m.source.locked;
  if (m.runnable) {
    variants = m.variants;
    titleText = m.title;
    haveData = variants.length > 0;
    gridVariant = undefined;
    if (state.variant !== null && !variants.some((v) => v.label === state.variant))
      state.variant = variants[0]?.label ?? null;
  }
  saveState();
  refreshAll();
}

function onWindow(m: Extract<ToWebview, { type: 'window' }>): void {
  const i = variants.findIndex((v) => v.label === m.variant);
  if (i < 0) return;
  variants[i] = { ...variants[i], sequence: m.sequence, segmentRows: m.segmentRows };
  gridVariant = undefined;
  refreshGrid();
  layout();
  void renderVisible();
}

function exportSvg(requestId: number): void {
  const view: ViewKind = activeView() ?? 'sequence';
  const v = selectedVariant();
  const pane = v ? panes.get(paneKey(view, v.label)) : undefined;
  const svg = pane?.canvas.querySelector('svg');
  if (!v || !pane || !svg || pane.renderedText === null) {
    post({
      type: 'svg',
      requestId,
      svg: null,
      view,
      variant: v?.label ?? '',
      error: `the ${view} diagram has not been drawn yet (open its tab first)`,
    });
    return;
  }
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.querySelectorAll('.tcpscn-hit').forEach((e) => e.remove());
  copy.querySelectorAll('.tcpscn-highlight').forEach((e) => e.classList.remove('tcpscn-highlight'));
  copy.querySelectorAll('[data-segment]').forEach((e) => e.removeAttribute('data-segment'));
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  post({ type: 'svg', requestId, svg: new XMLSerializer().serializeToString(copy), view, variant: v.label, error: '' });
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const m = e.data;
  if (!isToWebview(m)) return; // anything else is not ours to act on
  switch (m.type) {
    case 'update':
      onUpdate(m);
      break;
    case 'window':
      onWindow(m);
      break;
    case 'cursor':
      highlightLine = m.line;
      applyHighlightEverywhere();
      break;
    case 'locked':
      state.locked = m.locked;
      if (source) source = { ...source, locked: m.locked };
      saveState();
      setHidden(ui.lockState, !m.locked);
      break;
    case 'exportSvg':
      exportSvg(m.requestId);
      break;
  }
});

// ---- controls -----------------------------------------------------------------------------

function tabFromId(id: string): TabKind | null {
  return id === 'tab-sequence' ? 'sequence' : id === 'tab-timeline' ? 'timeline' : id === 'tab-trace' ? 'trace' : null;
}

ui.tabs.setAttribute('activeid', `tab-${state.tab}`);
ui.tabs.addEventListener('change', () => {
  const tab = tabFromId(ui.tabs.activeid);
  if (!tab || tab === state.tab) return;
  state.tab = tab;
  saveState();
  post({ type: 'view', tab, variant: selectedVariant()?.label ?? null });
  showZoomLevel();
  document.getElementById('zoom-controls')!.hidden = tab === 'trace';
  if (tab === 'trace') refreshGrid();
  void renderVisible();
});
document.getElementById('zoom-controls')!.hidden = state.tab === 'trace';

ui.variantSelect.addEventListener('change', () => {
  const label = ui.variantSelect.value;
  if (!label || label === state.variant) return;
  state.variant = label;
  saveState();
  post({ type: 'view', tab: state.tab, variant: label });
  layout();
  refreshGrid();
  void renderVisible();
});

function zoomVisible(action: (z: PanZoom) => void): void {
  const view = activeView();
  if (!view) return;
  for (const p of visiblePanes(view)) action(p.zoom);
}
$('zoom-in').addEventListener('click', () => zoomVisible((z) => z.zoomBy(1.25)));
$('zoom-out').addEventListener('click', () => zoomVisible((z) => z.zoomBy(0.8)));
$('zoom-fit').addEventListener('click', () => zoomVisible((z) => z.fitWidth()));
$('zoom-reset').addEventListener('click', () => zoomVisible((z) => z.reset()));
$('window-first').addEventListener('click', () => moveWindows('first'));
$('window-prev').addEventListener('click', () => moveWindows('prev'));
$('window-next').addEventListener('click', () => moveWindows('next'));
$('window-last').addEventListener('click', () => moveWindows('last'));

// Coming back into view: draw whatever changed meanwhile.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void renderVisible();
});

// Light, dark and high-contrast themes, and a switch between two of one kind: redraw in the new colours.
watchTheme(() => {
  themeReady = configureMermaid();
  for (const p of panes.values()) {
    p.renderedText = null;
    p.failedText = null;
  }
  void renderVisible();
});

let wasSideBySide = false;
let wasLaidOut = appWidth > 0;
new ResizeObserver(() => {
  fitHeights();
  appWidth = ui.app.clientWidth; // laid out already when a ResizeObserver calls back
  const laidOut = appWidth > 0;
  const side = sideBySide();
  if (side === wasSideBySide && laidOut === wasLaidOut) return;
  wasSideBySide = side;
  wasLaidOut = laidOut;
  layout();
  void renderVisible();
}).observe(ui.app);

// Whatever moves a view's body or shows one (a banner appearing, a tab shown) changes one of these sizes.
const heightWatcher = new ResizeObserver(fitHeights);
for (const e of [
  $('toolbar'),
  ui.banner,
  ui.summary,
  ui.placeholder,
  ...document.querySelectorAll<HTMLElement>('.view-body'),
])
  heightWatcher.observe(e);
window.addEventListener('resize', fitHeights);

refreshAll();
post({ type: 'ready' });
// A restored panel may start on another tab or variant: say which (export and copy use it).
post({ type: 'view', tab: state.tab, variant: state.variant });
