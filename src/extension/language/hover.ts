// Hover: the core explains the word under the cursor in RFC 9293's terms.

import * as vscode from 'vscode';
import { hoverAt, type DocumentDeclarations } from './lineAssist';
import { toVsRange } from './convert';

export class TcpscnHoverProvider implements vscode.HoverProvider {
  constructor(private readonly declarations: DocumentDeclarations) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    // The line under the cursor and the tracked declarations only (never the whole document).
    const h = hoverAt(document, { line: position.line, character: position.character }, this.declarations);
    if (!h) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(h.markdown), toVsRange(h.range));
  }
}
