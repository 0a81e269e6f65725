// Completion at many cursor positions: what is offered must fit the grammar at that point.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { complete } from '../../src/core/assist/complete';
import { doesNotHang } from './helpers/doesNotHang';
import { ERROR_CODES, FLAGS, HAZARD_KINDS, OPTION_NAMES, TCP_STATES, VERBS } from '../../src/core/types';

// A document like the old-duplicate example: three endpoints (two share an address) and a variant.
const DOC = `title "TIME_WAIT keeps an old duplicate away"
set msl = 2s
endpoint client   10.0.0.1:5000
endpoint server   10.0.0.2:80
endpoint passerby 10.0.0.1:5000   # a new program on the client's old port
0ms     server listen
10ms    client connect server
variant "no TIME_WAIT" time_wait = 0`;

/** Completion labels with the cursor at the end of `line`, appended to the example. */
function labels(line: string, text = DOC): string[] {
  const full = `${text}\n${line}`;
  const lineNo = full.split('\n').length - 1;
  return complete(full, { line: lineNo, character: line.length }).items.map((i) => i.label);
}

test('start of line: statement keywords and time prefixes', () => {
  const got = labels('');
  for (const k of ['title', 'set', 'endpoint', 'link', 'variant', 'on', 'expect', '0ms', '+100ms'])
    assert.ok(got.includes(k), k);
  assert.ok(!got.includes('listen'));
});

test('after a time: endpoints, net, expect', () => {
  assert.deepEqual(labels('0ms '), ['client', 'server', 'passerby', 'net', 'expect']);
});

test('after a time and an endpoint: the verbs', () => {
  assert.deepEqual(labels('0ms client '), [...VERBS]);
});

test('after `connect`: the other endpoints', () => {
  assert.deepEqual(labels('0ms client connect '), ['server', 'passerby']);
});

test('after `on`: endpoints; after `on NAME`: states', () => {
  assert.deepEqual(labels('on '), ['client', 'server', 'passerby']);
  assert.deepEqual(labels('on client '), [...TCP_STATES]);
  const after = labels('on client TIME_WAIT ');
  assert.ok(after.includes('net') && after.includes('expect') && after.includes('server'));
});

test('after `expect NAME`: states and `error`; after `error`: codes', () => {
  assert.deepEqual(labels('expect server '), [...TCP_STATES, 'error']);
  assert.deepEqual(labels('2s expect passerby error '), [...ERROR_CODES]);
  assert.deepEqual(labels('expect '), ['client', 'server', 'passerby', 'hazard', 'no']);
});

test('hazards after `hazard` and `no hazard`', () => {
  assert.deepEqual(labels('expect hazard '), [...HAZARD_KINDS]);
  assert.deepEqual(labels('expect no '), ['hazards', 'hazard']);
  assert.deepEqual(labels('expect no hazard '), [...HAZARD_KINDS]);
});

test('after a complete assertion: `in`; after `in`: variant labels', () => {
  assert.deepEqual(labels('expect no hazards '), ['in']);
  assert.deepEqual(labels('expect client CLOSED in '), ['"default"', '"no TIME_WAIT"']);
  assert.deepEqual(labels('expect client CLOSED in "no'), ['"no TIME_WAIT"']);
});

test('after `set`: options; after `=`: values', () => {
  assert.deepEqual(labels('set '), [...OPTION_NAMES]);
  assert.deepEqual(labels('set msl '), ['=']);
  assert.deepEqual(labels('set rfc1337 = '), ['on', 'off']);
  assert.deepEqual(labels('set challenge_ack = '), ['on', 'off']);
  assert.deepEqual(labels('set isn = '), ['fixed', 'clock']);
  assert.deepEqual(labels('set msl = '), ['30s']);
});

test('in `variant`: options, values, then a comma and more options', () => {
  assert.deepEqual(labels('variant "fast" '), [...OPTION_NAMES]);
  assert.deepEqual(labels('variant "fast" rfc1337 = '), ['on', 'off']);
  assert.deepEqual(labels('variant "fast" rfc1337 = on '), [',']);
  assert.deepEqual(labels('variant "fast" rfc1337 = on, '), [...OPTION_NAMES]);
});

test('after `net`: rule kinds; after `net drop`: directions and `segment`', () => {
  assert.deepEqual(labels('1s net '), ['drop', 'delay', 'duplicate', 'inject']);
  const dirs = labels('net drop ');
  assert.ok(dirs.includes('*') && dirs.includes('client->server') && dirs.includes('segment'), dirs.join(' '));
  assert.ok(!dirs.includes('client->client'));
  assert.ok(!labels('1s net inject ').includes('*'));
});

test('after `A->`: the other endpoints', () => {
  assert.deepEqual(labels('1s net drop client->'), ['server', 'passerby']);
  assert.deepEqual(labels('1s net drop client->se'), ['server']);
});

test('after a direction: match words (with `by` for delay, `after` for duplicate)', () => {
  const drop = labels('1s net drop client->server ');
  assert.deepEqual(drop, [...FLAGS, 'data', 'pure-ack', 'seq=', 'ack=', 'count', 'all']);
  assert.ok(labels('1s net delay * ').includes('by'));
  assert.ok(!labels('1s net delay * ').includes('after'));
  assert.ok(labels('1s net duplicate * SYN ').includes('after'));
  assert.deepEqual(labels('1s net drop client->server FIN ACK seq=5 '), [
    ...FLAGS,
    'data',
    'pure-ack',
    'seq=',
    'ack=',
    'count',
    'all',
  ]);
});

test('after `inject A->B`: flags and fields', () => {
  assert.deepEqual(labels('1s net inject client->server '), [...FLAGS, 'seq=', 'ack=', 'len=']);
});

