// The state timeline's axis in a real Chromium (skipped where Chromium is not installed): the
// webview built as VS Code serves it, fed the update the extension sends for the lost-final-ACK
// example with a 60 s TIME_WAIT. The axis, which Mermaid can only print in the compressed
// (drawn) time, must show real times once the page has drawn it: read from the rendered SVG,
// every tick is a real duration, in increasing order left to right, none inside the folded
// minute, the folded minute says how long it is, and each state's bar starts and ends between
// the ticks of its real start and end (the times its own label gives).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import { buildUpdate } from '../../src/extension/preview/payload';
import { newWebviewPage, skipWithoutChromium, startWebviewPages, type WebviewPages } from './helpers/webviewPage';

const ROOT = join(__dirname, '..', '..');
const skip = skipWithoutChromium(': the timeline axis test needs a real browser');

let pages: WebviewPages;

/** `250ms`, `1.5s` (formatDuration's forms) in ms, or NaN. */
function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text.trim());
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : Number.NaN;
}

interface AxisRead {
  ticks: Array<{ x: number; label: string; lineTop: number }>;
  breaks: Array<{ x1: number; x2: number; label: string }>;
  bars: Array<{ x1: number; x2: number; label: string }>;
  svgWidth: number;
}

const READ = `(() => {
  const svg = document.querySelector('#timeline .variant-pane:not([hidden]) svg');
  const ticks = [...svg.querySelectorAll('g.grid > g.tick:not(.tcpscn-axis-break)')].map((g) => {
    const t = g.querySelector('text').getBoundingClientRect();
    const line = g.querySelector('line');
    return { x: t.left + t.width / 2, label: g.querySelector('text').textContent, lineTop: line ? line.getBoundingClientRect().top : NaN };
  });
  const breaks = [...svg.querySelectorAll('g.grid > g.tcpscn-axis-break')].map((g) => {
    const p = g.querySelector('path').getBoundingClientRect();
    return { x1: p.left, x2: p.right, label: g.querySelector('text') ? g.querySelector('text').textContent : '' };
  });
  const bars = [...svg.querySelectorAll('rect.task')].map((r) => {
    const b = r.getBoundingClientRect();
    const text = svg.querySelector('text[id="' + r.id + '-text"]');
    return { x1: b.left, x2: b.right, label: text ? text.textContent : '' };
  });
  return { ticks, breaks, bars, svgWidth: svg.getBoundingClientRect().width };
})()`;

