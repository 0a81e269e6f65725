// The message validators guard both ends of postMessage: every kind that one side sends must
// pass, and anything malformed must be turned away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  documentOf,
  decodeSegmentRows,
  encodeSegmentRows,
  isSegmentRow,
  isToExtension,
  isToWebview,
  isWebviewState,
  type SegmentRow,
  type ToExtension,
  type ToWebview,
  type VariantView,
  type WebviewState,
} from '../../src/protocol';
import { variantView } from '../../src/extension/preview/payload';
import { handshakeTrace, troubleTrace, bigTrace } from './fixtures/traces';

const runs = Number(process.env.FUZZ_RUNS ?? 200);

const row: SegmentRow = {
  n: 1,
  sentAt: 0,
  arrivedAt: 50,
  from: 'client',
  to: 'server',
  flags: 'SYN',
  seq: 0,
  ack: null,
  len: 0,
  fate: 'delivered',
  retransmission: false,
  injected: false,
  causeLine: 12,
  note: 'connect',
};
const variant: VariantView = {
  label: 'default',
  sequence: { text: 'sequenceDiagram', arrowSegments: [1], window: null },
  segmentRows: encodeSegmentRows([row]),
  traceEvents: '{}',
  ladderSegments: '[]',
  hazards: [{ t: 1, kind: 'reset-close', endpoint: 'server', segment: 1, message: 'm' }],
  errors: [
    { t: 2, endpoint: 'client', call: 'connect', code: 'EADDRINUSE', line: 4 },
    { t: 3, endpoint: 'c', call: 'recv', code: 'ECONNRESET', line: null },
  ],
  expectations: [{ line: 20, text: 'expect no hazards', ok: false, message: 'found one' }],
  truncated: null,
  endedAt: 60_000,
};
const uri = 'file:///w/a.tcpscn';
const source = { fileName: 'a.tcpscn', version: 3, locked: false };

const validToWebview: ToWebview[] = [
  { type: 'update', uri, source, title: 'T', runnable: true, problems: [], variants: [variant] },
  {
    type: 'update',
    uri,
    source: { ...source, locked: true },
    title: '',
    runnable: false,
    problems: [{ severity: 'error', line: 2, column: 1, message: 'bad' }],
    variants: [],
  },
  {
    type: 'window',
    uri,
    variant: 'default',
    sequence: { text: 's', arrowSegments: [401, 402], window: { from: 401, to: 800, total: 1000 } },
    segmentRows: encodeSegmentRows([{ ...row, n: 401 }]),
  },
  { type: 'cursor', uri, line: 7 },
  { type: 'cursor', uri, line: null },
  { type: 'locked', locked: true },
  { type: 'exportSvg', requestId: 0 },
];
const validToExtension: ToExtension[] = [
  { type: 'ready' },
  { type: 'reveal', uri, line: 3, column: 0 },
  { type: 'reveal', uri, line: 3, column: 5 },
  { type: 'requestWindow', uri, variant: 'no TIME_WAIT', fromSegment: 401, toSegment: 800 },
  { type: 'svg', uri, requestId: 4, svg: '<svg/>', view: 'sequence', variant: 'default', error: '' },
  { type: 'svg', uri, requestId: 4, svg: null, view: 'timeline', variant: '', error: 'not drawn' },
  { type: 'rendered', uri, variant: 'default', view: 'timeline', ok: true, arrows: 0, error: '' },
  { type: 'rendered', uri, variant: 'default, no TIME_WAIT', view: 'ladder', ok: true, arrows: 12, error: '' },
  { type: 'svg', uri, requestId: 5, svg: '<svg/>', view: 'ladder', variant: 'default', error: '' },
  { type: 'view', uri, tab: 'trace', variant: null },
  { type: 'view', uri, tab: 'ladder', variant: 'default' },
  { type: 'drawn', uri, version: 3 },
];

test('every valid message kind to the webview is accepted', () => {
  for (const m of validToWebview) assert.equal(isToWebview(m), true, JSON.stringify(m));
  // and survives the structured clone of postMessage as JSON does
  for (const m of validToWebview) assert.equal(isToWebview(JSON.parse(JSON.stringify(m))), true);
});

