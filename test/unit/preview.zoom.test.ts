// The first view of a diagram and zoom arithmetic (webview/zoom.ts, pure parts). The first view
// once cut the notes left of the first lifeline; it must show the SVG's whole width when that
// fits at the readable minimum, else start at the SVG's left edge, never in its middle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MARGIN, MAX_SCALE, MIN_SCALE, firstView, zoomAround } from '../../webview/zoom';

const runs = Number(process.env.FUZZ_RUNS ?? 200);

test('a sequence diagram 1400 px wide in a 1200 px pane is shown whole, not cut at the lifelines', () => {
  const t = firstView(1400.5, 1200, 0.5);
  assert.equal(t.x, MARGIN);
  assert.ok(Math.abs(t.x + 1400.5 * t.scale - (1200 - MARGIN)) < 1e-9, 'its right edge meets the right margin');
  assert.equal(t.y, 0);
});

test('a diagram too wide for 50% starts at 50% from its left edge', () => {
  assert.deepEqual(firstView(1400.5, 560, 0.5), { scale: 0.5, x: MARGIN, y: 0 });
  assert.deepEqual(firstView(5000, 1000, 0.7), { scale: 0.7, x: MARGIN, y: 0 });
});

test('a narrow diagram keeps its natural size, centred', () => {
  assert.deepEqual(firstView(400, 816, 0.5), { scale: 1, x: MARGIN + 200, y: 0 });
});

test('a pane not laid out yet or an empty SVG gives the identity at the margin', () => {
  assert.deepEqual(firstView(0, 800, 0.5), { scale: 1, x: MARGIN, y: 0 });
  assert.deepEqual(firstView(800, 0, 0.5), { scale: 1, x: MARGIN, y: 0 });
  assert.deepEqual(firstView(Number.NaN, 800, 0.5), { scale: 1, x: MARGIN, y: 0 });
});

test('first view: the left edge is never off screen; the whole width shows whenever it fits at the minimum', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 100_000, noNaN: true }),
      fc.double({ min: 2 * MARGIN + 1, max: 8000, noNaN: true }),
      fc.constantFrom(0.5, 0.7),
      (natural, viewport, minScale) => {
        const t = firstView(natural, viewport, minScale);
        const available = viewport - 2 * MARGIN;
        assert.ok(t.x >= MARGIN - 1e-9, 'the left edge is inside the margin');
        assert.ok(t.scale >= minScale - 1e-12 && t.scale <= 1, 'readable and never enlarged');
        const fits = natural * minScale <= available;
        if (fits) assert.ok(t.x + natural * t.scale <= viewport - MARGIN + 1e-6, 'the right edge is on screen');
        else assert.equal(t.x, MARGIN, 'too wide: it starts at its left edge');
      },
    ),
    { numRuns: runs },
  );
});

test('zooming around a point keeps that point still and the scale in bounds', () => {
  fc.assert(
    fc.property(
      fc.double({ min: MIN_SCALE, max: MAX_SCALE, noNaN: true }),
      fc.double({ min: 0.01, max: 100, noNaN: true }),
      fc.double({ min: -2000, max: 2000, noNaN: true }),
      fc.double({ min: 0, max: 2000, noNaN: true }),
      (scale, factor, px, py) => {
        const t = { scale, x: 3, y: -7 };
        const z = zoomAround(t, factor, px, py);
        assert.ok(z.scale >= MIN_SCALE && z.scale <= MAX_SCALE);
        // The canvas point under (px, py) before is under it after.
        const cx = (px - t.x) / t.scale;
        const cy = (py - t.y) / t.scale;
        assert.ok(Math.abs(z.x + cx * z.scale - px) < 1e-6 * Math.max(1, Math.abs(px)));
        assert.ok(Math.abs(z.y + cy * z.scale - py) < 1e-6 * Math.max(1, Math.abs(py)));
      },
    ),
    { numRuns: runs },
  );
});
