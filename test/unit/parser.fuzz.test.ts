// Property tests of the lexer and parser. Runs: FUZZ_RUNS (default 200; `npm run fuzz` uses
// 20 000). Any text at all: no throw, every range inside the text, a statement with an error
// never kept. Valid generated scenarios: no diagnostic, and the AST says what the text says.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Scenario } from '../../src/core/ast';
import { lexLine, splitLines } from '../../src/core/lexer';
import { parse } from '../../src/core/parser';
import type { Range } from '../../src/core/types';
import { arbitraryScenario } from './gen';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200) || 200;

const FRAGMENTS = [
  'title',
  'set',
  'endpoint',
  'link',
  'variant',
  'on',
  'net',
  'expect',
  'in',
  'latency',
  'hazard',
  'hazards',
  'no',
  'error',
  'listen',
  'connect',
  'send',
  'close',
  'shutdown',
  'abort',
  'Listen',
  'CONNECT',
  'drop',
  'delay',
  'duplicate',
  'inject',
  'segment',
  'by',
  'after',
  'count',
  'all',
  'data',
  'pure-ack',
  'seq=',
  'ack=',
  'len=',
  'SYN',
  'ack',
  'Fin',
  'rst',
  'psh',
  'ESTABLISHED',
  'fin-wait-1',
  'Time_Wait',
  'LISTEN',
  'closed',
  'SYN_RCVD',
  'EADDRINUSE',
  'ECONNRESET',
  'old-duplicate',
  'reset-close',
  'time-wait-assassination',
  'msl',
  'time_wait',
  'rto',
  'mss',
  'max_retries',
  'rfc1337',
  'isn',
  'clock',
  'fixed',
  'window=',
  'reuse',
  'isn=',
  '=',
  'client',
  'server',
  'passerby',
  'x',
  'a-',
  '_',
  '0',
  '1',
  '250',
  '4294967295',
  '4294967296',
  '99999999999999999999',
  '1.5',
  '1.',
  '.5',
  '-1',
  '250ms',
  '1.5s',
  '2min',
  '10us',
  '5m',
  '0.1s',
  '+100ms',
  '+',
  '+0',
  '10.0.0.1:5000',
  '10.0.0.1',
  '10.0.0.256:1',
  '1.2.3',
  '[fd00::1]:80',
  '[fd00::1',
  '[::]:0',
  ':',
  '"',
  '"text"',
  '"a\\"b"',
  '"\\\\"',
  '"\\n"',
  '"unterminated',
  '#',
  '# comment',
  '->',
  '-',
  '>',
  '*',
  ',',
  '[',
  ']',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\ufeff',
  '\u200f',
  '\u202e',
  '\u2066',
  'é',
  'ש',
  'ع',
  '😀',
  '\ud800',
  '\udc00',
  '中文',
  '\uffff',
];

const hostileText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
    ),
    { maxLength: 80 },
  )
  .chain((parts) =>
    fc
      .array(fc.constantFrom('', ' ', ' ', '\n'), { minLength: parts.length, maxLength: parts.length })
      .map((seps) => parts.map((p, i) => p + seps[i]).join('')),
  );

function linesOf(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function assertInside(lines: string[], r: Range, what: string): void {
  assert.ok(r.start.line >= 0 && r.start.line < lines.length, `${what}: line ${r.start.line} of ${lines.length}`);
  assert.ok(r.end.line >= r.start.line && r.end.line < lines.length, `${what}: end line`);
  assert.ok(r.start.character >= 0 && r.start.character <= lines[r.start.line]!.length, `${what}: start column`);
  assert.ok(r.end.character >= 0 && r.end.character <= lines[r.end.line]!.length, `${what}: end column`);
  if (r.start.line === r.end.line) assert.ok(r.start.character <= r.end.character, `${what}: ordered`);
}

/** Every range anywhere in the scenario (statement, names, values). */
function* rangesOf(value: unknown, path = 'scenario'): Generator<[Range, string]> {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* rangesOf(value[i], `${path}[${i}]`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'range') yield [v as Range, path];
    else yield* rangesOf(v, `${path}.${k}`);
  }
}