test('every valid message kind to the extension is accepted', () => {
  for (const m of validToExtension) assert.equal(isToExtension(m), true, JSON.stringify(m));
});

test('real payloads built from traces pass the validator', () => {
  for (const trace of [handshakeTrace(), troubleTrace(), bigTrace(900)]) {
    const m: ToWebview = {
      type: 'update',
      uri,
      source,
      title: trace.title,
      runnable: true,
      problems: [],
      variants: [variantView(trace)],
    };
    assert.equal(isToWebview(m), true, trace.variant);
  }
});

test('messages of one direction are not accepted as the other', () => {
  for (const m of validToWebview) assert.equal(isToExtension(m), false, JSON.stringify(m));
  for (const m of validToExtension) assert.equal(isToWebview(m), false, JSON.stringify(m));
});

test('malformed messages are rejected', () => {
  const bad: unknown[] = [
    null,
    undefined,
    0,
    'update',
    [],
    {},
    { type: 'nope' },
    { type: 'update', uri, source, title: 'T', runnable: true, problems: [] }, // no variants
    {
      type: 'update',
      uri,
      source: { ...source, version: '3' },
      title: 'T',
      runnable: true,
      problems: [],
      variants: [],
    },
    { type: 'update', uri, source, title: 'T', runnable: 'yes', problems: [], variants: [] },
    {
      type: 'update',
      uri,
      source,
      title: 'T',
      runnable: true,
      problems: [{ severity: 'fatal', line: 1, column: 1, message: '' }],
      variants: [],
    },
    {
      type: 'update',
      uri,
      source,
      title: 'T',
      runnable: true,
      problems: [{ severity: 'error', line: 0, column: 1, message: '' }],
      variants: [],
    },
    {
      type: 'update',
      uri,
      source,
      title: 'T',
      runnable: true,
      problems: [],
      variants: [{ ...variant, segmentRows: [row] }],
    },
    {
      type: 'update',
      uri,
      source,
      title: 'T',
      runnable: true,
      problems: [],
      variants: [{ ...variant, sequence: { text: 's', arrowSegments: [1.5], window: null } }],
    },
    {
      type: 'window',
      uri,
      variant: 'default',
      sequence: { text: 's', arrowSegments: [], window: { from: 9, to: 3, total: 10 } },
      segmentRows: '[]',
    },
    {
      type: 'window',
      uri,
      variant: 'default',
      sequence: { text: 's', arrowSegments: [], window: { from: 1, to: 30, total: 10 } },
      segmentRows: '[]',
    },
    {
      type: 'window',
      uri,
      variant: 'default',
      sequence: { text: 's', arrowSegments: [], window: null },
      segmentRows: null,
    },
    { type: 'cursor', uri, line: 0 },
    { type: 'cursor', uri, line: '4' },
    { type: 'cursor' },
    { type: 'locked', locked: 1 },
    { type: 'exportSvg', requestId: -1 },
    { type: 'exportSvg', requestId: 1.5 },
  ];
  for (const m of bad) assert.equal(isToWebview(m), false, JSON.stringify(m));
  const badExt: unknown[] = [
    { type: 'reveal', uri, line: 0, column: 0 },
    { type: 'reveal', uri, line: 2 },
    { type: 'reveal', uri, line: Number.NaN, column: 0 },
    { type: 'requestWindow', uri, variant: 'd', fromSegment: 10, toSegment: 5 },
    { type: 'requestWindow', uri, variant: 1, fromSegment: 1, toSegment: 5 },
    { type: 'svg', uri, requestId: 1, svg: 42, view: 'sequence', variant: '', error: '' },
    { type: 'svg', uri, requestId: 1, svg: null, view: 'trace', variant: '', error: '' },
    { type: 'rendered', uri, variant: 'd', view: 'sequence', ok: true, arrows: -1, error: '' },
    { type: 'view', uri, tab: 'gantt', variant: null },
    { type: 'ready ' },
  ];
  for (const m of badExt) assert.equal(isToExtension(m), false, JSON.stringify(m));
});

