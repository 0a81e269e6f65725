// Keeps track of the preview panels: at most one dynamic preview, which follows the active
// `.tcpscn` editor, and any number of previews locked to one document each. Locking turns the
// dynamic preview into a locked one (the next "Open Preview" makes a new dynamic one);
// unlocking a preview makes it the dynamic one and closes the previous dynamic one.

import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysisCache';
import type { Trace } from '../../core/trace';
import { LANGUAGE_ID } from '../analysisCache';
import { Disposable } from './dispose';
import { LOCK_RECORD_KEY, PendingLocks, lockRecord } from './lockRecord';
import { PREVIEW_VIEW_TYPE, TcpscnPreview, type PreviewHost } from './preview';
import { settle } from './settle';

export interface OpenOptions {
  toSide: boolean;
  locked?: boolean;
  preserveFocus?: boolean;
}

/** What `tcpscn._test.previewState` returns (JSON-safe). */
export interface PreviewTestState {
  previews: {
    uri: string;
    locked: boolean;
    active: boolean;
    visible: boolean;
    dynamic: boolean;
    readyMessages: number;
    lastPosted: unknown;
    lastUpdate: unknown;
    lastReceived: unknown;
    renders: unknown[];
  }[];
  /** The locked previews as recorded in workspaceState for the next reload. */
  lockRecord: unknown;
}

export class PreviewManager extends Disposable implements PreviewHost {
  private dynamicPreview: TcpscnPreview | undefined;
  private readonly lockedPreviews = new Set<TcpscnPreview>();
  /** The preview that had focus last; commands in its title act on it. */
  private lastActive: TcpscnPreview | undefined;
  /** Locks recorded by the last session, for the panels VS Code restores. */
  private readonly pendingLocks: PendingLocks;
  /** Set while the extension shuts down: closing previews then must not erase the record. */
  private shuttingDown = false;

