// The preview's page: tabs Sequence / Ladder / Timeline / Trace, variants side by side or picked from a
// dropdown, a summary bar, and a banner for the text's errors. The extension sends ready-made
// Mermaid text (see src/extension/preview/payload.ts); this page lays it out with Mermaid,
// keeps the last good diagram while the text has errors, keeps zoom and pan across updates,
// and leads clicks on arrows back to the line that caused them.
//
// This file only wires: messages from the extension and the user's controls to the parts that
// act on them. The parts: state.ts (everything the page knows), panes.ts (the diagrams),
// traceGrid.ts (the Trace tab), pager.ts (a big trace's windows), header.ts and panels.ts (title,
// banner, summary), with the messages themselves in src/protocol.

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
import { isToWebview, type TabKind, type ToExtension, type Unaddressed, type WebviewState } from '../src/protocol';
import { $, findUi, setHidden } from './dom';
import { resultsSentence } from './describe';
import { fillHeader } from './header';
import { DiagramKeyboard } from './keyboard';
import { LadderView } from './ladder';
import { Pager } from './pager';
import { fillBanner, fillSummary } from './panels';
import { Panes, fitHeights } from './panes';
import { PreviewState } from './state';
import { watchTheme } from './theme';
import { TraceGrid } from './traceGrid';
import type { PanZoom } from './zoom';

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
const ui = findUi();
const state = new PreviewState(vscode.getState(), (s) => vscode.setState(s));

/** Posts a message; one about a document is about the one the page shows (see AboutDocument). */
function post(m: Unaddressed<ToExtension>): void {
  vscode.postMessage(m.type === 'ready' ? m : ({ ...m, uri: state.uri } as ToExtension));
}
const reveal = (line: number, column: number): void => post({ type: 'reveal', line, column });
const announcer = $('announcer');
/** Says `text` once through the live region (screen readers read each change of it). */
function announce(text: string): void {
  // The same words twice in a row are still a new announcement (moving back to a segment).
  announcer.textContent = announcer.textContent === text ? `${text}\u00a0` : text;
}
const keyboard = new DiagramKeyboard({
  reveal: (line, focusEditor) => post({ type: 'reveal', line, column: 0, preserveFocus: !focusEditor }),
  announce,
});
const panes: Panes = new Panes(state, ui, {
  post,
  reveal,
  laidOut: () => pager.update(),
  drawn: refreshBanner,
  keyboard,
  showTable: () => ui.tabs.setAttribute('activeid', 'tab-trace'),
});
/** The run's results last announced: an update that changes none of them says nothing. */
let announcedResults = '';
const grid = new TraceGrid(ui.trace, state, reveal);
const ladder = new LadderView(state, { ...ui.ladder, zoomLevel: ui.zoomLevel }, { post, reveal });
keyboard.attach(ui.ladder.viewport, ladder.keyboardTarget());
const pager = new Pager(
  ui,
  () => panes.shownVariants(),
  () => state.variants.length,
  post,
);

function refreshBanner(): void {
  fillBanner(ui.banner, state.problems, panes.renderErrors(), panes.anyDrawn(), reveal);
}

/** A hazard's link: its variant's sequence diagram, scrolled to its segment. */
function showSegment(variant: string, segment: number): void {
  if (state.saved.variant !== variant && !panes.sideBySide()) {
    state.setVariant(variant);
    post({ type: 'view', tab: state.saved.tab, variant });
    panes.syncVariantPicker();
    panes.layout();
    grid.refresh();
  }
  // The tabs' change handler draws the sequence diagram when it was not the one shown.
  if (state.saved.tab !== 'sequence') ui.tabs.setAttribute('activeid', 'tab-sequence');
  panes.scrollToSegment(variant, segment);
  panes.render();
}

