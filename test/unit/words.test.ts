// The words a user reads are exact (issue 11): a call refused by the connection's state says
// RFC 9293 3.10's error text, a window note has no "Infinity", connections are named by their
// endpoints rather than a run-wide TCB number.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/core/index';
import { errorLine, renderSequence, renderText, renderTimeline, windowSpan } from '../../src/core/render';
import { summarizeRun } from '../../src/extension/run/report';
import { buildUpdate } from '../../src/extension/preview/payload';
import { isToWebview } from '../../src/protocol';
import { BASE, EPS, traceOf } from './simBuild';

const T = { timeout: 60_000 };

test('send after close: ENOTCONN told as RFC 9293 3.10.2 "connection closing", not as having no connection', T, () => {
  const t = traceOf(`${BASE}100ms client close\n200ms client send 10\n`);
  assert.equal(t.errors.length, 1);
  assert.equal(t.errors[0].response, 'connection closing');
  const line = errorLine(t.errors[0]);
  assert.match(line, /RFC 9293 3\.10\.2: "connection closing"/);
  assert.doesNotMatch(line, /has none/);
  const text = renderText(t);
  assert.match(
    text,
    /client: error ENOTCONN on send at 200ms\. Why: this endpoint has already closed its sending side/,
  );
  assert.doesNotMatch(text, /has none/);
  assert.match(renderSequence(t).text, /connection closing/);
});

// Every call a state refuses, with the response RFC 9293 3.10 gives for it.
const REFUSED: Array<{ name: string; text: string; call: string; response: string; section: string }> = [
  {
    name: 'send in CLOSED',
    text: `${EPS}0ms client send 10\n`,
    call: 'send',
    response: 'connection does not exist',
    section: '3.10.2',
  },
  {
    name: 'send on a listener',
    text: `${EPS}0ms server listen\n10ms server send 10\n`,
    call: 'send',
    response: 'foreign socket unspecified',
    section: '3.10.2',
  },
  {
    name: 'send in FIN_WAIT_2',
    text: `${BASE}100ms client close\n300ms client send 10\n`,
    call: 'send',
    response: 'connection closing',
    section: '3.10.2',
  },
  {
    name: 'send in LAST_ACK',
    text: `${BASE}100ms client close\n105ms net drop client->server ACK\non server CLOSE_WAIT server close\n300ms server send 10\n`,
    call: 'send',
    response: 'connection closing',
    section: '3.10.2',
  },
  {
    name: 'send in TIME_WAIT',
    text: `${BASE}100ms client close\non server CLOSE_WAIT server close\n300ms client send 10\n`,
    call: 'send',
    response: 'connection closing',
    section: '3.10.2',
  },
  {
    name: 'send after a close in SYN_RECEIVED that waits for ESTABLISHED',
    text: `${EPS}0ms server listen\n0ms client connect server\n0ms net drop client->server pure-ack\n10ms client send 5\n15ms server send 5\n15ms server close\n16ms server send 5\n`,
    call: 'send',
    response: 'connection closing',
    section: '3.10.2',
  },
  {
    name: 'close in CLOSED',
    text: `${EPS}0ms client close\n`,
    call: 'close',
    response: 'connection does not exist',
    section: '3.10.4',
  },
  {
    name: 'shutdown in CLOSED',
    text: `${EPS}0ms client shutdown\n`,
    call: 'shutdown',
    response: 'connection does not exist',
    section: '3.10.4',
  },
  {
    name: 'abort in CLOSED',
    text: `${EPS}0ms client abort\n`,
    call: 'abort',
    response: 'connection does not exist',
    section: '3.10.5',
  },
  {
    name: 'a second connect',
    text: `${BASE}50ms client connect server\n`,
    call: 'connect',
    response: 'connection already exists',
    section: '3.10.1',
  },
  {
    name: 'a second listen',
    text: `${BASE}60ms server listen\n`,
    call: 'listen',
    response: 'connection already exists',
    section: '3.10.1',
  },
];

for (const r of REFUSED) {
  test(`${r.name}: the error carries RFC 9293 ${r.section}'s "${r.response}"`, T, () => {
    const t = traceOf(r.text);
    const mine = t.errors.filter((e) => e.call === r.call && e.line !== null);
    assert.equal(mine.length, 1, JSON.stringify(t.errors));
    assert.equal(mine[0].response, r.response);
    assert.ok(errorLine(mine[0]).endsWith(`(RFC 9293 ${r.section}: "${r.response}").`), errorLine(mine[0]));
  });
}

test('errors a segment or a timer caused carry no call response and keep their own meaning', T, () => {
  const t = traceOf(`${EPS}0ms client connect server\n`);
  assert.deepEqual(
    t.errors.map((e) => [e.code, e.response]),
    [['ECONNREFUSED', undefined]],
  );
  assert.match(errorLine(t.errors[0]), /nothing listens on that port/);
});

test('a window note says "from the start" and "to the end", never Infinity', T, () => {
  assert.equal(windowSpan({ fromT: -Infinity, toT: 260 }), 'from the start to 260ms');
  assert.equal(windowSpan({ fromT: 12120, toT: Infinity }), '12.12s to the end');
  assert.equal(windowSpan({ fromT: -Infinity, toT: Infinity }), 'the whole run');
  assert.equal(windowSpan({ fromT: 5, toT: 7 }), '5ms to 7ms');
  // A trace of many segments, drawn in its first and last windows.
  let text = `set mss = 10\n${BASE}`;
  for (let i = 0; i < 30; i++) text += `${100 + i * 10}ms client send 10\n`;
  const t = traceOf(text);
  assert.ok(t.segments.length > 40, `${t.segments.length} segments`);
  const first = renderSequence(t, { fromSegment: 1, toSegment: 10 }).text;
  const last = renderSequence(t, { fromSegment: t.segments.length - 9, toSegment: t.segments.length }).text;
  assert.match(first, /\(from the start to [0-9.]+m?s\)/);
  assert.match(last, /\([0-9.]+m?s to the end\)/);
  for (const s of [first, last]) assert.doesNotMatch(s, /infinity/i);
});

