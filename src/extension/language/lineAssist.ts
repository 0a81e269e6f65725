// Completion and hover as the editor asks for them, without `vscode` (so unit tests can drive
// them with a fake document): they read the cursor's line with `lineAt` and the document's
// declarations from a per-document DeclarationIndex kept up to date by change events. Nothing
// here reads the whole document per request: on a 1 MB file, `getText()` and splitting it
// at every keystroke (quick suggestions ask on each) blocked the extension host for tens of ms
// (typing in a 1 MB file, docs/performance.md).

import { completeLine, type CompletionResult } from '../../core/assist/complete';
import { DeclarationIndex } from '../../core/assist/declarationIndex';
import type { Declarations } from '../../core/assist/declarations';
import { hoverLine, type HoverResult } from '../../core/assist/hover';
import { splitLines } from '../../core/lexer';
import type { Position } from '../../core/types';

/** What of vscode.TextDocument this needs. */
export interface LineDocument {
  readonly uri: { toString(): string };
  readonly version: number;
  readonly lineCount: number;
  lineAt(line: number): { readonly text: string };
  getText(): string;
}

/** What of vscode.TextDocumentContentChangeEvent this needs. */
export interface LineChange {
  readonly range: { readonly start: { readonly line: number }; readonly end: { readonly line: number } };
  readonly text: string;
}

/** Line breaks as VS Code counts them (`\r\n`, `\r` or `\n`). */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** The declarations of each open document, one index per document. */
export class DocumentDeclarations {
  private readonly entries = new Map<string, { version: number; index: DeclarationIndex }>();

  /** The declarations of the document's current version (built with one getText() on first use). */
  get(doc: LineDocument): Declarations {
    const key = doc.uri.toString();
    let entry = this.entries.get(key);
    if (!entry || entry.version !== doc.version) {
      entry = { version: doc.version, index: new DeclarationIndex(splitLines(doc.getText())) };
      this.entries.set(key, entry);
    }
    return entry.index.declarations((line) => (line < doc.lineCount ? doc.lineAt(line).text : undefined));
  }

  /** A change event of `doc` (now at its new version): its edits, applied in order. */
  changed(doc: LineDocument, changes: readonly LineChange[]): void {
    const key = doc.uri.toString();
    const entry = this.entries.get(key);
    if (!entry) return;
    // A version skipped means an event not seen: start again from the text when next asked.
    if (entry.version + 1 !== doc.version) {
      this.entries.delete(key);
      return;
    }
    for (const c of changes)
      entry.index.apply({
        startLine: c.range.start.line,
        endLine: c.range.end.line,
        insertedLineBreaks: lineBreaks(c.text),
      });
    entry.version = doc.version;
  }

  forget(doc: { readonly uri: { toString(): string } }): void {
    this.entries.delete(doc.uri.toString());
  }
}

export function completionAt(
  doc: LineDocument,
  position: Position,
  declarations: DocumentDeclarations,
): CompletionResult {
  return completeLine(doc.lineAt(position.line).text, position, () => declarations.get(doc));
}

export function hoverAt(doc: LineDocument, position: Position, declarations: DocumentDeclarations): HoverResult | null {
  if (position.line >= doc.lineCount) return null;
  return hoverLine(doc.lineAt(position.line).text, position, () => declarations.get(doc));
}
