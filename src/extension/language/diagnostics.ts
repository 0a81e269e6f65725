// Problems of a `.tcpscn` document, shown while typing (no save needed): syntax and semantic
// errors and failed expectations all come from the one shared analysis of the document.
// A large document is analysed in the background (see AnalysisCache): `get` then answers with
// the newest finished analysis, and the diagnostics are set again when the cache announces a
// newer one (`onDidAnalyze`), so they keep coming while typing and end on the current version.
// They ask for the analysis's summary only: a large document's whole analysis stays in the
// worker unless the preview or a command needs it (AnalysisScheduler says why).

import * as vscode from 'vscode';
import { LANGUAGE_ID, type AnalysisCache } from '../analysisCache';
import { toVsRange, toVsSeverity } from './convert';
import { profiled } from '../profile';

/** Typing bursts are coalesced: the document is analyzed once the keyboard rests this long. */
export const DIAGNOSTICS_DEBOUNCE_MS = 75;

export function registerDiagnostics(
  context: vscode.ExtensionContext,
  analyses: AnalysisCache,
): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('tcpscn');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const update = profiled('diagnostics', (doc: vscode.TextDocument): void => {
    if (doc.languageId !== LANGUAGE_ID || doc.isClosed) return;
    let summary;
    try {
      summary = analyses.summary(doc);
    } catch (e) {
      // The core should never throw; if it does, say so on the first line instead of failing silently.
      const d = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        `tcpscn internal error: ${String(e)}`,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'tcpscn';
      collection.set(doc.uri, [d]);
      return;
    }
    collection.set(
      doc.uri,
      summary.diagnostics.map((x) => {
        const d = new vscode.Diagnostic(toVsRange(x.range), x.message, toVsSeverity(x.severity));
        d.source = 'tcpscn';
        d.code = x.code;
        return d;
      }),
    );
  });

  const schedule = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== LANGUAGE_ID) return;
    const key = doc.uri.toString();
    const pending = timers.get(key);
    if (pending) clearTimeout(pending);
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        update(doc);
      }, DIAGNOSTICS_DEBOUNCE_MS),
    );
  };

  const forget = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    const pending = timers.get(key);
    if (pending) clearTimeout(pending);
    timers.delete(key);
    collection.delete(doc.uri);
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument(forget),
    analyses.onDidAnalyze((uri) => {
      const key = uri.toString();
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      // Asking again also starts the analysis of the current version if it is newer.
      if (doc) update(doc);
    }),
    // A document whose language is changed to tcpscn (or away from it) is reopened by VS Code,
    // which the two listeners above cover.
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  // Documents already open when the extension activates (activation is caused by one of them).
  // Scheduled, not run here, so activation itself stays cheap.
  for (const doc of vscode.workspace.textDocuments) schedule(doc);
  return collection;
}