test('after a number: units', () => {
  assert.deepEqual(labels('100'), ['100ms', '100s', '100min', '100us']);
  assert.deepEqual(labels('+5'), ['+5ms', '+5s', '+5min', '+5us']);
  assert.deepEqual(labels('1.5m'), ['1.5ms', '1.5min']);
  assert.deepEqual(labels('set rto = 2'), ['2ms', '2s', '2min', '2us']);
  assert.deepEqual(labels('1s net delay * by 3'), ['3ms', '3s', '3min', '3us']);
  // Counts and byte numbers take no unit.
  assert.deepEqual(labels('0ms client send 10'), []);
  assert.deepEqual(labels('set mss = 14'), []);
  assert.deepEqual(labels('1s net drop * count 2'), []);
});

test('endpoint declarations: endpoint options; link: endpoints then `latency`', () => {
  assert.deepEqual(labels('endpoint x 10.0.0.9:1 '), ['isn=', 'window=', 'reuse']);
  assert.deepEqual(labels('link client '), ['server', 'passerby']);
  assert.deepEqual(labels('link client server '), ['latency']);
});

test('a prefix filters, in any case and with - or _ for states', () => {
  assert.deepEqual(labels('on client fin-w'), ['FIN_WAIT_1', 'FIN_WAIT_2']);
  assert.deepEqual(labels('on client time'), ['TIME_WAIT']);
  assert.deepEqual(labels('0ms pa'), ['passerby']);
  assert.deepEqual(labels('0ms client con'), ['connect']);
  assert.deepEqual(labels('1s net drop * sy'), ['SYN']);
});

test('the replaced range covers the whole word at the cursor', () => {
  const text = 'endpoint client 10.0.0.1:1\non client TIMExx';
  const r = complete(text, { line: 1, character: 14 });
  assert.deepEqual(
    r.items.map((i) => [i.label, i.replaceStart, i.replaceEnd]),
    [['TIME_WAIT', 10, 16]],
  );
});

test('nothing inside comments, strings, or where nothing can follow', () => {
  assert.deepEqual(labels('0ms client close # then '), []);
  assert.deepEqual(labels('title "Hello '), []);
  assert.deepEqual(labels('0ms client close '), []);
  assert.deepEqual(labels('expect client CLOSED in "default" '), []);
});

test('endpoints are found even when the document does not parse', () => {
  const text = 'endpoint a 1.2.3.4:1\nendpoint b 1.2.3.5:1\n0ms a connect ???\n0ms a connect ';
  assert.deepEqual(
    complete(text, { line: 3, character: 14 }).items.map((i) => i.label),
    ['b'],
  );
});

test('items carry documentation from the knowledge base', () => {
  const full = `${DOC}\non client `;
  const tw = complete(full, { line: full.split('\n').length - 1, character: 10 }).items.find(
    (i) => i.label === 'TIME_WAIT',
  );
  assert.ok(tw?.documentation?.includes('RFC 9293 §3.3.2'));
  assert.ok(tw?.detail);
});

test('completion never throws, on any line and any cursor position', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 200);
  const alphabet = fc.constantFrom(
    ...'on client server net drop -> * expect error in "x" 10ms + = , # 1.2.3.4:5 [::1]:8 \\ TIME_WAIT set msl'.split(
      '',
    ),
  );
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 60 }), fc.nat(70), (chars, at) => {
      const line = chars.join('');
      const text = `endpoint client 1.2.3.4:5\n${line}`;
      const r = complete(text, { line: 1, character: Math.min(at, line.length) });
      for (const item of r.items) assert.ok(item.replaceStart <= item.replaceEnd);
    }),
    { numRuns: runs },
  );
});

// Speed (both in under 2 s of CPU) is a target of the benchmark (bench/hotspots.ts).
test('large documents and long lines: every endpoint offered, no hang', () => {
  const many = Array.from({ length: 3000 }, (_, k) => `endpoint e${k} 10.0.${k >> 8}.${k & 255}:80`).join('\n');
  const dirs = doesNotHang(
    'completion after 3 000 endpoints',
    () => complete(`${many}\n1s net drop `, { line: 3000, character: 12 }).items,
  );
  assert.ok(dirs.length > 3000 && dirs.length < 3100, `${dirs.length} items`);
  const long = `0ms ${'x'.repeat(100_000)} `;
  const r = doesNotHang('completion at the end of a 100 000-character line', () =>
    complete(`${many}\n${long}`, { line: 3000, character: long.length }),
  );
  for (const item of r.items) assert.ok(item.replaceStart <= item.replaceEnd && item.replaceEnd <= long.length);
});

test('a relative time reads as the parser reads it: `+` then a duration, blank or not', () => {
  // Units keep a sign typed against the number and replace both.
  const full = `${DOC}\n+5`;
  const r = complete(full, { line: full.split('\n').length - 1, character: 2 });
  assert.deepEqual(r.items.map((i) => [i.label, i.replaceStart, i.replaceEnd]).slice(0, 1), [['+5ms', 0, 2]]);
  assert.deepEqual(labels('+ 5'), ['5ms', '5s', '5min', '5us']);
  assert.deepEqual(labels('+ 5ms '), ['client', 'server', 'passerby', 'net', 'expect']);
  assert.deepEqual(labels('on client TIME_WAIT +2'), ['+2ms', '+2s', '+2min', '+2us']);
  assert.ok(labels('on client TIME_WAIT +2s ').includes('net'));
});

test('nothing while an address is still being typed, endpoint options after it', () => {
  for (const typed of ['10.0.', '10.0.0.9', '10.0.0.9:']) assert.deepEqual(labels(`endpoint x ${typed}`), [], typed);
  assert.deepEqual(labels('endpoint x 10.0.0.9:1 '), ['isn=', 'window=', 'reuse']);
});
