// One preview panel: a webview that shows the diagrams of one `.tcpscn` document and keeps
// them current as the document is edited. The panel is either dynamic (the manager points it
// at whichever `.tcpscn` editor is active) or locked to its document.

import * as vscode from 'vscode';
import * as path from 'node:path';
import type { AnalysisCache } from '../analysisCache';
import type { Trace } from '../../core/trace';
import { UpdateScheduler, realTimers } from './schedule';
import { Disposable } from './dispose';
import { buildHtml, makeNonce } from './html';
import {
  documentOf,
  encodeSegmentRows,
  isToExtension,
  type TabKind,
  type ToExtension,
  type ToWebview,
  type ViewKind,
} from '../../protocol';
import { buildUpdate, sequenceView, type PreviewOptions } from './payload';
import { settle } from './settle';
import { STATE_NOTES, type StateNotes } from '../../core/render/sequence';

/** The user's `tcpscn.preview.*` settings, read at each update (VS Code caches them). */
export function previewOptions(): PreviewOptions {
  const notes = vscode.workspace.getConfiguration('tcpscn.preview').get<string>('stateNotes');
  return { stateNotes: STATE_NOTES.includes(notes as StateNotes) ? (notes as StateNotes) : 'short' };
}

export const PREVIEW_VIEW_TYPE = 'tcpscn.preview';

/** How long an export waits for the webview to hand back its SVG. */
const SVG_TIMEOUT_MS = 10_000;

export interface PreviewHost {
  readonly extensionUri: vscode.Uri;
  readonly analyses: AnalysisCache;
  /** Runs of the document on this machine's kernel (tcpscn.verify), shown as more variants. */
  readonly kernelRuns?: { get(uri: vscode.Uri, version: number): Trace[] };
  /** Called when the panel gains or loses focus, or its locked state changes. */
  onViewStateChanged(preview: TcpscnPreview): void;
  onDisposed(preview: TcpscnPreview): void;
}

