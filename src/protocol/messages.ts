// The messages between the extension and the preview's webview, both ways. Shared by
// src/extension/preview and webview/. Nothing crossing postMessage is trusted: each side checks
// what arrives with isToWebview / isToExtension before acting on it. Pure: no DOM, node or vscode.

import { arrayOf, isBool, isInt, isNat, isPos, isRec, isStr, orNull } from './guards';
import {
  isDrawn,
  isProblemRow,
  isSequenceView,
  isTab,
  isVariantView,
  type DrawnKind,
  type ProblemRow,
  type SequenceView,
  type TabKind,
  type VariantView,
} from './viewModel';

export interface SourceInfo {
  uri: string;
  fileName: string;
  version: number;
  locked: boolean;
}

export type ToWebview =
  /**
   * The document's latest analysis. With `runnable` false the webview keeps its last good
   * diagrams and lists `problems` in the banner; `variants` is then empty.
   */
  | {
      type: 'update';
      source: SourceInfo;
      title: string;
      runnable: boolean;
      problems: ProblemRow[];
      variants: VariantView[];
    }
  /** Another window of a big trace, as asked for by `requestWindow`. */
  | { type: 'window'; variant: string; sequence: SequenceView; segmentRows: string }
  /** The editor's cursor is on this 1-based line (null: not on an event line / other editor). */
  | { type: 'cursor'; line: number | null }
  | { type: 'locked'; locked: boolean }
  /** Send back the SVG of the diagram on screen. */
  | { type: 'exportSvg'; requestId: number };

export type ToExtension =
  | { type: 'ready' }
  /** Reveal and select this 1-based line (column 1-based; 0 selects the whole line). */
  | { type: 'reveal'; line: number; column: number }
  | { type: 'requestWindow'; variant: string; fromSegment: number; toSegment: number }
  /** The answer to `exportSvg`: the SVG text, or null with the reason. */
  | { type: 'svg'; requestId: number; svg: string | null; view: DrawnKind; variant: string; error: string }
  /**
   * A diagram finished rendering (or failed): lets tests and logs see the webview's progress. The
   * ladder draws every variant shown in one drawing: its `variant` is their labels joined by ", ".
   */
  | { type: 'rendered'; variant: string; view: DrawnKind; ok: boolean; arrows: number; error: string }
  /** The user switched tab or variant (export and copy act on what is shown). */
  | { type: 'view'; tab: TabKind; variant: string | null }
  /** The webview is done with the update of this document version (drawn, failed, or nothing to draw): the next edit may go. */
  | { type: 'drawn'; version: number };

function isSourceInfo(x: unknown): x is SourceInfo {
  return isRec(x) && isStr(x.uri) && isStr(x.fileName) && isInt(x.version) && isBool(x.locked);
}

export function isToWebview(x: unknown): x is ToWebview {
  if (!isRec(x)) return false;
  switch (x.type) {
    case 'update':
      return (
        isSourceInfo(x.source) &&
        isStr(x.title) &&
        isBool(x.runnable) &&
        arrayOf(isProblemRow)(x.problems) &&
        arrayOf(isVariantView)(x.variants)
      );
    case 'window':
      return isStr(x.variant) && isSequenceView(x.sequence) && isStr(x.segmentRows);
    case 'cursor':
      return orNull(isPos)(x.line);
    case 'locked':
      return isBool(x.locked);
    case 'exportSvg':
      return isNat(x.requestId);
    default:
      return false;
  }
}

export function isToExtension(x: unknown): x is ToExtension {
  if (!isRec(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'reveal':
      return isPos(x.line) && isNat(x.column);
    case 'requestWindow':
      return isStr(x.variant) && isPos(x.fromSegment) && isPos(x.toSegment) && x.fromSegment <= x.toSegment;
    case 'svg':
      return isNat(x.requestId) && orNull(isStr)(x.svg) && isDrawn(x.view) && isStr(x.variant) && isStr(x.error);
    case 'rendered':
      return isStr(x.variant) && isDrawn(x.view) && isBool(x.ok) && isNat(x.arrows) && isStr(x.error);
    case 'view':
      return isTab(x.tab) && orNull(isStr)(x.variant);
    case 'drawn':
      return isNat(x.version);
    default:
      return false;
  }
}
