// Two actions above the first line: run the scenario, open the preview beside the editor.
// The commands themselves belong to the preview (src/extension/preview, src/extension/run).

import * as vscode from 'vscode';
import { exampleLenses } from './examples';

export const RUN_COMMAND = 'tcpscn.run';
export const PREVIEW_COMMAND = 'tcpscn.openPreviewToSide';

export class TcpscnCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // An empty file: nothing to run yet, but an example to start from.
    const examples = exampleLenses(document);
    if (examples.length > 0) return examples;
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run scenario', command: RUN_COMMAND, arguments: [document.uri] }),
      new vscode.CodeLens(top, {
        title: '$(open-preview) Open preview',
        command: PREVIEW_COMMAND,
        arguments: [document.uri],
      }),
    ];
  }
}
