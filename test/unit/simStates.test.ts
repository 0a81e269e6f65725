// Table-driven tests of RFC 9293 section 3.10.7 (SEGMENT ARRIVES): put a TCB in a state, inject
// one segment at it, and check the reply, the next state, the error and the hazard.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flags, injected, repliesTo, run, show, SIMULTANEOUS_SYN_RECEIVED, STATE_FIXTURES, stateAt } from './simBuild';

type State = keyof typeof STATE_FIXTURES;

interface Row {
  /** The fixture (simBuild.ts) whose `who` receives the segment and has its state checked. */
  state: State;
  /** Set for SYN_RECEIVED reached by a simultaneous open (the client, an active TCB). */
  simultaneous?: boolean;
  inject: string;
  options?: string;
  replies: string[];
  next: string;
  error?: string;
  hazard?: string;
  reply?: { seq?: number; ack?: number | null };
}

const rows: Row[] = [
  { state: 'ESTABLISHED', inject: 'server->client RST', replies: [], next: 'CLOSED', error: 'ECONNRESET' },
  {
    state: 'ESTABLISHED',
    inject: 'server->client RST seq=302',
    replies: ['ACK'],
    next: 'ESTABLISHED',
    reply: { seq: 101, ack: 301 },
  },
  {
    state: 'ESTABLISHED',
    inject: 'server->client RST seq=302',
    options: 'set challenge_ack = off\n',
    replies: [],
    next: 'CLOSED',
    error: 'ECONNRESET',
  },
  { state: 'ESTABLISHED', inject: 'server->client RST seq=200000', replies: [], next: 'ESTABLISHED' },
  { state: 'ESTABLISHED', inject: 'server->client SYN', replies: ['ACK'], next: 'ESTABLISHED' },
  // RFC 793 reset for an in-window SYN, formed so its sender can accept it (RFC 9293 3.5.2):
  // a bare SYN gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, a SYN,ACK gets <SEQ=SEG.ACK><CTL=RST>.
  {
    state: 'ESTABLISHED',
    inject: 'server->client SYN',
    options: 'set challenge_ack = off\n',
    replies: ['RST,ACK'],
    next: 'CLOSED',
    error: 'ECONNRESET',
    reply: { seq: 0, ack: 302 },
  },
  {
    state: 'ESTABLISHED',
    inject: 'server->client SYN ACK ack=77',
    options: 'set challenge_ack = off\n',
    replies: ['RST'],
    next: 'CLOSED',
    error: 'ECONNRESET',
    reply: { seq: 77, ack: null },
  },
  {
    state: 'LAST_ACK',
    inject: 'server->client SYN seq=310',
    options: 'set challenge_ack = off\n',
    replies: ['RST,ACK'],
    next: 'CLOSED',
    reply: { seq: 0, ack: 311 },
  },
  { state: 'ESTABLISHED', inject: 'server->client FIN ACK', replies: ['ACK'], next: 'CLOSE_WAIT', reply: { ack: 302 } },
  { state: 'ESTABLISHED', inject: 'server->client ACK ack=5000', replies: ['ACK'], next: 'ESTABLISHED' },
  { state: 'ESTABLISHED', inject: 'server->client ACK ack=4294897397', replies: ['ACK'], next: 'ESTABLISHED' },
  {
    state: 'ESTABLISHED',
    inject: 'server->client ACK ack=4294897397',
    options: 'set challenge_ack = off\n',
    replies: [],
    next: 'ESTABLISHED',
  },
  {
    state: 'ESTABLISHED',
    inject: 'server->client ACK seq=100000 len=10',
    replies: ['ACK'],
    next: 'ESTABLISHED',
    reply: { ack: 301 },
  },
  {
    state: 'ESTABLISHED',
    inject: 'server->client PSH ACK len=10',
    replies: ['ACK'],
    next: 'ESTABLISHED',
    reply: { ack: 311 },
  },
  {
    state: 'ESTABLISHED',
    inject: 'server->client ACK seq=311 len=10',
    replies: ['ACK'],
    next: 'ESTABLISHED',
    reply: { ack: 301 },
  },
  { state: 'ESTABLISHED', inject: 'server->client ACK', replies: [], next: 'ESTABLISHED' },
  { state: 'FIN_WAIT_1', inject: 'server->client FIN ACK', replies: ['ACK'], next: 'CLOSING' },
  { state: 'FIN_WAIT_1', inject: 'server->client FIN ACK ack=102', replies: ['ACK'], next: 'TIME_WAIT' },
  { state: 'FIN_WAIT_1', inject: 'server->client ACK ack=102', replies: [], next: 'FIN_WAIT_2' },
  {
    state: 'FIN_WAIT_2',
    inject: 'server->client FIN ACK',
    replies: ['ACK'],
    next: 'TIME_WAIT',
    reply: { seq: 102, ack: 302 },
  },
  {
    state: 'FIN_WAIT_2',
    inject: 'server->client RST',
    replies: [],
    next: 'CLOSED',
    error: 'ECONNRESET',
    hazard: 'reset-close',
  },
  { state: 'CLOSE_WAIT', inject: 'server->client RST', replies: [], next: 'CLOSED', error: 'ECONNRESET' },
  { state: 'CLOSE_WAIT', inject: 'server->client PSH ACK seq=302 len=5', replies: [], next: 'CLOSE_WAIT' },
  { state: 'LAST_ACK', inject: 'server->client RST', replies: [], next: 'CLOSED', hazard: 'reset-close' },
  { state: 'LAST_ACK', inject: 'server->client ACK ack=102', replies: [], next: 'CLOSED' },
  { state: 'LAST_ACK', inject: 'server->client ACK ack=101', replies: [], next: 'LAST_ACK' },
  { state: 'CLOSING', inject: 'server->client ACK', replies: [], next: 'TIME_WAIT' },
  { state: 'CLOSING', inject: 'server->client RST', replies: [], next: 'CLOSED', hazard: 'reset-close' },
  {
    state: 'TIME_WAIT',
    inject: 'server->client RST seq=302',
    replies: [],
    next: 'CLOSED',
    hazard: 'time-wait-assassination',
  },
  {
    state: 'TIME_WAIT',
    inject: 'server->client RST seq=302',
    options: 'set rfc1337 = on\n',
    replies: [],
    next: 'TIME_WAIT',
  },
  { state: 'TIME_WAIT', inject: 'server->client RST seq=303', replies: ['ACK'], next: 'TIME_WAIT' },
  {
    state: 'TIME_WAIT',
    inject: 'server->client FIN ACK seq=301 ack=102',
    replies: ['ACK'],
    next: 'TIME_WAIT',
    reply: { seq: 102, ack: 302 },
  },
  { state: 'SYN_RECEIVED', inject: 'client->server RST', replies: [], next: 'CLOSED' },
  {
    state: 'SYN_RECEIVED',
    inject: 'client->server ACK ack=300',
    replies: ['RST'],
    next: 'SYN_RECEIVED',
    reply: { seq: 300, ack: null },
  },
  { state: 'SYN_RECEIVED', inject: 'client->server ACK', replies: [], next: 'ESTABLISHED' },
  { state: 'SYN_RECEIVED', inject: 'client->server SYN seq=150', replies: [], next: 'CLOSED' },
  // Simultaneous open (RFC 9293 figure 7): the peer's SYN,ACK repeats the SYN we have and
  // acknowledges ours. Its SYN is trimmed, its ACK makes us ESTABLISHED, and, since all it
  // carries lies below RCV.NXT, "an acknowledgment should be sent in reply" (3.10.7.4; Linux
  // sends `ACK 1/1`).
  {
    state: 'SYN_RECEIVED',
    simultaneous: true,
    inject: 'server->client SYN ACK seq=300 ack=101',
    replies: ['ACK'],
    next: 'ESTABLISHED',
    reply: { seq: 101, ack: 301 },
  },
  // Acknowledging nothing of ours, it is only unacceptable: the ACK, and no change.
  {
    state: 'SYN_RECEIVED',
    simultaneous: true,
    inject: 'server->client SYN ACK seq=300 ack=999',
    replies: ['ACK'],
    next: 'SYN_RECEIVED',
    reply: { seq: 101, ack: 301 },
  },
  { state: 'SYN_RECEIVED', simultaneous: true, inject: 'server->client ACK ack=101', replies: [], next: 'ESTABLISHED' },
  {
    state: 'SYN_RECEIVED',
    simultaneous: true,
    inject: 'server->client RST seq=301',
    replies: [],
    next: 'CLOSED',
    error: 'ECONNREFUSED',
  },
  { state: 'SYN_SENT', inject: 'server->client RST', replies: [], next: 'SYN_SENT' },
  { state: 'SYN_SENT', inject: 'server->client RST ACK ack=101', replies: [], next: 'CLOSED', error: 'ECONNREFUSED' },
  { state: 'SYN_SENT', inject: 'server->client RST ACK ack=100', replies: [], next: 'SYN_SENT' },
  {
    state: 'SYN_SENT',
    inject: 'server->client ACK ack=100',
    replies: ['RST'],
    next: 'SYN_SENT',
    reply: { seq: 100, ack: null },
  },
  { state: 'SYN_SENT', inject: 'server->client ACK ack=101', replies: [], next: 'SYN_SENT' },
  {
    state: 'SYN_SENT',
    inject: 'server->client SYN seq=900',
    replies: ['SYN,ACK'],
    next: 'SYN_RECEIVED',
    reply: { seq: 100, ack: 901 },
  },
  {
    state: 'SYN_SENT',
    inject: 'server->client SYN ACK seq=900 ack=101',
    replies: ['ACK'],
    next: 'ESTABLISHED',
    reply: { seq: 101, ack: 901 },
  },
  {
    state: 'LISTEN',
    inject: 'client->server ACK ack=777',
    replies: ['RST'],
    next: 'LISTEN',
    reply: { seq: 777, ack: null },
  },
  { state: 'LISTEN', inject: 'client->server RST', replies: [], next: 'LISTEN' },
  {
    state: 'LISTEN',
    inject: 'client->server SYN seq=5',
    replies: ['SYN,ACK'],
    next: 'SYN_RECEIVED',
    reply: { seq: 300, ack: 6 },
  },
  { state: 'LISTEN', inject: 'client->server FIN', replies: [], next: 'LISTEN' },
  {
    state: 'CLOSED',
    inject: 'client->server SYN seq=5',
    replies: ['RST,ACK'],
    next: 'CLOSED',
    reply: { seq: 0, ack: 6 },
  },
  {
    state: 'CLOSED',
    inject: 'client->server FIN ACK seq=5 ack=9',
    replies: ['RST'],
    next: 'CLOSED',
    reply: { seq: 9, ack: null },
  },
  { state: 'CLOSED', inject: 'client->server RST', replies: [], next: 'CLOSED' },
];

