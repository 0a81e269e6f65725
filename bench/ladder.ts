// Ladder benchmark: the core's layoutLadder and renderLadderSvg (what the Ladder tab, the command
// line and the exports run) at about 30, 500 and 10 000 segments, median of several runs; and at
// 10 000 the webview's way, laid out for what is on one screen only (the `visibleY` option, which
// the page uses beyond a few thousand segments). Goal: layout + SVG of 500 segments < 50 ms.

import { analyze } from '../src/core/index';
import { layoutLadder, renderLadderSvg } from '../src/core/render/ladder/index';
import type { Trace } from '../src/core/trace';
import { median, timeRuns } from './stats';
import { transfer } from './scenarios';

export const LADDER_SIZES = [30, 500, 10_000];
export const LADDER_GOAL_MS = 50;
export const LADDER_GOAL_SEGMENTS = 500;

export interface LadderRow {
  what: string;
  segments: number;
  /** Segments laid out and drawn (all of them, or those in the viewport). */
  drawn: number;
  layoutMs: number;
  svgMs: number;
  totalMs: number;
  svgKB: number;
  runs: number;
}

function row(what: string, traces: Trace[], visibleY?: { top: number; bottom: number }): LadderRow {
  const segments = traces.reduce((a, t) => a + t.segments.length, 0);
  const runs = segments > 5000 ? 5 : 15;
  const opts = { width: 800, visibleY };
  const layout = layoutLadder(traces, opts);
  const svg = renderLadderSvg(layout);
  const layoutMs = median(timeRuns(() => layoutLadder(traces, opts), runs));
  const svgMs = median(timeRuns(() => renderLadderSvg(layout), runs));
  const totalMs = median(timeRuns(() => renderLadderSvg(layoutLadder(traces, opts)), runs));
  return {
    what,
    segments,
    drawn: layout.panels.reduce((a, p) => a + p.arrows.length, 0),
    layoutMs,
    svgMs,
    totalMs,
    svgKB: Math.round(svg.length / 102.4) / 10,
    runs,
  };
}

export function benchLadder(log: (s: string) => void): LadderRow[] {
  const rows: LadderRow[] = [];
  for (const n of LADDER_SIZES) {
    const traces = analyze(transfer(n)).runs;
    const r = row(`transfer ~${n}`, traces);
    rows.push(r);
    log(`  transfer ${r.segments} segments: layout+SVG ${r.totalMs.toFixed(1)} ms`);
    if (n >= 5000) {
      // The page's way: one 800 px screen (and a screen above and below) of the middle is drawn.
      const mid = layoutLadder(traces, { width: 800, visibleY: { top: 0, bottom: 0 } }).height / 2;
      const v = row(`transfer ~${n}, in view only`, traces, { top: mid - 800, bottom: mid + 1600 });
      rows.push(v);
      log(`  transfer ${v.segments} segments, ${v.drawn} in view: layout+SVG ${v.totalMs.toFixed(1)} ms`);
    }
  }
  return rows;
}
