// When edits reach the preview (schedule.ts), on a fake clock: at once when updates are fast,
// coalesced while one is in flight (one waiting at most), paused for bursts and slow documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BURST_PAUSE_MS,
  DRAW_TIMEOUT_MS,
  MAX_PAUSE_MS,
  UpdateScheduler,
  pauseFor,
  type TimerApi,
} from '../../src/extension/preview/schedule';

function fakeClock() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; cb: () => void }>();
  const timers: TimerApi = {
    set: (cb, ms) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, cb });
      return id;
    },
    clear: (h) => void pending.delete(h as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...pending].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].cb();
    }
    now = end;
  };
  return { timers, clock: { now: () => now }, advance, now: () => now };
}

/** A scheduler whose updates take `analysisMs` then `drawMs` (the webview answers `drawn`). */
function setup(analysisMs: number, drawMs: number) {
  const c = fakeClock();
  const starts: number[] = [];
  const s: UpdateScheduler = new UpdateScheduler(
    () => {
      starts.push(c.now());
      s.analysed(analysisMs);
      c.timers.set(() => s.drawn(), analysisMs + drawMs);
    },
    c.timers,
    c.clock,
  );
  return { ...c, s, starts };
}

test('a single edit after a fast update is drawn at once (next tick), not after a fixed pause', () => {
  const t = setup(1, 20);
  t.s.start(); // the first update when the preview opens
  t.advance(100);
  assert.deepEqual(t.starts, [0]);
  t.s.edit();
  t.advance(0);
  assert.deepEqual(t.starts, [0, 100]);
});

test('typing at 150 ms a key with fast updates: every key is drawn at once', () => {
  const t = setup(1, 20);
  t.s.start();
  t.advance(200);
  for (let i = 0; i < 10; i++) {
    t.s.edit();
    t.advance(150);
  }
  assert.equal(t.starts.length, 11);
  for (let i = 1; i < 11; i++) assert.equal(t.starts[i], 200 + (i - 1) * 150);
});

test('edits during an update in flight are coalesced into one update right after it', () => {
  const t = setup(1, 100);
  t.s.start();
  t.advance(10);
  for (let i = 0; i < 5; i++) {
    t.s.edit();
    t.advance(10);
  }
  assert.deepEqual(t.starts, [0], 'nothing starts while the first is in flight');
  assert.equal(t.s.hasWaiting, true);
  t.advance(200);
  assert.deepEqual(t.starts, [0, 101], 'exactly one more, as soon as the first was drawn');
});

test('a burst (keys closer than 30 ms) waits for a pause after its last key', () => {
  const t = setup(1, 5);
  t.s.start();
  t.advance(100);
  t.s.edit(); // first key: at once
  t.advance(0);
  t.advance(6 + 1); // that update is done
  for (let i = 0; i < 5; i++) {
    t.s.edit();
    t.advance(10);
  }
  const before = t.starts.length;
  t.advance(BURST_PAUSE_MS);
  assert.equal(t.starts.length, before + 1, 'one update for the burst');
  assert.equal(t.starts.at(-1), 100 + 7 + 40 + BURST_PAUSE_MS);
});

test('a document with slow analysis gets a pause after the last edit, bounded', () => {
  assert.equal(pauseFor({ analysisMs: 80, totalMs: 300 }, 1000), 160);
  assert.equal(pauseFor({ analysisMs: 1000, totalMs: 2000 }, 1000), MAX_PAUSE_MS);
  assert.equal(pauseFor({ analysisMs: 1, totalMs: 20 }, 1000), 0);
  // A drawing of up to 120 ms: a lone key goes at once (its pause could only catch burst keys).
  assert.equal(pauseFor({ analysisMs: 5, totalMs: 110 }, 1000), 0);
  assert.equal(pauseFor({ analysisMs: 5, totalMs: 110 }, 10), BURST_PAUSE_MS);
  assert.equal(pauseFor({ analysisMs: 5, totalMs: 800 }, 1000), 200);
  assert.equal(pauseFor(null, Infinity), 0);
  const t = setup(80, 50);
  t.s.start();
  t.advance(500);
  t.s.edit();
  t.advance(100);
  t.s.edit(); // the pause restarts at the last edit
  t.advance(159);
  assert.equal(t.starts.length, 1);
  t.advance(1);
  assert.equal(t.starts.length, 2);
  assert.equal(t.starts[1], 500 + 100 + 160);
});

test('a webview that never answers does not block edits forever', () => {
  const c = fakeClock();
  let runs = 0;
  const s = new UpdateScheduler(() => runs++, c.timers, c.clock);
  s.start();
  s.edit();
  c.advance(DRAW_TIMEOUT_MS - 1);
  assert.equal(runs, 1);
  c.advance(1);
  c.advance(0);
  assert.equal(runs, 2);
});

test('cancel drops waiting and in-flight updates', () => {
  const t = setup(1, 100);
  t.s.start();
  t.s.edit();
  t.s.cancel();
  t.advance(5000);
  assert.deepEqual(t.starts, [0]);
  assert.equal(t.s.isInFlight, false);
  assert.equal(t.s.hasWaiting, false);
});

test('property: never two updates in flight, at most one waiting, and the last edit is always drawn', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 100);
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 1, max: 400 }),
      (gaps, analysisMs, drawMs) => {
        const c = fakeClock();
        let inFlight = 0;
        let maxInFlight = 0;
        const starts: number[] = [];
        const s: UpdateScheduler = new UpdateScheduler(
          () => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            starts.push(c.now());
            s.analysed(analysisMs);
            c.timers.set(() => {
              inFlight--;
              s.drawn();
            }, analysisMs + drawMs);
          },
          c.timers,
          c.clock,
        );
        let lastEdit = 0;
        for (const g of gaps) {
          c.advance(g);
          s.edit();
          lastEdit = c.now();
        }
        c.advance(10_000);
        assert.ok(maxInFlight <= 1, 'one update at a time');
        assert.ok(starts.length <= gaps.length, 'never more updates than edits');
        assert.ok(starts.length >= 1 && starts.at(-1)! >= lastEdit, 'an update started at or after the last edit');
      },
    ),
    { numRuns: runs },
  );
});
