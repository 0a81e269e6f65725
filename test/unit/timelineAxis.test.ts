// The state timeline's axis: the compression mapping the core exposes as data (drawnAt over the
// axis' instants), the real-time ticks placed through it (timelineTicks), the breaks' labels,
// the room short states get for their full names, and the rows' names.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyze } from '../../src/core/index';
import { formatDuration } from '../../src/core/duration';
import { runCli } from '../../src/cli/commands';
import type { CliDeps } from '../../src/cli/io';
import {
  CHART_WIDTH,
  OFF_SCALE_NOTE,
  renderMarkdown,
  STATE_ABBREVIATIONS,
  compressTime,
  drawnAt,
  textPx,
  timelineChart,
  timelineTicks,
  type TimelineAxis,
} from '../../src/core/render/index';
import { handshakeTrace, tr } from './fixtures/traces';
import { examplePath, scenarioNames, EXAMPLES_DIR } from './helpers/examples';
import { ganttDb } from './helpers/mermaidParse';

/** The bar area's pixels per drawn ms of a chart laid out at CHART_WIDTH (as the text sets its paddings). */
function pxPerDrawnMs(text: string, axis: TimelineAxis): number {
  const num = (key: string): number => Number(new RegExp(`\\n {4}${key}: (\\d+)`).exec(text)![1]);
  const span = axis.drawn[axis.drawn.length - 1] - axis.drawn[0];
  return (CHART_WIDTH - num('leftPadding') - num('rightPadding')) / span;
}

/** The lost-final-ACK example with a 60 s TIME_WAIT (2 x MSL). */
function sixtySecondTimeWait() {
  const text = readFileSync(examplePath('time-wait-lost-final-ack.tcpscn'), 'utf8').replace(
    /set msl = \S+/,
    'set msl = 30s',
  );
  const run = analyze(text).runs[0];
  assert.ok(run.transitions.some((x) => x.to === 'TIME_WAIT'));
  return run;
}

/** Checks what every axis' ticks must hold; returns them. */
function checkTicks(axis: TimelineAxis, px: number) {
  const { ticks, breaks } = timelineTicks(axis, px);
  for (let i = 0; i < ticks.length; i++) {
    const tk = ticks[i];
    assert.equal(tk.label, formatDuration(tk.t), 'labelled with the real time');
    assert.ok(Math.abs(tk.drawn - drawnAt(axis, tk.t)) < 1e-6, `${tk.label} drawn where its time is`);
    for (const b of axis.breaks) assert.ok(!(tk.t > b.start && tk.t < b.end), `${tk.label} inside a folded stretch`);
    if (i === 0) continue;
    const prev = ticks[i - 1];
    assert.ok(tk.t > prev.t && tk.drawn > prev.drawn, `${prev.label} then ${tk.label}: increasing`);
    // Side by side, their labels do not meet: 12 px of air at least.
    const gapPx = (tk.drawn - prev.drawn) * px;
    assert.ok(
      gapPx >= (textPx(tk.label) + textPx(prev.label)) / 2 + 12 - 1e-6,
      `${prev.label} and ${tk.label} ${gapPx} px apart`,
    );
  }
  return { ticks, breaks };
}

