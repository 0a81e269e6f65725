// AnalysisCache keeps nothing of a closed document: a provider still waiting in getCurrent when
// its document closes asks once more, and an entry made then outlived the document. A new
// untitled document that got the same URI (VS Code reuses `untitled:Untitled-1`) at version 1
// was then answered with the closed one's analysis of a later version (the scheduler returns a
// newer published analysis as is), so its preview showed the old document's title.

import assert from 'node:assert/strict';
import Module from 'node:module';
import { test } from 'node:test';

class Emitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (l: (e: T) => void) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const closed = new Emitter<{ uri: { toString(): string } }>();
const fake = { EventEmitter: Emitter, workspace: { onDidCloseTextDocument: closed.event } };
const M = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = M._load;
M._load = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fake : original.call(this, request, ...rest);
};
const { AnalysisCache } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fake vscode must be installed before this module loads
  require('../../src/extension/analysisCache') as typeof import('../../src/extension/analysisCache');

function doc(title: string, version: number, isClosed = false) {
  const text = `title "${title}"\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n0 b listen\n0 a connect b\n`;
  const lines = text.split('\n');
  return {
    uri: { toString: () => 'untitled:Untitled-1' },
    version,
    isClosed,
    getText: () => text,
    lineCount: lines.length,
    lineAt: (l: number) => ({ range: { end: { line: l, character: lines[l]!.length } } }),
    offsetAt: () => text.length,
  };
}

test(
  'a document asked about after it closed leaves nothing for the next one of its URI',
  { timeout: 60_000 },
  async () => {
    const cache = new AnalysisCache('/no/worker/needed/for/small/documents.js');
    try {
      const old = doc('Renamed while large', 3);
      assert.equal(cache.get(old as never).scenario.title?.value, 'Renamed while large');
      old.isClosed = true;
      closed.fire(old);
      // A provider that waited through the close asks again.
      assert.equal((await cache.getCurrent(old as never)).scenario.title?.value, 'Renamed while large');
      const reused = doc('A very long file', 1);
      assert.equal(cache.get(reused as never).scenario.title?.value, 'A very long file');
      assert.equal((await cache.getCurrent(reused as never)).scenario.title?.value, 'A very long file');
    } finally {
      cache.dispose();
    }
  },
);
