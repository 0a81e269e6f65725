// Completion: the core decides what fits at the cursor; this only maps its items to VS Code's.

import * as vscode from 'vscode';
import type { CompletionKind } from '../../core/assist/complete';
import { completionAt, type DocumentDeclarations } from './lineAssist';

const KINDS: Readonly<Record<CompletionKind, vscode.CompletionItemKind>> = {
  keyword: vscode.CompletionItemKind.Keyword,
  time: vscode.CompletionItemKind.Value,
  unit: vscode.CompletionItemKind.Unit,
  endpoint: vscode.CompletionItemKind.Variable,
  direction: vscode.CompletionItemKind.Operator,
  verb: vscode.CompletionItemKind.Function,
  state: vscode.CompletionItemKind.EnumMember,
  option: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  flag: vscode.CompletionItemKind.Constant,
  match: vscode.CompletionItemKind.Keyword,
  'error-code': vscode.CompletionItemKind.Constant,
  hazard: vscode.CompletionItemKind.Event,
  variant: vscode.CompletionItemKind.Enum,
  punct: vscode.CompletionItemKind.Operator,
};

export class TcpscnCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly declarations: DocumentDeclarations) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    // The cursor's line and the tracked declarations only (never the whole document).
    const result = completionAt(document, { line: position.line, character: position.character }, this.declarations);
    return result.items.map((x) => {
      const item = new vscode.CompletionItem(x.label, KINDS[x.kind]);
      item.detail = x.detail;
      if (x.documentation) item.documentation = new vscode.MarkdownString(x.documentation);
      item.insertText = x.insertText;
      item.filterText = x.filterText;
      item.sortText = x.sortText;
      item.range = new vscode.Range(position.line, x.replaceStart, position.line, x.replaceEnd);
      // Accepting a keyword or an endpoint usually leads to the next word: ask again.
      if (x.insertText.endsWith(' ') || x.insertText.endsWith('=')) {
        item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
      }
      return item;
    });
  }
}
