// The simulator's behaviour beyond single segment arrivals: user calls and their errors,
// retransmission and backoff, TIME_WAIT, simultaneous open and close, half-close, abort,
// reuse and incarnations, triggers, delayed ACKs, ISNs, links and expectations.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate, type Delivery } from '../../src/core/sim/simulate';
import { DEFAULT_LIMITS } from '../../src/core/types';
import { finalState, flags, handScenario, repliesTo, run, show, stateAt, traceOf } from './simBuild';

const EPS = `set latency = 10ms
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
`;
const BASE = `${EPS}0ms server listen
0ms client connect server
`;

function errorsOf(text: string, variant = 'default'): string[] {
  return traceOf(text, variant).errors.map((e) => `${e.endpoint} ${e.call} ${e.code}`);
}

test('a Scenario built by hand runs the three-way handshake', () => {
  const sc = handScenario(
    [
      { name: 'a', address: '10.0.0.1', port: 1000, isn: 7 },
      { name: 'b', address: '10.0.0.2', port: 80, isn: 70 },
    ],
    [
      { t: 0, actor: 'b', verb: 'listen' },
      { t: 0, actor: 'a', verb: 'connect', peer: 'b' },
    ],
    [
      { t: 125, endpoint: 'b', state: 'ESTABLISHED' },
      { t: null, endpoint: 'a', state: 'ESTABLISHED' },
    ],
  );
  const { trace } = simulate(sc, 'default', DEFAULT_LIMITS);
  assert.deepEqual(
    trace.segments.map((s) => [flags(s), s.seq, s.ack, s.sentAt, s.arrivedAt]),
    [
      ['SYN', 7, null, 0, 50],
      ['SYN,ACK', 70, 8, 50, 100],
      ['ACK', 8, 71, 100, 150],
    ],
  );
  assert.deepEqual(
    trace.expectations.map((x) => [x.ok, x.message]),
    [
      [false, 'b is in SYN_RECEIVED, not ESTABLISHED'],
      [true, ''],
    ],
  );
  assert.equal(trace.endedAt, 150);
});

// ---------------------------------------------------------------------------------------------
// Calls and their errors

test('calls: EINVAL for a second connect or listen on the same endpoint', () => {
  assert.deepEqual(errorsOf(`${BASE}50ms client connect server\n60ms server listen\n`), [
    'client connect EINVAL',
    'server listen EINVAL',
  ]);
});

test('calls: ENOTCONN for send/shutdown without a connection and close with neither connection nor listener', () => {
  assert.deepEqual(errorsOf(`${EPS}0ms client send 10\n0ms client shutdown\n0ms client close\n0ms client abort\n`), [
    'client send ENOTCONN',
    'client shutdown ENOTCONN',
    'client close ENOTCONN',
    'client abort ENOTCONN',
  ]);
});

test('calls: close on a listener with no connection stops listening; a SYN then gets RST', () => {
  const t = traceOf(`${EPS}0ms server listen\n10ms server close\n20ms client connect server\n`);
  assert.equal(t.errors.length, 1);
  assert.equal(t.errors[0].code, 'ECONNREFUSED');
  const l = t.transitions.filter((x) => x.endpoint === 'server');
  assert.deepEqual(
    l.map((x) => `${x.from}->${x.to} ${x.cause} ${x.peer}`),
    ['CLOSED->LISTEN listen null', 'LISTEN->CLOSED close null'],
  );
  assert.deepEqual(
    t.segments.map((s) => `${flags(s)} ${s.note}`),
    ['SYN connect', 'RST,ACK RST: port closed'],
  );
});

test('calls: ECONNREFUSED when nobody listens, with the RST answering the SYN', () => {
  const t = traceOf(`${EPS}0ms client connect server\n`);
  assert.deepEqual(
    t.errors.map((e) => [e.t, e.code, e.call, e.line]),
    [[20, 'ECONNREFUSED', 'connect', null]],
  );
  assert.equal(t.segments[1].seq, 0);
  assert.equal(t.segments[1].ack, 101);
  assert.equal(t.segments[1].incarnation, 1, 'a RST from no TCB carries the incarnation of what it answers');
  assert.equal(finalState(t, 'client'), 'CLOSED');
});

