// Segment notes (TraceSegment.note) say truthfully what each segment is: an ACK that answers a
// repeated segment is "ACK of retransmission" only when the sender really retransmitted it,
// else "ACK of duplicate" (a network copy, a delayed original, an injected repeat).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/core/index';
import type { Trace, TraceSegment } from '../../src/core/trace';
import { flags, show, traceOf } from './simBuild';

const EPS = `set latency = 10ms
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
0ms server listen
0ms client connect server
`;

/** The segments that reached the sender of `a` at the instant `a` left (what it may answer). */
function answered(t: Trace, a: TraceSegment): TraceSegment[] {
  return t.segments.filter((s) => s.n < a.n && s.to === a.from && s.arrivedAt === a.sentAt);
}

function notesOf(t: Trace, from: string): string[] {
  return t.segments.filter((s) => s.from === from).map((s) => `${flags(s)} ${s.note}`);
}

test('notes: the re-ACK of a duplicated data segment is "ACK of duplicate", not of a retransmission', () => {
  const t = traceOf(`${EPS}50ms net duplicate client->server data after 20ms\n50ms client send 100\n`);
  assert.deepEqual(notesOf(t, 'server'), ['SYN,ACK SYN-ACK', 'ACK ACK', 'ACK ACK of duplicate'], show(t));
});

test('notes: the ACK of a data segment the sender retransmitted (its ACK was lost) is "ACK of retransmission"', () => {
  const t = traceOf(`${EPS}50ms net drop server->client pure-ack\n50ms client send 100\n`);
  assert.deepEqual(
    notesOf(t, 'client'),
    ['SYN connect', 'ACK ACK of SYN', 'PSH,ACK data', 'PSH,ACK retransmission'],
    show(t),
  );
  assert.deepEqual(notesOf(t, 'server'), ['SYN,ACK SYN-ACK', 'ACK ACK', 'ACK ACK of retransmission'], show(t));
});

test('notes: in TIME_WAIT a retransmitted FIN and a duplicated FIN are told apart', () => {
  const close = `100ms client close\non server CLOSE_WAIT server close\n`;
  const rtx = traceOf(`set rto = 200ms\n${EPS}${close}on client TIME_WAIT net drop client->server ACK\n`);
  assert.ok(
    rtx.segments.some((s) => s.from === 'client' && s.note === 'ACK of retransmitted FIN'),
    show(rtx),
  );
  const dup = traceOf(`${EPS}100ms net duplicate server->client FIN after 30ms\n${close}`);
  const acks = dup.segments.filter((s) => s.from === 'client' && s.note.startsWith('ACK of'));
  assert.deepEqual(
    acks.map((s) => s.note),
    ['ACK of SYN', 'ACK of FIN', 'ACK of duplicate FIN'],
    show(dup),
  );
});

test('notes: a simultaneous open has SYN and SYN-ACK notes, and the ACKs answering the SYN,ACKs say so', () => {
  const t = traceOf(
    `set latency = 10ms\nendpoint a 10.0.0.1:1 isn=1\nendpoint b 10.0.0.2:2 isn=9\n0ms a connect b\n0ms b connect a\n`,
  );
  assert.deepEqual(
    t.segments.map((s) => `${s.from} ${flags(s)} ${s.note}`),
    [
      'a SYN connect',
      'b SYN connect',
      'b SYN,ACK SYN-ACK',
      'a SYN,ACK SYN-ACK',
      'a ACK ACK of SYN,ACK',
      'b ACK ACK of SYN,ACK',
    ],
    show(t),
  );
});

test('notes over every example: an ACK of a retransmission answers one, an ACK of a duplicate answers none', () => {
  const dir = join(__dirname, '../../examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.tcpscn'));
  assert.ok(files.length > 10);
  let rtxAcks = 0;
  let dupAcks = 0;
  for (const f of files) {
    for (const t of analyze(readFileSync(join(dir, f), 'utf8')).runs) {
      for (const a of t.segments) {
        const got = answered(t, a);
        const where = `${f} [${t.variant}] #${a.n} ${a.note}\n${show(t)}`;
        if (/^ACK of retransmi/.test(a.note)) {
          rtxAcks++;
          assert.ok(
            got.some((s) => s.retransmission && s.fate !== 'duplicate'),
            where,
          );
        } else if (/^ACK of duplicate/.test(a.note)) {
          dupAcks++;
          assert.ok(got.length > 0 && got.every((s) => !s.retransmission || s.fate === 'duplicate'), where);
        }
        if (a.note.startsWith('RST: port closed')) assert.ok(got.length > 0, where);
      }
    }
  }
  assert.ok(rtxAcks > 0 && dupAcks > 0, `examples exercise both notes (${rtxAcks}, ${dupAcks})`);
});
