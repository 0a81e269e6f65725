// One analysis per document version, shared by diagnostics, hover, outline, the preview and
// "Run TCP scenario", so typing a character parses and simulates the file once, not once per
// feature.

import * as vscode from 'vscode';
import { analyze, type Analysis } from '../core/index';

export const LANGUAGE_ID = 'tcpscn';

export class AnalysisCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; analysis: Analysis }>();
  private readonly closeListener: vscode.Disposable;

  constructor() {
    this.closeListener = vscode.workspace.onDidCloseTextDocument((doc) => this.entries.delete(doc.uri.toString()));
  }

  /** The analysis of the document as it is now (cached per version). */
  get(document: vscode.TextDocument): Analysis {
    const key = document.uri.toString();
    const hit = this.entries.get(key);
    if (hit && hit.version === document.version) return hit.analysis;
    const analysis = analyze(document.getText());
    this.entries.set(key, { version: document.version, analysis });
    return analysis;
  }

  dispose(): void {
    this.closeListener.dispose();
    this.entries.clear();
  }
}
