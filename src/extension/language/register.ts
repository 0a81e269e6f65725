// Registers the editor's language features for `.tcpscn` documents. Activation stays cheap:
// nothing here parses or simulates; the providers ask the shared AnalysisCache when VS Code
// first needs them.

import * as vscode from 'vscode';
import { LANGUAGE_ID, type AnalysisCache } from '../analysisCache';
import { TcpscnCodeLensProvider } from './codeLens';
import { COMPLETION_TRIGGERS, TcpscnCompletionProvider } from './completion';
import { registerDiagnostics } from './diagnostics';
import { TcpscnHoverProvider } from './hover';
import { TcpscnSymbolProvider } from './symbols';

export function registerLanguageFeatures(context: vscode.ExtensionContext, analyses: AnalysisCache): void {
  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(selector, new TcpscnCompletionProvider(), ...COMPLETION_TRIGGERS),
    vscode.languages.registerHoverProvider(selector, new TcpscnHoverProvider()),
    vscode.languages.registerDocumentSymbolProvider(selector, new TcpscnSymbolProvider(analyses), { label: 'TCP scenario' }),
    vscode.languages.registerCodeLensProvider(selector, new TcpscnCodeLensProvider()),
  );
  registerDiagnostics(context, analyses);
}
