// Exporting what the preview shows: the drawn SVG (which only the webview has, so it is asked
// for by message; on the Ladder tab the page lays out a standalone light copy), the Markdown of
// every variant (GitHub renders its fenced `mermaid` blocks) with the ladder SVG beside it,
// and the Mermaid text on the clipboard. Files are written only where a save dialog said, and
// the dialog asks before replacing a file; a `target` argument is for callers (tests, other
// extensions) that already chose the file. Bundled apart as dist/export.js (esbuild.mjs) and
// loaded when an export command first runs (src/extension/lazy.ts): the ladder's layout and SVG
// and the Markdown report are needed by nothing else in the extension host.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { renderLadder } from '../../core/render/ladder/index';
import { renderMarkdown } from '../../core/render/markdown';
import { renderSequence } from '../../core/render/sequence';
import { renderTimeline } from '../../core/render/timeline';
import { announceExport, type NoticeUi } from './exportNotice';
import type { PreviewManager } from './previewManager';
import { settle } from './settle';
import { targetDocumentUri } from './target';

const noticeUi: NoticeUi<vscode.Uri> = {
  showInformationMessage: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
  executeCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
  displayPath: (file) => (file.scheme === 'file' ? vscode.workspace.asRelativePath(file) : file.toString(true)),
};

/** A file next to the document, named after it with `suffix` (`.sequence.svg`, `.md`). */
function suggestedTarget(source: vscode.Uri, suffix: string): vscode.Uri | undefined {
  const base = path.posix.basename(source.path).replace(/\.tcpscn$/i, '') || 'scenario';
  if (source.scheme === 'untitled') {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder ? vscode.Uri.joinPath(folder, base + suffix) : undefined;
  }
  return source.with({ path: path.posix.join(path.posix.dirname(source.path), base + suffix) });
}

async function chooseTarget(source: vscode.Uri, suffix: string, filters: Record<string, string[]>, target: unknown) {
  if (target instanceof vscode.Uri) return target;
  return vscode.window.showSaveDialog({ defaultUri: suggestedTarget(source, suffix), filters, saveLabel: 'Export' });
}

export async function exportSvg(
  manager: PreviewManager,
  uri?: unknown,
  target?: unknown,
): Promise<vscode.Uri | undefined> {
  const source = targetDocumentUri(manager, uri);
  const preview = source ? manager.previewFor(source) : undefined;
  if (!source || !preview) {
    settle(
      vscode.window.showWarningMessage('Open the TCP scenario preview first: the SVG is the diagram it draws.'),
      'showing a message',
    );
    return undefined;
  }
  const answer = await preview.requestSvg();
  if (answer.svg === null) {
    settle(
      vscode.window.showErrorMessage(`No SVG to export: ${answer.error || 'the preview has not drawn a diagram yet'}.`),
      'showing a message',
    );
    return undefined;
  }
  const variant =
    answer.variant && answer.variant !== 'default' ? `.${answer.variant.replace(/[^A-Za-z0-9_-]+/g, '-')}` : '';
  const file = await chooseTarget(source, `${variant}.${answer.view}.svg`, { SVG: ['svg'] }, target);
  if (!file) return undefined;
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(answer.svg));
  // Not awaited: the command resolves with the file while the notice waits for a button.
  settle(
    announceExport(noticeUi, file, `${answer.view === 'timeline' ? 'state timeline' : `${answer.view} diagram`} (SVG)`),
    'announcing the export',
  );
  return file;
}

export async function exportMarkdown(
  manager: PreviewManager,
  uri?: unknown,
  target?: unknown,
): Promise<vscode.Uri | undefined> {
  const source = targetDocumentUri(manager, uri);
  if (!source) {
    settle(
      vscode.window.showWarningMessage('Open a .tcpscn file to export its diagrams as Markdown.'),
      'showing a message',
    );
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(source);
  const analysis = await manager.analyses.getCurrent(document);
  if (analysis.hasErrors) {
    settle(
      vscode.window.showErrorMessage('The scenario has errors; fix them before exporting (see the Problems panel).'),
      'showing a message',
    );
    return undefined;
  }
  const file = await chooseTarget(source, '.md', { Markdown: ['md'] }, target);
  if (!file) return undefined;
  // GitHub shows a linked SVG image but not SVG inside Markdown: the ladder of every variant
  // (side by side) is written beside the report, as `<name>.ladder.svg`, and linked from it.
  const base = path.posix.basename(file.path).replace(/\.(md|markdown)$/i, '');
  const ladderFile = file.with({ path: path.posix.join(path.posix.dirname(file.path), `${base}.ladder.svg`) });
  const encoder = new TextEncoder();
  await vscode.workspace.fs.writeFile(ladderFile, encoder.encode(renderLadder(analysis.runs, { width: 2400 })));
  await vscode.workspace.fs.writeFile(
    file,
    encoder.encode(renderMarkdown(analysis.runs, { ladderImage: path.posix.basename(ladderFile.path) })),
  );
  settle(
    announceExport(noticeUi, file, 'diagrams as Markdown, with the ladder SVG beside it'),
    'announcing the export',
  );
  return file;
}

/** Copies the Mermaid text of the view the preview shows (the sequence diagram by default). */
export async function copyMermaid(manager: PreviewManager, uri?: unknown): Promise<string | undefined> {
  const source = targetDocumentUri(manager, uri);
  if (!source) {
    settle(vscode.window.showWarningMessage('Open a .tcpscn file to copy its Mermaid diagram.'), 'showing a message');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(source);
  const analysis = await manager.analyses.getCurrent(document);
  if (analysis.hasErrors || analysis.runs.length === 0) {
    settle(
      vscode.window.showErrorMessage('The scenario has errors; fix them before copying its diagram.'),
      'showing a message',
    );
    return undefined;
  }
  const shown = manager.previewFor(source)?.shown;
  const trace = analysis.runs.find((t) => t.variant === shown?.variant) ?? analysis.runs[0];
  const timeline = shown?.tab === 'timeline';
  const text = timeline ? renderTimeline(trace) : renderSequence(trace).text;
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(
    `Copied the Mermaid ${timeline ? 'timeline' : 'sequence diagram'} of "${trace.variant}"`,
    3000,
  );
  return text;
}
