// Table-driven tests of the FIN and the peer's window (RFC 9293 3.8.6, 3.10.7.4): the FIN
// occupies a sequence number, so it is sent only inside the window offered (SND.UNA + SND.WND),
// like data (Linux's tcp_snd_wnd_test counts it in end_seq); it rides on the last data segment
// only when the window has room for it too, and a window that never opens still ends.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finalState, flags, show, traceOf } from './simBuild';

interface Row {
  name: string;
  /** The server's window, and the client's `send` at 100 ms (0: none) before its `close` at 100 ms. */
  window: number;
  send: number;
  /** The client's segments from 100 ms: `sentAt flags seq len`, seq relative to its ISS (100). */
  segments: string[];
  /** When the client reaches FIN_WAIT_2 (null: never), and its error, if any. */
  finWait2At: number | null;
  error?: string;
}

// latency 10 ms, mss 500: a round trip is 20 ms; the client is ESTABLISHED at 20 ms.
const rows: Row[] = [
  {
    name: 'the last burst fills the window: the FIN waits for the ACK that opens it (examples/receive-window)',
    window: 1000,
    send: 3000,
    segments: [
      '100 ACK 1 500',
      '100 ACK 501 500',
      '120 ACK 1001 500',
      '120 ACK 1501 500',
      '140 ACK 2001 500',
      '140 PSH,ACK 2501 500',
      // Window 2001..3000 at 140 ms: the FIN (3001) is beyond it; the ACK of 2501 opens it.
      '160 FIN,ACK 3001 0',
    ],
    finWait2At: 180,
  },
  {
    name: 'one byte of room left after the data: the FIN rides on the last segment',
    window: 1000,
    send: 2999,
    segments: [
      '100 ACK 1 500',
      '100 ACK 501 500',
      '120 ACK 1001 500',
      '120 ACK 1501 500',
      '140 ACK 2001 500',
      '140 FIN,PSH,ACK 2501 499',
    ],
    finWait2At: 160,
  },
  {
    name: 'the data exactly fill the window: the FIN goes alone one round trip later',
    window: 500,
    send: 500,
    segments: ['100 PSH,ACK 1 500', '120 FIN,ACK 501 0'],
    finWait2At: 140,
  },
  {
    // `send` outputs at once (README), so the close at the same instant finds nothing unsent.
    name: 'room for data and FIN: the FIN follows the data at once',
    window: 1000,
    send: 500,
    segments: ['100 PSH,ACK 1 500', '100 FIN,ACK 501 0'],
    finWait2At: 120,
  },
  {
    name: 'no data, open window: the FIN goes at once',
    window: 1000,
    send: 0,
    segments: ['100 FIN,ACK 1 0'],
    finWait2At: 120,
  },
  {
    name: 'zero window, no data: the FIN itself is the window probe, retransmitted until ETIMEDOUT',
    window: 0,
    send: 0,
    segments: [
      '100 FIN,ACK 1 0',
      '1100 FIN,ACK 1 0',
      '3100 FIN,ACK 1 0',
      '7100 FIN,ACK 1 0',
      '15100 FIN,ACK 1 0',
      '31100 FIN,ACK 1 0',
    ],
    finWait2At: null,
    error: 'ETIMEDOUT close',
  },
  {
    name: 'zero window, one byte: the probe byte goes without the FIN, and ends in ETIMEDOUT',
    window: 0,
    send: 1,
    segments: [
      '100 PSH,ACK 1 1',
      '1100 PSH,ACK 1 1',
      '3100 PSH,ACK 1 1',
      '7100 PSH,ACK 1 1',
      '15100 PSH,ACK 1 1',
      '31100 PSH,ACK 1 1',
    ],
    finWait2At: null,
    error: 'ETIMEDOUT send',
  },
];

for (const row of rows) {
  test(`FIN and the window: ${row.name}`, () => {
    const text =
      'set latency = 10ms\nset mss = 500\n' +
      'endpoint client 10.0.0.1:5000 isn=100\n' +
      `endpoint server 10.0.0.2:80 isn=300 window=${row.window}\n` +
      '0ms server listen\n0ms client connect server\n' +
      (row.send > 0 ? `100ms client send ${row.send}\n` : '') +
      '100ms client close\n';
    const t = traceOf(text);
    const mine = t.segments.filter((s) => s.from === 'client' && s.sentAt >= 100);
    assert.deepEqual(
      mine.map((s) => `${s.sentAt} ${flags(s)} ${s.seq - 100} ${s.len}`),
      row.segments,
      show(t),
    );
    // No FIN ever lies beyond the window the server last offered before it was sent.
    for (const s of mine.filter((x) => x.flags.includes('FIN'))) {
      const offered = t.segments.filter(
        (a) => a.from === 'server' && a.arrivedAt !== null && a.arrivedAt <= s.sentAt && a.ack !== null,
      );
      const edge = Math.max(...offered.map((a) => (a.ack as number) + a.window));
      const finSeq = s.seq + s.len;
      if (row.window > 0) assert.ok(finSeq < edge, `FIN ${finSeq - 100} beyond the window edge ${edge - 100}`);
    }
    const fw2 = t.transitions.find((x) => x.endpoint === 'client' && x.to === 'FIN_WAIT_2');
    assert.equal(fw2 ? fw2.t : null, row.finWait2At, show(t));
    assert.deepEqual(
      t.errors.map((e) => `${e.code} ${e.call}`),
      row.error ? [row.error] : [],
    );
    if (row.error) assert.equal(finalState(t, 'client'), 'CLOSED');
  });
}
