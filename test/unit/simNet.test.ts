// Network rules (drop, delay, duplicate, drop segment N, inject), segment numbering and
// fates, run limits, and the three shared examples run whole through analyze().

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../../src/core/index';
import { flags, repliesTo, run, scenarioOf, show, traceOf } from './simBuild';
import { doesNotHang } from './helpers/doesNotHang';
import { examplePath, SHARED_EXAMPLE_NAMES } from './helpers/examples';
import { simulate } from '../../src/core/sim/simulate';

const BASE = `set latency = 10ms
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
0ms server listen
0ms client connect server
`;

test('drop: the next matching segment by default, count N, all; only from its instant on', () => {
  const one = traceOf(`set rto = 100ms\n${BASE}50ms net drop client->server data\n100ms client send 10\n`);
  assert.deepEqual(
    one.segments.filter((s) => s.len > 0).map((s) => s.fate),
    ['dropped', 'delivered'],
  );
  assert.equal(one.segments.find((s) => s.fate === 'dropped')?.arrivedAt, null);
  const two = traceOf(`set rto = 100ms\n${BASE}50ms net drop client->server data count 2\n100ms client send 10\n`);
  assert.deepEqual(
    two.segments.filter((s) => s.len > 0).map((s) => s.fate),
    ['dropped', 'dropped', 'delivered'],
  );
  const all = traceOf(`set rto = 100ms\nset max_retries = 2\n${BASE}50ms net drop * data all\n100ms client send 10\n`);
  assert.deepEqual(
    all.segments.filter((s) => s.len > 0).map((s) => s.fate),
    ['dropped', 'dropped', 'dropped'],
  );
  assert.deepEqual(
    all.errors.map((e) => [e.code, e.call]),
    [['ETIMEDOUT', 'send']],
  );
  // The handshake happened before the rule was armed: untouched.
  const late = traceOf(`${BASE}15ms net drop * SYN all\n`);
  assert.ok(late.segments.every((s) => s.fate === 'delivered'));
});

test('drop: match words (flags, pure-ack, seq=, ack=) and direction', () => {
  const t = traceOf(`${BASE}0ms net drop server->client SYN ACK seq=300 ack=101\n`);
  assert.deepEqual(
    t.segments.slice(0, 3).map((s) => `${flags(s)} ${s.fate}`),
    ['SYN delivered', 'SYN,ACK dropped', 'SYN delivered'],
  );
  const u = traceOf(`${BASE}0ms net drop * pure-ack\n`);
  assert.equal(u.segments.find((s) => s.fate === 'dropped')?.n, 3);
  const v = traceOf(`${BASE}0ms net drop client->server ack=999\n`);
  assert.ok(v.segments.every((s) => s.fate === 'delivered'));
});

test('delay: adds to the latency, recorded as delayedBy', () => {
  const t = traceOf(`${BASE}0ms net delay server->client SYN by 100ms\n`);
  const synack = t.segments[1];
  assert.deepEqual([synack.sentAt, synack.arrivedAt, synack.delayedBy, synack.fate], [10, 120, 100, 'delivered']);
});

test('duplicate: a second copy with its own number, after the latency again or after D', () => {
  const t = traceOf(`${BASE}50ms net duplicate client->server data\n100ms client send 10\n`);
  const orig = t.segments.find((s) => s.len > 0 && s.fate === 'delivered');
  const copy = t.segments.find((s) => s.fate === 'duplicate');
  assert.ok(orig && copy, show(t));
  assert.equal(copy.duplicateOf, orig.n);
  assert.ok(copy.n > orig.n);
  assert.deepEqual([copy.seq, copy.len, copy.sentAt, copy.arrivedAt], [orig.seq, orig.len, 100, 120]);
  // The copy is old news to the receiver: an ACK that does not advance anything.
  assert.deepEqual(
    repliesTo(t, copy.n).map((s) => `${flags(s)} ${s.ack}`),
    ['ACK 111'],
  );
  const d = traceOf(`${BASE}50ms net duplicate client->server data after 3ms\n100ms client send 10\n`);
  assert.equal(d.segments.find((s) => s.fate === 'duplicate')?.arrivedAt, 113);
});

