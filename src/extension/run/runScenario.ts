// "Run TCP scenario": runs a `.tcpscn` file (from a CodeLens, the active editor, or picked
// from the workspace), opens its preview, writes the traces and expectation results to the
// "TCP Scenario" output channel and says how the expectations went. It resolves with the
// counts so that callers (and tests) can use the result.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { LANGUAGE_ID } from '../analysisCache';
import type { PreviewManager } from '../preview/previewManager';
import { showsOutput, summarizeRun, type RunSummary } from './report';

export interface RunResult {
  uri: string;
  passed: number;
  failed: number;
  errors: number;
  variants: string[];
}

async function pickDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === LANGUAGE_ID) return editor.document;
  const files = await vscode.workspace.findFiles('**/*.tcpscn', '**/node_modules/**', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('No .tcpscn file in this workspace to run.');
    return undefined;
  }
  const picked =
    files.length === 1
      ? { uri: files[0] }
      : await vscode.window.showQuickPick(
          files
            .sort((a, b) => a.path.localeCompare(b.path))
            .map((f) => ({
              label: path.posix.basename(f.path),
              description: vscode.workspace.asRelativePath(f),
              uri: f,
            })),
          { title: 'Run TCP scenario', placeHolder: 'Which scenario?' },
        );
  return picked ? vscode.workspace.openTextDocument(picked.uri) : undefined;
}

async function revealLine(document: vscode.TextDocument, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  const l = Math.min(Math.max(0, line - 1), document.lineCount - 1);
  const range = document.lineAt(l).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export class ScenarioRunner {
  /** The text last written to the channel (for tests; the channel itself cannot be read back). */
  lastReport = '';
  /** Whether the last run brought the channel into view by itself (for tests). */
  lastShowedOutput = false;

  constructor(
    private readonly manager: PreviewManager,
    private readonly channel: vscode.OutputChannel,
  ) {}

  async run(uri?: unknown): Promise<RunResult | undefined> {
    const document = await pickDocument(uri);
    if (!document) return undefined;
    // The analysis of the text as it is now: a large document may still be analysed in the background.
    const analysis = await this.manager.analyses.getCurrent(document);
    const name = vscode.workspace.asRelativePath(document.uri);
    const summary: RunSummary = summarizeRun(name, analysis);

    this.manager.open(document.uri, { toSide: true, preserveFocus: true });
    this.channel.clear();
    this.channel.appendLine(summary.report);
    this.lastReport = summary.report;
    // All well: the channel stays out of the way (the notification offers it); a failure shows it.
    this.lastShowedOutput = showsOutput(summary);
    if (this.lastShowedOutput) this.channel.show(true);
    const showOutput = 'Show output';

    // The notification is not awaited: the command resolves with the counts at once.
    if (summary.errors > 0) {
      void vscode.window
        .showErrorMessage(
          `The scenario has ${summary.errors} error${summary.errors === 1 ? '' : 's'} and was not run.`,
          'Show first error',
          showOutput,
        )
        .then((choice) => this.answer(choice, document, summary));
    } else {
      const text = `${summary.passed} expectation${summary.passed === 1 ? '' : 's'} passed, ${summary.failed} failed`;
      if (summary.failed > 0) {
        void vscode.window
          .showWarningMessage(text, 'Show first failure', showOutput)
          .then((choice) => this.answer(choice, document, summary));
      } else {
        void vscode.window
          .showInformationMessage(text, showOutput)
          .then((choice) => this.answer(choice, document, summary));
      }
    }
    return {
      uri: document.uri.toString(),
      passed: summary.passed,
      failed: summary.failed,
      errors: summary.errors,
      variants: summary.variants,
    };
  }

  /** What a notification's button does: the output channel, or the line of the first error or failure. */
  private async answer(choice: string | undefined, document: vscode.TextDocument, summary: RunSummary): Promise<void> {
    if (choice === 'Show output') this.channel.show(true);
    else if (choice && summary.firstFailureLine) await revealLine(document, summary.firstFailureLine);
  }
}
