// Hazard messages: each is ONE sentence, "<what happened>, so <why it matters>.", naming the
// endpoint first and neither the kind nor the segment number (trace fields beside it), and not
// the generic explanation a renderer adds (src/core/render/explain.ts).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/core/index';
import type { Trace, TraceHazard } from '../../src/core/trace';
import type { TcpState } from '../../src/core/types';
import { show, STATE_FIXTURES, traceOf } from './simBuild';

const EPS = `set latency = 10ms
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
0ms server listen
0ms client connect server
`;

function checkShape(h: TraceHazard, where: string): void {
  const m = h.message;
  assert.ok(m.startsWith(`${h.endpoint}'s `), `starts with the endpoint: ${m} (${where})`);
  assert.match(m, /\.$/, where);
  assert.equal(m.split(', so ').length, 2, `exactly one ", so <why>": ${m} (${where})`);
  assert.doesNotMatch(m.slice(0, -1), /[.!?;:]\s/, `one sentence: ${m} (${where})`);
  assert.doesNotMatch(m, /segment \d|#\d/, `the segment number is a field, not text: ${m}`);
  assert.doesNotMatch(
    m,
    /got into the new one|taken as part of a new one|corrupts|reported as a reset/,
    `no generic explanation: ${m}`,
  );
  assert.doesNotMatch(m, new RegExp(`^${h.kind}\\b`), where);
}

function messages(t: Trace, kind: string): string[] {
  return t.hazards.filter((h) => h.kind === kind).map((h) => h.message);
}

test('hazard messages of every example have one shape: one sentence, what then why', () => {
  const dir = join(__dirname, '../../examples');
  let n = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.tcpscn'))) {
    for (const t of analyze(readFileSync(join(dir, f), 'utf8')).runs) {
      for (const h of t.hazards) {
        n++;
        checkShape(h, `${f} [${t.variant}]`);
      }
    }
  }
  assert.ok(n >= 3, 'the examples report hazards');
});

test('old-duplicate data: which incarnations, how many bytes, and what the application gets', () => {
  const t = analyze(readFileSync(join(__dirname, '../../examples/time-wait-old-duplicate.tcpscn'), 'utf8'), {
    variants: ['no TIME_WAIT'],
  }).runs[0];
  assert.deepEqual(messages(t, 'old-duplicate'), [
    "passerby's connection (incarnation 2) took 100 bytes sent by incarnation 1 of this 4-tuple into its stream, so its application reads data its peer never sent.",
  ]);
});

test('old-duplicate SYN at a listener: a connection nobody asked for', () => {
  const t = traceOf(
    `set time_wait = 0\nset rto = 100ms\n${EPS.replace('0ms client connect', '0ms net delay client->server SYN by 500ms\n0ms client connect')}200ms client close\non server CLOSE_WAIT server close\n`,
  );
  const [m] = messages(t, 'old-duplicate');
  assert.equal(
    m,
    "server's listener accepted a SYN sent by incarnation 1 of this 4-tuple as a new connection (incarnation 2), so it holds a connection nobody asked for.",
    show(t),
  );
  for (const h of t.hazards) checkShape(h, 'listener');
});

// What the RST cut short, in each state of a graceful close (the per-state fixtures of simBuild.ts,
// reset by an exact RST at RCV.NXT).
const CUT_SHORT: Array<[TcpState, string]> = [
  ['FIN_WAIT_1', 'before its FIN was acknowledged, so it cannot know that the peer received all its data'],
  ['FIN_WAIT_2', "before the peer's FIN, so whatever the peer still had to send is lost"],
  ['CLOSING', 'before its FIN was acknowledged, so it cannot know that the peer received all its data'],
  ['LAST_ACK', 'before its FIN was acknowledged, so it cannot know that the peer received all its data'],
];

for (const [state, harm] of CUT_SHORT) {
  test(`reset-close: what the RST cut short in ${state}`, () => {
    const f = STATE_FIXTURES[state];
    const t = traceOf(`${f.text}200ms net inject ${f.peer}->${f.who} RST seq=${f.rcvNxt}\n`);
    assert.deepEqual(
      messages(t, 'reset-close'),
      [`${f.who}'s connection in ${state} was ended by a RST ${harm}.`],
      show(t),
    );
    for (const h of t.hazards) checkShape(h, 'reset-close');
  });
}

test('time-wait-assassination: how much of TIME_WAIT was left, in readable units', () => {
  const f = STATE_FIXTURES.TIME_WAIT;
  const t = traceOf(`set msl = 1s\n${f.text}200ms net inject ${f.peer}->${f.who} RST seq=${f.rcvNxt}\n`);
  assert.deepEqual(
    messages(t, 'time-wait-assassination'),
    [
      "client's TIME_WAIT was ended by a RST after 90ms of its 2s, so the 4-tuple is free again while old duplicates may still be in flight.",
    ],
    show(t),
  );
  checkShape(t.hazards[0], 'tw');
});

test('old-duplicate RST: a reset from an earlier incarnation ends a new connection', () => {
  // The client's first connection is aborted; its RST is delayed until the second incarnation
  // of the 4-tuple is established, and lands exactly at RCV.NXT (same ISNs: fixed).
  const t = traceOf(`set latency = 10ms
set time_wait = 0
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
endpoint again 10.0.0.1:5000 isn=100
0ms server listen
0ms client connect server
100ms net delay client->server RST by 300ms
100ms client abort
150ms net inject client->server RST seq=101
200ms again connect server
`);
  const msgs = messages(t, 'old-duplicate');
  assert.deepEqual(
    msgs,
    [
      "server's connection (incarnation 2) was reset by a RST sent by incarnation 1 of this 4-tuple, so it ended though its own peer never reset it.",
    ],
    show(t),
  );
});