test('connections are named by their endpoints, not by a bare TCB number', T, () => {
  // The client aborts and connects again: a second TCB on each side, between the same two.
  const t = traceOf(`${BASE}100ms client abort\n200ms client connect server\n`);
  assert.equal(new Set(t.transitions.map((x) => x.tcb)).size, 5, 'listener, two client and two server TCBs');
  const text = renderText(t);
  assert.doesNotMatch(text, /TCB \d/);
  assert.match(text, /server listener: CLOSED -> LISTEN/);
  assert.match(text, /client to server: CLOSED -> SYN_SENT/);
  assert.match(text, /client to server, connection 2: CLOSED -> SYN_SENT/);
  assert.match(text, /server to client, connection 2: LISTEN -> SYN_RECEIVED/);
  const seq = renderSequence(t).text;
  assert.doesNotMatch(seq, /TCB \d/);
  assert.match(seq, /SYN_SENT \(client to server, connection 2\)/);
});

test('"Run TCP scenario" reports each expectation once, with every variant', T, () => {
  const text =
    `${EPS}variant "late" latency = 20ms\n0ms server listen\n0ms client connect server\n` +
    `100ms client close\n200ms client send 10\nexpect client error ENOTCONN\n150ms expect client FIN_WAIT_2\n`;
  const a = analyze(text);
  assert.equal(a.hasErrors, false, a.diagnostics.map((d) => d.message).join('; '));
  assert.equal(a.runs.length, 2);
  const s = summarizeRun('a.tcpscn', a);
  for (const line of [9, 10]) {
    const mentions = s.report
      .split('\n')
      .filter((l) => new RegExp(`^\\s*(PASS|FAIL)\\b.*\\b(line |a\\.tcpscn:)${line}\\b`).test(l));
    assert.equal(mentions.length, 2, `line ${line}: once per variant, got:\n${mentions.join('\n')}`);
  }
  assert.equal(s.passed, 4);
  // The command line's text trace still lists them (it has no report of its own).
  assert.match(renderText(a.runs[0]), /expectations:\n {2}PASS line 9: expect client error ENOTCONN/);
});

test('an error that an `expect ... error` asked for is shown as expected, not as a failure', T, () => {
  const t = traceOf(
    `${BASE}100ms client close\n200ms client send 10\n300ms client send 10\nexpect client error ENOTCONN\n`,
  );
  assert.deepEqual(
    t.errors.map((e) => e.expectedBy),
    [9, 9],
  );
  assert.match(errorLine(t.errors[0]), /^expected error ENOTCONN on send at 200ms \(as line 9 expects\)/);
  const seq = renderSequence(t).text;
  assert.doesNotMatch(seq, /rgba\(220, 38, 38/, 'no red error box');
  assert.match(seq, /#10003; client#58; expected error ENOTCONN/);
  assert.match(renderText(t), /errors: 2 expected\n/);
  assert.match(renderTimeline(t), /✓ client ENOTCONN 200ms \(expected\)/);
  // An error nobody asked for stays an error, beside an expected one.
  const u = traceOf(
    `${BASE}100ms client close\n200ms client send 10\n300ms server listen\nexpect client error ENOTCONN\n`,
  );
  assert.deepEqual(
    u.errors.map((e) => [e.code, e.expectedBy]),
    [
      ['ENOTCONN', 9],
      ['EINVAL', undefined],
    ],
  );
  assert.match(renderText(u), /errors: 1 unexpected, 1 expected\n/);
  assert.match(renderSequence(u).text, /server#58; error EINVAL on listen/);
  // A failed expectation marks nothing.
  const v = traceOf(`${BASE}200ms client send 10\nexpect client error ECONNRESET\n`);
  assert.equal(v.errors.length, 0);
  const w = traceOf(`${BASE}100ms client close\n200ms client send 10\nexpect client error ECONNRESET\n`);
  assert.deepEqual(
    w.errors.map((e) => e.expectedBy),
    [undefined],
  );
});

test('the preview gets which errors were expected and the RFC words, and its message guard accepts them', T, () => {
  const a = analyze(
    `${BASE}100ms client close\n200ms client send 10\n300ms server listen\nexpect client error ENOTCONN\n`,
  );
  const m = buildUpdate(a, { uri: 'file:///a.tcpscn', fileName: 'a.tcpscn', version: 1, locked: false });
  assert.ok(isToWebview(m));
  if (m.type !== 'update') return assert.fail(m.type);
  assert.deepEqual(
    m.variants[0].errors.map((e) => [e.code, e.response, e.expectedBy]),
    [
      ['ENOTCONN', 'connection closing', 9],
      ['EINVAL', 'connection already exists', undefined],
    ],
  );
  assert.equal(
    isToWebview({ ...m, variants: [{ ...m.variants[0], errors: [{ ...m.variants[0].errors[0], expectedBy: 'x' }] }] }),
    false,
  );
});
