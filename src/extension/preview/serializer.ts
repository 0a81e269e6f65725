// Brings previews back after a window reload. VS Code stores what the webview last passed to
// setState; it holds the document's URI and whether the preview was locked.

import * as vscode from 'vscode';
import { isWebviewState } from '../../protocol';
import type { PreviewManager } from './previewManager';

export class PreviewSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly manager: PreviewManager) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isWebviewState(state)) {
      // Nothing says which document it showed: a panel that can never update is worse than none.
      panel.dispose();
      return;
    }
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(state.uri, true);
    } catch {
      panel.dispose();
      return;
    }
    this.manager.restore(panel, uri, state.locked);
  }
}
