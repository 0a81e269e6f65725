// Typing bursts become one update after the pause; stale renders are recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Debouncer, type TimerApi } from '../../src/extension/preview/debounce';
import { Generations } from '../../webview/renderer';
import { clampScale, zoomAround, MAX_SCALE, MIN_SCALE } from '../../webview/zoom';

function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; cb: () => void }>();
  const api: TimerApi = {
    set: (cb, ms) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, cb });
      return id;
    },
    clear: (h) => void pending.delete(h as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= now) {
        pending.delete(id);
        t.cb();
      }
    }
  };
  return { api, advance, pendingCount: () => pending.size };
}

test('a burst of triggers runs the action once, delay after the last one', () => {
  const t = fakeTimers();
  let runs = 0;
  const d = new Debouncer(50, () => runs++, t.api);
  for (let i = 0; i < 10; i++) {
    d.trigger();
    t.advance(20);
  }
  assert.equal(runs, 0);
  t.advance(29);
  assert.equal(runs, 0);
  t.advance(1);
  assert.equal(runs, 1);
  assert.equal(t.pendingCount(), 0);
  d.trigger();
  t.advance(50);
  assert.equal(runs, 2);
});

test('flush runs a pending action now; cancel drops it', () => {
  const t = fakeTimers();
  let runs = 0;
  const d = new Debouncer(50, () => runs++, t.api);
  d.flush();
  assert.equal(runs, 0);
  d.trigger();
  assert.equal(d.isPending, true);
  d.flush();
  assert.equal(runs, 1);
  t.advance(100);
  assert.equal(runs, 1);
  d.trigger();
  d.cancel();
  t.advance(100);
  assert.equal(runs, 1);
});

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
