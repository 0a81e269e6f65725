// Hover: the core explains the word under the cursor in RFC 9293's terms.

import * as vscode from 'vscode';
import { hover } from '../../core/assist/hover';
import { toVsRange } from './convert';

export class TcpscnHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const h = hover(document.getText(), { line: position.line, character: position.character });
    if (!h) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(h.markdown), toVsRange(h.range));
  }
}