test('calls: EADDRINUSE while another incarnation listens or holds a TCB; fine once it is gone', () => {
  const text = `${EPS}endpoint other 10.0.0.2:80
endpoint later 10.0.0.1:5000
0ms server listen
5ms other listen
10ms client connect server
50ms later connect server
100ms client abort
200ms later connect server
`;
  const t = traceOf(text);
  assert.deepEqual(
    t.errors.map((e) => `${e.endpoint} ${e.code} L${e.line}`),
    ['other EADDRINUSE L7', 'later EADDRINUSE L9', 'server ECONNRESET Lnull'],
  );
  assert.equal(finalState(t, 'later'), 'ESTABLISHED');
});

test('calls: send in a closing state is ENOTCONN; a second close changes nothing', () => {
  const t = traceOf(`${BASE}100ms client close\n200ms client send 10\n200ms client close\n`);
  assert.deepEqual(
    t.errors.map((e) => `${e.call} ${e.code}`),
    ['send ENOTCONN'],
  );
  assert.equal(t.segments.filter((s) => s.flags.includes('FIN')).length, 1);
});

test('calls: close in SYN_SENT deletes the TCB without a segment', () => {
  const t = traceOf(`${EPS}0ms net drop client->server SYN\n0ms client connect server\n5ms client close\n`);
  assert.equal(t.segments.length, 1);
  assert.deepEqual(
    t.transitions.map((x) => `${x.from}->${x.to} ${x.cause}`),
    ['CLOSED->SYN_SENT connect', 'SYN_SENT->CLOSED close'],
  );
  assert.equal(t.endedAt, 5);
});

test('calls: send before the handshake completes is queued and sent on ESTABLISHED, the ACK riding on it', () => {
  const t = traceOf(`${BASE}0ms client send 100\n`);
  assert.deepEqual(
    t.segments.map((s) => `${flags(s)} ${s.seq} ${s.len}`),
    ['SYN 100 0', 'SYN,ACK 300 0', 'PSH,ACK 101 100', 'ACK 301 0'],
  );
});

test('abort: RST <SEQ=SND.NXT>, no TIME_WAIT; the peer records ECONNRESET', () => {
  const t = traceOf(`${BASE}100ms client send 10\n200ms client abort\n`);
  const rst = t.segments.find((s) => s.flags.includes('RST'));
  assert.ok(rst);
  assert.equal(rst.seq, 111);
  assert.equal(rst.ack, null);
  assert.equal(rst.causeLine, 7);
  assert.deepEqual(
    t.errors.map((e) => `${e.endpoint} ${e.code}`),
    ['server ECONNRESET'],
  );
  assert.equal(finalState(t, 'client'), 'CLOSED');
  assert.ok(!t.transitions.some((x) => x.to === 'TIME_WAIT'));
});

// ---------------------------------------------------------------------------------------------
// Segmentation, retransmission

test('send: cut into MSS-sized segments within the window, PSH on the last of each send', () => {
  const deliveries: Delivery[] = [];
  const text = `set mss = 1000\n${BASE}100ms client send 2500\n100ms client send 10\n`;
  const r = run(text, 'default', DEFAULT_LIMITS, { onDeliver: (d) => deliveries.push(d) });
  const data = r.trace.segments.filter((s) => s.len > 0);
  assert.deepEqual(
    data.map((s) => `${flags(s)} ${s.seq} ${s.len}`),
    ['ACK 101 1000', 'ACK 1101 1000', 'PSH,ACK 2101 500', 'PSH,ACK 2601 10'],
  );
  assert.deepEqual(
    deliveries.map((d) => [d.offset, d.len]),
    [
      [0, 1000],
      [1000, 1000],
      [2000, 500],
      [2500, 10],
    ],
  );
});

test('send: the peer window limits what is in flight', () => {
  const text = `set mss = 1000\nset latency = 10ms\nendpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80 window=2000\n0ms server listen\n0ms client connect server\n100ms client send 5000\n`;
  const t = traceOf(text);
  const firstBurst = t.segments.filter((s) => s.len > 0 && s.sentAt === 100);
  assert.equal(firstBurst.length, 2);
  assert.equal(
    t.segments.filter((s) => s.len > 0).reduce((a, s) => a + s.len, 0),
    5000,
  );
});