/** What the extension knows about the webview's current view (from `view` messages). */
export interface ShownView {
  tab: TabKind;
  variant: string | null;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableFindWidget: false,
    // Only the bundled webview and the extension's own icons can be loaded; never the workspace.
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

export class TcpscnPreview extends Disposable {
  private resource: vscode.Uri;
  private locked: boolean;
  /** When edits are analysed and posted (schedule.ts): at once when updates are fast, one at a time. */
  private readonly scheduler: UpdateScheduler;
  /** Per variant, the first segment of the window shown in a big trace. */
  private windows = new Map<string, number>();
  private nextRequestId = 1;
  private readonly svgRequests = new Map<number, (m: Extract<ToExtension, { type: 'svg' }>) => void>();
  /** For tests and logs. */
  lastPosted: ToWebview | undefined;
  /** The last `update` posted (a cursor message often follows it). */
  lastUpdate: Extract<ToWebview, { type: 'update' }> | undefined;
  lastReceived: ToExtension | undefined;
  /** Every `rendered` message received, newest last (bounded). */
  readonly renders: Extract<ToExtension, { type: 'rendered' }>[] = [];
  shown: ShownView = { tab: 'sequence', variant: null };
  private readyCount = 0;
  /** Set when VS Code has disposed the panel (its tab closed): it must not be disposed again. */
  private panelDisposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    resource: vscode.Uri,
    locked: boolean,
    private readonly host: PreviewHost,
  ) {
    super();
    this.resource = resource;
    this.locked = locked;
    this.scheduler = new UpdateScheduler(() => settle(this.runUpdate(), 'updating the preview'), realTimers, {
      now: () => performance.now(),
    });

    panel.webview.options = webviewOptions(host.extensionUri);
    panel.webview.html = this.html();
    this.updateTitle();

    this._register(
      panel.onDidDispose(() => {
        this.panelDisposed = true;
        this.dispose();
      }),
    );
    this._register(panel.onDidChangeViewState(() => host.onViewStateChanged(this)));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.isFor(e.document.uri) && e.contentChanges.length > 0) this.scheduler.edit();
      }),
    );
    // A large document is analysed in the background: redraw when a newer analysis is ready.
    this._register(
      host.analyses.onDidAnalyze((uri) => {
        if (this.isFor(uri)) this.scheduler.edit();
      }),
    );
    this._register(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.isFor(e.textEditor.document.uri)) this.postCursor(e.textEditor);
      }),
    );
  }

  get uri(): vscode.Uri {
    return this.resource;
  }

  get isLocked(): boolean {
    return this.locked;
  }

  // A disposed panel throws "Webview is disposed" on every property: once this preview is
  // disposed it answers from its own state and never touches the panel again.
  get isActive(): boolean {
    return !this.isDisposed && this.panel.active;
  }

  get isVisible(): boolean {
    return !this.isDisposed && this.panel.visible;
  }

  /** The panel's column, or undefined once the preview is closed. */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.isDisposed ? undefined : this.panel.viewColumn;
  }

  /** How many times the webview has said it is ready (it reloads when hidden and shown again). */
  get readyMessages(): number {
    return this.readyCount;
  }

  isFor(uri: vscode.Uri): boolean {
    return uri.toString() === this.resource.toString();
  }

  /** The URI every message about the shown document carries (see AboutDocument in src/protocol). */
  private get documentUri(): string {
    return this.resource.toString();
  }

  /** An `svg` answer that carries no SVG. */
  private noSvg(requestId: number, error: string): Extract<ToExtension, { type: 'svg' }> {
    return { type: 'svg', uri: this.documentUri, requestId, svg: null, view: 'sequence', variant: '', error };
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.scheduler.cancel();
    for (const resolve of this.svgRequests.values()) resolve(this.noSvg(0, 'the preview was closed'));
    this.svgRequests.clear();
    super.dispose();
    this.host.onDisposed(this);
    if (!this.panelDisposed) {
      this.panelDisposed = true;
      this.panel.dispose();
    }
  }

  /** Points a dynamic preview at another document. */
  setResource(uri: vscode.Uri): void {
    if (this.isDisposed || this.isFor(uri)) return;
    this.resource = uri;
    this.windows = new Map();
    this.updateTitle();
    this.update();
  }

  setLocked(locked: boolean): void {
    if (this.isDisposed || this.locked === locked) return;
    this.locked = locked;
    this.updateTitle();
    this.post({ type: 'locked', locked });
    this.host.onViewStateChanged(this);
  }

  reveal(column: vscode.ViewColumn | undefined, preserveFocus: boolean): void {
    if (this.isDisposed) return;
    this.panel.reveal(column, preserveFocus);
  }

  /** Analyses the document now and posts the result (the scheduler runs runUpdate). */
  update(): void {
    if (this.isDisposed) return;
    this.scheduler.start();
  }

  private async runUpdate(): Promise<void> {
    if (this.isDisposed) return;
    // The document this update is about: the panel may be pointed at another while it opens,
    // and then the update that is under way for the new one is the one to post.
    const resource = this.resource;
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(resource);
    } catch (err) {
      if (!this.isFor(resource)) return;
      this.post({
        type: 'update',
        uri: resource.toString(),
        source: this.sourceInfo(0),
        title: '',
        runnable: false,
        problems: [
          {
            severity: 'error',
            line: 1,
            column: 1,
            message: `Cannot open ${resource.toString(true)}: ${String(err)}`,
          },
        ],
        variants: [],
      });
      this.scheduler.drawn();
      return;
    }
    if (this.isDisposed || !this.isFor(resource)) return;
    const t0 = performance.now();
    const analysis = this.host.analyses.get(document);
    const kernel = this.host.kernelRuns?.get(document.uri, document.version) ?? [];
    const update = buildUpdate(
      analysis,
      { uri: resource.toString(), ...this.sourceInfo(document.version) },
      this.windows,
      kernel,
      previewOptions(),
    );
    this.scheduler.analysed(performance.now() - t0);
    this.post(update);
    const editor = vscode.window.visibleTextEditors.find((e) => this.isFor(e.document.uri));
    if (editor) this.postCursor(editor);
  }

  /** Asks the webview for the SVG it shows. */
  requestSvg(): Promise<Extract<ToExtension, { type: 'svg' }>> {
    const requestId = this.nextRequestId++;
    if (this.isDisposed) return Promise.resolve(this.noSvg(requestId, 'the preview was closed'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.svgRequests.delete(requestId);
        resolve(this.noSvg(requestId, 'the preview did not answer in time'));
      }, SVG_TIMEOUT_MS);
      this.svgRequests.set(requestId, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.post({ type: 'exportSvg', requestId });
    });
  }

  private html(): string {
    const webview = this.panel.webview;
    const base = vscode.Uri.joinPath(this.host.extensionUri, 'dist', 'webview');
    return buildHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.css')).toString(),
    });
  }

  private sourceInfo(version: number) {
    return { fileName: this.baseName(), version, locked: this.locked };
  }

  private baseName(): string {
    return path.posix.basename(this.resource.path) || this.resource.toString();
  }

  private updateTitle(): void {
    if (this.isDisposed) return;
    this.panel.title = this.locked ? `[Locked] Preview ${this.baseName()}` : `Preview ${this.baseName()}`;
  }

  private post(message: ToWebview): void {
    if (this.isDisposed) return;
    this.lastPosted = message;
    if (message.type === 'update') this.lastUpdate = message;
    // A hidden webview without retained context drops messages; it says `ready` when it is
    // back and gets everything again then.
    settle(this.panel.webview.postMessage(message), `posting '${message.type}' to the webview`);
  }

  private postCursor(editor: vscode.TextEditor): void {
    this.post({ type: 'cursor', uri: editor.document.uri.toString(), line: editor.selection.active.line + 1 });
  }

  private onMessage(message: unknown): void {
    if (!isToExtension(message)) {
      console.warn('tcpscn preview: ignored a malformed message from the webview');
      return;
    }
    this.lastReceived = message;
    // A message about another document than the one shown was sent before a switch reached the
    // webview: acting on it would act on the wrong document (see AboutDocument).
    const about = documentOf(message);
    if (about !== null && about !== this.documentUri) {
      if (message.type === 'svg')
        this.answerSvg(this.noSvg(message.requestId, 'the preview was showing another document'));
      return;
    }
    switch (message.type) {
      case 'ready':
        this.readyCount++;
        this.update();
        break;
      case 'reveal':
        settle(
          this.revealLine(message.line, message.column, message.preserveFocus === true),
          `showing line ${message.line}`,
        );
        break;
      case 'requestWindow':
        settle(this.moveWindow(message.variant, message.fromSegment), `drawing segments from #${message.fromSegment}`);
        break;
      case 'svg':
        this.answerSvg(message);
        break;
      case 'rendered':
        this.renders.push(message);
        if (this.renders.length > 50) this.renders.shift();
        break;
      case 'view':
        this.shown = { tab: message.tab, variant: message.variant };
        break;
      case 'drawn': {
        // An older version's answer does not free the update now in flight, nor does an answer
        // while the update for this document is still on its way (the last one posted was about
        // the document shown before).
        const last = this.lastUpdate;
        if (last === undefined || (last.uri === message.uri && message.version >= last.source.version))
          this.scheduler.drawn();
        break;
      }
    }
  }

  private answerSvg(message: Extract<ToExtension, { type: 'svg' }>): void {
    this.svgRequests.get(message.requestId)?.(message);
    this.svgRequests.delete(message.requestId);
  }

  private async moveWindow(variant: string, fromSegment: number): Promise<void> {
    this.windows.set(variant, fromSegment);
    const resource = this.resource;
    const document = await vscode.workspace.openTextDocument(resource);
    if (this.isDisposed || !this.isFor(resource)) return; // the panel shows another document now
    const analysis = this.host.analyses.get(document);
    const kernel = this.host.kernelRuns?.get(document.uri, document.version) ?? [];
    const trace = [...analysis.runs, ...kernel].find((t) => t.variant === variant);
    if (!trace) return;
    const { sequence, segments } = sequenceView(trace, fromSegment, previewOptions());
    this.post({
      type: 'window',
      uri: resource.toString(),
      variant,
      sequence,
      segmentRows: encodeSegmentRows(segments),
    });
  }

  /** Shows the line that caused what was clicked, in the editor beside the preview. */
  private async revealLine(line: number, column: number, preserveFocus = false): Promise<void> {
    const resource = this.resource;
    const document = await vscode.workspace.openTextDocument(resource);
    if (this.isDisposed || !this.isFor(resource)) return; // the click was on another document's diagram
    const l = Math.min(Math.max(0, line - 1), document.lineCount - 1);
    const text = document.lineAt(l);
    const existing = vscode.window.visibleTextEditors.find((e) => this.isFor(e.document.uri));
    const column_ =
      existing?.viewColumn ??
      (this.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column_, preserveFocus });
    const selection =
      column > 0
        ? new vscode.Selection(l, Math.min(column - 1, text.text.length), l, text.range.end.character)
        : new vscode.Selection(l, text.firstNonWhitespaceCharacterIndex, l, text.range.end.character);
    editor.selection = selection;
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

export type { ViewKind };
