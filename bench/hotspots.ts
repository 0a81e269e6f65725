// Speed targets on inputs that once made a unit test time itself: the parser on 1 MB files
// and 100 000-character lines, the lexer on long lines, clipping quotes in long messages,
// completion and hover in a large document with a huge line, the simulator's segments per
// second and a huge send stopped by the default limits. CPU time (process.cpuUsage), the best
// of a few warm runs. A timing bound in a unit test fails on a loaded machine, so the bounds
// live here; the unit tests keep what checks the results.

import { complete } from '../src/core/assist/complete';
import { hover } from '../src/core/assist/hover';
import { lexLine } from '../src/core/lexer';
import { parse } from '../src/core/parser';
import { simulate } from '../src/core/sim/simulate';
import { clipQuotes } from '../src/core/suggest';
import { DEFAULT_LIMITS } from '../src/core/types';
import { bestCpuMs, ms, target, type Target } from './stats';
import { faultyMegabyte, LONG_LEX_LINES, LONG_PARSE_LINES, validMegabyte } from '../test/fixtures/bigInputs';

function worst(inputs: readonly string[], run: (s: string) => unknown, times: number): { ms: number; which: string } {
  let w = { ms: 0, which: '' };
  for (const s of inputs) {
    const t = bestCpuMs(() => run(s), times).ms;
    if (t >= w.ms) w = { ms: t, which: JSON.stringify(s.slice(0, 12)) };
  }
  return w;
}

const SIM_BASE =
  'set latency = 10ms\nendpoint client 10.0.0.1:5000 isn=100\nendpoint server 10.0.0.2:80 isn=300\n0ms server listen\n0ms client connect server\n';

export function hotspotTargets(log: (s: string) => void): Target[] {
  const out: Target[] = [];
  const add = (t: Target) => {
    out.push(t);
    log(`  ${t.name}: ${t.detail}`);
  };

  const valid = validMegabyte();
  const v = bestCpuMs(() => parse(valid));
  add(
    target(
      'parse a valid 1 MB, 30 000-line file',
      v.ms,
      'ms',
      'below',
      700,
      `${valid.length} chars, ${v.result.scenario.events.length} events: ${ms(v.ms)} ms CPU`,
    ),
  );
  const faulty = faultyMegabyte();
  const f = bestCpuMs(() => parse(faulty));
  add(
    target(
      'parse a 1 MB file of 30 000 faulty lines',
      f.ms,
      'ms',
      'below',
      700,
      `${faulty.length} chars, ${f.result.diagnostics.length} diagnostics: ${ms(f.ms)} ms CPU`,
    ),
  );

  const p = worst(LONG_PARSE_LINES, (s) => parse(s), 2);
  add(
    target(
      'parse a 100 000-character line (slowest of 15 kinds)',
      p.ms,
      'ms',
      'below',
      500,
      `slowest ${p.which}: ${ms(p.ms)} ms CPU`,
    ),
  );
  const l = worst(LONG_LEX_LINES, (s) => lexLine(s, 0), 1);
  add(
    target(
      'lex a 100 000-character line (slowest of 9 kinds)',
      l.ms,
      'ms',
      'below',
      300,
      `slowest ${l.which}: ${ms(l.ms)} ms CPU`,
    ),
  );
  const c = bestCpuMs(() => [clipQuotes('`' + 'a'.repeat(1_000_000)), clipQuotes('`a` '.repeat(100_000))], 1);
  add(
    target('clip quotes in 1 000 000- and 400 000-character messages', c.ms, 'ms', 'below', 300, `${ms(c.ms)} ms CPU`),
  );

  const many = Array.from({ length: 3000 }, (_, k) => `endpoint e${k} 10.0.${k >> 8}.${k & 255}:80`).join('\n');
  const longCall = `0ms ${'x'.repeat(100_000)} `;
  const comp = bestCpuMs(() => {
    complete(`${many}\n1s net drop `, { line: 3000, character: 12 });
    complete(`${many}\n${longCall}`, { line: 3000, character: longCall.length });
  }, 1);
  add(
    target(
      'completion in 3 000 endpoints, then at the end of a 100 000-character line',
      comp.ms,
      'ms',
      'below',
      2000,
      `${ms(comp.ms)} ms CPU for both`,
    ),
  );
  const longSend = `0ms e1 send "${'x'.repeat(100_000)}" # ${'y'.repeat(1000)}`;
  const hov = bestCpuMs(() => hover(`${many}\n${longSend}`, { line: 3000, character: 5 }), 1);
  add(
    target(
      'hover on a 100 000-character line after 3 000 endpoints',
      hov.ms,
      'ms',
      'below',
      1000,
      `${ms(hov.ms)} ms CPU`,
    ),
  );

  const both = parse(`${SIM_BASE}100ms client send 100000000\n100ms server send 100000000\n`).scenario;
  const s = bestCpuMs(() => simulate(both, 'default', { maxSegments: 100_000, maxEvents: 10_000_000 }));
  const rate = (s.result.trace.segments.length / s.ms) * 1000;
  add(
    target(
      'simulator speed, data both ways up to 100 000 segments',
      rate,
      'segments/s',
      'atLeast',
      200_000,
      `${s.result.trace.segments.length} segments: ${ms(s.ms)} ms CPU`,
    ),
  );
  const huge = parse(`${SIM_BASE}100ms client send 4000000000\n`).scenario;
  const h = bestCpuMs(() => simulate(huge, 'default', DEFAULT_LIMITS), 1);
  add(
    target(
      'a 4 GB send stopped by the default limits',
      h.ms,
      'ms',
      'below',
      5000,
      `${h.result.trace.segments.length} segments (${h.result.trace.truncated ?? 'not truncated'}): ${ms(h.ms)} ms CPU`,
    ),
  );
  return out;
}
