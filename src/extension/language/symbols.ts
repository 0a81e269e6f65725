// The outline (and breadcrumbs, Go to Symbol): built by the core from the cached analysis's AST
// (outlineHead: at most MAX_OUTLINE_SYMBOLS symbols), by the analysis worker for a large
// document, whose whole analysis then stays there (AnalysisScheduler says why).

import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysisCache';
import type { AnalysisSummary } from '../analysisScheduler';
import type { OutlineKind, OutlineSymbol } from '../../core/assist/outline';
import { toVsRange } from './convert';
import { profiled } from '../profile';

const KINDS: Readonly<Record<OutlineKind, vscode.SymbolKind>> = {
  title: vscode.SymbolKind.File,
  options: vscode.SymbolKind.Namespace,
  option: vscode.SymbolKind.Property,
  endpoint: vscode.SymbolKind.Variable,
  link: vscode.SymbolKind.Interface,
  variant: vscode.SymbolKind.Class,
  when: vscode.SymbolKind.Event,
  call: vscode.SymbolKind.Function,
  net: vscode.SymbolKind.Operator,
  expect: vscode.SymbolKind.Boolean,
};

function toSymbol(s: OutlineSymbol): vscode.DocumentSymbol {
  const sym = new vscode.DocumentSymbol(
    s.name || ' ',
    s.detail,
    KINDS[s.kind],
    toVsRange(s.range),
    toVsRange(s.selectionRange),
  );
  sym.children = s.children.map(toSymbol);
  return sym;
}

export class TcpscnSymbolProvider implements vscode.DocumentSymbolProvider {
  /**
   * Symbols per outline: VS Code asks for the outline after every edit (breadcrumbs, sticky
   * scroll, the Outline view), and building 2 000 symbols again each time would block the host.
   * The worker sends a large document's outline only when it changed (analysisWorker.ts), so
   * typing below its first 2 000 symbols builds nothing.
   */
  private readonly built = new WeakMap<OutlineSymbol[], vscode.DocumentSymbol[]>();
  private readonly build = profiled('symbols', (summary: AnalysisSummary): vscode.DocumentSymbol[] => {
    const outline = summary.outline();
    let symbols = this.built.get(outline);
    if (!symbols) {
      symbols = outline.map(toSymbol);
      this.built.set(outline, symbols);
    }
    return symbols;
  });

  constructor(private readonly analyses: AnalysisCache) {}

  /**
   * The outline of this very version. A large document is analysed in the background, and VS
   * Code keeps the outline it got for a version (it does not ask again until the next edit), so
   * answering at once with an older analysis (or the empty one before the first) would leave the
   * outline, breadcrumbs and sticky scroll stale or empty until the next keystroke. So the answer
   * waits for the analysis of this version (without blocking: the worker does the work), unless
   * VS Code cancels the request first (a newer edit), when the newest analysis answers.
   */
  async provideDocumentSymbols(
    document: vscode.TextDocument,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DocumentSymbol[]> {
    const newest = this.analyses.summary(document);
    let summary = newest;
    if (!this.analyses.isSummaryCurrent(document) && !token?.isCancellationRequested) {
      let sub: vscode.Disposable | undefined;
      const cancelled = new Promise<AnalysisSummary>((resolve) => {
        sub = token?.onCancellationRequested(() => resolve(newest));
      });
      try {
        summary = await Promise.race([this.analyses.getCurrentSummary(document), cancelled]);
      } finally {
        sub?.dispose(); // whichever came first, the listener is not left on the token
      }
      // The analysis arrives in the same task as its last piece and the diagnostics; building
      // thousands of symbols in a task of its own keeps each block of the host short.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.build(summary);
  }
}