test('retransmission: SYN on RTO with doubling, then ETIMEDOUT after max_retries', () => {
  const t = traceOf(
    `set rto = 100ms\nset max_retries = 3\n${EPS}0ms net drop client->server SYN all\n0ms client connect server\n`,
  );
  assert.deepEqual(
    t.segments.map((s) => [s.sentAt, s.retransmission, s.fate]),
    [
      [0, false, 'dropped'],
      [100, true, 'dropped'],
      [300, true, 'dropped'],
      [700, true, 'dropped'],
    ],
  );
  assert.deepEqual(
    t.errors.map((e) => [e.t, e.code, e.call]),
    [[1500, 'ETIMEDOUT', 'connect']],
  );
  assert.equal(t.transitions.at(-1)?.cause, 'timeout');
  assert.equal(t.endedAt, 1500);
});

test('retransmission: lost data is retransmitted from SND.UNA and delivered once', () => {
  const deliveries: Delivery[] = [];
  const text = `set rto = 200ms\n${BASE}100ms net drop client->server data\n100ms client send 300\n`;
  const r = run(text, 'default', DEFAULT_LIMITS, { onDeliver: (d) => deliveries.push(d) });
  const data = r.trace.segments.filter((s) => s.len > 0);
  assert.deepEqual(
    data.map((s) => [s.sentAt, s.retransmission, s.fate, s.note]),
    [
      [100, false, 'dropped', 'data'],
      [300, true, 'delivered', 'retransmission'],
    ],
  );
  assert.deepEqual(
    deliveries.map((d) => [d.t, d.offset, d.len]),
    [[310, 0, 300]],
  );
});

test('retransmission: a lost FIN is retransmitted; a lost SYN-ACK too', () => {
  const t = traceOf(
    `set rto = 200ms\n${BASE}0ms net drop server->client SYN ACK\n100ms net drop client->server FIN\n500ms client close\n`,
  );
  assert.equal(t.segments.filter((s) => s.flags.includes('SYN') && s.flags.includes('ACK')).length, 2);
  assert.equal(t.segments.filter((s) => s.flags.includes('FIN') && s.from === 'client').length, 2);
  assert.equal(finalState(t, 'server'), 'CLOSE_WAIT');
});

// ---------------------------------------------------------------------------------------------
// TIME_WAIT

test('TIME_WAIT lasts 2*msl and restarts when a retransmitted FIN is re-acknowledged', () => {
  const text = `set msl = 1s\nset rto = 300ms\n${BASE}100ms client close\non server CLOSE_WAIT server close\non client TIME_WAIT net drop client->server ACK\n`;
  const t = traceOf(text);
  const tw = t.transitions.find((x) => x.endpoint === 'client' && x.to === 'TIME_WAIT');
  assert.equal(tw?.t, 120);
  const reack = t.segments.find((s) => s.note === 'ACK of retransmitted FIN');
  assert.ok(reack, show(t));
  assert.equal(reack.sentAt, 420);
  const closed = t.transitions.find((x) => x.endpoint === 'client' && x.from === 'TIME_WAIT');
  assert.deepEqual([closed?.t, closed?.cause], [2420, '2msl']);
  assert.equal(finalState(t, 'server'), 'CLOSED');
});

test('time_wait = 0: TIME_WAIT is entered (its trigger fires) and left at the same instant', () => {
  const t = traceOf(
    `set time_wait = 0\n${BASE}100ms client close\non server CLOSE_WAIT server close\non client TIME_WAIT client send 1\n`,
  );
  const rows = t.transitions.filter((x) => x.endpoint === 'client' && x.t === 120).map((x) => `${x.from}->${x.to}`);
  assert.deepEqual(rows, ['FIN_WAIT_1->FIN_WAIT_2', 'FIN_WAIT_2->TIME_WAIT', 'TIME_WAIT->CLOSED']);
  assert.deepEqual(
    t.errors.map((e) => [e.t, e.code]),
    [[120, 'ENOTCONN']],
  );
});

