// Registers the editor's language features for `.tcpscn` documents. Activation stays cheap:
// nothing here parses or simulates; the providers ask the shared AnalysisCache when VS Code
// first needs them.

import * as vscode from 'vscode';
import { LANGUAGE_ID, type AnalysisCache } from '../analysisCache';
import { TcpscnCodeActionProvider } from './codeActions';
import { TcpscnCodeLensProvider } from './codeLens';
import { COMPLETION_TRIGGERS, TcpscnCompletionProvider } from './completion';
import { registerDiagnostics } from './diagnostics';
import { registerExamples } from './examples';
import { TcpscnHoverProvider } from './hover';
import { TcpscnSymbolProvider } from './symbols';
import { DocumentDeclarations } from './lineAssist';
import { profiled } from '../profile';

export function registerLanguageFeatures(context: vscode.ExtensionContext, analyses: AnalysisCache): void {
  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  // Declarations (endpoint names, variant labels) for completion and hover, kept up to date
  // from each change event so a keystroke never re-reads a large document.
  const declarations = new DocumentDeclarations();
  const completion = new TcpscnCompletionProvider(declarations);
  const hover = new TcpscnHoverProvider(declarations, context.extensionUri);
  const symbols = new TcpscnSymbolProvider(analyses);
  const codeLens = new TcpscnCodeLensProvider();
  // `profiled` is the identity unless the bench profiles the host (TCPSCN_PROFILE).
  context.subscriptions.push(
    vscode.workspace.onDidChangeTextDocument(
      profiled('declarations', (e: vscode.TextDocumentChangeEvent) =>
        declarations.changed(e.document, e.contentChanges),
      ),
    ),
    vscode.workspace.onDidCloseTextDocument((d) => declarations.forget(d)),
    vscode.languages.registerCompletionItemProvider(
      selector,
      { provideCompletionItems: profiled('completion', completion.provideCompletionItems.bind(completion)) },
      ...COMPLETION_TRIGGERS,
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover: profiled('hover', hover.provideHover.bind(hover)),
    }),
    vscode.languages.registerDocumentSymbolProvider(
      selector,
      symbols, // times its own building (the answer may wait for the background analysis)
      { label: 'TCP scenario' },
    ),
    vscode.languages.registerCodeActionsProvider(
      selector,
      new TcpscnCodeActionProvider(analyses),
      TcpscnCodeActionProvider.metadata,
    ),
    vscode.languages.registerCodeLensProvider(selector, {
      provideCodeLenses: profiled('codeLens', codeLens.provideCodeLenses.bind(codeLens)),
    }),
  );
  registerDiagnostics(context, analyses);
  registerExamples(context);
}
