// The event queue's order (time, then insertion) and cancellation; option resolution and
// variant labels.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { resolveOptions, variantLabels } from '../../src/core/sim/options';
import { EventQueue } from '../../src/core/sim/queue';
import { DEFAULT_OPTIONS } from '../../src/core/types';
import { scenarioOf } from './simBuild';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

test('queue: pops by time, then by insertion order; cancelled events are skipped', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 200 }), (items) => {
      const q = new EventQueue();
      const events = items.map(([t, cancel], i) => ({ t, i, cancel, ev: q.push(t, () => undefined) }));
      for (const e of events) if (e.cancel) e.ev.cancelled = true;
      const expected = events
        .filter((e) => !e.cancel)
        .sort((a, b) => a.t - b.t || a.i - b.i)
        .map((e) => e.ev);
      const got = [];
      for (let ev = q.peek(); ev; ev = q.peek()) got.push(q.pop());
      assert.deepEqual(got, expected);
      assert.equal(q.size, 0);
    }),
    { numRuns: RUNS },
  );
});

test('options: defaults, then set, then the variant overrides; labels default first in file order', () => {
  const sc = scenarioOf(
    `set msl = 1s\nset rto = 200ms\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\nvariant "x" time_wait = 0, rto = 3s\nvariant "y" rfc1337 = on, challenge_ack = off, isn = clock\n0ms a listen\n0ms b connect a\n`,
  );
  assert.deepEqual(variantLabels(sc), ['default', 'x', 'y']);
  assert.deepEqual(resolveOptions(sc, 'default'), { ...DEFAULT_OPTIONS, msl: 1000, rto: 200 });
  assert.deepEqual(resolveOptions(sc, 'x'), { ...DEFAULT_OPTIONS, msl: 1000, rto: 3000, timeWait: 0 });
  assert.deepEqual(resolveOptions(sc, 'y'), {
    ...DEFAULT_OPTIONS,
    msl: 1000,
    rto: 200,
    rfc1337: true,
    challengeAck: false,
    isn: 'clock',
  });
});

test('queue: preloaded events merge with pushed ones as if all had been pushed, preloaded first', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 60 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 60 }),
      (pre, later) => {
        // Reference: one queue that gets everything by push, in the same order.
        const ref = new EventQueue();
        const q = new EventQueue();
        const refPre = pre.map(([t]) => ref.push(t, () => undefined));
        const qPre = q.preload(pre.map(([t]) => ({ t, run: () => undefined })));
        const refLater = later.map(([t]) => ref.push(t, () => undefined));
        const qLater = later.map(([t]) => q.push(t, () => undefined));
        pre.forEach(([, c], i) => {
          if (c) refPre[i].cancelled = qPre[i].cancelled = true;
        });
        later.forEach(([, c], i) => {
          if (c) refLater[i].cancelled = qLater[i].cancelled = true;
        });
        const order = (queue: EventQueue, all: { seq: number }[]): number[] => {
          const got: number[] = [];
          for (let ev = queue.peek(); ev; ev = queue.peek()) got.push(all.indexOf(queue.pop() as never));
          return got;
        };
        assert.deepEqual(order(q, [...qPre, ...qLater]), order(ref, [...refPre, ...refLater]));
        assert.equal(q.size, 0);
      },
    ),
    { numRuns: RUNS },
  );
});

test('queue: preload after a push is refused (the merge relies on preloaded events being scheduled first)', () => {
  const q = new EventQueue();
  q.push(1, () => undefined);
  assert.throws(() => q.preload([{ t: 0, run: () => undefined }]), /before any push/);
});
