// The extension host's entry: a thin shell that wires the core into VS Code. All TCP logic
// lives in src/core; this file only registers the two halves of the product.

import * as vscode from 'vscode';
import { AnalysisCache } from './analysisCache';
import { registerLanguageFeatures } from './language/register';
import { registerPreview } from './preview/register';

export function activate(context: vscode.ExtensionContext): void {
  const analyses = new AnalysisCache();
  context.subscriptions.push(analyses);
  registerLanguageFeatures(context, analyses);
  registerPreview(context, analyses);
}

export function deactivate(): void {}