function checkInvariants(text: string): ReturnType<typeof parse> {
  const result = parse(text);
  const lines = linesOf(text);
  assert.equal(result.scenario.lineCount, lines.length);
  for (const d of result.diagnostics) {
    assertInside(lines, d.range, `diagnostic ${d.code}`);
    assert.match(d.code, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(d.message.length > 0);
  }
  for (const [r, path] of rangesOf(result.scenario)) assertInside(lines, r, path);
  // Diagnostics come in reading order.
  for (let i = 1; i < result.diagnostics.length; i++) {
    const a = result.diagnostics[i - 1]!.range.start;
    const b = result.diagnostics[i]!.range.start;
    assert.ok(a.line < b.line || (a.line === b.line && a.character <= b.character), 'sorted');
  }
  // A statement with an error is left out: no kept statement sits on a line with an error.
  const errorLines = new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.range.start.line));
  for (const s of result.scenario.statements)
    assert.ok(!errorLines.has(s.range.start.line), `kept a faulty statement on line ${s.range.start.line}`);
  // Event ids are their index; statements are in file order.
  result.scenario.events.forEach((e, i) => assert.equal(e.id, i));
  for (let i = 1; i < result.scenario.statements.length; i++) {
    assert.ok(result.scenario.statements[i - 1]!.range.start.line < result.scenario.statements[i]!.range.start.line);
  }
  return result;
}

/** The scenario without source positions, to compare two spellings of one scenario. */
function shape(s: Scenario): string {
  return JSON.stringify(s, (k, v) => (k === 'range' ? undefined : v));
}

describe('parser properties', () => {
  it('any text: never throws, every range inside the text, faulty statements left out', () => {
    fc.assert(
      fc.property(hostileText, (text) => void checkInvariants(text)),
      { numRuns: RUNS },
    );
  });

  it('any unicode string: the same', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void checkInvariants(text)),
      { numRuns: RUNS },
    );
  });

  it('lexLine: tokens are ordered slices of the line separated only by blanks', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        for (const [n, line] of splitLines(text).entries()) {
          let at = 0;
          for (const t of lexLine(line, n)) {
            assert.equal(t.range.start.line, n);
            assert.ok(t.range.start.character >= at && t.range.end.character > t.range.start.character);
            assert.match(line.slice(at, t.range.start.character), /^[ \t\ufeff]*$/);
            assert.equal(line.slice(t.range.start.character, t.range.end.character), t.text);
            at = t.range.end.character;
          }
          assert.match(line.slice(at), /^[ \t\r\ufeff]*$/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('valid generated scenarios parse with no diagnostic, and the AST matches', () => {
    fc.assert(
      fc.property(arbitraryScenario, (g) => {
        const { scenario, diagnostics } = checkInvariants(g.text);
        assert.deepEqual(diagnostics, [], g.text);
        assert.deepEqual(
          scenario.endpoints.map((e) => e.name.value),
          g.endpoints,
        );
        assert.deepEqual(
          scenario.variants.map((v) => v.label.value),
          g.variants,
        );
        assert.equal(scenario.events.length, g.eventCount);
        assert.equal(scenario.title !== null, g.hasTitle);
        for (const e of scenario.events)
          if (e.when.kind === 'at') assert.ok(Number.isFinite(e.when.t) && e.when.t >= 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('a valid scenario means the same with CRLF, with trailing comments, and with doubled blanks', () => {
    fc.assert(
      fc.property(arbitraryScenario, (g) => {
        const base = shape(parse(g.text).scenario);
        assert.equal(shape(parse(g.text.replace(/\r?\n/g, '\r\n')).scenario), base);
        assert.equal(shape(parse(g.text.replace(/\r?\n/g, ' # more\n')).scenario), base);
        // Doubling the blanks between tokens (outside strings) changes no value.
        const doubled = linesOf(g.text)
          .map((l, n) =>
            lexLine(l, n)
              .map((t) => t.text)
              .join('  '),
          )
          .join('\n');
        const d = parse(doubled);
        assert.deepEqual(d.diagnostics, []);
        assert.equal(shape(d.scenario), base);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 2)) },
    );
  });

  it('a valid scenario with random edits: never throws, ranges inside', () => {
    const edited = arbitraryScenario.chain((g) =>
      fc
        .array(fc.tuple(fc.nat(g.text.length), fc.nat(3), fc.constantFrom(...FRAGMENTS)), {
          minLength: 1,
          maxLength: 5,
        })
        .map((edits) => {
          let t = g.text;
          for (const [at, del, ins] of edits) {
            const p = Math.min(at, t.length);
            t = t.slice(0, p) + ins + t.slice(p + del);
          }
          return t;
        }),
    );
    fc.assert(
      fc.property(edited, (text) => void checkInvariants(text)),
      { numRuns: RUNS },
    );
  });
});
