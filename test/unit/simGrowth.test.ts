// The simulator's cost grows no worse than n log n with the size of a run (the issue asked for
// it). For each way a run can grow (simShapes.ts), the CPU time of a run 8 times the size must
// stay under 20 times that of the small one: n log n gives about 9-10, a scan per event over
// everything the run has accumulated gives 64. CPU time (process.cpuUsage), not wall-clock,
// and the best of 3 runs after a warm-up, so a busy 2-core machine does not fail it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Scenario } from '../../src/core/ast';
import { simulate } from '../../src/core/sim/simulate';
import { scenarioOf } from './simBuild';
import { fullWindow, manyConnections, manyErrors, manyRules, manySends } from './simShapes';

const LIMITS = { maxSegments: 10_000_000, maxEvents: 100_000_000 };
const FACTOR = 8;
const BOUND = 20;

function bestCpuMs(scenario: Scenario): { ms: number; segments: number } {
  let ms = Infinity;
  let segments = 0;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const r = simulate(scenario, 'default', LIMITS);
    const c = process.cpuUsage(c0);
    ms = Math.min(ms, (c.user + c.system) / 1000);
    segments = r.trace.segments.length;
    assert.equal(r.trace.truncated, null);
  }
  return { ms, segments };
}

// Sizes where a scan of everything accumulated would dominate the big run (Array.shift, for
// one, only turns linear once an array passes about 16 000 items), yet the big run takes a
// few hundred milliseconds at most.
const SHAPES: [string, (k: number) => string, number][] = [
  ['many connections through one server', manyConnections, 1000],
  ['one used-up net rule per connection', manyRules, 1000],
  ['many sends queued behind a small window', manySends, 6000],
  ['an expect error per refused connection, and a trigger each', manyErrors, 2000],
  ['a window full of one-byte segments, in flight and held', fullWindow, 6000],
];

for (const [name, make, k] of SHAPES) {
  test(`growth: ${name}: ${FACTOR}x the size costs under ${BOUND}x the CPU time`, (t) => {
    const small = scenarioOf(make(k));
    const big = scenarioOf(make(FACTOR * k));
    bestCpuMs(small); // warm up: the first runs compile the simulator
    const a = bestCpuMs(small);
    const b = bestCpuMs(big);
    assert.ok(b.segments >= (FACTOR - 0.5) * a.segments, `the big run should have about ${FACTOR}x the segments (${a.segments} -> ${b.segments})`);
    // A floor of 1 ms keeps a small run that is near-instant on a fast machine from inflating the ratio.
    const ratio = b.ms / Math.max(a.ms, 1);
    const said = `${a.segments} segments: ${a.ms.toFixed(1)} ms; ${b.segments} segments: ${b.ms.toFixed(1)} ms (x${ratio.toFixed(1)})`;
    t.diagnostic(said);
    assert.ok(ratio < BOUND, said);
  });
}
