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

/**
 * The document a preview shows, as its `update` describes it. Which document it is travels
 * beside it, as the message's `uri`.
 */
export interface SourceInfo {
  fileName: string;
  version: number;
  locked: boolean;
}

/**
 * Every message about a document carries that document's URI (vscode.Uri.toString()), as VS
 * Code's Markdown preview does with its `source`: the preview panel can switch documents while
 * messages are on their way, so each side drops what is about a document it no longer shows (a
 * late `drawn` must not free the next document's update; a click on an arrow of the old
 * diagram must not move the new document's editor). `locked`, `exportSvg` and `ready` are about
 * the panel, not a document.
 */
export interface AboutDocument {
  uri: string;
}

export type ToWebview =
  /**
   * The document's latest analysis. With `runnable` false the webview keeps its last good
   * diagrams and lists `problems` in the banner; `variants` is then empty. An update for another
   * document than the one shown switches the page to it.
   */
  | ({
      type: 'update';
      source: SourceInfo;
      title: string;
      runnable: boolean;
      problems: ProblemRow[];
      variants: VariantView[];
    } & AboutDocument)
  /** Another window of a big trace, as asked for by `requestWindow`. */
  | ({ type: 'window'; variant: string; sequence: SequenceView; segmentRows: string } & AboutDocument)
  /** The editor's cursor is on this 1-based line (null: not on an event line / other editor). */
  | ({ type: 'cursor'; line: number | null } & AboutDocument)
  | { type: 'locked'; locked: boolean }
  /** Send back the SVG of the diagram on screen. */
  | { type: 'exportSvg'; requestId: number };

export type ToExtension =
  /** The page has (re)loaded and wants the document again. */
  | { type: 'ready' }
  /**
   * Reveal and select this 1-based line (column 1-based; 0 selects the whole line). With
   * `preserveFocus` the keyboard focus stays in the preview (moving through segments with the
   * arrow keys selects each one's line without leaving the diagram).
   */
  | ({ type: 'reveal'; line: number; column: number; preserveFocus?: boolean } & AboutDocument)
  | ({ type: 'requestWindow'; variant: string; fromSegment: number; toSegment: number } & AboutDocument)
  /** The answer to `exportSvg`: the SVG text of the document `uri`, or null with the reason. */
  | ({
      type: 'svg';
      requestId: number;
      svg: string | null;
      view: DrawnKind;
      variant: string;
      error: string;
    } & AboutDocument)
  /**
   * A diagram finished rendering (or failed): lets tests and logs see the webview's progress. The
   * ladder draws every variant shown in one drawing: its `variant` is their labels joined by ", ".
   */
  | ({ type: 'rendered'; variant: string; view: DrawnKind; ok: boolean; arrows: number; error: string } & AboutDocument)
  /** The user switched tab or variant (export and copy act on what is shown). */
  | ({ type: 'view'; tab: TabKind; variant: string | null } & AboutDocument)
  /** The webview is done with the update of this document version (drawn, failed, or nothing to draw): the next edit may go. */
  | ({ type: 'drawn'; version: number } & AboutDocument);

/** A message as its sender writes it before saying which document it is about. */
export type Unaddressed<M> = M extends AboutDocument ? Omit<M, 'uri'> : M;

/** The document a message is about, or null for a message about the panel. */
export function documentOf(m: ToWebview | ToExtension): string | null {
  return 'uri' in m ? m.uri : null;
}

function isSourceInfo(x: unknown): x is SourceInfo {
  return isRec(x) && isStr(x.fileName) && isInt(x.version) && isBool(x.locked);
}

export function isToWebview(x: unknown): x is ToWebview {
  if (!isRec(x)) return false;
  switch (x.type) {
    case 'update':
      return (
        isStr(x.uri) &&
        isSourceInfo(x.source) &&
        isStr(x.title) &&
        isBool(x.runnable) &&
        arrayOf(isProblemRow)(x.problems) &&
        arrayOf(isVariantView)(x.variants)
      );
    case 'window':
      return isStr(x.uri) && isStr(x.variant) && isSequenceView(x.sequence) && isStr(x.segmentRows);
    case 'cursor':
      return isStr(x.uri) && orNull(isPos)(x.line);
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
  if (x.type === 'ready') return true;
  if (!isStr(x.uri)) return false;
  switch (x.type) {
    case 'reveal':
      return isPos(x.line) && isNat(x.column) && (x.preserveFocus === undefined || isBool(x.preserveFocus));
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
