// Growth targets: how cost grows when a run gets bigger. For each way a simulator run can grow
// (simShapes.ts), a run 8 times the size must take under 20 times the CPU time of the small
// one: n log n gives about 9-10, a scan per event over everything the run has accumulated
// gives 64. And the sequence renderer: 10 000 segments in under 100 ms, under 25 times the
// time of 1 000 (linear gives 10). CPU time (process.cpuUsage), the best of a few warm runs.
// These were unit tests once; a timing bound fails on a loaded machine, so they live here.

import type { Scenario } from '../src/core/ast';
import { parse } from '../src/core/parser';
import { renderSequence } from '../src/core/render/sequence';
import { simulate } from '../src/core/sim/simulate';
import { bigTrace } from '../test/unit/fixtures/traces';
import { fullWindow, manyConnections, manyErrors, manyRules, manySends } from './simShapes';
import { bestCpuMs, ms, target, type Target } from './stats';

const LIMITS = { maxSegments: 10_000_000, maxEvents: 100_000_000 };
const FACTOR = 8;
const SIM_BOUND = 20;

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

function scenarioOf(text: string): Scenario {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`growth scenario has errors: ${errors.map((d) => d.message).join('; ')}`);
  return r.scenario;
}

function simCpu(scenario: Scenario): { ms: number; segments: number } {
  const { ms: t, result } = bestCpuMs(() => simulate(scenario, 'default', LIMITS));
  if (result.trace.truncated !== null) throw new Error(`growth run truncated: ${result.trace.truncated}`);
  return { ms: t, segments: result.trace.segments.length };
}

export function growthTargets(log: (s: string) => void): Target[] {
  const out: Target[] = [];
  for (const [name, make, k] of SHAPES) {
    const a = simCpu(scenarioOf(make(k)));
    const b = simCpu(scenarioOf(make(FACTOR * k)));
    if (b.segments < (FACTOR - 0.5) * a.segments)
      throw new Error(
        `${name}: the big run should have about ${FACTOR}x the segments (${a.segments} -> ${b.segments})`,
      );
    // A floor of 1 ms keeps a small run that is near-instant on a fast machine from inflating the ratio.
    const ratio = b.ms / Math.max(a.ms, 1);
    const detail = `${a.segments} segments: ${ms(a.ms)} ms; ${b.segments} segments: ${ms(b.ms)} ms CPU`;
    out.push(target(`simulator growth, ${FACTOR}x size: ${name}`, ratio, 'x', 'below', SIM_BOUND, detail));
    log(`  ${name}: ${detail} (x${ratio.toFixed(1)})`);
  }
  const render = (n: number) => {
    const trace = bigTrace(n);
    return bestCpuMs(() => renderSequence(trace), 5).ms;
  };
  const small = render(1_000);
  const large = render(10_000);
  const detail = `1 000 segments: ${ms(small)} ms; 10 000 segments: ${ms(large)} ms CPU`;
  out.push(target('sequence render of 10 000 segments', large, 'ms', 'below', 100, detail));
  out.push(
    target('sequence render growth, 1 000 -> 10 000 segments', large / Math.max(small, 1), 'x', 'below', 25, detail),
  );
  log(`  sequence render: ${detail}`);
  return out;
}