// ---------------------------------------------------------------------------------------------
// Simultaneous open and close, half-close

test('simultaneous open: both SYN_SENT -> SYN_RECEIVED -> ESTABLISHED', () => {
  const t = traceOf(`${EPS}0ms client connect server\n0ms server connect client\n`);
  for (const who of ['client', 'server']) {
    const path = t.transitions.filter((x) => x.endpoint === who).map((x) => x.to);
    assert.deepEqual(path, ['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED'], show(t));
  }
  const incs = new Set(t.segments.map((s) => s.incarnation));
  assert.deepEqual([...incs], [1]);
  // RFC 9293 figure 7: the crossing SYN,ACKs themselves make both ESTABLISHED; each, unacceptable
  // (all it carries is below RCV.NXT), is answered by an ACK at once (3.10.7.4; Linux's `ACK 1/1`),
  // which the other side, already ESTABLISHED, takes without a reply.
  assert.deepEqual(
    t.segments.map((s) => `${s.sentAt} ${s.from} ${flags(s)} ${s.seq} ${s.ack}`),
    [
      '0 client SYN 100 null',
      '0 server SYN 300 null',
      '10 server SYN,ACK 300 101',
      '10 client SYN,ACK 100 301',
      '20 client ACK 101 301',
      '20 server ACK 301 101',
    ],
    show(t),
  );
  const est = t.transitions.filter((x) => x.to === 'ESTABLISHED').map((x) => `${x.endpoint} ${x.t} ${x.cause}`);
  assert.deepEqual(est.sort(), ['client 20 SYN,ACK', 'server 20 SYN,ACK']);
  assert.equal(t.transitions.length, 6, show(t));
});

test('simultaneous open: the ACK of the SYN,ACK rides on data queued before ESTABLISHED', () => {
  const t = traceOf(`${EPS}0ms client connect server
0ms server connect client
5ms client send 10
`);
  const mine = t.segments.filter((s) => s.from === 'client' && s.sentAt === 20);
  assert.deepEqual(
    mine.map((s) => `${flags(s)} ${s.seq} ${s.ack} ${s.len}`),
    ['PSH,ACK 101 301 10'],
    show(t),
  );
});

test('simultaneous open: a SYN,ACK that repeats the SYN but acknowledges nothing of ours is still unacceptable', () => {
  // Both SYNs land at 10 ms; the injected SYN,ACK (SEQ = the server's IRS, a wrong ACK) lands at
  // 15 ms, before the real SYN,ACKs (20 ms): it must not establish the server.
  const t = traceOf(
    `${EPS}0ms client connect server\n0ms server connect client\n5ms net inject client->server SYN ACK seq=100 ack=999\n`,
  );
  const inj = t.segments.find((s) => s.injected);
  assert.ok(inj && inj.arrivedAt === 15, show(t));
  assert.equal(stateAt(t, 'server', 15), 'SYN_RECEIVED', show(t));
  assert.deepEqual(repliesTo(t, inj.n).map(flags), ['ACK'], show(t));
  assert.equal(stateAt(t, 'server', 20), 'ESTABLISHED', show(t));
});

test('simultaneous open: when one SYN,ACK is lost, the ACK answering the other completes its side', () => {
  const t = traceOf(
    `${EPS}0ms client connect server\n0ms server connect client\n0ms net drop client->server SYN ACK\n`,
  );
  assert.equal(stateAt(t, 'client', 20), 'ESTABLISHED', show(t));
  assert.equal(stateAt(t, 'server', 29), 'SYN_RECEIVED', show(t));
  // The client's ACK of the server's SYN,ACK is an acceptable ACK of the server's SYN.
  assert.equal(stateAt(t, 'server', 30), 'ESTABLISHED', show(t));
  assert.ok(!t.segments.some((s) => s.retransmission), show(t));
});

