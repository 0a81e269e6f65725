// Hover: the core explains the word under the cursor in RFC 9293's terms.

import * as vscode from 'vscode';
import { hoverAt, type DocumentDeclarations } from './lineAssist';
import { toVsRange } from './convert';

export class TcpscnHoverProvider implements vscode.HoverProvider {
  /**
   * `extensionUri`: the extension's root, against which the hover's relative link to the
   * language reference (docs/language.md, shipped in the .vsix) resolves.
   */
  constructor(
    private readonly declarations: DocumentDeclarations,
    private readonly extensionUri?: vscode.Uri,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    // The line under the cursor and the tracked declarations only (never the whole document).
    const h = hoverAt(document, { line: position.line, character: position.character }, this.declarations);
    if (!h) return undefined;
    const md = new vscode.MarkdownString(h.markdown);
    if (this.extensionUri) md.baseUri = this.extensionUri.with({ path: this.extensionUri.path.replace(/\/?$/, '/') });
    return new vscode.Hover(md, toVsRange(h.range));
  }
}