/** Shows the document as the state now describes it. */
function refreshAll(): void {
  fillHeader(ui, state);
  panes.syncVariantPicker();
  panes.sync();
  panes.layout();
  fillSummary(
    ui.summary,
    state.variants,
    reveal,
    (variant, segment) => state.causeLineOf(variant, segment),
    showSegment,
  );
  const results = state.haveData ? resultsSentence(state.variants) : '';
  if (results !== '' && results !== announcedResults) announce(results);
  announcedResults = results;
  grid.refresh();
  refreshBanner();
  panes.render();
  ladder.render();
}

// ---- messages from the extension ----------------------------------------------------------

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const m = e.data;
  if (!isToWebview(m)) return; // anything else is not ours to act on
  switch (m.type) {
    case 'update':
      if (state.acceptUpdate(m)) {
        panes.clear();
        ladder.clear();
        grid.invalidate();
      } else if (m.runnable) grid.invalidate();
      refreshAll();
      break;
    case 'window':
      if (!state.acceptWindow(m)) break;
      grid.invalidate();
      grid.refresh();
      panes.layout();
      panes.render();
      break;
    case 'cursor':
      if (!state.shows(m.uri)) break; // the cursor of another document's editor
      state.highlightLine = m.line;
      panes.highlight();
      ladder.highlight();
      grid.highlightRows();
      break;
    case 'locked':
      state.setLocked(m.locked);
      setHidden(ui.lockState, !m.locked);
      break;
    case 'exportSvg':
      if (state.saved.tab === 'ladder') ladder.exportSvg(m.requestId);
      else panes.exportSvg(m.requestId);
      break;
  }
});

// ---- the user's controls ------------------------------------------------------------------

const TAB_IDS: Record<string, TabKind> = {
  'tab-ladder': 'ladder',
  'tab-sequence': 'sequence',
  'tab-timeline': 'timeline',
  'tab-trace': 'trace',
};
function tabFromId(id: string): TabKind | null {
  return TAB_IDS[id] ?? null;
}

ui.tabs.setAttribute('activeid', `tab-${state.saved.tab}`);
ui.zoomControls.hidden = state.saved.tab === 'trace';
ui.tabs.addEventListener('change', () => {
  const tab = tabFromId(ui.tabs.activeid);
  if (!tab || tab === state.saved.tab) return;
  state.setTab(tab);
  post({ type: 'view', tab, variant: state.selectedVariant()?.label ?? null });
  panes.showZoomLevel();
  ladder.showZoomLevel();
  ui.zoomControls.hidden = tab === 'trace';
  if (tab === 'trace') grid.refresh();
  panes.render();
  ladder.render();
});

ui.variantSelect.addEventListener('change', () => {
  const label = ui.variantSelect.value;
  if (!label || label === state.saved.variant) return;
  state.setVariant(label);
  post({ type: 'view', tab: state.saved.tab, variant: label });
  panes.layout();
  grid.refresh();
  panes.render();
  ladder.render();
});

/** Applies a zoom action to the shown diagram: the ladder, or every shown pane of a Mermaid view. */
function zoomShown(action: (z: PanZoom) => void): void {
  if (state.saved.tab === 'ladder') ladder.zoomAction(action);
  else panes.zoomVisible(action);
}
$('zoom-in').addEventListener('click', () => zoomShown((z) => z.zoomBy(1.25)));
$('zoom-out').addEventListener('click', () => zoomShown((z) => z.zoomBy(0.8)));
$('zoom-fit').addEventListener('click', () => zoomShown((z) => z.fitWidth()));
$('zoom-reset').addEventListener('click', () => zoomShown((z) => z.reset()));

// ---- the page's surroundings --------------------------------------------------------------

// Coming back into view: draw whatever changed meanwhile.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) {
    panes.render();
    ladder.render();
  }
});

watchTheme(() => panes.themeChanged());

new ResizeObserver(() => {
  fitHeights();
  panes.resized();
}).observe(ui.app);

// Whatever moves a view's body or shows one (a banner appearing, a tab shown) changes one of these sizes.
const heightWatcher = new ResizeObserver(fitHeights);
for (const e of [
  ui.toolbar,
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
post({ type: 'view', tab: state.saved.tab, variant: state.saved.variant });