test('drop segment N: by global number, and a warning when the run never reaches N', () => {
  const t = traceOf(`${BASE}0ms net drop segment 2\n`);
  assert.deepEqual(
    t.segments.slice(0, 2).map((s) => s.fate),
    ['delivered', 'dropped'],
  );
  const r = run(`${BASE}0ms net drop segment 99\n`);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
    [['segment-never-reached', 'warning', 5]],
  );
  const a = analyze(`${BASE}0ms net drop segment 99\nvariant "v" latency = 20ms\n`);
  assert.equal(a.diagnostics.filter((d) => d.code === 'segment-never-reached').length, 1);
});

test('drop segment N armed after segment N left: a warning, and nothing dropped', () => {
  const r = run(`${BASE}100ms net drop segment 1\n`);
  assert.ok(r.trace.segments.every((s) => s.fate === 'delivered'));
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
    [['segment-already-sent', 'warning', 5]],
  );
});

test('inject: defaults to the sender connection SND.NXT/RCV.NXT, else 0; counted, incarnation null', () => {
  const t = traceOf(`${BASE}100ms net inject server->client ACK len=5\n100ms net inject client->server SYN\n`);
  const inj = t.segments.filter((s) => s.injected);
  assert.deepEqual(
    inj.map((s) => [s.n, s.from, s.seq, s.ack, s.len, s.incarnation, s.note]),
    [
      [4, 'server', 301, 101, 5, null, 'injected'],
      [5, 'client', 101, null, 0, null, 'injected'],
    ],
  );
  const none = traceOf(
    `set latency = 10ms\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n0ms net inject a->b FIN ACK\n`,
  );
  assert.deepEqual([none.segments[0].seq, none.segments[0].ack], [0, 0]);
  assert.deepEqual(
    none.segments.map((s) => flags(s)),
    ['FIN,ACK', 'RST'],
  );
});

test('a rule armed by a trigger applies to the segment sent by the transition that fired it', () => {
  const t = traceOf(`${BASE}on client ESTABLISHED net drop client->server ACK\n`);
  assert.equal(t.segments[2].fate, 'dropped');
});

test('limits: maxSegments and maxEvents stop the run with a limit-reached error and a truncated trace', () => {
  const text = `${BASE}100ms client send 100000000\nexpect client ESTABLISHED\n`;
  const r = simulate(scenarioOf(text), 'default', { maxSegments: 500, maxEvents: 10_000_000 });
  assert.equal(r.trace.segments.length, 500);
  assert.ok(r.trace.truncated);
  const d = r.diagnostics.find((x) => x.code === 'limit-reached');
  assert.ok(d);
  assert.equal(d.severity, 'error');
  assert.equal(d.range.start.line, 3);
  assert.equal(r.trace.expectations[0].ok, false);
  const e = simulate(scenarioOf(text), 'default', { maxSegments: 100_000, maxEvents: 300 });
  assert.ok(e.trace.truncated?.includes('events'));
});

// Speed (200 000 segments per second; this run in under 5 s) is a target of the benchmark
// (bench/hotspots.ts): a timing bound here would fail on a loaded machine.
test('limits: a huge send at the default limits stops at 100 000 segments (does not hang)', () => {
  const t = doesNotHang('a 4 GB send', () => traceOf(`${BASE}100ms client send 4000000000\n`));
  assert.equal(t.segments.length, 100_000);
  assert.ok(t.truncated?.includes('segments'), String(t.truncated));
});

for (const f of SHARED_EXAMPLE_NAMES) {
  test(`shared example ${f}: every expectation holds in every variant`, () => {
    const a = analyze(readFileSync(examplePath(f), 'utf8'));
    assert.equal(a.hasErrors, false, a.diagnostics.map((d) => d.message).join('\n'));
    assert.deepEqual(a.diagnostics, []);
    for (const r of a.runs) {
      assert.equal(r.truncated, null);
      assert.ok(r.expectations.length > 0);
      for (const x of r.expectations) assert.ok(x.ok, `${r.variant}: line ${x.line} ${x.text}: ${x.message}`);
    }
  });
}
