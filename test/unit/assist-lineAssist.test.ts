// Completion and hover as the extension calls them on every keystroke (lineAssist.ts): on a
// 1 MB document they read the cursor's line and the lines the edits wrote, never the whole
// text again. A fake document counts what is read (no timing: speed lives in the bench).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../src/core/assist/complete';
import { hover } from '../../src/core/assist/hover';
import {
  completionAt,
  DocumentDeclarations,
  hoverAt,
  type LineChange,
  type LineDocument,
} from '../../src/extension/language/lineAssist';

/** A document held as lines, with VS Code's versioning, counting getText and lineAt calls. */
class FakeDocument implements LineDocument {
  readonly uri = { toString: () => 'untitled:big.tcpscn' };
  version = 1;
  getTextCalls = 0;
  lineAtCalls = 0;
  constructor(private lines: string[]) {}
  get lineCount(): number {
    return this.lines.length;
  }
  lineAt(line: number): { text: string } {
    this.lineAtCalls++;
    const text = this.lines[line];
    if (text === undefined) throw new Error(`line ${line} out of range`);
    return { text };
  }
  getText(): string {
    this.getTextCalls++;
    return this.lines.join('\n');
  }
  /** Types `text` at (line, character), as the `type` command does; returns the change event. */
  type(line: number, character: number, text: string): LineChange[] {
    const l = this.lines[line]!;
    const parts = (l.slice(0, character) + text + l.slice(character)).split('\n');
    this.lines.splice(line, 1, ...parts);
    this.version++;
    return [{ range: { start: { line }, end: { line } }, text }];
  }
}

function megabyte(): string[] {
  const lines = [
    'title "A very long file"',
    'endpoint client 10.0.0.1:5000',
    'endpoint server 10.0.0.2:80',
    '0 server listen',
    '0 client connect server',
  ];
  for (let i = 0, size = 0; size < 1 << 20; i++) {
    const line = `${1000 + i}ms expect client ESTABLISHED   # check ${i}: still connected after ${i} ms of quiet`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines;
}

test('typing a statement into a 1 MB document: completion reads O(1) lines per key and the text at most once', () => {
  const doc = new FakeDocument(megabyte());
  const declarations = new DocumentDeclarations();
  const middle = Math.floor(doc.lineCount / 2);
  let line = middle;
  let character = doc.lineAt(middle).text.length;
  const typed = '\n5000ms client send 100';
  let offered: string[] = [];
  doc.lineAtCalls = 0;
  for (const ch of typed) {
    declarations.changed(doc, doc.type(line, character, ch));
    if (ch === '\n') {
      line++;
      character = 0;
    } else character++;
    const before = doc.lineAtCalls;
    const result = completionAt(doc, { line, character }, declarations);
    assert.ok(doc.lineAtCalls - before <= 3, `completion read ${doc.lineAtCalls - before} lines for one key`);
    if (doc.lineAt(line).text === '5000ms ') offered = result.items.map((i) => i.label);
  }
  // The endpoints are offered after a time, as complete() on the whole text offers them.
  assert.ok(offered.includes('client') && offered.includes('server'), `offered: ${offered.join(', ')}`);
  assert.ok(doc.getTextCalls <= 1, `getText called ${doc.getTextCalls} times`);
  // Same items as the whole-text function, at the end.
  const end = { line, character };
  assert.deepEqual(completionAt(doc, end, declarations), complete(doc.getText(), end));
});

test('hover on a 1 MB document reads the hovered line, and an endpoint added by an edit is known at once', () => {
  const doc = new FakeDocument(megabyte());
  const declarations = new DocumentDeclarations();
  const last = doc.lineCount - 1;
  const h = hoverAt(doc, { line: last, character: 14 }, declarations);
  assert.ok(h && /client/.test(h.markdown), h?.markdown);
  declarations.get(doc);
  const reads = doc.getTextCalls;
  assert.equal(reads, 1);
  // A third endpoint declared on line 3 (an edit that adds a line); then used at the end.
  declarations.changed(doc, doc.type(3, 0, 'endpoint proxy 10.0.0.9:8080\n'));
  declarations.changed(
    doc,
    doc.type(doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length, '\n7000ms proxy close'),
  );
  const at = { line: doc.lineCount - 1, character: 9 };
  const proxy = hoverAt(doc, at, declarations);
  assert.ok(proxy && /10\.0\.0\.9:8080/.test(proxy.markdown), proxy?.markdown);
  assert.equal(doc.getTextCalls, reads, 'the edits were applied, not the text read again');
  assert.deepEqual(proxy, hover(doc.getText(), at));
});

test('a skipped version (an event not seen) makes the index start again from the text', () => {
  const doc = new FakeDocument(['endpoint a 10.0.0.1:1', '0 a listen', '']);
  const declarations = new DocumentDeclarations();
  assert.deepEqual(
    declarations.get(doc).endpoints.map((e) => e.name),
    ['a'],
  );
  doc.type(1, 0, 'endpoint b 10.0.0.2:2\n'); // no event delivered
  declarations.changed(doc, doc.type(3, 0, 'x'));
  assert.deepEqual(
    declarations.get(doc).endpoints.map((e) => e.name),
    ['a', 'b'],
  );
});
