// The Ladder tab in a real Chromium: it draws the core's layout of every variant (side by side
// when the pane is wide, the chosen one when narrow), a real mouse click on an arrow (page
// coordinates, not a dispatched event) and on a label asks for the segment's line, the cursor's
// line marks its arrows, and zoom survives an update. Skipped where Chromium is not installed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import { buildUpdate } from '../../src/extension/preview/payload';
import type { ToWebview } from '../../src/protocol';
import { transfer } from '../../bench/scenarios';
import {
  newWebviewPage,
  skipWithoutChromium,
  startWebviewPages,
  type Page,
  type WebviewPages,
} from './helpers/webviewPage';

const ROOT = join(__dirname, '..', '..');
const skip = skipWithoutChromium();
const EXAMPLE = 'time-wait-old-duplicate.tcpscn';
const text = readFileSync(join(ROOT, 'examples', EXAMPLE), 'utf8');
const T = { timeout: 120_000 };

type Mouse = {
  mouse: {
    click(x: number, y: number): Promise<void>;
    move(x: number, y: number): Promise<void>;
    wheel(dx: number, dy: number): Promise<void>;
  };
};
type Posted = {
  type: string;
  uri?: string;
  version?: number;
  line?: number;
  column?: number;
  view?: string;
  ok?: boolean;
};
type Rendered = { type: 'rendered'; view: string; ok: boolean; arrows: number; variant: string };

let pages: WebviewPages;

const URI = `file:///w/${EXAMPLE}`;

function updateFor(source: string, version = 1): ToWebview {
  return buildUpdate(analyze(source), { uri: URI, fileName: EXAMPLE, version, locked: false });
}

const posted = (page: Page): Promise<Posted[]> =>
  page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);

async function post(page: Page, m: ToWebview, version: number): Promise<void> {
  await page.evaluate((msg) => window.postMessage(msg, '*'), m);
  await page.waitForFunction(
    (v) => (window as unknown as { __posted: Posted[] }).__posted.some((p) => p.type === 'drawn' && p.version === v),
    version,
    { timeout: 30_000 },
  );
}

/** Opens the page, sends the example, and shows the Ladder tab. */
async function open(width: number, height = 800): Promise<{ page: Page & Mouse; errors: string[] }> {
  const { page, errors } = await newWebviewPage(pages.browser, { width, height });
  await page.goto(`${pages.base}/`);
  await page.waitForFunction(
    () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    undefined,
    { timeout: 15_000 },
  );
  await post(page, updateFor(text), 1);
  await page.click('#tab-ladder');
  await page.waitForFunction(() => document.querySelector('#ladder-canvas svg.ladder g.seg'), undefined, {
    timeout: 30_000,
  });
  return { page: page as Page & Mouse, errors };
}

/** A point of segment `n`'s arrow in the panel of `variant`, in page coordinates: at `f` of its length, `off` px below. */
function arrowPoint(page: Page, variant: string, n: number, f: number, off = 0): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ variant, n, f, off }) => {
      const path = document.querySelector<SVGPathElement>(
        `#ladder-canvas g.panel[data-variant="${variant}"] g.seg[data-seg="${n}"] path.hit`,
      )!;
      const len = path.getTotalLength();
      const p = path.getPointAtLength(len * f);
      const m = path.getScreenCTM()!;
      return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f + off };
    },
    { variant, n, f, off },
  );
}

async function lastReveal(page: Page): Promise<Posted | undefined> {
  return (await posted(page)).filter((m) => m.type === 'reveal').at(-1);
}