describe('the timeline axis shows real times (Chromium)', { skip }, () => {
  before(async () => {
    pages = await startWebviewPages();
  });
  after(async () => {
    await pages?.close();
  });

  it('ticks of a 60 s TIME_WAIT: real times, increasing, consistent with the states drawn', async () => {
    const text = readFileSync(join(ROOT, 'examples', 'time-wait-lost-final-ack.tcpscn'), 'utf8').replace(
      /set msl = \S+/,
      'set msl = 30s',
    );
    const analysis = analyze(text);
    // Two variants side by side, each pane ~775 px wide: the chart is laid out at its pane's
    // width, where several bars have room for their real start and duration.
    const { page, errors } = await newWebviewPage(pages.browser, { width: 1600, height: 800 });
    await page.addInitScript(() =>
      document.addEventListener('DOMContentLoaded', () => document.body.classList.add('vscode-light')),
    );
    await page.goto(`${pages.base}/`);
    await page.waitForFunction(
      () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
      undefined,
      { timeout: 15_000 },
    );
    const update = buildUpdate(analysis, {
      uri: 'file:///w/tw60.tcpscn',
      fileName: 'tw60.tcpscn',
      version: 1,
      locked: false,
    });
    await page.evaluate((m) => window.postMessage(m, '*'), update);
    await page.click('#tab-timeline');
    await page.waitForFunction(
      () => document.querySelector('#timeline .variant-pane:not([hidden]) svg g.grid > g.tick[data-t]'),
      undefined,
      { timeout: 30_000 },
    );
    const read = (await (page.evaluate as unknown as (s: string) => Promise<AxisRead>).call(page, READ)) as AxisRead;
    const ticks = read.ticks.map((t) => ({ ...t, ms: durationMs(t.label) }));
    const labels = ticks.map((t) => t.label).join(' ');
    assert.ok(ticks.length >= 5, `${ticks.length} ticks: ${labels}`);
    for (const t of ticks) assert.ok(Number.isFinite(t.ms), `"${t.label}" is a real time (${labels})`);
    for (let i = 1; i < ticks.length; i++) {
      assert.ok(ticks[i].x > ticks[i - 1].x, `left to right: ${labels}`);
      assert.ok(ticks[i].ms > ticks[i - 1].ms, `increasing: ${labels}`);
    }
    // The run lasts 61 s: the axis reaches it, and its last tick is where the run ends.
    const endedAt = analysis.runs[0].endedAt;
    assert.equal(ticks[ticks.length - 1].ms, endedAt, labels);
    // The folded minute: marked, labelled with its length, with no tick inside it.
    const minute = read.breaks.find((b) => durationMs(b.label.replace(/^\+/, '')) > 50_000);
    assert.ok(minute, `a break for the minute: ${JSON.stringify(read.breaks)}`);
    assert.match(minute.label, /^\+\d/);
    for (const t of ticks)
      assert.ok(!(t.x > minute.x1 + 1 && t.x < minute.x2 - 1), `${t.label} inside the folded minute`);

    // Each state whose label gives its real start and length (`TIME_WAIT 500ms +60.5s`): its
    // bar's ends lie between the ticks around those times.
    const xAt = (ms: number): [number, number] => {
      const before = ticks.filter((t) => t.ms <= ms).pop();
      const after = ticks.find((t) => t.ms >= ms);
      return [before ? before.x : -Infinity, after ? after.x : Infinity];
    };
    let judged = 0;
    for (const bar of read.bars) {
      const m = /^[A-Z_0-9]+ (\S+) \+(\S+)$/.exec(bar.label.trim());
      if (!m) continue;
      const start = durationMs(m[1]);
      const end = start + durationMs(m[2]);
      for (const [edge, ms] of [
        [bar.x1, start],
        [bar.x2, end],
      ] as const) {
        const [lo, hi] = xAt(ms);
        assert.ok(edge >= lo - 1.5 && edge <= hi + 1.5, `${bar.label}: edge at ${edge} not between ${lo} and ${hi}`);
      }
      judged++;
    }
    assert.ok(judged >= 2, `${judged} bars with their times judged`);
    // The grid lines go up from the real ticks over the rows.
    assert.ok(ticks.every((t) => t.lineTop < 200));
    assert.deepEqual(errors, []);
    // The tab was switched while the sequence diagram was being drawn: both drew (a render that
    // cleared Mermaid's whole scratch element broke the next one in the queue).
    const failed = await page.evaluate(() =>
      (window as unknown as { __posted: Array<{ type: string; ok?: boolean; error?: string }> }).__posted
        .filter((m) => m.type === 'rendered' && m.ok === false)
        .map((m) => m.error),
    );
    assert.deepEqual(failed, []);
    // The SVG export is the drawing with its real times (not Mermaid's drawn ms).
    await page.evaluate(() => window.postMessage({ type: 'exportSvg', requestId: 7 }, '*'));
    await page.waitForFunction(
      () => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'svg'),
      undefined,
      { timeout: 15_000 },
    );
    const exported = await page.evaluate(() =>
      (window as unknown as { __posted: Array<{ type: string; svg?: string; view?: string }> }).__posted.find(
        (m) => m.type === 'svg',
      )!,
    );
    assert.equal(exported.view, 'timeline');
    const tickTexts = [
      ...(exported.svg ?? '').matchAll(/<g class="tick"[^>]*data-t="[^"]*"[^>]*>[\s\S]*?<text[^>]*>([^<]*)<\/text>/g),
    ].map((m) => m[1]);
    assert.deepEqual(
      tickTexts,
      ticks.map((t) => t.label),
    );
    assert.match(exported.svg ?? '', />\+59\.95s</);

    // Laid out at the pane's width, shown whole at 100 %; a narrower window lays it out again
    // (once its width settles), and a zoom the user chose survives that.
    const shown = () =>
      page.evaluate(() => {
        const pane = document.querySelector('#timeline .variant-pane:not([hidden])')!;
        const svg = pane.querySelector('svg')!;
        const vp = pane.querySelector('.viewport')!;
        return {
          svgWidth: Number(svg.getAttribute('width')),
          paneWidth: vp.clientWidth,
          transform: (pane.querySelector('.canvas') as HTMLElement).style.transform,
        };
      });
    const first = await shown();
    assert.equal(first.svgWidth, first.paneWidth - 16, JSON.stringify(first));
    assert.match(first.transform, /scale\(1\)/);
    await page.click('#zoom-in');
    const zoomed = (await shown()).transform;
    assert.match(zoomed, /scale\(1\.25\)/);
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.waitForFunction(
      (before) => {
        const pane = document.querySelector('#timeline .variant-pane:not([hidden])')!;
        return Number(pane.querySelector('svg')!.getAttribute('width')) < before;
      },
      first.svgWidth,
      { timeout: 15_000 },
    );
    const after = await shown();
    assert.equal(after.svgWidth, after.paneWidth - 16, JSON.stringify(after));
    assert.equal(after.transform, zoomed, 'the zoom the user chose stays');
    await page.close();
  });
});