test('every message about a document says which document; those about the panel need not', () => {
  const without = (m: object): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...m };
    delete copy.uri;
    return copy;
  };
  for (const m of validToWebview) {
    const aboutDocument = documentOf(m) !== null;
    assert.equal(aboutDocument, m.type !== 'locked' && m.type !== 'exportSvg', m.type);
    if (aboutDocument) {
      assert.equal(isToWebview(without(m)), false, `${m.type} without uri`);
      assert.equal(isToWebview({ ...m, uri: 7 }), false, `${m.type} with a numeric uri`);
    }
  }
  for (const m of validToExtension) {
    const aboutDocument = documentOf(m) !== null;
    assert.equal(aboutDocument, m.type !== 'ready', m.type);
    if (aboutDocument) assert.equal(isToExtension(without(m)), false, `${m.type} without uri`);
  }
});

test('a segment row with a missing or mistyped field is rejected', () => {
  for (const key of Object.keys(row) as (keyof SegmentRow)[]) {
    const copy: Record<string, unknown> = { ...row };
    delete copy[key];
    assert.equal(isSegmentRow(copy), false, `without ${key}`);
    copy[key] = { nested: true };
    assert.equal(isSegmentRow(copy), false, `${key} as object`);
  }
});

test('segment rows cross as one string and come back equal; malformed rows decode to null', () => {
  const rows: SegmentRow[] = [
    row,
    { ...row, n: 2, arrivedAt: null, ack: 1, causeLine: null, note: '<img src=x onerror=alert(1)> "quoted" \u202e' },
  ];
  assert.deepEqual(decodeSegmentRows(encodeSegmentRows(rows)), rows);
  assert.deepEqual(decodeSegmentRows(encodeSegmentRows([])), []);
  for (const bad of [
    '',
    '{',
    'null',
    '{}',
    '[1]',
    JSON.stringify([{ ...row, n: 0 }]),
    JSON.stringify([row, { ...row, fate: 3 }]),
  ]) {
    assert.equal(decodeSegmentRows(bad), null, bad);
  }
});

test('a variant built from a big trace carries every row of its window, decodable', () => {
  const v = variantView(bigTrace(1200));
  const rows = decodeSegmentRows(v.segmentRows);
  assert.ok(rows);
  const w = v.sequence.window;
  assert.ok(w);
  assert.deepEqual(
    rows.map((r) => r.n),
    Array.from({ length: w.to - w.from + 1 }, (_, i) => w.from + i),
  );
});

test('arbitrary values never pass as messages unless they have a known shape', () => {
  fc.assert(
    fc.property(fc.anything(), (x) => {
      // fc.anything() can produce only tiny objects; none of them has every field of a kind with fields
      const a = isToWebview(x);
      const b = isToExtension(x);
      if (a) assert.ok(typeof x === 'object' && x !== null);
      if (b)
        assert.ok(
          typeof x === 'object' &&
            x !== null &&
            ['ready', 'reveal', 'view', 'rendered', 'svg', 'requestWindow'].includes((x as { type: string }).type),
        );
    }),
    { numRuns: runs },
  );
  fc.assert(
    fc.property(
      fc.record({
        type: fc.constantFrom('update', 'window', 'reveal', 'svg', 'rendered'),
        line: fc.anything(),
        variant: fc.anything(),
      }),
      (x) => {
        assert.equal(isToWebview(x), false);
        assert.equal(isToExtension(x), false);
      },
    ),
    { numRuns: runs },
  );
});

test('webview state: valid states pass, broken ones fail', () => {
  const ok: WebviewState = {
    uri: 'file:///a.tcpscn',
    locked: true,
    tab: 'timeline',
    variant: null,
    transforms: { 'sequence:default': { scale: 1.5, x: -20, y: 4 } },
  };
  assert.equal(isWebviewState(ok), true);
  assert.equal(isWebviewState({ ...ok, tab: 'other' }), false);
  assert.equal(isWebviewState({ ...ok, uri: undefined }), false);
  assert.equal(isWebviewState({ ...ok, transforms: { k: { scale: 0, x: 0, y: 0 } } }), false);
  assert.equal(isWebviewState({ ...ok, transforms: { k: { scale: 1, x: Infinity, y: 0 } } }), false);
  assert.equal(isWebviewState(undefined), false);
});
