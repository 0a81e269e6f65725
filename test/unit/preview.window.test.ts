// Big traces are drawn a window at a time; the windows must stay inside the trace and full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WINDOW_SIZE, WINDOW_THRESHOLD, chooseWindow, neighbourWindows, windowContaining } from '../../src/protocol';
import { sequenceView } from '../../src/extension/preview/payload';
import { bigTrace, handshakeTrace } from './fixtures/traces';

const runs = Number(process.env.FUZZ_RUNS ?? 200);

test('small traces are drawn whole', () => {
  assert.equal(chooseWindow(0), null);
  assert.equal(chooseWindow(WINDOW_THRESHOLD), null);
  assert.deepEqual(chooseWindow(WINDOW_THRESHOLD + 1), { from: 1, to: WINDOW_SIZE, total: WINDOW_THRESHOLD + 1 });
});

test('a window asked past the end is pulled back to stay full', () => {
  assert.deepEqual(chooseWindow(1000, 900), { from: 601, to: 1000, total: 1000 });
  assert.deepEqual(chooseWindow(1000, -5), { from: 1, to: 400, total: 1000 });
  assert.deepEqual(chooseWindow(1000, Number.NaN), { from: 1, to: 400, total: 1000 });
});

test('windows are always inside the trace and WINDOW_SIZE long', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: -10, max: 300_000 }), (total, from) => {
      const w = chooseWindow(total, from);
      if (total <= WINDOW_THRESHOLD) return assert.equal(w, null);
      assert.ok(w);
      assert.ok(w.from >= 1 && w.to <= total && w.from <= w.to);
      assert.equal(w.to - w.from + 1, Math.min(WINDOW_SIZE, total));
      const nb = neighbourWindows(w);
      if (nb.previous !== null) assert.ok(nb.previous >= 1 && nb.previous < w.from);
      if (nb.next !== null) assert.ok(nb.next > w.from && nb.next + (w.to - w.from) <= total);
      assert.equal(nb.previous === null, w.from === 1);
      assert.equal(nb.next === null, w.to === total);
    }),
    { numRuns: runs },
  );
});

test('the window containing a segment holds it', () => {
  for (const n of [1, 399, 400, 401, 999, 1000]) {
    const w = windowContaining(1000, n);
    assert.ok(w && w.from <= n && n <= w.to, String(n));
  }
});

test('the sequence view of a big trace is windowed and its rows match its arrows', () => {
  const trace = bigTrace(1000);
  const { sequence, segments } = sequenceView(trace, 401);
  assert.deepEqual(sequence.window, { from: 401, to: 800, total: trace.segments.length });
  assert.ok(segments.every((s) => s.n >= 401 && s.n <= 800));
  assert.equal(segments.length, 400);
  assert.ok(sequence.arrowSegments.every((n) => n >= 401 && n <= 800));
  assert.ok(sequence.text.length < 200_000);
  const small = sequenceView(handshakeTrace());
  assert.equal(small.sequence.window, null);
  assert.equal(small.segments.length, handshakeTrace().segments.length);
});
