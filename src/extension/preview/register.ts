// Wires the preview, its commands, the reload serializer and "Run TCP scenario" into VS Code.

import * as vscode from 'vscode';
import { LANGUAGE_ID, type AnalysisCache } from '../analysisCache';
import { ScenarioRunner } from '../run/runScenario';
import { lazyBundle, loadedLazyBundles } from '../lazy';
import { targetDocumentUri } from './target';
import { PREVIEW_VIEW_TYPE } from './preview';
import { PreviewManager } from './previewManager';
import { PreviewSerializer } from './serializer';
import { KernelRuns, setVerifyContext } from '../verify/verifyCommand';
import { settle } from './settle';

// Loaded when their command first runs (see lazy.ts); the types are the modules they are built from.
const verifyModule = lazyBundle<typeof import('../verify/verifyDocument')>('verify.js');
const exportModule = lazyBundle<typeof import('./export')>('export.js');

export function registerPreview(context: vscode.ExtensionContext, analyses: AnalysisCache): PreviewManager {
  const kernelRuns = new KernelRuns();
  const manager = new PreviewManager(context.extensionUri, analyses, context.workspaceState, kernelRuns);
  const channel = vscode.window.createOutputChannel('TCP Scenario');
  const verifyChannel = vscode.window.createOutputChannel('TCP Scenario: kernel');
  setVerifyContext();
  const runner = new ScenarioRunner(manager, channel);

  const sourceFor = (uri: unknown): vscode.Uri | undefined => {
    if (uri instanceof vscode.Uri) return uri;
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.languageId === LANGUAGE_ID) return editor.document.uri;
    return targetDocumentUri(manager);
  };
  const openPreview = (toSide: boolean) => (uri?: unknown) => {
    const source = sourceFor(uri);
    if (!source) {
      settle(vscode.window.showInformationMessage('Open a .tcpscn file to preview it.'), 'showing a message');
      return undefined;
    }
    manager.open(source, { toSide });
    return source.toString();
  };

  context.subscriptions.push(
    manager,
    channel,
    verifyChannel,
    kernelRuns,
    kernelRuns.onDidChange((uri) => {
      manager.open(uri, { toSide: true, preserveFocus: true });
      for (const p of manager.all()) p.update();
    }),
    vscode.commands.registerCommand('tcpscn.verify', (uri?: unknown) =>
      verifyModule().verifyDocument(
        uri instanceof vscode.Uri ? uri : undefined,
        kernelRuns,
        verifyChannel,
        context.extensionUri.fsPath,
      ),
    ),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, new PreviewSerializer(manager)),
    vscode.commands.registerCommand('tcpscn.openPreview', openPreview(false)),
    vscode.commands.registerCommand('tcpscn.openPreviewToSide', openPreview(true)),
    vscode.commands.registerCommand('tcpscn.lockPreview', () => manager.lock()),
    vscode.commands.registerCommand('tcpscn.unlockPreview', () => manager.unlock()),
    vscode.commands.registerCommand('tcpscn.run', (uri?: unknown) => runner.run(uri)),
    vscode.commands.registerCommand('tcpscn.exportSvg', (uri?: unknown, target?: unknown) =>
      exportModule().exportSvg(manager, uri, target),
    ),
    vscode.commands.registerCommand('tcpscn.exportMarkdown', (uri?: unknown, target?: unknown) =>
      exportModule().exportMarkdown(manager, uri, target),
    ),
    vscode.commands.registerCommand('tcpscn.copyMermaid', (uri?: unknown) => exportModule().copyMermaid(manager, uri)),
    vscode.commands.registerCommand('tcpscn._test.previewState', () => ({
      ...manager.testState(),
      lastRunReport: runner.lastReport,
      lastRunShowedOutput: runner.lastShowedOutput,
      lazyBundlesLoaded: loadedLazyBundles(),
    })),
  );
  return manager;
}
