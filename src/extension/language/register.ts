// Registers the editor's language features for `.tcpscn` documents. Activation stays cheap:
// nothing here parses or simulates; the providers ask the shared AnalysisCache when VS Code
// first needs them, and completion, hover and quick fixes are loaded from dist/assist.js when
// the editor first asks for one of them (assist.ts, src/extension/lazy.ts).

import * as vscode from 'vscode';
import { LANGUAGE_ID, type AnalysisCache } from '../analysisCache';
import { TcpscnCodeLensProvider } from './codeLens';
import { registerDiagnostics } from './diagnostics';
import { registerExamples } from './examples';
import { TcpscnSymbolProvider } from './symbols';
import { profiled } from '../profile';
import { lazyBundle } from '../lazy';
import type {
  DocumentDeclarations,
  TcpscnCodeActionProvider,
  TcpscnCompletionProvider,
  TcpscnHoverProvider,
} from './assist';

/** Characters after which the editor asks for completion without Ctrl+Space. */
const COMPLETION_TRIGGERS = [' ', '>', '=', '"'];

const assistModule = lazyBundle<typeof import('./assist')>('assist.js');

export function registerLanguageFeatures(context: vscode.ExtensionContext, analyses: AnalysisCache): void {
  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  // Declarations (endpoint names, variant labels) for completion and hover, kept up to date
  // from each change event so a keystroke never re-reads a large document. They exist from the
  // first completion or hover on (a document's index is built when first asked for), so until
  // then a change has nothing to update.
  let assist:
    | {
        declarations: DocumentDeclarations;
        completion: TcpscnCompletionProvider;
        hover: TcpscnHoverProvider;
        codeActions: TcpscnCodeActionProvider;
      }
    | undefined;
  const loadAssist = () => {
    if (!assist) {
      const m = assistModule();
      const declarations = new m.DocumentDeclarations();
      assist = {
        declarations,
        completion: new m.TcpscnCompletionProvider(declarations),
        hover: new m.TcpscnHoverProvider(declarations, context.extensionUri),
        codeActions: new m.TcpscnCodeActionProvider(analyses),
      };
    }
    return assist;
  };
  const symbols = new TcpscnSymbolProvider(analyses);
  const codeLens = new TcpscnCodeLensProvider();
  // `profiled` is the identity unless the bench profiles the host (TCPSCN_PROFILE).
  context.subscriptions.push(
    vscode.workspace.onDidChangeTextDocument(
      profiled('declarations', (e: vscode.TextDocumentChangeEvent) =>
        assist?.declarations.changed(e.document, e.contentChanges),
      ),
    ),
    vscode.workspace.onDidCloseTextDocument((d) => assist?.declarations.forget(d)),
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        provideCompletionItems: profiled('completion', (document: vscode.TextDocument, position: vscode.Position) =>
          loadAssist().completion.provideCompletionItems(document, position),
        ),
      },
      ...COMPLETION_TRIGGERS,
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover: profiled('hover', (document: vscode.TextDocument, position: vscode.Position) =>
        loadAssist().hover.provideHover(document, position),
      ),
    }),
    vscode.languages.registerDocumentSymbolProvider(
      selector,
      symbols, // times its own building (the answer may wait for the background analysis)
      { label: 'TCP scenario' },
    ),
    vscode.languages.registerCodeActionsProvider(
      selector,
      {
        provideCodeActions: profiled(
          'codeActions',
          (
            document: vscode.TextDocument,
            range: vscode.Range | vscode.Selection,
            codeActionContext: vscode.CodeActionContext,
            token: vscode.CancellationToken,
          ) => loadAssist().codeActions.provideCodeActions(document, range, codeActionContext, token),
        ),
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerCodeLensProvider(selector, {
      provideCodeLenses: profiled('codeLens', codeLens.provideCodeLenses.bind(codeLens)),
    }),
  );
  registerDiagnostics(context, analyses);
  registerExamples(context);
}
