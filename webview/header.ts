// The top of the page: the document's title and lock badge, and the placeholder shown instead
// of the tabs until the scenario has run once.

import { setHidden, setText, type Ui } from './dom';
import type { PreviewState } from './state';

export function fillHeader(ui: Ui, state: PreviewState): void {
  const { source } = state;
  const title = source
    ? state.haveData && state.title
      ? `${state.title} \u2014 ${source.fileName}`
      : source.fileName
    : '';
  setText(ui.title, title);
  setHidden(ui.lockState, !(source?.locked ?? false));
  if (state.haveData) {
    setHidden(ui.placeholder, true);
    setHidden(ui.tabs, false);
  } else {
    setHidden(ui.tabs, true);
    setHidden(ui.placeholder, false);
    ui.placeholder.textContent = source
      ? state.problems.some((p) => p.severity === 'error')
        ? 'No diagram yet: the scenario has errors (listed above). The diagrams appear as soon as it runs.'
        : 'Running the scenario\u2026'
      : 'Waiting for the scenario\u2026';
  }
}
