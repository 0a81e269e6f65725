// Stale renders are recognised; zoom stays bounded. (When edits are drawn: preview.schedule.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generations } from '../../webview/renderer';
import { clampScale, zoomAround, MAX_SCALE, MIN_SCALE } from '../../webview/zoom';

test('only the newest generation is current', () => {
  const g = new Generations();
  const a = g.next();
  assert.equal(g.isCurrent(a), true);
  const b = g.next();
  assert.equal(g.isCurrent(a), false);
  assert.equal(g.isCurrent(b), true);
});

test('zooming around a point keeps that point still and the scale bounded', () => {
  const t0 = { scale: 1, x: 10, y: 20 };
  const t1 = zoomAround(t0, 2, 110, 220);
  // the diagram point under (110, 220) was ((110-10)/1, (220-20)/1) = (100, 200)
  assert.equal((110 - t1.x) / t1.scale, 100);
  assert.equal((220 - t1.y) / t1.scale, 200);
  assert.equal(zoomAround(t0, 1e9, 0, 0).scale, MAX_SCALE);
  assert.equal(zoomAround(t0, 1e-9, 0, 0).scale, MIN_SCALE);
  assert.equal(clampScale(1), 1);
});
