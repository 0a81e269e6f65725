// `set syn_retries`: how many times an unanswered SYN of an active open is retransmitted
// before connect() fails with ETIMEDOUT (Linux tcp_syn_retries; RFC 9293 3.8.3 gives a SYN
// its own R2). Not set, it is `max_retries`, so files that never mention it run as before.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from '../../src/core/parser';
import { traceOf } from './simBuild';

const EPS = `set latency = 10ms
set rto = 100ms
endpoint client 10.0.0.1:5000
endpoint server 10.0.0.2:80
0ms server listen
`;
const LOST_SYN = `${EPS}0ms net drop client->server SYN all\n0ms client connect server\n`;

const timeline = (text: string) => {
  const t = traceOf(text);
  return {
    sent: t.segments.map((s) => [s.sentAt, s.flags.join(',')]),
    errors: t.errors.map((e) => [e.t, e.endpoint, e.code, e.call]),
  };
};

test('syn_retries: the SYN is retransmitted that many times, then connect fails with ETIMEDOUT', () => {
  assert.deepEqual(timeline(`set max_retries = 3\nset syn_retries = 1\n${LOST_SYN}`), {
    sent: [
      [0, 'SYN'],
      [100, 'SYN'],
    ],
    errors: [[300, 'client', 'ETIMEDOUT', 'connect']],
  });
  assert.deepEqual(timeline(`set syn_retries = 0\n${LOST_SYN}`), {
    sent: [[0, 'SYN']],
    errors: [[100, 'client', 'ETIMEDOUT', 'connect']],
  });
});

test('syn_retries: not set, a SYN counts against max_retries as before', () => {
  const unset = timeline(`set max_retries = 3\n${LOST_SYN}`);
  assert.equal(unset.sent.length, 4);
  assert.deepEqual(unset.errors, [[1500, 'client', 'ETIMEDOUT', 'connect']]);
  assert.deepEqual(timeline(`set max_retries = 3\nset syn_retries = 3\n${LOST_SYN}`), unset);
});

test('syn_retries: data after the handshake still counts against max_retries', () => {
  const t = timeline(
    `set syn_retries = 0\nset max_retries = 2\n${EPS}0ms client connect server\n100ms net drop client->server data all\n100ms client send 10\n`,
  );
  assert.deepEqual(
    t.sent.filter(([, f]) => f === 'PSH,ACK').map(([at]) => at),
    [100, 200, 400],
  );
  assert.deepEqual(t.errors, [[800, 'client', 'ETIMEDOUT', 'send']]);
});

test("syn_retries: a listener's SYN,ACK counts against max_retries, not syn_retries", () => {
  const t = timeline(
    `set syn_retries = 0\nset max_retries = 2\n${EPS}0ms net drop server->client SYN ACK all\n0ms client connect server\n`,
  );
  assert.equal(t.sent.filter(([, f]) => f === 'SYN,ACK').length, 3);
  assert.deepEqual(t.errors, [[100, 'client', 'ETIMEDOUT', 'connect']]);
});

test('syn_retries: a whole number from 0 to 1000, also in a variant', () => {
  const codes = (text: string) => parse(text).diagnostics.map((d) => [d.code, d.message]);
  assert.deepEqual(codes('set syn_retries = 2\n'), []);
  assert.deepEqual(codes('variant "impatient" syn_retries = 0\n'), []);
  assert.deepEqual(codes('set syn_retries = 1001\n'), [
    ['value-out-of-range', '`syn_retries` must be from 0 to 1000; `1001` is out of range'],
  ]);
  assert.deepEqual(codes('set syn_retries = 1.5\n'), [
    ['invalid-value', '`syn_retries` must be a whole number, not `1.5`'],
  ]);
  assert.deepEqual(codes('set syn_retries = 2s\n'), [
    ['unexpected-token', '`syn_retries` is a count, not a duration: write a plain number such as `1`'],
  ]);
});
