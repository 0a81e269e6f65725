// The words the preview gives screen readers (webview/describe.ts): a segment, a diagram, the results.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SegmentRow, VariantView } from '../../src/protocol';
import { describeSegment, diagramDescription, diagramName, flagWords, resultsSentence } from '../../webview/describe';

const T = { timeout: 10_000 };

const row = (over: Partial<SegmentRow>): SegmentRow => ({
  n: 5,
  sentAt: 100,
  arrivedAt: 110,
  from: 'client',
  to: 'server',
  flags: 'FIN,ACK',
  seq: 513,
  ack: 301,
  len: 0,
  fate: 'delivered',
  retransmission: false,
  injected: false,
  causeLine: 7,
  note: '',
  ...over,
});

test('a segment in words, as the issue asks: "segment 5, client to server, FIN and ACK, sequence 513, lost"', T, () => {
  assert.equal(
    describeSegment(row({ fate: 'dropped', arrivedAt: null, ack: null })),
    'segment 5, client to server, FIN and ACK, sequence 513, sent at 100ms, lost, caused by line 7',
  );
  assert.equal(
    describeSegment(row({ flags: 'PSH,ACK', len: 100, retransmission: true, arrivedAt: 1500 })),
    'segment 5, client to server, PSH and ACK, sequence 513, acknowledgment 301, 100 bytes, retransmission, sent at 100ms, arrives at 1.5s, caused by line 7',
  );
  assert.equal(flagWords(''), 'no flags');
  assert.equal(flagWords('SYN'), 'SYN');
  assert.equal(flagWords('SYN,FIN,ACK'), 'SYN, FIN and ACK');
});

test('a diagram is named by its view, title and variant, and described by endpoints, segments and hazards', T, () => {
  assert.equal(diagramName('sequence', 'Lost SYN', null), 'Sequence diagram of "Lost SYN"');
  assert.equal(diagramName('timeline', '', 'slow'), 'State timeline, variant "slow"');
  const v = {
    label: 'default',
    sequence: { text: '', arrowSegments: [], window: null },
    hazards: [{ t: 1, kind: 'reset-close', endpoint: 'server', segment: 2, message: '' }],
    errors: [{ t: 1, endpoint: 'client', call: 'send', code: 'ENOTCONN', line: 5, expectedBy: 6 }],
    expectations: [
      { line: 6, text: 'expect client error ENOTCONN', ok: true, message: '' },
      { line: 7, text: 'expect no hazards', ok: false, message: 'x' },
    ],
  } as unknown as VariantView;
  const d = diagramDescription('sequence', v, [
    row({ n: 1 }),
    row({ n: 2, from: 'server', to: 'client', fate: 'dropped' }),
  ]);
  assert.match(
    d,
    /^Endpoints client and server\. 2 segments, 1 lost\. 1 hazard: reset-close\. 1 of 2 expectations passed\. Arrow keys/,
  );
  assert.doesNotMatch(d, /call error/, 'an expected error is not counted');
  assert.equal(resultsSentence([v]), '1 expectation passed, 1 failed, 1 hazard, 0 call errors.');
});
