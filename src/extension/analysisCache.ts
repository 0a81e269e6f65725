// One analysis per document version, shared by diagnostics, hover, outline, the preview and
// "Run TCP scenario", so typing a character parses and simulates the file once, not once per
// feature.
//
// Small documents are analysed synchronously; large ones in a worker thread so the extension
// host never blocks (AnalysisScheduler says how). For a large document `get` returns the newest
// finished analysis, which may be of an older version (or empty before the first one), and
// `onDidAnalyze` fires when a newer one is ready: listeners refresh then.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyze, type Analysis } from '../core/index';
import { AnalysisScheduler, QUIET_MAX_WAIT_MS, QUIET_MS, type AnalysisSummary } from './analysisScheduler';
import { AnalysisWorkerBackend } from './analysisWorkerBackend';
import { profiled } from './profile';

export const LANGUAGE_ID = 'tcpscn';

export class AnalysisCache implements vscode.Disposable {
  private readonly scheduler: AnalysisScheduler;
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly closeListener: vscode.Disposable;

  /** Fires with a document's URI when a background analysis of it was published. */
  readonly onDidAnalyze: vscode.Event<vscode.Uri> = this.emitter.event;

  /** `workerFile`: the bundled worker, dist/analysisWorker.js next to dist/extension.js. */
  constructor(workerFile: string = path.join(__dirname, 'analysisWorker.js')) {
    this.scheduler = new AnalysisScheduler({
      backend: new AnalysisWorkerBackend({ filename: workerFile }),
      analyzeSync: analyze,
      quietMs: QUIET_MS,
      maxWaitMs: QUIET_MAX_WAIT_MS,
      onDidAnalyze: (key) => {
        const uri = this.uris.get(key);
        if (uri) this.emitter.fire(uri);
      },
    });
    this.closeListener = vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri.toString()));
  }

  /**
   * The analysis of the document: of this very version for a small document; for a large one
   * the newest finished (see above), starting the analysis of this version in the background.
   */
  get(document: vscode.TextDocument): Analysis {
    return this.ask(document, (key, version, read, length) => this.scheduler.get(key, version, read, length));
  }

  /**
   * What the diagnostics and the outline show, as `get` answers (of this very version for a
   * small document, the newest finished for a large one), without bringing a large document's
   * whole analysis into the extension host (AnalysisScheduler says why).
   */
  summary(document: vscode.TextDocument): AnalysisSummary {
    return this.ask(document, (key, version, read, length) => this.scheduler.summary(key, version, read, length));
  }

  private ask<T>(
    document: vscode.TextDocument,
    f: (key: string, version: number, read: () => string, length: () => number) => T,
  ): T {
    const key = document.uri.toString();
    if (!this.uris.has(key)) this.uris.set(key, document.uri);
    const answer = f(
      key,
      document.version,
      () => this.getText(document),
      // The length without the text (VS Code keeps line offsets): no 1 MB string per keystroke.
      () => document.offsetAt(document.lineAt(document.lineCount - 1).range.end),
    );
    // Asked about a document already closed (a provider that waited in getCurrent while it
    // closed): keep nothing of it. A new untitled document may get its URI at version 1, and
    // the scheduler would answer it with the closed one's newer analysis until it caught up.
    if (document.isClosed) this.forget(key);
    return answer;
  }

  private forget(key: string): void {
    this.uris.delete(key);
    this.scheduler.forget(key);
  }

  private readonly getText = profiled('getText', (document: vscode.TextDocument) => document.getText());

  /** True when `get` would return the analysis of the document's current version. */
  isCurrent(document: vscode.TextDocument): boolean {
    return this.scheduler.publishedVersion(document.uri.toString()) === document.version;
  }

  /** True when `summary` would return the summary of the document's current version. */
  isSummaryCurrent(document: vscode.TextDocument): boolean {
    return this.scheduler.summaryVersion(document.uri.toString()) === document.version;
  }

  /**
   * The analysis of the document's current version, waiting for the worker if need be (for
   * commands such as "Run TCP scenario" and exports, which must not act on an older version).
   */
  getCurrent(document: vscode.TextDocument): Promise<Analysis> {
    return this.current(
      document,
      () => this.get(document),
      () => this.isCurrent(document),
    );
  }

  /** The summary of the document's current version, waiting for the worker if need be (the outline). */
  getCurrentSummary(document: vscode.TextDocument): Promise<AnalysisSummary> {
    return this.current(
      document,
      () => this.summary(document),
      () => this.isSummaryCurrent(document),
    );
  }

  private async current<T>(document: vscode.TextDocument, ask: () => T, isCurrent: () => boolean): Promise<T> {
    for (;;) {
      const answer = ask();
      if (isCurrent() || document.isClosed) return answer;
      // Either a newer analysis is published or the document closes (then no event comes).
      await new Promise<void>((resolve) => {
        const key = document.uri.toString();
        const done = (uri: vscode.Uri): void => {
          if (uri.toString() !== key) return;
          subs.forEach((s) => s.dispose());
          resolve();
        };
        const subs = [this.onDidAnalyze(done), vscode.workspace.onDidCloseTextDocument((d) => done(d.uri))];
      });
    }
  }

  dispose(): void {
    this.closeListener.dispose();
    this.emitter.dispose();
    this.scheduler.dispose();
    this.uris.clear();
  }
}