test('simultaneous open: when one SYN,ACK and the ACK answering the other are lost, the retransmitted SYN,ACK is acknowledged and completes the other side', () => {
  const t = traceOf(
    `${EPS}0ms client connect server\n0ms server connect client\n0ms net drop client->server SYN ACK\n0ms net drop client->server pure-ack\n`,
  );
  assert.equal(stateAt(t, 'client', 20), 'ESTABLISHED', show(t));
  assert.equal(stateAt(t, 'server', 999), 'SYN_RECEIVED', show(t));
  // The client's SYN,ACK is lost: the server stays in SYN_RECEIVED and retransmits its own.
  const rtx = t.segments.find((s) => s.from === 'server' && s.retransmission);
  assert.ok(rtx, show(t));
  assert.equal(flags(rtx), 'SYN,ACK');
  const [ack] = t.segments.filter((s) => s.n > rtx.n && s.from === 'client');
  assert.deepEqual([flags(ack), ack.note], ['ACK', 'ACK of retransmission'], show(t));
  assert.equal(stateAt(t, 'client', Infinity), 'ESTABLISHED', show(t));
  assert.equal(finalState(t, 'server'), 'ESTABLISHED', show(t));
});

test('challenge_ack = off: the reset for an in-window SYN is one its sender in SYN_SENT accepts (ECONNREFUSED, no old-duplicate)', () => {
  // The server is in LAST_ACK (the client kept no TIME_WAIT, its last ACK was lost) when a new
  // incarnation on the client's port sends SYN seq=1000, inside the server's window.
  const text = `set latency = 10ms
set time_wait = 0
set challenge_ack = off
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
endpoint passerby 10.0.0.1:5000 isn=1000
0ms server listen
0ms client connect server
100ms client close
on server CLOSE_WAIT server close
on client TIME_WAIT net drop client->server ACK
200ms passerby connect server
`;
  const t = traceOf(text);
  const syn = t.segments.find((s) => s.from === 'passerby' && flags(s) === 'SYN');
  assert.ok(syn, show(t));
  const [rst] = t.segments.filter((s) => s.n > syn.n && s.from === 'server');
  assert.deepEqual(
    [flags(rst), rst.seq, rst.ack, rst.sentAt, rst.incarnation],
    ['RST,ACK', 0, 1001, 210, syn.incarnation],
    show(t),
  );
  assert.deepEqual(
    t.errors.map((e) => `${e.t} ${e.endpoint} ${e.call} ${e.code}`),
    ['220 passerby connect ECONNREFUSED'],
  );
  assert.equal(stateAt(t, 'server', 210), 'CLOSED');
  assert.equal(stateAt(t, 'passerby', 220), 'CLOSED');
  assert.deepEqual(t.hazards, [], "the reset answers the passerby's own SYN: not an old duplicate");
});

test('simultaneous close: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on both sides', () => {
  const t = traceOf(`set msl = 1s\n${BASE}100ms client close\n100ms server close\n`);
  for (const who of ['client', 'server']) {
    const path = t.transitions.filter((x) => x.endpoint === who && x.t >= 100).map((x) => x.to);
    assert.deepEqual(path, ['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT', 'CLOSED'], show(t));
  }
  assert.equal(t.hazards.length, 0);
});

test('half-close: after shutdown the client still receives data in FIN_WAIT_2', () => {
  const deliveries: Delivery[] = [];
  const r = run(
    `${BASE}100ms client shutdown\n200ms server send 3000\n300ms server close\n`,
    'default',
    DEFAULT_LIMITS,
    { onDeliver: (d) => deliveries.push(d) },
  );
  assert.equal(stateAt(r.trace, 'client', 250), 'FIN_WAIT_2');
  assert.equal(
    deliveries.reduce((a, d) => a + d.len, 0),
    3000,
  );
  assert.ok(deliveries.every((d) => d.endpoint === 'client'));
  assert.equal(finalState(r.trace, 'server'), 'CLOSED');
});

test('close: the FIN rides on the last data segment when the close comes before it leaves', () => {
  const small = `set latency = 10ms\nendpoint client 10.0.0.1:5000 isn=100\nendpoint server 10.0.0.2:80 isn=300 window=100\n0ms server listen\n0ms client connect server\n`;
  const t = traceOf(`${small}100ms client send 250\n100ms client close\n`);
  assert.deepEqual(
    t.segments.filter((s) => s.from === 'client' && s.sentAt >= 100).map((s) => `${flags(s)} ${s.len}`),
    ['ACK 100', 'ACK 100', 'FIN,PSH,ACK 50'],
    show(t),
  );
  const t2 = traceOf(`${BASE}100ms client send 50\n150ms client close\n`);
  assert.ok(
    t2.segments.some((s) => flags(s) === 'FIN,ACK' && s.len === 0),
    show(t2),
  );
});