describe('the Ladder tab in Chromium', { skip }, () => {
  before(async () => {
    pages = await startWebviewPages();
  });
  after(async () => {
    await pages?.close();
  });

  it('draws both variants side by side in a wide pane, and says so', T, async () => {
    const { page, errors } = await open(1300);
    const runs = analyze(text).runs;
    const panels = await page.evaluate(() =>
      [...document.querySelectorAll<SVGElement>('#ladder-canvas g.panel')].map((p) => p.dataset.variant),
    );
    assert.deepEqual(
      panels,
      runs.map((r) => r.variant),
    );
    const rendered = (await posted(page)).filter((m): m is Rendered => m.type === 'rendered' && m.view === 'ladder');
    assert.equal(rendered.at(-1)?.ok, true);
    assert.equal(
      rendered.at(-1)?.arrows,
      runs.reduce((a, r) => a + r.segments.length, 0),
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a real mouse click on an arrow and on a label asks for the line that caused the segment', T, async () => {
    const { page, errors } = await open(1300, 1500);
    const trace = analyze(text).runs[1]!; // "no TIME_WAIT"
    const delayed = trace.segments.find((s) => s.delayedBy > 0)!;
    const syn = trace.segments.find((s) => s.flags.join() === 'SYN' && s.from === 'passerby')!;
    assert.ok(delayed.causeLine !== null && syn.causeLine !== null && delayed.causeLine !== syn.causeLine);

    // The middle of the long delayed arrow (it crosses others: its own label or line is on top there).
    const mid = await arrowPoint(page, trace.variant, delayed.n, 0.5);
    await page.mouse.click(mid.x, mid.y);
    assert.deepEqual(await lastReveal(page), { type: 'reveal', uri: URI, line: delayed.causeLine, column: 0 });

    // 5 px beside a short arrow, a quarter of the way along: the wide invisible stroke catches it.
    const near = await arrowPoint(page, trace.variant, syn.n, 0.2, 5);
    await page.mouse.click(near.x, near.y);
    assert.deepEqual(await lastReveal(page), { type: 'reveal', uri: URI, line: syn.causeLine, column: 0 });

    // The label of the first segment of the default variant.
    const first = analyze(text).runs[0]!.segments[0]!;
    const label = await page.evaluate(() => {
      const r = document
        .querySelector('#ladder-canvas g.panel[data-variant="default"] g.lbl[data-seg="1"] rect')!
        .getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.click(label.x, label.y);
    assert.deepEqual(await lastReveal(page), { type: 'reveal', uri: URI, line: first.causeLine, column: 0 });

    // Far from any arrow (the axis on the left): nothing is asked for.
    const before = (await posted(page)).length;
    const axis = await page.evaluate(() => {
      const r = document.querySelector('#ladder-canvas svg')!.getBoundingClientRect();
      return { x: r.left + 10, y: r.top + r.height - 30 };
    });
    await page.mouse.click(axis.x, axis.y);
    assert.equal((await posted(page)).slice(before).filter((m) => m.type === 'reveal').length, 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("the cursor's line marks its arrows; zoom and pan survive an update", T, async () => {
    const { page, errors } = await open(1300);
    const trace = analyze(text).runs[0]!;
    const line = trace.segments[0]!.causeLine!;
    const caused = trace.segments.filter((s) => s.causeLine === line).map((s) => s.n);
    await page.evaluate(([l, uri]) => window.postMessage({ type: 'cursor', uri, line: l }, '*'), [line, URI] as const);
    await page.waitForFunction(() => document.querySelector('#ladder-canvas g.seg.hl'), undefined, { timeout: 5000 });
    const marked = await page.evaluate(() =>
      [...document.querySelectorAll('#ladder-canvas g.panel[data-variant="default"] g.seg.hl')].map((e) =>
        Number(e.getAttribute('data-seg')),
      ),
    );
    assert.deepEqual(marked, caused);

    await page.click('#zoom-in');
    const zoomed = await page.evaluate(() => document.getElementById('ladder-canvas')!.style.transform);
    assert.match(zoomed, /scale\(1\.25\)/);
    await post(page, updateFor(text.replace('set latency = 50ms', 'set latency = 60ms'), 2), 2);
    await page.waitForFunction(
      () =>
        (window as unknown as { __posted: Posted[] }).__posted.filter(
          (p) => p.type === 'rendered' && p.view === 'ladder',
        ).length >= 2,
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(await page.evaluate(() => document.getElementById('ladder-canvas')!.style.transform), zoomed);
    assert.equal(await page.evaluate(() => document.getElementById('zoom-level')!.textContent), '125%');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an update with the same data does not draw the ladder again; one with other data does', T, async () => {
    const { page, errors } = await open(1300);
    const ladderRenders = async (): Promise<Rendered[]> =>
      (await posted(page)).filter((m): m is Rendered => m.type === 'rendered' && m.view === 'ladder');
    const mark = (): Promise<void> =>
      page.evaluate(() => {
        (document.querySelector('#ladder-canvas svg') as unknown as { __old: boolean }).__old = true;
      });
    const same = (): Promise<boolean> =>
      page.evaluate(
        () => (document.querySelector('#ladder-canvas svg') as unknown as { __old?: boolean } | null)?.__old === true,
      );
    const label = (): Promise<string | null> =>
      page.evaluate(() => document.getElementById('ladder-viewport')!.getAttribute('aria-label'));
    await mark();
    const before = (await ladderRenders()).length;
    const name = await label();
    assert.match(name ?? '', /Ladder/);
    // The same text again: a new message, new objects, equal content (as after an edit of a comment).
    await post(page, updateFor(text, 2), 2);
    assert.equal(await same(), true, 'the drawing on screen is the one drawn before');
    assert.equal((await ladderRenders()).length, before, 'nothing drawn, so no rendered message');
    assert.equal(await label(), name);
    // Another latency: every arrow moves, and the ladder is drawn again.
    await post(page, updateFor(text.replace('set latency = 50ms', 'set latency = 60ms'), 3), 3);
    assert.equal(await same(), false, 'a changed trace is drawn again');
    const after = await ladderRenders();
    assert.equal(after.length, before + 1);
    assert.equal(after.at(-1)?.ok, true);
    assert.equal(await label(), name);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a narrow pane draws the chosen variant only, no wider than the pane', T, async () => {
    const { page, errors } = await open(460);
    const shown = await page.evaluate(() => {
      const svg = document.querySelector<SVGSVGElement>('#ladder-canvas svg')!;
      const vp = document.getElementById('ladder-viewport')!.getBoundingClientRect();
      return {
        panels: [...svg.querySelectorAll<SVGElement>('g.panel')].map((p) => p.dataset.variant),
        width: svg.getBoundingClientRect().width,
        room: vp.width,
      };
    });
    assert.deepEqual(shown.panels, ['default']);
    assert.ok(shown.width <= shown.room, `${shown.width} px in ${shown.room}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a run of thousands of segments draws what is in view, and more as the view moves down', T, async () => {
    const { page, errors } = await open(900, 800);
    const big = transfer(3000);
    const total = analyze(big).runs[0]!.segments.length;
    await post(page, updateFor(big, 2), 2);
    const drawnSegs = (): Promise<number[]> =>
      page.evaluate(() =>
        [...document.querySelectorAll('#ladder-canvas g.seg')].map((e) => Number(e.getAttribute('data-seg'))),
      );
    await page.waitForFunction(
      () => (window as unknown as { __posted: Rendered[] }).__posted.filter((p) => p.view === 'ladder').length >= 2,
      undefined,
      { timeout: 20_000 },
    );
    const first = await drawnSegs();
    assert.ok(first.length > 0 && first.length < total / 2, `${first.length} of ${total} drawn`);
    const box = await page.evaluate(() => {
      const r = document.getElementById('ladder-viewport')!.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 1500);
    await page.waitForFunction(
      (before) => {
        const segs = [...document.querySelectorAll('#ladder-canvas g.seg')].map((e) =>
          Number(e.getAttribute('data-seg')),
        );
        return segs.length > 0 && Math.max(...segs) > before;
      },
      Math.max(...first),
      { timeout: 20_000 },
    );
    // Scrolled down, the lines keep their names: the headers are pinned at the top of the view.
    const pinned = await page.evaluate(() => {
      const h = document.getElementById('ladder-header')!;
      const r = h.getBoundingClientRect();
      const vp = document.getElementById('ladder-viewport')!.getBoundingClientRect();
      return { hidden: h.hidden, text: h.textContent ?? '', top: r.top - vp.top, height: r.height };
    });
    assert.equal(pinned.hidden, false);
    assert.match(pinned.text, /client[\s\S]*server/);
    assert.ok(Math.abs(pinned.top) < 1 && pinned.height > 20, JSON.stringify(pinned));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
