// The state timeline laid out at a given width (TimelineOptions.width, the preview's pane): over
// every example and variant, at the width of a 443 px side pane, of a 600 px one, the narrowest
// and the standalone CHART_WIDTH, the chart stays within that width (section names in the left
// padding, every bar inside the bar area, the title within it) and every label lies within its
// bar; a wider pane names more states in full, never fewer.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import type { Trace } from '../../src/core/trace';
import {
  CHART_WIDTH,
  MIN_CHART_WIDTH,
  STATE_ABBREVIATIONS,
  chartWidth,
  textPx,
  timelineChart,
  timelineTicks,
} from '../../src/core/render/timeline';
import { ladderTrace } from '../../src/protocol/ladder';
import { EXAMPLES_DIR, examplePath, scenarioNames } from './helpers/examples';
import { ganttDb } from './helpers/mermaidParse';

/** What a 443 px and a 600 px pane give the chart (webview/panes.ts: the pane less 2 x 8 px of margin). */
const WIDTHS = [MIN_CHART_WIDTH, 443 - 16, 600 - 16, CHART_WIDTH];
const NO_LABEL = '\u200B';
const ABBREVIATIONS = new Set<string>(Object.values(STATE_ABBREVIATIONS));

function runs(): Array<{ name: string; trace: Trace }> {
  return scenarioNames(EXAMPLES_DIR).flatMap((name) =>
    analyze(readFileSync(examplePath(name), 'utf8')).runs.map((trace) => ({ name: `${name} ${trace.variant}`, trace })),
  );
}

interface Laid {
  /** States named in full, abbreviated, or left to the legend. */
  full: number;
  abbreviated: number;
}

/** Checks one chart laid out at `width`; returns how its states are named. */
async function checkWithin(trace: Trace, width: number, what: string): Promise<Laid> {
  const chart = timelineChart(trace, { pageAxis: true, width });
  const num = (key: string): number => Number(new RegExp(`\\n {4}${key}: (\\d+)`).exec(chart.text)![1]);
  const left = num('leftPadding');
  const right = num('rightPadding');
  const barArea = width - left - right;
  assert.ok(barArea >= width / 2, `${what}: a bar area of ${barArea} px in ${width}`);
  const drawn0 = chart.axis.drawn[0];
  const span = chart.axis.drawn[chart.axis.drawn.length - 1] - drawn0;
  const px = barArea / Math.max(1, span);
  const db = await ganttDb(chart.text);
  // Mermaid centres the title (18 px text) and cuts off what is wider than the chart.
  const title = db.getDiagramTitle();
  assert.ok((textPx(title) * 18) / 12 <= width - 16, `${what}: title "${title}" wider than the chart`);
  // Mermaid writes a section's name 10 px from the left, one line per <br>.
  for (const section of db.getSections())
    for (const line of section.split(/<br\s*\/?>/i))
      assert.ok(10 + textPx(line) <= left, `${what}: section "${line}" wider than its ${left} px`);
  let full = 0;
  let abbreviated = 0;
  for (const t of db.getTasks()) {
    if (t.vert) continue;
    const x1 = (t.startTime.getTime() - drawn0) * px;
    const x2 = (t.endTime.getTime() - drawn0) * px;
    assert.ok(x1 >= -0.5 && x2 <= barArea + 0.5, `${what}: "${t.task}" at ${x1}..${x2} outside 0..${barArea}`);
    const label = t.task.trim();
    if (label === NO_LABEL || label === '') continue;
    if (t.milestone) {
      // An error's or hazard's words beside its diamond: on one side or the other, within the SVG.
      const room = Math.max(x1 + left, barArea + right - x1) - 10;
      assert.ok(textPx(label) <= room, `${what}: "${label}" (${textPx(label)} px) has ${room} px beside its diamond`);
      continue;
    }
    assert.ok(textPx(label) <= x2 - x1, `${what}: "${label}" (${textPx(label)} px) in a bar of ${x2 - x1} px`);
    const name = label.split(' ')[0];
    if (/^[A-Z][A-Z_0-9]*$/.test(name) && !/^(legend|shortened)$/.test(t.section)) {
      if (ABBREVIATIONS.has(name)) abbreviated++;
      else full++;
    }
  }
  return { full, abbreviated };
}

