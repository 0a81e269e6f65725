// Quick fixes in the editor (issue 11): the fixes are computed by the core
// (src/core/assist/quickFix.ts) from the document's analysis; this only turns them into
// VS Code code actions, each tied to the diagnostic it fixes so that the light bulb and the
// Problems panel offer it. For a large document the worker that analysed it makes them.

import * as vscode from 'vscode';
import { quickFixes, type QuickFix } from '../../core/assist/quickFix';
import type { AnalysisCache } from '../analysisCache';
import type { Range } from '../../core/types';
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
    const fixes = await this.fixesOf(document, {
      start: { line: range.start.line, character: range.start.character },
      end: { line: range.end.line, character: range.end.character },
    });
    if (!fixes || token.isCancellationRequested || document.isClosed) return [];
    return fixes.map((f) => this.toAction(document, f, context.diagnostics));
  }

  /**
   * The fixes of the text as it is now (an edit made for an older version would land in the
   * wrong place). VS Code asks whenever the cursor rests, so for a large document they are made
   * by the analysis worker, which holds its analysis, instead of bringing that whole analysis
   * into the extension host each time (AnalysisScheduler says why); from the analysis here
   * when it is here (a small document) or when the worker went on to another text.
   */
  private async fixesOf(document: vscode.TextDocument, range: Range): Promise<QuickFix[] | undefined> {
    for (let tries = 0; tries < 3; tries++) {
      const summary = await this.analyses.getCurrentSummary(document);
      if (document.isClosed) return undefined;
      if (summary.analysis) return quickFixes(document.getText(), range, summary.analysis);
      if (!summary.quickFixes) break;
      const version = document.version;
      const fixes = await summary.quickFixes(range);
      if (document.isClosed) return undefined;
      if (document.version !== version) continue; // typed meanwhile: of the newer text
      if (fixes) return fixes;
      break;
    }
    const analysis = await this.analyses.getCurrent(document);
    if (document.isClosed) return undefined;
    return quickFixes(document.getText(), range, analysis);
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
