// The outline (and breadcrumbs, Go to Symbol): built by the core from the cached analysis's AST.

import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysisCache';
import type { Analysis, Scenario } from '../../core/index';
import { outline, type OutlineKind, type OutlineSymbol } from '../../core/assist/outline';
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

/**
 * At most this many symbols (children included), the first ones in file order. A 1 MB file
 * has about 24 000; building and sending them to the editor after each edit blocked the
 * extension host for 70–200 ms (with the garbage they leave). 5 000 (VS Code's own JSON
 * outline stops there, `json.maxItemsComputed`) still cost 8–14 ms per analysis in VS Code's
 * extension host (bench/hostTyping.ts), often in the same task as a garbage collection of the
 * analysis just received (together up to 40 ms); 2 000 (the first thousand or so statements)
 * keeps that well apart from the 50 ms limit. Files under 64 KB rarely come near it.
 */
export const MAX_OUTLINE_SYMBOLS = 2000;

/** The outline of the file's first MAX_OUTLINE_SYMBOLS events, reading only their lines. */
function outlineHead(scenario: Scenario, document: vscode.TextDocument): OutlineSymbol[] {
  if (scenario.events.length <= MAX_OUTLINE_SYMBOLS) return outline(scenario, document.getText());
  const events = scenario.events.slice(0, MAX_OUTLINE_SYMBOLS);
  let last = 0;
  for (const r of [...scenario.settings, ...scenario.variants, ...events]) last = Math.max(last, r.range.end.line);
  return outline({ ...scenario, events }, document.getText(new vscode.Range(0, 0, last + 1, 0)));
}

function limited(symbols: OutlineSymbol[]): OutlineSymbol[] {
  let budget = MAX_OUTLINE_SYMBOLS;
  const out: OutlineSymbol[] = [];
  for (const s of symbols) {
    if (budget <= 0) break;
    budget--;
    const children = s.children.length > budget ? s.children.slice(0, budget) : s.children;
    budget -= children.length;
    out.push(children === s.children ? s : { ...s, children });
  }
  return out;
}

export class TcpscnSymbolProvider implements vscode.DocumentSymbolProvider {
  /**
   * Symbols per analysis: VS Code asks for the outline after every edit (breadcrumbs, sticky
   * scroll, the Outline view), and building 5 000 symbols again each time would block the host.
   */
  private readonly built = new WeakMap<Analysis, vscode.DocumentSymbol[]>();
  private readonly build = profiled(
    'symbols',
    (analysis: Analysis, document: vscode.TextDocument): vscode.DocumentSymbol[] => {
      let symbols = this.built.get(analysis);
      if (!symbols) {
        symbols = limited(outlineHead(analysis.scenario, document)).map(toSymbol);
        this.built.set(analysis, symbols);
      }
      return symbols;
    },
  );

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
    const newest = this.analyses.get(document);
    let analysis = newest;
    if (!this.analyses.isCurrent(document) && !token?.isCancellationRequested) {
      let sub: vscode.Disposable | undefined;
      const cancelled = new Promise<Analysis>((resolve) => {
        sub = token?.onCancellationRequested(() => resolve(newest));
      });
      try {
        analysis = await Promise.race([this.analyses.getCurrent(document), cancelled]);
      } finally {
        sub?.dispose(); // whichever came first, the listener is not left on the token
      }
      // The analysis arrives in the same task as its last piece and the diagnostics; building
      // thousands of symbols in a task of its own keeps each block of the host short.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.build(analysis, document);
  }
}
