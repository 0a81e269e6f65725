// The outline (and breadcrumbs, Go to Symbol): built by the core from the cached analysis's AST.

import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysisCache';
import { outline, type OutlineKind, type OutlineSymbol } from '../../core/assist/outline';
import { toVsRange } from './convert';

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
  const sym = new vscode.DocumentSymbol(s.name || ' ', s.detail, KINDS[s.kind], toVsRange(s.range), toVsRange(s.selectionRange));
  sym.children = s.children.map(toSymbol);
  return sym;
}

export class TcpscnSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly analyses: AnalysisCache) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const { scenario } = this.analyses.get(document);
    return outline(scenario, document.getText()).map(toSymbol);
  }
}
