import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doesNotHang } from './helpers/doesNotHang';
import { LONG_LEX_LINES } from '../fixtures/bigInputs';
import { durationMs, isIpv6, lexDocument, lexLine, splitLines, tokenAt, type Token } from '../../src/core/lexer';

const kinds = (tokens: Token[]): string[] => tokens.map((t) => t.kind);
const texts = (tokens: Token[]): string[] => tokens.map((t) => t.text);

describe('lexLine', () => {
  it('lexes an event line with times, words and a comment', () => {
    const t = lexLine('300ms   net delay server->client data by 3s   # the reply lingers', 7);
    assert.deepEqual(kinds(t), [
      'duration',
      'word',
      'word',
      'word',
      'arrow',
      'word',
      'word',
      'word',
      'duration',
      'comment',
    ]);
    assert.deepEqual(texts(t).slice(0, 6), ['300ms', 'net', 'delay', 'server', '->', 'client']);
    assert.equal(t[0]!.value, 300);
    assert.equal(t[0]!.unit, 'ms');
    assert.equal(t[8]!.value, 3000);
    assert.deepEqual(t[3]!.range, { start: { line: 7, character: 18 }, end: { line: 7, character: 24 } });
    assert.equal(t[9]!.text, '# the reply lingers');
  });

  it('splits `A->B` and `A -> B` alike, and keeps hyphens inside names', () => {
    assert.deepEqual(texts(lexLine('fin-wait-1 a->b a -> b pure-ack a-->b', 0)), [
      'fin-wait-1',
      'a',
      '->',
      'b',
      'a',
      '->',
      'b',
      'pure-ack',
      'a-',
      '->',
      'b',
    ]);
  });

  it('reads durations in every unit, exactly', () => {
    const v = (s: string) => lexLine(s, 0)[0]!;
    assert.equal(v('250ms').value, 250);
    assert.equal(v('1.5s').value, 1500);
    assert.equal(v('0.1s').value, 100);
    assert.equal(v('2min').value, 120000);
    assert.equal(v('10us').value, 0.01);
    assert.equal(v('0.3s').value, 300);
    assert.equal(durationMs('1.001', 's'), 1001);
    assert.equal(v('0').kind, 'number');
    assert.equal(v('0').value, 0);
  });

  it('reports unknown units and malformed numbers, with a suggestion', () => {
    const m = lexLine('5m', 0)[0]!;
    assert.equal(m.kind, 'duration');
    assert.equal(m.errorCode, 'invalid-duration');
    assert.match(m.error!, /did you mean `5min`/);
    assert.match(lexLine('3sec', 0)[0]!.error!, /`3s`/);
    assert.equal(lexLine('1.', 0)[0]!.errorCode, 'invalid-number');
    assert.equal(lexLine('1.2.3', 0)[0]!.errorCode, 'invalid-address');
    assert.equal(lexLine('12x3', 0)[0]!.errorCode, 'invalid-number');
  });

  it('reads IPv4 and IPv6 addresses with ports', () => {
    const a = lexLine('10.0.0.1:5000', 0)[0]!;
    assert.deepEqual([a.kind, a.value, a.port, a.error], ['address', '10.0.0.1', 5000, undefined]);
    const b = lexLine('[fd00::1]:80', 0)[0]!;
    assert.deepEqual([b.kind, b.value, b.port, b.error], ['address', 'fd00::1', 80, undefined]);
    const c = lexLine('10.0.0.1', 0)[0]!;
    assert.deepEqual([c.kind, c.port, c.error], ['address', null, undefined]);
    assert.equal(lexLine('10.0.0.256:80', 0)[0]!.errorCode, 'invalid-address');
    assert.equal(lexLine('[fd00::1:80', 0)[0]!.errorCode, 'invalid-address');
    assert.equal(lexLine('[fd00:::1]:80', 0)[0]!.errorCode, 'invalid-address');
    assert.equal(lexLine('10.0.0.1:http', 0)[0]!.errorCode, 'invalid-address');
    assert.ok(isIpv6('::1') && isIpv6('1:2:3:4:5:6:7:8') && isIpv6('::ffff:10.0.0.1') && isIpv6('fe80::'));
    assert.ok(!isIpv6('1:2:3:4:5:6:7:8:9') && !isIpv6('g::1') && !isIpv6('1::2::3') && !isIpv6(''));
  });

  it('reads strings with \\" and \\\\ escapes, and # inside a string is not a comment', () => {
    const t = lexLine('title "a \\"quoted\\" # not a comment \\\\ end" # comment', 0);
    assert.deepEqual(kinds(t), ['word', 'string', 'comment']);
    assert.equal(t[1]!.value, 'a "quoted" # not a comment \\ end');
    assert.equal(t[1]!.error, undefined);
  });

  it('reports an unterminated string and an unknown escape', () => {
    const u = lexLine('title "abc # no end', 0);
    assert.equal(u.length, 2);
    assert.equal(u[1]!.errorCode, 'unterminated-string');
    assert.equal(u[1]!.range.end.character, 19);
    assert.equal(lexLine('"a\\nb"', 0)[0]!.errorCode, 'invalid-escape');
    assert.equal(lexLine('"ab\\', 0)[0]!.errorCode, 'unterminated-string');
  });

  it('reads half-typed lines the way editor assistance needs them', () => {
    // Completion and hover (src/core/assist) read these tokens while a line is being typed.
    const open = lexLine('expect a CLOSED in "no TI', 0)[4]!;
    assert.deepEqual(
      [open.kind, open.value, open.errorCode, open.range.end.character],
      ['string', 'no TI', 'unterminated-string', 25],
    );
    const dir = lexLine('1s net drop client-', 0);
    assert.deepEqual([dir[3]!.kind, dir[3]!.text], ['word', 'client-']);
    // A lone `+`, and a `+` written against a number: two tokens that touch.
    assert.deepEqual(kinds(lexLine('+', 0)), ['plus']);
    const [sign, five] = lexLine('+5', 0);
    assert.deepEqual(
      [sign!.kind, five!.kind, sign!.range.end.character, five!.range.start.character],
      ['plus', 'number', 1, 1],
    );
    // An IPv4 address before its `:PORT` is an address without a port.
    for (const typed of ['10.0.', '10.0.0.1', '10.0.0.1:']) {
      const t = lexLine(typed, 0)[0]!;
      assert.deepEqual([t.kind, t.port], ['address', null], typed);
    }
  });

  it('lexes single-character tokens', () => {
    assert.deepEqual(kinds(lexLine('= , + * ->', 0)), ['equals', 'comma', 'plus', 'star', 'arrow']);
    assert.deepEqual(kinds(lexLine('+100ms', 0)), ['plus', 'duration']);
    assert.deepEqual(kinds(lexLine('isn=5', 0)), ['word', 'equals', 'number']);
  });

  it('groups stray characters into one invalid token and counts columns in UTF-16 units', () => {
    const t = lexLine('a 😀😀 b \u0000 -5 .5', 3);
    assert.deepEqual(kinds(t), ['word', 'invalid', 'word', 'invalid', 'invalid', 'number', 'invalid', 'number']);
    assert.deepEqual(t[1]!.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 6 } });
    assert.equal(t[2]!.range.start.character, 7);
    assert.match(t[3]!.error!, /U\+0000/);
    assert.match(t[4]!.error!, /never negative/);
    assert.match(t[6]!.error!, /leading zero/);
  });

  it('ignores a trailing \\r and splits \\n and \\r\\n lines', () => {
    assert.deepEqual(splitLines('a\r\nb\nc\r'), ['a', 'b', 'c']);
    assert.deepEqual(splitLines(''), ['']);
    const t = lexLine('0ms a listen\r', 0);
    assert.equal(t.length, 3);
    assert.equal(t[2]!.range.end.character, 12);
    // a lone \r inside a line is a stray character, not a line break
    assert.equal(lexLine('a\rb', 0)[1]!.kind, 'invalid');
  });

  // Its speed is a target of the benchmark (bench/hotspots.ts); here: right ranges, and no hang.
  it('lexes a 100 000-character line with every range inside it (does not hang)', () => {
    for (const l of LONG_LEX_LINES) {
      const tokens = doesNotHang(`lexing ${l.slice(0, 10)}`, () => lexLine(l, 0));
      assert.ok(tokens.length > 0);
      for (const t of tokens)
        assert.ok(
          t.range.start.character >= 0 &&
            t.range.end.character <= l.length &&
            t.range.start.character < t.range.end.character,
        );
    }
  });

  it('tokenAt finds the token under a cursor, and lexDocument lexes every line', () => {
    const t = lexLine('0ms a->b  x', 0);
    assert.equal(tokenAt(t, 0)?.text, '0ms');
    assert.equal(tokenAt(t, 3)?.text, '0ms');
    assert.equal(tokenAt(t, 5)?.text, '->');
    assert.equal(tokenAt(t, 8)?.text, 'b');
    assert.equal(tokenAt(t, 9), undefined);
    assert.equal(tokenAt(t, 11)?.text, 'x');
    const doc = lexDocument('a\r\n\nb c');
    assert.deepEqual(
      doc.map((l) => l.map((k) => k.text)),
      [['a'], [], ['b', 'c']],
    );
    assert.equal(doc[2]![1]!.range.start.line, 2);
  });

  it('skips a byte order mark and explains look-alike characters', () => {
    assert.deepEqual(kinds(lexLine('\ufefftitle "x"', 0)), ['word', 'string']);
    assert.equal(lexLine('\ufefftitle', 0)[0]!.range.start.character, 1);
    assert.match(lexLine('0ms\u00a0a', 0)[1]!.error!, /U\+00A0 \(a non-breaking space/);
    assert.match(lexLine('title \u201cx\u201d', 0)[1]!.error!, /typographic quote/);
  });
});