// ---------------------------------------------------------------------------------------------
// Delayed ACK

test('delayed_ack: a lone ACK waits, then goes alone', () => {
  const t = traceOf(`set delayed_ack = 40ms\n${BASE}100ms client send 10\n`);
  const ack = t.segments.at(-1);
  assert.ok(ack);
  assert.deepEqual([flags(ack), ack.sentAt, ack.ack, ack.note], ['ACK', 150, 111, 'delayed ACK']);
});

test('delayed_ack: the ACK rides on a reply, and on the FIN of an immediate close in CLOSE_WAIT', () => {
  const t = traceOf(`set delayed_ack = 40ms\n${BASE}100ms client send 10\n120ms server send 20\n`);
  assert.deepEqual(
    t.segments.slice(3).map((s) => `${s.from} ${flags(s)} ${s.ack} ${s.len}`),
    ['client PSH,ACK 301 10', 'server PSH,ACK 111 20', 'client ACK 321 0'],
  );
  const c = traceOf(`set delayed_ack = 40ms\n${BASE}100ms client close\non server CLOSE_WAIT server close\n`);
  const afterClose = c.segments.filter((s) => s.sentAt >= 100).map((s) => `${s.from} ${flags(s)}`);
  assert.deepEqual(afterClose, ['client FIN,ACK', 'server FIN,ACK', 'client ACK']);
  const d = traceOf(`${BASE}100ms client close\non server CLOSE_WAIT server close\n`);
  assert.deepEqual(
    d.segments.filter((s) => s.sentAt >= 100).map((s) => `${s.from} ${flags(s)}`),
    ['client FIN,ACK', 'server ACK', 'server FIN,ACK', 'client ACK'],
  );
});

test('delayed_ack: every second full-sized segment is acknowledged at once; the handshake ACK never waits', () => {
  const t = traceOf(`set delayed_ack = 100ms\nset mss = 100\n${BASE}100ms client send 200\n`);
  assert.equal(t.segments[2].sentAt, 20);
  const acks = t.segments.filter((s) => s.from === 'server' && s.sentAt > 100);
  assert.deepEqual(
    acks.map((s) => [s.sentAt, s.ack]),
    [[110, 301]],
  );
});

// ---------------------------------------------------------------------------------------------
// Reuse, incarnations

test('reuse: a new incarnation takes over the TIME_WAIT 4-tuple, ISN = old SND.NXT + 65537', () => {
  const text = `${EPS}endpoint passerby 10.0.0.1:5000 reuse
0ms server listen
0ms client connect server
100ms client close
on server CLOSE_WAIT server close
500ms passerby connect server
`;
  const t = traceOf(text);
  const takeover = t.transitions.find((x) => x.cause === 'reuse');
  assert.deepEqual(
    [takeover?.endpoint, takeover?.from, takeover?.to, takeover?.t],
    ['client', 'TIME_WAIT', 'CLOSED', 500],
  );
  const syn = t.segments.find((s) => s.from === 'passerby');
  assert.equal(syn?.seq, 102 + 65537);
  assert.equal(syn?.incarnation, 2);
  assert.ok(t.segments.filter((s) => s.sentAt >= 500).every((s) => s.incarnation === 2));
  assert.equal(finalState(t, 'passerby'), 'ESTABLISHED');
  assert.equal(t.errors.length, 0);
  const without = traceOf(text.replace(' reuse', ''));
  assert.deepEqual(
    without.errors.map((e) => e.code),
    ['EADDRINUSE'],
  );
});

test('incarnations: the n-th connection of a 4-tuple is incarnation n on both sides', () => {
  const text = `set time_wait = 0\n${EPS}endpoint second 10.0.0.1:5000\n0ms server listen\n0ms client connect server\n100ms client close\non server CLOSE_WAIT server close\n500ms second connect server\n`;
  const t = traceOf(text);
  assert.deepEqual(
    [...new Set(t.segments.map((s) => `${s.from}:${s.incarnation}`))],
    ['client:1', 'server:1', 'second:2', 'server:2'],
  );
});

