// What the preview's webview keeps with vscode.setState, and its check: VS Code hands it back
// after a reload (to the page, and to the extension's serializer), so it is not trusted either.

import { isBool, isNum, isRec, isStr, orNull } from './guards';
import { isTab, type TabKind } from './viewModel';

/** Zoom and pan of one diagram: scale 1 is 100 %, x/y are the translation in CSS pixels. */
export interface Transform {
  scale: number;
  x: number;
  y: number;
}

/** What the webview keeps with vscode.setState; the serializer reads it after a reload. */
export interface WebviewState {
  uri: string;
  locked: boolean;
  tab: TabKind;
  variant: string | null;
  /** Keyed by `${view}:${variant}`. */
  transforms: Record<string, Transform>;
}

function isTransform(x: unknown): x is Transform {
  return isRec(x) && isNum(x.scale) && x.scale > 0 && isNum(x.x) && isNum(x.y);
}

export function isWebviewState(x: unknown): x is WebviewState {
  return (
    isRec(x) &&
    isStr(x.uri) &&
    isBool(x.locked) &&
    isTab(x.tab) &&
    orNull(isStr)(x.variant) &&
    isRec(x.transforms) &&
    Object.values(x.transforms).every(isTransform)
  );
}