for (const row of rows) {
  const { who, text: setup } = row.simultaneous ? SIMULTANEOUS_SYN_RECEIVED : STATE_FIXTURES[row.state];
  const name = `${row.state}${row.simultaneous ? ' (simultaneous open)' : ''}${row.options ? ` (${row.options.trim()})` : ''} + ${row.inject} -> [${row.replies.join(' ')}] ${row.next}`;
  test(`RFC 9293 3.10.7: ${name}`, () => {
    const text = `${row.options ?? ''}${setup}200ms net inject ${row.inject}\n`;
    const { trace } = run(text);
    assert.equal(stateAt(trace, who, 199), row.state, `setup did not reach ${row.state}\n${show(trace)}`);
    const inj = injected(trace);
    assert.equal(inj.arrivedAt, 210);
    const replies = repliesTo(trace, inj.n);
    assert.deepEqual(replies.map(flags), row.replies, show(trace));
    if (row.reply && replies[0]) {
      if (row.reply.seq !== undefined) assert.equal(replies[0].seq, row.reply.seq, show(trace));
      if (row.reply.ack !== undefined) assert.equal(replies[0].ack, row.reply.ack, show(trace));
    }
    assert.equal(stateAt(trace, who, 210), row.next, show(trace));
    const errors = trace.errors.filter((e) => e.t === 210).map((e) => e.code);
    assert.deepEqual(errors, row.error ? [row.error] : []);
    const hazards = trace.hazards.filter((h) => h.t === 210).map((h) => h.kind);
    assert.deepEqual(hazards, row.hazard ? [row.hazard] : []);
    for (const h of trace.hazards) assert.match(h.message, /\.$/);
  });
}

// The fixtures themselves: each puts its endpoint in its state with the SND.NXT and RCV.NXT it
// claims (an unacceptable segment is answered by <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, 3.10.7.4).
for (const f of [...Object.values(STATE_FIXTURES), SIMULTANEOUS_SYN_RECEIVED]) {
  test(`fixture: ${f.who} in ${f.state} at 199 ms, SND.NXT ${f.sndNxt}, RCV.NXT ${f.rcvNxt}`, () => {
    const probe = f.rcvNxt === null ? '' : `200ms net inject ${f.peer}->${f.who} ACK seq=${f.rcvNxt + 100000} len=1\n`;
    const r = run(`${f.text}${probe}`);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(stateAt(r.trace, f.who, 199), f.state, show(r.trace));
    assert.equal(stateAt(r.trace, f.who, 210), f.state, show(r.trace));
    if (f.rcvNxt === null) return;
    const replies = repliesTo(r.trace, injected(r.trace).n);
    assert.deepEqual(
      replies.map((s) => [flags(s), s.seq, s.ack]),
      [['ACK', f.sndNxt, f.rcvNxt]],
      show(r.trace),
    );
  });
}