test('old-duplicate: a delayed SYN of incarnation 1 opens a connection at a later incarnation', () => {
  const text = `set time_wait = 0\nset rto = 100ms\n${EPS}0ms server listen
0ms net delay client->server SYN by 500ms
0ms client connect server
200ms client close
on server CLOSE_WAIT server close
`;
  const t = traceOf(text);
  assert.ok(
    t.hazards.some((h) => h.kind === 'old-duplicate' && h.endpoint === 'server' && h.segment === 1),
    JSON.stringify(t.hazards) + '\n' + show(t),
  );
});

// ---------------------------------------------------------------------------------------------
// Triggers, ISN, links, expectations, duration

test('triggers fire once, after the segment that caused the transition, with +DURATION', () => {
  const t = traceOf(`${BASE}on client ESTABLISHED +5ms client send 1\non server LISTEN server send 1\n`);
  const data = t.segments.filter((s) => s.len > 0);
  assert.deepEqual(
    data.map((s) => [s.from, s.sentAt]),
    [['client', 25]],
  );
  assert.deepEqual(
    t.errors.map((e) => `${e.endpoint} ${e.code} ${e.t}`),
    ['server ENOTCONN 0'],
  );
});

test('triggers: pathological trigger chains end', () => {
  const lines = [`${BASE}`];
  for (let i = 0; i < 2000; i++) lines.push(`on client ESTABLISHED client send 1\n`);
  lines.push(
    'on client ESTABLISHED client close\non server CLOSE_WAIT server close\non client CLOSED client connect server\n',
  );
  const t = traceOf(lines.join(''));
  assert.equal(t.truncated, null);
  assert.ok(t.endedAt < 1e9);
});

test('isn = clock: 250 x t(ms) at the connect and the accept', () => {
  const t = traceOf(`set isn = clock\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n0ms b listen\n10ms a connect b\n`);
  assert.deepEqual(
    t.segments.slice(0, 2).map((s) => s.seq),
    [2500, 15000],
  );
});

test('link latency applies to that pair both ways, the option elsewhere', () => {
  const t = traceOf(
    `set latency = 10ms\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\nlink a b latency 70ms\n0ms b listen\n0ms a connect b\n`,
  );
  assert.deepEqual(
    t.segments.map((s) => s.arrivedAt),
    [70, 140, 210],
  );
});

test('expectations: checked at their instant after everything else, in a variant only with in, messages say what was found', () => {
  const text = `${BASE}100ms client close
variant "v" latency = 30ms
20ms expect client ESTABLISHED
120ms expect client TIME_WAIT
expect hazard reset-close in "v"
expect client error ETIMEDOUT
expect no hazards
`;
  const d = traceOf(text, 'default');
  assert.deepEqual(
    d.expectations.map((x) => [x.line, x.ok, x.message]),
    [
      [8, true, ''],
      [9, false, 'client is in FIN_WAIT_2, not TIME_WAIT'],
      [11, false, 'client has recorded no error ETIMEDOUT; errors: none'],
      [12, true, ''],
    ],
  );
  const v = traceOf(text, 'v');
  assert.deepEqual(v.expectations.find((x) => x.line === 10)?.message, 'no hazard reset-close; hazards: none');
  assert.equal(v.expectations.find((x) => x.line === 8)?.ok, false);
});

test('duration stops the run with timers pending', () => {
  const t = traceOf(`set duration = 1s\n${BASE}100ms client close\non server CLOSE_WAIT server close\n`);
  assert.equal(t.endedAt, 1000);
  assert.equal(finalState(t, 'client'), 'TIME_WAIT');
  assert.equal(t.truncated, null);
});

test('determinism: the same input gives the identical trace', () => {
  const text = `set isn = clock\nset delayed_ack = 30ms\n${BASE}0ms net duplicate * data all\n100ms client send 5000\n150ms server send 7000\n300ms client close\non server CLOSE_WAIT server close\n`;
  const a = JSON.stringify(traceOf(text));
  const b = JSON.stringify(traceOf(text));
  assert.equal(a, b);
});

