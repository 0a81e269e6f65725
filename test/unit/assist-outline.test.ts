// The outline of the shared examples, built from the parser's AST.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_OUTLINE_SYMBOLS, outline, outlineHead, type OutlineSymbol } from '../../src/core/assist/outline';
import { formatDuration } from '../../src/core/duration';
import { parse } from '../../src/core/parser';

const TEXT = `# The textbook life of a connection
title "Handshake, data and close"

set msl = 1s
set latency = 20ms

endpoint client 192.168.1.10:49152 isn=1000
endpoint server [fd00::2]:443
link client server latency 30ms

0ms    server listen
0ms    client connect server
100ms  client send 200
on server CLOSE_WAIT +10ms server close
on client TIME_WAIT net drop client->server ACK   # the final ACK
variant "no TIME_WAIT" time_wait = 0, rto = 2s
50ms   expect client ESTABLISHED
expect client CLOSED
expect no hazards in "default"
`;

function contains(outer: OutlineSymbol['range'], inner: OutlineSymbol['range']): boolean {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

test('outline: title, options, endpoints, links, variants, then events grouped by when', () => {
  const parsed = parse(TEXT);
  assert.deepEqual(
    parsed.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const symbols = outline(parsed.scenario, TEXT);
  assert.deepEqual(
    symbols.map((s) => [s.kind, s.name]),
    [
      ['title', 'Handshake, data and close'],
      ['options', 'options'],
      ['endpoint', 'client'],
      ['endpoint', 'server'],
      ['link', 'client ↔ server'],
      ['variant', 'variant "no TIME_WAIT"'],
      ['when', 'at 0ms'],
      ['when', 'at 100ms'],
      ['when', 'on server CLOSE_WAIT +10ms'],
      ['when', 'on client TIME_WAIT'],
      ['when', 'at 50ms'],
      ['when', 'at the end of the run'],
    ],
  );
  const byName = new Map(symbols.map((s) => [s.name, s]));
  assert.deepEqual(
    byName.get('options')?.children.map((c) => `${c.name}=${c.detail}`),
    ['msl=1s', 'latency=20ms'],
  );
  assert.equal(byName.get('client')?.detail, '192.168.1.10:49152 isn=1000');
  assert.equal(byName.get('server')?.detail, '[fd00::2]:443');
  assert.match(byName.get('variant "no TIME_WAIT"')?.detail ?? '', /time_wait = 0, rto = 2s/);
  assert.deepEqual(
    byName.get('at 0ms')?.children.map((c) => c.name),
    ['server listen', 'client connect server'],
  );
  assert.deepEqual(
    byName.get('on client TIME_WAIT')?.children.map((c) => c.name),
    ['net drop client->server ACK'],
  );
  assert.deepEqual(
    byName.get('at the end of the run')?.children.map((c) => c.name),
    ['expect client CLOSED', 'expect no hazards in "default"'],
  );

  // Ranges come from the AST: lines match the source, and every selection lies in its range.
  assert.equal(byName.get('client')?.range.start.line, 6);
  assert.equal(byName.get('at 100ms')?.range.start.line, 12);
  const walk = (s: OutlineSymbol): void => {
    assert.ok(contains(s.range, s.selectionRange), `${s.name}: selection outside range`);
    for (const c of s.children) {
      assert.ok(contains(s.range, c.range), `${c.name} outside ${s.name}`);
      walk(c);
    }
  };
  symbols.forEach(walk);
});

test('outline of an empty or broken document does not throw', () => {
  assert.deepEqual(outline(parse('').scenario, ''), []);
  const broken = 'endpoint a\n0ms a connect\nset = 3\n';
  assert.ok(Array.isArray(outline(parse(broken).scenario, broken)));
});

test('times are written as the language writes them', () => {
  assert.equal(formatDuration(0), '0ms');
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(120_000), '120s');
  assert.equal(formatDuration(0.5), '0.5ms');
});

/** Symbols in all, children included. */
const count = (symbols: OutlineSymbol[]): number => symbols.reduce((n, s) => n + 1 + count(s.children), 0);

test('outlineHead: the whole outline when it is small, its first MAX symbols in file order when not', () => {
  assert.deepEqual(outlineHead(parse(TEXT).scenario, TEXT), outline(parse(TEXT).scenario, TEXT));
  // 3 000 expects at different times (one group each) and a second endpoint's line among them.
  const lines = ['title "long"', 'endpoint a 10.0.0.1:1', 'endpoint b 10.0.0.2:2', '0 b listen', '0 a connect b'];
  for (let i = 0; i < 3000; i++) lines.push(`${i + 1}ms expect a ESTABLISHED   # ${i}`);
  const text = lines.join('\n');
  const scenario = parse(text).scenario;
  const head = outlineHead(scenario, text);
  assert.equal(count(head), MAX_OUTLINE_SYMBOLS);
  // The same symbols as the whole outline's, in the same order, as far as they go.
  const whole = outline(scenario, text);
  const flat = (symbols: OutlineSymbol[]): OutlineSymbol[] =>
    symbols.flatMap((s) => [{ ...s, children: [] }, ...flat(s.children)]);
  assert.deepEqual(flat(head), flat(whole).slice(0, MAX_OUTLINE_SYMBOLS));
  // A smaller cap, and a text that ends without a line break after the last event read.
  const small = outlineHead(scenario, text, 7);
  assert.equal(count(small), 7);
  assert.deepEqual(flat(small), flat(whole).slice(0, 7));
});