  constructor(
    readonly extensionUri: vscode.Uri,
    readonly analyses: AnalysisCache,
    private readonly workspaceState: vscode.Memento,
    readonly kernelRuns?: { get(uri: vscode.Uri, version: number): Trace[] },
  ) {
    super();
    this.pendingLocks = new PendingLocks(workspaceState.get(LOCK_RECORD_KEY));
    this._register(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document.languageId === LANGUAGE_ID && this.dynamicPreview) {
          this.dynamicPreview.setResource(editor.document.uri);
        }
      }),
    );
    this._register(
      // A changed preview setting (state notes) redraws every open preview.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('tcpscn.preview')) return;
        for (const p of this.all()) p.update();
      }),
    );
  }

  override dispose(): void {
    this.shuttingDown = true;
    for (const p of this.all()) p.dispose();
    super.dispose();
  }

  all(): TcpscnPreview[] {
    return [...(this.dynamicPreview ? [this.dynamicPreview] : []), ...this.lockedPreviews];
  }

  /** The focused preview, else the last focused one still open, else any. */
  activePreview(): TcpscnPreview | undefined {
    const all = this.all();
    return all.find((p) => p.isActive) ?? (this.lastActive && all.includes(this.lastActive) ? this.lastActive : all[0]);
  }

  /** The preview showing `uri`, preferring the visible one. */
  previewFor(uri: vscode.Uri): TcpscnPreview | undefined {
    const matching = this.all().filter((p) => p.isFor(uri));
    return matching.find((p) => p.isVisible) ?? matching[0];
  }

  open(uri: vscode.Uri, options: OpenOptions): TcpscnPreview {
    const column = options.toSide
      ? vscode.ViewColumn.Beside
      : (vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.Active);
    const preserveFocus = options.preserveFocus ?? options.toSide;
    if (options.locked) {
      const existing = [...this.lockedPreviews].find((p) => p.isFor(uri));
      if (existing) {
        existing.reveal(existing.viewColumn ?? column, preserveFocus);
        return existing;
      }
    } else if (this.dynamicPreview) {
      this.dynamicPreview.setResource(uri);
      this.dynamicPreview.reveal(this.dynamicPreview.viewColumn ?? column, preserveFocus);
      return this.dynamicPreview;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Preview', { viewColumn: column, preserveFocus });
    return this.adopt(panel, uri, options.locked ?? false);
  }

  /** Restores a panel VS Code kept over a window reload (see serializer.ts). */
  restore(panel: vscode.WebviewPanel, uri: vscode.Uri, stateLocked: boolean): TcpscnPreview {
    // The record written when it was locked or unlocked wins over the webview's saved state,
    // which VS Code may have kept from before that.
    const locked = this.pendingLocks.take(uri.toString(), stateLocked);
    // Only one dynamic preview may exist: a second restored one comes back locked.
    return this.adopt(panel, uri, locked || this.dynamicPreview !== undefined);
  }

  lock(preview: TcpscnPreview | undefined = this.activePreview()): void {
    if (!preview || preview.isDisposed || preview.isLocked) return;
    if (this.dynamicPreview === preview) this.dynamicPreview = undefined;
    this.lockedPreviews.add(preview);
    preview.setLocked(true);
    this.saveLockRecord();
  }

  unlock(preview: TcpscnPreview | undefined = this.activePreview()): void {
    if (!preview || preview.isDisposed || !preview.isLocked) return;
    this.lockedPreviews.delete(preview);
    const previous = this.dynamicPreview;
    this.dynamicPreview = preview;
    preview.setLocked(false);
    this.saveLockRecord();
    if (previous && previous !== preview) previous.dispose();
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.languageId === LANGUAGE_ID) preview.setResource(editor.document.uri);
  }

  onViewStateChanged(preview: TcpscnPreview): void {
    if (!preview.isDisposed && preview.isActive) this.lastActive = preview;
    this.updateContext();
  }

  /** The `when` contexts of the preview's title buttons, from the previews still open. */
  private updateContext(): void {
    const active = this.all().find((p) => p.isActive);
    settle(
      vscode.commands.executeCommand('setContext', 'tcpscnPreviewFocus', active !== undefined),
      'setting a context key',
    );
    settle(
      vscode.commands.executeCommand('setContext', 'tcpscnPreviewLocked', active?.isLocked ?? false),
      'setting a context key',
    );
  }

  onDisposed(preview: TcpscnPreview): void {
    if (this.dynamicPreview === preview) this.dynamicPreview = undefined;
    this.lockedPreviews.delete(preview);
    if (this.lastActive === preview) this.lastActive = undefined;
    if (!this.shuttingDown) {
      this.saveLockRecord();
      // Not onViewStateChanged(preview): that would read the closed panel's state.
      this.updateContext();
    }
  }

  /** Records the locked previews now (see lockRecord.ts); the webview's own state may be saved much later. */
  private saveLockRecord(): void {
    const lockedNow = [...this.lockedPreviews].map((p) => p.uri.toString());
    settle(
      this.workspaceState.update(LOCK_RECORD_KEY, lockRecord(lockedNow, this.pendingLocks)),
      'saving the locked previews',
    );
  }

  testState(): PreviewTestState {
    return {
      previews: this.all().map((p) => ({
        uri: p.uri.toString(),
        locked: p.isLocked,
        active: p.isActive,
        visible: p.isVisible,
        dynamic: p === this.dynamicPreview,
        readyMessages: p.readyMessages,
        lastPosted: p.lastPosted,
        lastUpdate: p.lastUpdate,
        lastReceived: p.lastReceived,
        renders: [...p.renders],
      })),
      lockRecord: this.workspaceState.get(LOCK_RECORD_KEY),
    };
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri, locked: boolean): TcpscnPreview {
    const preview = new TcpscnPreview(panel, uri, locked, this);
    if (locked) this.lockedPreviews.add(preview);
    else this.dynamicPreview = preview;
    this.lastActive = preview;
    this.saveLockRecord();
    preview.update();
    this.onViewStateChanged(preview);
    return preview;
  }
}
