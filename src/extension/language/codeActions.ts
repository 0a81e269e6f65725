// Quick fixes in the editor (issue 11): the fixes are computed by the core
// (src/core/assist/quickFix.ts) from the document's analysis; this only turns them into
// VS Code code actions, each tied to the diagnostic it fixes so that the light bulb and the
// Problems panel offer it.

import * as vscode from 'vscode';
import { quickFixes, type QuickFix } from '../../core/assist/quickFix';
import type { AnalysisCache } from '../analysisCache';
import { toVsRange } from './convert';

export class TcpscnCodeActionProvider implements vscode.CodeActionProvider {
  constructor(private readonly analyses: AnalysisCache) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    // The fixes must be of the text as it is now (an edit made for an older version would land
    // in the wrong place).
    const analysis = await this.analyses.getCurrent(document);
    if (token.isCancellationRequested || document.isClosed) return [];
    const fixes = quickFixes(
      document.getText(),
      {
        start: { line: range.start.line, character: range.start.character },
        end: { line: range.end.line, character: range.end.character },
      },
      analysis,
    );
    return fixes.map((f) => this.toAction(document, f, context.diagnostics));
  }

  private toAction(
    document: vscode.TextDocument,
    f: QuickFix,
    diagnostics: readonly vscode.Diagnostic[],
  ): vscode.CodeAction {
    const action = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
    const edit = new vscode.WorkspaceEdit();
    for (const e of f.edits) edit.replace(document.uri, toVsRange(e.range), e.newText);
    action.edit = edit;
    action.isPreferred = f.preferred;
    if (f.fixes) {
      const r = toVsRange(f.fixes.range);
      const code = f.fixes.code;
      action.diagnostics = diagnostics.filter((d) => d.range.isEqual(r) && String(d.code) === code);
    }
    return action;
  }
}
