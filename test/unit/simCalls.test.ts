// Table-driven tests of the user calls (RFC 9293 3.10.1-3.10.5) in each state: the segment
// sent, the next state and the error recorded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flags, run, show, STATE_FIXTURES, stateAt } from './simBuild';

interface Row {
  /** The fixture (simBuild.ts) whose `who` makes the call. */
  state: keyof typeof STATE_FIXTURES;
  call: string;
  sent: string[];
  next: string;
  error?: string;
}

const rows: Row[] = [
  { state: 'ESTABLISHED', call: 'send 10', sent: ['PSH,ACK'], next: 'ESTABLISHED' },
  { state: 'ESTABLISHED', call: 'close', sent: ['FIN,ACK'], next: 'FIN_WAIT_1' },
  { state: 'ESTABLISHED', call: 'shutdown', sent: ['FIN,ACK'], next: 'FIN_WAIT_1' },
  { state: 'ESTABLISHED', call: 'abort', sent: ['RST'], next: 'CLOSED' },
  { state: 'ESTABLISHED', call: 'connect server', sent: [], next: 'ESTABLISHED', error: 'EINVAL' },
  { state: 'ESTABLISHED', call: 'listen', sent: [], next: 'ESTABLISHED', error: 'EINVAL' },
  { state: 'SYN_SENT', call: 'send 10', sent: [], next: 'SYN_SENT' },
  { state: 'SYN_SENT', call: 'close', sent: [], next: 'CLOSED' },
  { state: 'SYN_SENT', call: 'abort', sent: [], next: 'CLOSED' },
  { state: 'SYN_RECEIVED', call: 'send 10', sent: [], next: 'SYN_RECEIVED' },
  { state: 'SYN_RECEIVED', call: 'close', sent: ['FIN,ACK'], next: 'FIN_WAIT_1' },
  { state: 'SYN_RECEIVED', call: 'abort', sent: ['RST'], next: 'CLOSED' },
  { state: 'FIN_WAIT_1', call: 'send 10', sent: [], next: 'FIN_WAIT_1', error: 'ENOTCONN' },
  { state: 'FIN_WAIT_1', call: 'close', sent: [], next: 'FIN_WAIT_1' },
  { state: 'FIN_WAIT_1', call: 'abort', sent: ['RST'], next: 'CLOSED' },
  { state: 'FIN_WAIT_2', call: 'send 10', sent: [], next: 'FIN_WAIT_2', error: 'ENOTCONN' },
  { state: 'FIN_WAIT_2', call: 'abort', sent: ['RST'], next: 'CLOSED' },
  { state: 'CLOSE_WAIT', call: 'send 10', sent: ['PSH,ACK'], next: 'CLOSE_WAIT' },
  { state: 'CLOSE_WAIT', call: 'close', sent: ['FIN,ACK'], next: 'LAST_ACK' },
  { state: 'CLOSE_WAIT', call: 'abort', sent: ['RST'], next: 'CLOSED' },
  { state: 'LAST_ACK', call: 'send 10', sent: [], next: 'LAST_ACK', error: 'ENOTCONN' },
  { state: 'LAST_ACK', call: 'abort', sent: [], next: 'CLOSED' },
  { state: 'CLOSING', call: 'abort', sent: [], next: 'CLOSED' },
  { state: 'CLOSING', call: 'close', sent: [], next: 'CLOSING' },
  { state: 'TIME_WAIT', call: 'send 10', sent: [], next: 'TIME_WAIT', error: 'ENOTCONN' },
  { state: 'TIME_WAIT', call: 'close', sent: [], next: 'TIME_WAIT' },
  { state: 'TIME_WAIT', call: 'abort', sent: [], next: 'CLOSED' },
  { state: 'TIME_WAIT', call: 'connect server', sent: [], next: 'TIME_WAIT', error: 'EINVAL' },
  { state: 'LISTEN', call: 'close', sent: [], next: 'CLOSED' },
  { state: 'LISTEN', call: 'abort', sent: [], next: 'CLOSED' },
  { state: 'LISTEN', call: 'send 10', sent: [], next: 'LISTEN', error: 'ENOTCONN' },
  { state: 'LISTEN', call: 'shutdown', sent: [], next: 'LISTEN', error: 'ENOTCONN' },
  { state: 'LISTEN', call: 'listen', sent: [], next: 'LISTEN', error: 'EINVAL' },
  { state: 'LISTEN', call: 'connect client', sent: [], next: 'LISTEN', error: 'EINVAL' },
  { state: 'CLOSED', call: 'send 10', sent: [], next: 'CLOSED', error: 'ENOTCONN' },
  { state: 'CLOSED', call: 'close', sent: [], next: 'CLOSED', error: 'ENOTCONN' },
  { state: 'CLOSED', call: 'abort', sent: [], next: 'CLOSED', error: 'ENOTCONN' },
  { state: 'CLOSED', call: 'listen', sent: [], next: 'LISTEN' },
  { state: 'CLOSED', call: 'connect client', sent: ['SYN'], next: 'SYN_SENT' },
];

for (const row of rows) {
  const { who, text: setup } = STATE_FIXTURES[row.state];
  test(`RFC 9293 3.10 calls: ${row.state} + ${row.call} -> [${row.sent.join(' ')}] ${row.next}${row.error ? ` ${row.error}` : ''}`, () => {
    const { trace } = run(`${setup}200ms ${who} ${row.call}\n`);
    assert.equal(stateAt(trace, who, 199), row.state, show(trace));
    const sent = trace.segments.filter((s) => s.sentAt === 200 && s.from === who);
    assert.deepEqual(sent.map(flags), row.sent, show(trace));
    // The call is the last line: the fixture's lines, then it.
    const callLine = setup.split('\n').length;
    for (const s of sent) assert.equal(s.causeLine, callLine);
    assert.equal(stateAt(trace, who, 200), row.next, show(trace));
    const errors = trace.errors.filter((e) => e.t === 200);
    assert.deepEqual(
      errors.map((e) => e.code),
      row.error ? [row.error] : [],
    );
    for (const e of errors) assert.equal(e.line, callLine);
  });
}
