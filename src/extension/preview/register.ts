// Wires the preview, its commands, the reload serializer and "Run TCP scenario" into VS Code.

import * as vscode from 'vscode';
import { LANGUAGE_ID, type AnalysisCache } from '../analysisCache';
import { ScenarioRunner } from '../run/runScenario';
import { copyMermaid, exportMarkdown, exportSvg, targetDocumentUri } from './export';
import { PREVIEW_VIEW_TYPE } from './preview';
import { PreviewManager } from './previewManager';
import { PreviewSerializer } from './serializer';
import { KernelRuns, setVerifyContext, verifyDocument } from '../verify/verifyCommand';
import { settle } from './settle';

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
      verifyDocument(
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
      exportSvg(manager, uri, target),
    ),
    vscode.commands.registerCommand('tcpscn.exportMarkdown', (uri?: unknown, target?: unknown) =>
      exportMarkdown(manager, uri, target),
    ),
    vscode.commands.registerCommand('tcpscn.copyMermaid', (uri?: unknown) => copyMermaid(manager, uri)),
    vscode.commands.registerCommand('tcpscn._test.previewState', () => ({
      ...manager.testState(),
      lastRunReport: runner.lastReport,
      lastRunShowedOutput: runner.lastShowedOutput,
    })),
  );
  return manager;
}