describe('timeline laid out at a given width', () => {
  it('stays within the width, each label within its bar, over every example (320, 427, 584, 1000 px)', async () => {
    const all = runs();
    assert.ok(all.length >= 30, `${all.length} runs`);
    for (const { name, trace } of all) {
      let before: Laid | null = null;
      for (const width of WIDTHS) {
        const laid = await checkWithin(trace, width, `${name} at ${width} px`);
        // A wider chart names at least as many states in full.
        if (before)
          assert.ok(
            laid.full >= before.full,
            `${name}: ${laid.full} full names at ${width} px, ${before.full} narrower`,
          );
        before = laid;
      }
    }
  });

  it('the 60 s TIME_WAIT example: abbreviated in a 443 px pane (with the legend), every name in full at 1000 px', async () => {
    const text = readFileSync(examplePath('time-wait-lost-final-ack.tcpscn'), 'utf8').replace(
      /set msl = \S+/,
      'set msl = 30s',
    );
    const trace = analyze(text).runs[0];
    const narrow = await checkWithin(trace, 443 - 16, 'narrow');
    assert.ok(narrow.abbreviated > 0 && narrow.full > 0, JSON.stringify(narrow));
    assert.match(timelineChart(trace, { pageAxis: true, width: 443 - 16 }).text, /section legend\n.* = /);
    // The folded minute says how long it was, in a side pane too (its room comes before the
    // names'); the shorter fold too where there is room.
    for (const width of [443 - 16, 600 - 16, CHART_WIDTH]) {
      const chart = timelineChart(trace, { pageAxis: true, width });
      const num = (key: string): number => Number(new RegExp(`\\n {4}${key}: (\\d+)`).exec(chart.text)![1]);
      const span = chart.axis.drawn[chart.axis.drawn.length - 1] - chart.axis.drawn[0];
      const { breaks } = timelineTicks(chart.axis, (width - num('leftPadding') - num('rightPadding')) / span);
      assert.deepEqual(
        breaks.map((b) => b.label),
        [width >= CHART_WIDTH ? '+550ms' : null, '+59.95s'],
        `at ${width} px`,
      );
    }
    const wide = await checkWithin(trace, CHART_WIDTH, 'wide');
    assert.equal(wide.abbreviated, 0);
    assert.ok(wide.full > narrow.full);
  });

  it('a long title keeps as many of its first words as fit, with an ellipsis, in one pass', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i}`);
    const text = `title "${words.join(' ')}"\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n0 b listen\n0 a connect b\n`;
    const trace = analyze(text).runs[0];
    for (const width of [MIN_CHART_WIDTH, 427, CHART_WIDTH]) {
      const title = /^title (.*)$/m.exec(timelineChart(trace, { pageAxis: true, width }).text)![1];
      const maxPx = ((width - 16) * 12) / 18;
      assert.ok(textPx(title) <= maxPx, `${width}: "${title}" fits`);
      const m = /^(.*)\u2026 - (.*)$/.exec(title);
      // With no word kept, the title is the chart's own name alone (the narrowest chart).
      const kept = m ? m[1].split(' ') : [];
      const suffix = m ? m[2] : title;
      assert.deepEqual(kept, words.slice(0, kept.length), `${width}: the first words, in order`);
      if (width === CHART_WIDTH) assert.ok(kept.length >= 5, `${width}: "${title}" keeps words`);
      const oneMore = `${[...kept, words[kept.length]].join(' ')}\u2026 - ${suffix}`;
      assert.ok(textPx(oneMore) > maxPx, `${width}: one more word would not fit`);
    }
  });

  it('a run the preview cut is said to end there and why, not to have stopped', () => {
    const trace = analyze(readFileSync(examplePath('mss-segmentation.tcpscn'), 'utf8')).runs[0];
    const cut = ladderTrace(trace, 4);
    assert.match(cut.truncated ?? '', /^the preview draws the first 4 of \d+ segments$/);
    const text = timelineChart(cut, { width: CHART_WIDTH }).text;
    // (Mermaid's gantt syntax takes a colon as the end of a task's name: the label has U+2236.)
    assert.match(text, /ends 250ms\u2236 the preview draws the first 4 of 11 segments/);
    assert.doesNotMatch(text, /run stopped/);
  });

  it('wraps a long connection name over two lines in a narrow chart, keeps it whole in a wide one', () => {
    const trace = analyze(readFileSync(examplePath('old-duplicate-syn.tcpscn'), 'utf8')).runs[0];
    const sections = (width: number): string[] =>
      [...timelineChart(trace, { width }).text.matchAll(/^section (.*)$/gm)].map((m) => m[1]);
    assert.ok(sections(CHART_WIDTH).some((s) => /^\w+ to \w+, connection 2$/.test(s)));
    assert.ok(
      sections(443 - 16).some((s) => /^\w+ to \w+,<br>connection 2$/.test(s)),
      sections(427).join(' | '),
    );
  });

  it('a width below the narrowest, or none, is laid out at the narrowest or the standalone width', () => {
    assert.equal(chartWidth(100), MIN_CHART_WIDTH);
    assert.equal(chartWidth(undefined), CHART_WIDTH);
    assert.equal(chartWidth(Number.NaN), CHART_WIDTH);
    assert.equal(chartWidth(812.4), 812);
    // The standalone (Markdown, command line) chart is unchanged: CHART_WIDTH, its own useWidth.
    const trace = analyze(readFileSync(examplePath('handshake-and-close.tcpscn'), 'utf8')).runs[0];
    assert.match(timelineChart(trace, { fixedWidth: true }).text, /\n {4}useWidth: 1000\n/);
  });
});
