// The document a preview command acts on, shared by the commands registered at activation and
// the exports loaded later (export.ts).

import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../analysisCache';
import type { PreviewManager } from './previewManager';

/** The document a command acts on: the argument, the focused preview, the active editor, any preview. */
export function targetDocumentUri(manager: PreviewManager, uri?: unknown): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri) return uri;
  const focused = manager.all().find((p) => p.isActive);
  if (focused) return focused.uri;
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === LANGUAGE_ID) return editor.document.uri;
  return manager.activePreview()?.uri;
}