test('incarnations: an injected SYN takes no place; a retransmitted SYN of a connection still opening joins it', () => {
  const inj = traceOf(
    `set latency = 50ms\n${EPS.replace('set latency = 10ms\n', '')}0ms server listen\n0ms net inject client->server SYN seq=90\n10ms net delay client->server SYN by 200ms\n10ms client connect server\n`,
  );
  assert.deepEqual(inj.hazards, []);
  assert.equal(finalState(inj, 'server'), 'ESTABLISHED');
  assert.ok(
    inj.segments.filter((s) => !s.injected).every((s) => s.incarnation === 1),
    show(inj),
  );
  // The server's embryonic TCB is reset by an injected RST; the client's retransmitted SYN
  // then opens the same incarnation, not a later one.
  const re = traceOf(
    `set rto = 200ms\n${EPS}0ms server listen\n0ms net drop server->client SYN ACK\n0ms client connect server\n50ms net inject client->server RST seq=101\n`,
  );
  assert.deepEqual(re.hazards, [], show(re));
  assert.equal(finalState(re, 'client'), 'ESTABLISHED');
  assert.ok(re.segments.filter((s) => !s.injected).every((s) => s.incarnation === 1));
});

test('expectations: an on-trigger expectation that never fires, and timed checks past duration, fail saying why', () => {
  const t = traceOf(
    `set duration = 500ms\n${BASE}on client TIME_WAIT expect client TIME_WAIT\n1s expect client ESTABLISHED\nexpect client ESTABLISHED\n`,
  );
  assert.deepEqual(
    t.expectations.map((x) => [x.ok, x.message]),
    [
      [false, 'never checked: client never entered TIME_WAIT'],
      [false, 'never checked: the run stopped at duration 500ms'],
      [true, ''],
    ],
  );
});

test('send "TEXT" sends its UTF-8 bytes', () => {
  const t = traceOf(`${BASE}100ms client send "héllo"\n`);
  assert.equal(t.segments.find((s) => s.len > 0)?.len, 6);
});

test('causeLine and notes: calls, triggers and answers', () => {
  const t = traceOf(`${BASE}100ms client close\non server CLOSE_WAIT server close\n`);
  assert.deepEqual(
    t.segments.map((s) => `${s.from} ${flags(s)} L${s.causeLine} ${s.note}`),
    [
      'client SYN L5 connect',
      'server SYN,ACK L5 SYN-ACK',
      'client ACK L5 ACK of SYN',
      'client FIN,ACK L6 FIN',
      'server ACK L6 ACK of FIN',
      'server FIN,ACK L7 FIN',
      'client ACK L7 ACK of FIN',
    ],
  );
  const tr = t.transitions.find((x) => x.to === 'CLOSE_WAIT');
  assert.deepEqual([tr?.segment, tr?.cause, tr?.peer], [4, 'FIN,ACK', 'client']);
  assert.ok(t.transitions.every((x) => x.tcb >= 1));
});

test('sequence numbers wrap modulo 2^32', () => {
  const deliveries: Delivery[] = [];
  const text = `set latency = 10ms\nendpoint client 10.0.0.1:5000 isn=4294967290\nendpoint server 10.0.0.2:80 isn=4294967295\n0ms server listen\n0ms client connect server\n100ms client send 100\n200ms server send 10\n300ms client close\non server CLOSE_WAIT server close\n`;
  const r = run(text, 'default', DEFAULT_LIMITS, { onDeliver: (d) => deliveries.push(d) });
  const t = r.trace;
  const data = t.segments.find((s) => s.from === 'client' && s.len > 0);
  assert.equal(data?.seq, 4294967291);
  const ack = t.segments.find((s) => s.from === 'server' && s.sentAt === 110);
  assert.equal(ack?.ack, 95);
  assert.equal(t.segments.find((s) => s.from === 'server' && s.len > 0)?.seq, 0);
  assert.deepEqual(
    deliveries.map((d) => [d.endpoint, d.len]),
    [
      ['server', 100],
      ['client', 10],
    ],
  );
  assert.equal(finalState(t, 'server'), 'CLOSED');
  assert.equal(t.hazards.length, 0);
});
