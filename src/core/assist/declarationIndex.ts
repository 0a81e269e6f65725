// The declarations of a document kept up to date edit by edit, so completion and hover on a
// large document never re-read the whole text per keystroke: an edit drops the declarations of
// the lines it replaced, shifts the ones below it, and marks the lines it wrote; only those
// lines are read again (lineDeclaration), when the declarations are next asked for. Exactly
// what collectDeclarations would find in the current text (the unit tests check this).

import { lineDeclaration, type Declarations, type EndpointInfo, type VariantInfo } from './declarations';

interface Found {
  line: number;
  endpoint?: EndpointInfo;
  variant?: VariantInfo;
}

/** An edit, in the coordinates of the text before it: lines startLine..endLine replaced by text with `insertedLineBreaks` line breaks. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  insertedLineBreaks: number;
}

export class DeclarationIndex {
  private found: Found[] = [];
  private readonly dirty = new Set<number>();
  private snapshot: Declarations | undefined;

  /** Scans every line once (the only whole-document read). */
  constructor(lines: readonly string[]) {
    lines.forEach((text, line) => this.scan(text, line));
  }

  /** Applies one edit; edits of one change event are applied in their order. */
  apply(edit: LineEdit): void {
    const delta = edit.insertedLineBreaks - (edit.endLine - edit.startLine);
    const moved = (line: number): number => (line > edit.endLine ? line + delta : line);
    const kept = this.found.filter((f) => f.line < edit.startLine || f.line > edit.endLine);
    this.found = kept.map((f) => (f.line > edit.endLine ? shift(f, delta) : f));
    const dirty = [...this.dirty].filter((l) => l < edit.startLine || l > edit.endLine).map(moved);
    this.dirty.clear();
    for (const l of dirty) this.dirty.add(l);
    for (let l = edit.startLine; l <= edit.startLine + edit.insertedLineBreaks; l++) this.dirty.add(l);
    this.snapshot = undefined;
  }

  /** The declarations, reading only the lines edited since the last call (`lineAt` past the end gives undefined). */
  declarations(lineAt: (line: number) => string | undefined): Declarations {
    if (this.dirty.size > 0) {
      for (const line of this.dirty) {
        const text = lineAt(line);
        if (text !== undefined) this.scan(text, line);
      }
      this.dirty.clear();
      this.found.sort((a, b) => a.line - b.line);
      this.snapshot = undefined;
    }
    this.snapshot ??= {
      endpoints: this.found.flatMap((f) => (f.endpoint ? [f.endpoint] : [])),
      variants: this.found.flatMap((f) => (f.variant ? [f.variant] : [])),
    };
    return this.snapshot;
  }

  /** Lines waiting to be read again (for tests). */
  get pendingLines(): number {
    return this.dirty.size;
  }

  private scan(text: string, line: number): void {
    const d = lineDeclaration(text, line);
    if (d) this.found.push({ line, ...d });
  }
}

function shift(f: Found, delta: number): Found {
  const line = f.line + delta;
  return {
    line,
    endpoint: f.endpoint && { ...f.endpoint, line },
    variant: f.variant && { ...f.variant, line },
  };
}
