// Hover for each class of word, and the knowledge base covering every word the language has.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ENDPOINT_OPTION_DOCS,
  ERROR_DOCS,
  FLAG_DOCS,
  HAZARD_DOCS,
  KEYWORD_DOCS,
  OPTION_DOCS,
  STATE_DOCS,
  VERB_DOCS,
} from '../../src/core/docs';
import { hover } from '../../src/core/assist/hover';
import { doesNotHang } from './helpers/doesNotHang';
import {
  DEFAULT_OPTIONS,
  ERROR_CODES,
  FLAGS,
  HAZARD_KINDS,
  OPTION_NAMES,
  TCP_STATES,
  VERBS,
} from '../../src/core/types';

const DOC = [
  'title "Hover me"', // 0
  'set msl = 2s', // 1
  'set rfc1337 = on', // 2
  'endpoint client   10.0.0.1:5000 isn=1000', // 3
  'endpoint server   10.0.0.2:80', // 4
  'endpoint passerby 10.0.0.1:5000 reuse', // 5
  '0ms     server listen', // 6
  '+10ms   client connect server', // 7
  'on server listen client send 100', // 8
  'on client time-wait net drop client->server ack', // 9
  '1s net inject server->client RST seq=5 ack=7', // 10
  'variant "no TIME_WAIT" time_wait = 0', // 11
  'expect passerby error EADDRINUSE in "no TIME_WAIT"', // 12
  'expect hazard reset-close in "default" # why', // 13
  'link client server latency 100ms', // 14
  '1s net delay * data by 3s', // 15
].join('\n');

/** The hover Markdown for the first occurrence of `word` on `line` (the cursor inside it). */
function hoverAt(line: number, word: string, occurrence = 0): string {
  const lineText = DOC.split('\n')[line];
  let at = -1;
  for (let k = 0; k <= occurrence; k++) at = lineText.indexOf(word, at + 1);
  assert.ok(at >= 0, `${word} not on line ${line}`);
  const h = hover(DOC, { line, character: at + 1 });
  assert.ok(h, `no hover for ${word} on line ${line}`);
  assert.equal(h.range.start.character, at);
  return h.markdown;
}

test('states: meaning, RFC section, default for TIME_WAIT (any spelling)', () => {
  const tw = hoverAt(9, 'time-wait');
  assert.match(tw, /TIME_WAIT/);
  assert.match(tw, /RFC 9293 §3\.3\.2/);
  assert.match(tw, /2×MSL/);
  assert.match(tw, /30 s/);
  // `listen` after `on server` is the LISTEN state, after an actor the passive OPEN call.
  assert.match(hoverAt(8, 'listen'), /^\*\*LISTEN\*\*/);
  assert.match(hoverAt(6, 'listen'), /passive OPEN/);
  assert.match(hoverAt(6, 'listen'), /§3\.10\.1/);
});

test('verbs cite their RFC 9293 call', () => {
  assert.match(hoverAt(7, 'connect'), /§3\.10\.1/);
  assert.match(hoverAt(8, 'send'), /§3\.10\.2/);
});

test('endpoints: address, port, declaration line, incarnations', () => {
  const c = hoverAt(7, 'client');
  assert.match(c, /10\.0\.0\.1:5000/);
  assert.match(c, /isn=1000/);
  assert.match(c, /line 4/);
  assert.match(c, /passerby/);
  assert.match(hoverAt(5, 'passerby'), /new incarnation of `client`/);
  assert.match(hoverAt(9, 'server'), /10\.0\.0\.2:80/);
});

test('options: meaning and default; option values', () => {
  const msl = hoverAt(1, 'msl');
  assert.match(msl, /maximum segment lifetime/);
  assert.match(msl, /Default: `30s`/);
  assert.match(hoverAt(11, 'time_wait'), /Default: `2\*msl`/);
  assert.match(hoverAt(2, 'rfc1337'), /RFC 1337/);
  assert.match(hoverAt(2, 'on'), /for `rfc1337`/);
  assert.match(hoverAt(1, '2s'), /2000ms/);
});

test('flags, match words and fields', () => {
  assert.match(hoverAt(9, 'ack'), /^\*\*ACK\*\*/);
  assert.match(hoverAt(10, 'RST'), /reset the connection/);
  assert.match(hoverAt(10, 'ack', 0), /acknowledgment number/);
  assert.match(hoverAt(10, 'seq'), /sequence number/);
  assert.match(hoverAt(15, 'data'), /payload/);
  assert.match(hoverAt(15, 'by'), /latency/);
});

test('error codes and hazard kinds', () => {
  assert.match(hoverAt(12, 'EADDRINUSE'), /address already in use/);
  assert.match(hoverAt(13, 'reset-close'), /RST/);
});

test('keywords, endpoint options, times, variants', () => {
  assert.match(hoverAt(14, 'link'), /one-way latency/);
  assert.match(hoverAt(14, 'latency'), /link/);
  assert.match(hoverAt(9, 'net'), /network fault/);
  assert.match(hoverAt(3, 'isn'), /initial sequence number/);
  assert.match(hoverAt(5, 'reuse'), /RFC 6191/);
  assert.match(hoverAt(7, '+10ms'), /10ms after the previous timed line/);
  assert.match(hoverAt(10, '1s'), /at simulated time 1s \(1000ms\)/);
  assert.match(hoverAt(12, '"no TIME_WAIT"'), /time_wait = 0/);
  assert.match(hoverAt(13, '"default"'), /without overrides/);
  assert.match(hoverAt(4, 'endpoint'), /address and port/);
});