describe('timeline axis: the compression mapping', () => {
  it('is monotone, exact at its instants, and keeps distinct instants apart (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 200_000, noNaN: true }), { maxLength: 20 }),
        (instants, probes) => {
          const axis = compressTime(instants);
          const sorted = [...instants].sort((a, b) => a - b);
          assert.deepEqual(axis.points, sorted);
          for (let i = 1; i < axis.drawn.length; i++) assert.ok(axis.drawn[i] > axis.drawn[i - 1]);
          sorted.forEach((t, i) => assert.equal(drawnAt(axis, t), axis.drawn[i]));
          const ps = [...probes].sort((a, b) => a - b);
          for (let i = 1; i < ps.length; i++) assert.ok(drawnAt(axis, ps[i]) >= drawnAt(axis, ps[i - 1]));
          for (const b of axis.breaks) assert.ok(sorted.includes(b.start) && sorted.includes(b.end) && b.end > b.start);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('folds a quiet minute into a break and labels it with its real length, as the Ladder does', () => {
    const chart = timelineChart(handshakeTrace(), { pageAxis: true });
    assert.deepEqual(chart.axis.breaks, [{ start: 460, end: 60_410 }]);
    const { ticks, breaks } = checkTicks(chart.axis, pxPerDrawnMs(chart.text, chart.axis));
    assert.equal(breaks.length, 1);
    assert.equal(breaks[0].label, '+59.95s');
    assert.equal(breaks[0].drawnStart, drawnAt(chart.axis, 460));
    // Where time stops being drawn and where it resumes are both said, before any round tick.
    for (const edge of [460, 60_410])
      assert.ok(
        ticks.some((tk) => tk.t === edge),
        `${edge}: ${ticks.map((t) => t.label).join(' ')}`,
      );
    assert.ok(ticks[0].t === 0, 'the first instant is labelled');
    assert.ok(ticks.length >= 4, ticks.map((t) => t.label).join(' '));
  });

  it('puts no tick inside a folded stretch, however dense the ticks are asked to be', () => {
    const chart = timelineChart(sixtySecondTimeWait(), { pageAxis: true });
    assert.ok(
      chart.axis.breaks.some((b) => b.end - b.start > 50_000),
      'the 60 s TIME_WAIT is folded',
    );
    const px = pxPerDrawnMs(chart.text, chart.axis);
    for (const minPx of [10, 30, 64, 200]) {
      const { ticks } = timelineTicks(chart.axis, px, minPx);
      for (const tk of ticks)
        for (const b of chart.axis.breaks) assert.ok(!(tk.t > b.start && tk.t < b.end), `${tk.label} at ${minPx} px`);
    }
    // And a break too narrow for its label beside its neighbours' loses the label, not a tick.
    const tight = timelineTicks(chart.axis, px / 20);
    for (const b of tight.breaks) if (b.label === null) assert.ok(b.drawnEnd - b.drawnStart >= 0);
    assert.ok(tight.breaks.some((b) => b.label === null));
  });

  it('places round real times between the breaks, on every example (each at its chart width)', () => {
    let judged = 0;
    for (const name of scenarioNames(EXAMPLES_DIR)) {
      const a = analyze(readFileSync(examplePath(name), 'utf8'));
      for (const run of a.runs) {
        const chart = timelineChart(run, { pageAxis: true });
        const { ticks } = checkTicks(chart.axis, pxPerDrawnMs(chart.text, chart.axis));
        assert.ok(ticks.length >= 2, `${name} ${run.variant}: ${ticks.length} ticks`);
        judged += ticks.length;
      }
    }
    assert.ok(judged > 100, `${judged} ticks`);
  });

  it('gives no ticks for an empty axis or a scale that is not a number', () => {
    assert.deepEqual(timelineTicks({ points: [], drawn: [], breaks: [] }, 1), { ticks: [], breaks: [] });
    assert.deepEqual(timelineTicks(compressTime([0, 100]), Number.NaN).ticks, []);
    assert.deepEqual(timelineTicks(compressTime([0, 100]), 0).ticks, []);
  });
});

describe('timeline: full state names where they fit', () => {
  it('names every state that lasts in full for a 60 s TIME_WAIT at the narrowest width', async () => {
    const chart = timelineChart(sixtySecondTimeWait(), { pageAxis: true });
    const db = await ganttDb(chart.text);
    const states = db.getTasks().filter((t) => /^(client|server) /.test(t.section) && !t.milestone);
    assert.ok(states.length >= 7, `${states.length} states`);
    const abbreviations = new Set(Object.values(STATE_ABBREVIATIONS));
    for (const t of states) {
      const label = t.task.trim();
      assert.ok(!abbreviations.has(label), `${t.section}: ${label} abbreviated`);
      assert.match(label, /^[A-Z_0-9]+( |$)/, `${t.section}: "${label}" named`);
    }
    assert.doesNotMatch(chart.text, / = SYN_SENT|FW1 = /, 'no abbreviation legend');
  });

  it('still abbreviates where a name cannot fit: many short states side by side', () => {
    const t = handshakeTrace();
    // 40 short connections one after another: 120 states in ~800 px cannot all be named.
    for (let i = 0; i < 40; i++) {
      const t0 = 500 + 4 * i;
      t.transitions.push(
        tr(t0, 'client', 'server', 'CLOSED', 'SYN_SENT', 'connect', 100 + i),
        tr(t0 + 1, 'client', 'server', 'SYN_SENT', 'ESTABLISHED', 'SYN,ACK', 100 + i),
        tr(t0 + 2, 'client', 'server', 'ESTABLISHED', 'FIN_WAIT_1', 'close', 100 + i),
        tr(t0 + 3, 'client', 'server', 'FIN_WAIT_1', 'CLOSED', 'RST', 100 + i),
      );
    }
    const text = timelineChart(t).text;
    assert.match(text, /section legend/);
  });
});

describe('timeline: rows named as the rest of the project names connections', () => {
  it('says "client to server, connection 2" for a later connection between the same endpoints', () => {
    const a = analyze(readFileSync(examplePath('old-duplicate-syn.tcpscn'), 'utf8'));
    const text = timelineChart(a.runs[0]).text;
    const sections = [...text.matchAll(/^section (.*)$/gm)].map((m) => m[1]);
    assert.ok(
      sections.some((s) => /^\w+ to \w+, connection 2$/.test(s)),
      sections.join(' | '),
    );
    assert.ok(!sections.some((s) => /\(\d+\)$/.test(s)), sections.join(' | '));
  });
});

describe('timeline: Mermaid text outputs, which have no page to write the times', () => {
  it('keep the neutral axis and say why: beside the Markdown chart, on the command line stderr', () => {
    const chart = timelineChart(handshakeTrace(), { fixedWidth: true });
    assert.match(chart.text, /\naxisFormat \u00B7\n/);
    assert.doesNotMatch(chart.text, /%Q/);
    assert.equal(chart.note, OFF_SCALE_NOTE);
    const md = renderMarkdown([handshakeTrace()]);
    assert.ok(md.includes(`\`\`\`\n\n${OFF_SCALE_NOTE}\n`), 'the note right under the timeline block');
    const files = new Map([['tw.tcpscn', readFileSync(examplePath('handshake-and-close.tcpscn'), 'utf8')]]);
    const deps: CliDeps = {
      fs: {
        readFile: (p) => files.get(p)!,
        writeFile: () => undefined,
        kind: (p) => (files.has(p) ? 'file' : 'missing'),
        list: () => [],
      },
      analyze: (t) => analyze(t),
      version: '0',
    };
    const r = runCli(['render', 'tw.tcpscn', '--format', 'timeline'], deps);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\naxisFormat \u00B7\n/);
    assert.ok(r.stderr.includes(OFF_SCALE_NOTE), r.stderr);
  });

  it('a chart to scale keeps Mermaid real axis and no note; the preview gets drawn ms for the page', () => {
    const t = handshakeTrace();
    t.endedAt = 400;
    t.transitions = [
      tr(0, 'server', null, 'CLOSED', 'LISTEN', 'listen', 1),
      tr(100, 'client', 'server', 'CLOSED', 'SYN_SENT', 'connect', 2),
      tr(200, 'client', 'server', 'SYN_SENT', 'ESTABLISHED', 'SYN,ACK', 2),
      tr(300, 'client', 'server', 'ESTABLISHED', 'FIN_WAIT_1', 'close', 2),
    ];
    const chart = timelineChart(t);
    assert.match(chart.text, /\naxisFormat %S\.%L\n/);
    assert.equal(chart.note, null);
    const preview = timelineChart(t, { pageAxis: true });
    assert.match(preview.text, /\naxisFormat %Q\n/);
    assert.equal(preview.note, null);
  });
});
