// Core benchmark: parse, simulate and render (sequence + timeline) separately, for scenarios of
// growing size; the median of several runs of each phase, segments per second for the
// simulator, and how cost grows from one size to the next (compared with n log n).

import { analyze } from '../src/core/index';
import { parse } from '../src/core/parser';
import { renderMarkdown } from '../src/core/render/markdown';
import { renderSequence } from '../src/core/render/sequence';
import { renderTimeline } from '../src/core/render/timeline';
import { simulate } from '../src/core/sim/simulate';
import { DEFAULT_LIMITS } from '../src/core/types';
import { buildUpdate } from '../src/extension/preview/payload';
import { median, timeRuns } from './stats';

export interface PhaseTimes {
  parse: number;
  simulate: number;
  renderSequence: number;
  renderTimeline: number;
  /** The whole `update` message the preview gets: analyze + windowed sequence + timeline + rows. */
  previewUpdate: number;
  /** analyze() alone: parse + simulate + expectations. */
  analyze: number;
}

export interface CoreRow {
  scenario: string;
  target: number;
  segments: number;
  transitions: number;
  textChars: number;
  sequenceChars: number;
  timelineChars: number;
  runs: number;
  medianMs: PhaseTimes;
  simSegmentsPerSecond: number;
  /** parse + simulate + render sequence + render timeline. */
  totalMs: number;
  truncated: string | null;
}

export interface Growth {
  scenario: string;
  from: number;
  to: number;
  segmentsRatio: number;
  simulateRatio: number;
  totalRatio: number;
  /** (m log m) / (n log n) for the real segment counts: what n log n growth would give. */
  nLogNRatio: number;
}

const SOURCE = { uri: 'file:///bench.tcpscn', fileName: 'bench.tcpscn', version: 1, locked: false };

export function benchScenario(name: string, target: number, text: string): CoreRow {
  const parsed = parse(text);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(
      `${name} ${target}: the generated scenario has errors: ${parsed.diagnostics.map((d) => d.message).join('; ')}`,
    );
  }
  const first = simulate(parsed.scenario, 'default', DEFAULT_LIMITS).trace;
  const segments = first.segments.length;
  // Fewer repetitions for the big ones keep the whole bench around a minute on 2 cores.
  const runs = segments > 5000 ? 5 : segments > 500 ? 9 : 21;
  const scenario = parsed.scenario;
  const trace = first;
  const times: PhaseTimes = {
    parse: median(timeRuns(() => parse(text), runs)),
    simulate: median(timeRuns(() => simulate(scenario, 'default', DEFAULT_LIMITS), runs)),
    renderSequence: median(timeRuns(() => renderSequence(trace), runs)),
    renderTimeline: median(timeRuns(() => renderTimeline(trace), runs)),
    previewUpdate: median(timeRuns(() => buildUpdate(analyze(text), SOURCE), runs)),
    analyze: median(timeRuns(() => analyze(text), runs)),
  };
  return {
    scenario: name,
    target,
    segments,
    transitions: trace.transitions.length,
    textChars: text.length,
    sequenceChars: renderSequence(trace).text.length,
    timelineChars: renderTimeline(trace).length,
    runs,
    medianMs: times,
    simSegmentsPerSecond: Math.round((segments / times.simulate) * 1000),
    totalMs: times.parse + times.simulate + times.renderSequence + times.renderTimeline,
    truncated: trace.truncated,
  };
}

export function growth(rows: readonly CoreRow[]): Growth[] {
  const out: Growth[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    if (a.scenario !== b.scenario) continue;
    const nlogn = (n: number) => n * Math.log2(Math.max(2, n));
    out.push({
      scenario: b.scenario,
      from: a.segments,
      to: b.segments,
      segmentsRatio: b.segments / a.segments,
      simulateRatio: b.medianMs.simulate / a.medianMs.simulate,
      totalRatio: b.totalMs / a.totalMs,
      nLogNRatio: nlogn(b.segments) / nlogn(a.segments),
    });
  }
  return out;
}

export interface FileRow {
  name: string;
  chars: number;
  lines: number;
  diagnostics: number;
  analyzeMs: number;
  /** analyze + Markdown (both diagrams of every variant), what `tcpscn render --format markdown` does. */
  analyzeAndRenderMs: number;
}

/** analyze() on whole files (examples, hostile inputs): the editor's cost per keystroke. */
export function benchFile(name: string, text: string, runs = 7): FileRow {
  const a = analyze(text);
  return {
    name,
    chars: text.length,
    lines: text.split('\n').length,
    diagnostics: a.diagnostics.length,
    analyzeMs: median(timeRuns(() => analyze(text), runs)),
    analyzeAndRenderMs: median(timeRuns(() => renderMarkdown(analyze(text).runs), runs)),
  };
}