test('no hover in comments, strings of titles, or blank space', () => {
  const lines = DOC.split('\n');
  assert.equal(hover(DOC, { line: 13, character: lines[13].indexOf('why') }), null);
  assert.equal(hover(DOC, { line: 0, character: 10 }), null);
  assert.equal(hover(DOC, { line: 99, character: 0 }), null);
});

test('a word on a broken line still explains itself', () => {
  const text = 'endpoint a 1.2.3.4:5\n0ms a ??? CLOSE_WAIT';
  const h = hover(text, { line: 1, character: 12 });
  assert.match(h?.markdown ?? '', /CLOSE_WAIT/);
});

test('the knowledge base documents every state, verb, option, flag, error and hazard', () => {
  const check = (
    list: readonly string[],
    docs: Readonly<Record<string, { name: string; summary: string; detail: string }>>,
    what: string,
  ) => {
    for (const w of list) {
      const d = docs[w];
      assert.ok(d, `${what} ${w} has no docs`);
      assert.equal(d.name, w);
      assert.ok(d.summary.length > 5 && d.detail.length > 20, `${what} ${w} docs too short`);
    }
    assert.equal(Object.keys(docs).length, list.length, `${what}: docs for words the language does not have`);
  };
  check(TCP_STATES, STATE_DOCS, 'state');
  check(VERBS, VERB_DOCS, 'verb');
  check(OPTION_NAMES, OPTION_DOCS, 'option');
  check(FLAGS, FLAG_DOCS, 'flag');
  check(ERROR_CODES, ERROR_DOCS, 'error code');
  check(HAZARD_KINDS, HAZARD_DOCS, 'hazard');
  for (const s of TCP_STATES) assert.match(STATE_DOCS[s].rfc ?? '', /RFC 9293 §3\.3\.2/, s);
  for (const o of OPTION_NAMES) assert.ok(OPTION_DOCS[o].default !== undefined, `option ${o} has no default`);
  for (const k of [
    'title',
    'set',
    'endpoint',
    'link',
    'variant',
    'on',
    'net',
    'expect',
    'in',
    'drop',
    'delay',
    'duplicate',
    'inject',
    'hazard',
    'no',
    'error',
  ]) {
    assert.ok(KEYWORD_DOCS[k], `keyword ${k}`);
  }
  assert.deepEqual(Object.keys(ENDPOINT_OPTION_DOCS).sort(), ['isn', 'reuse', 'window']);
});

test('documented defaults agree with DEFAULT_OPTIONS', () => {
  assert.equal(OPTION_DOCS.msl.default, `${DEFAULT_OPTIONS.msl / 1000}s`);
  assert.equal(OPTION_DOCS.latency.default, `${DEFAULT_OPTIONS.latency}ms`);
  assert.equal(OPTION_DOCS.rto.default, `${DEFAULT_OPTIONS.rto / 1000}s`);
  assert.equal(OPTION_DOCS.max_retries.default, String(DEFAULT_OPTIONS.maxRetries));
  assert.equal(OPTION_DOCS.mss.default, String(DEFAULT_OPTIONS.mss));
  assert.equal(OPTION_DOCS.rfc1337.default, DEFAULT_OPTIONS.rfc1337 ? 'on' : 'off');
  assert.equal(OPTION_DOCS.challenge_ack.default, DEFAULT_OPTIONS.challengeAck ? 'on' : 'off');
  assert.equal(OPTION_DOCS.isn.default, DEFAULT_OPTIONS.isn);
});

// Speed (under 1 s of CPU) is a target of the benchmark (bench/hotspots.ts).
test('hover on a 100 000-character line of a large document: the endpoint explained, no hang', () => {
  const many = Array.from({ length: 3000 }, (_, k) => `endpoint e${k} 10.0.${k >> 8}.${k & 255}:80`).join('\n');
  const long = `0ms e1 send "${'x'.repeat(100_000)}" # ${'y'.repeat(1000)}`;
  const h = doesNotHang('hover on a 100 000-character line', () =>
    hover(`${many}\n${long}`, { line: 3000, character: 5 }),
  );
  assert.match(h?.markdown ?? '', /10\.0\.0\.1:80/);
});

test('the `+` of a relative time or trigger delay explains the whole', () => {
  const text = 'endpoint a 10.0.0.1:1\n+10ms a close\non a LISTEN +2s a close\n+ 5ms a close';
  const at = (line: number, character: number) => hover(text, { line, character });
  for (const ch of [0, 1, 4]) {
    const h = at(1, ch);
    assert.match(h?.markdown ?? '', /^\*\*\+10ms\*\* — 10ms after the previous timed line/, String(ch));
    assert.deepEqual([h?.range.start.character, h?.range.end.character], [0, 5]);
  }
  const d = at(2, 12);
  assert.match(d?.markdown ?? '', /^\*\*\+2s\*\* = 2000ms/);
  assert.deepEqual([d?.range.start.character, d?.range.end.character], [12, 15]);
  assert.match(at(3, 3)?.markdown ?? '', /^\*\*\+ 5ms\*\* — 5ms after/);
});

test('a half-typed address is not explained yet', () => {
  assert.equal(hover('endpoint a 10.0.0.', { line: 0, character: 13 }), null);
  assert.match(hover('endpoint a 10.0.0.1:80', { line: 0, character: 13 })?.markdown ?? '', /address and port/);
});
