// The preview's webview in a real Chromium, after the first drawing: what the segment rows are
// used for (the cursor's highlight, a click on an arrow, the Trace tab), the view's height as
// the banner comes and goes and the tabs change, and that an update which changes nothing
// around the diagram leaves the rest of the page alone. Skipped where Chromium is not installed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import { buildUpdate } from '../../src/extension/preview/payload';
import type { ToWebview } from '../../src/protocol';
import {
  newWebviewPage,
  skipWithoutChromium,
  startWebviewPages,
  type Browser,
  type Page,
  type WebviewPages,
} from './helpers/webviewPage';

const ROOT = join(__dirname, '..', '..');
const skip = skipWithoutChromium();
const EXAMPLE = 'handshake-and-close.tcpscn';
const text = readFileSync(join(ROOT, 'examples', EXAMPLE), 'utf8');

let pages: WebviewPages;
let browser: Browser;

const URI = `file:///w/${EXAMPLE}`;

function updateFor(source: string, version = 1): ToWebview {
  return buildUpdate(analyze(source), { uri: URI, fileName: EXAMPLE, version, locked: false });
}

type Posted = { type: string; uri?: string; version?: number; line?: number; column?: number; view?: string };
const posted = (page: Page): Promise<Posted[]> =>
  page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);

/** Posts `m` and waits until the page says it is done with that version (drawn or skipped). */
async function post(page: Page, m: ToWebview, version: number): Promise<void> {
  await page.evaluate((msg) => window.postMessage(msg, '*'), m);
  await page.waitForFunction(
    (v) => (window as unknown as { __posted: Posted[] }).__posted.some((p) => p.type === 'drawn' && p.version === v),
    version,
    { timeout: 30_000 },
  );
}

async function open(width = 1200, height = 800): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newWebviewPage(browser, { width, height });
  await page.goto(`${pages.base}/`);
  await page.waitForFunction(
    () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    undefined,
    { timeout: 15_000 },
  );
  await post(page, updateFor(text), 1);
  await page.waitForFunction(() => document.querySelector('#sequence svg [data-segment]'), undefined, {
    timeout: 30_000,
  });
  return { page, errors };
}

const frames = (page: Page): Promise<unknown> =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));

/** The shown view body's bottom edge and the window's height. */
function bodyFit(page: Page): Promise<{ bottom: number; innerHeight: number; height: number }> {
  return page.evaluate(() => {
    const body = [...document.querySelectorAll<HTMLElement>('.view-body')].find(
      (b) => b.getBoundingClientRect().height > 0,
    )!;
    const r = body.getBoundingClientRect();
    return { bottom: r.bottom, innerHeight: window.innerHeight, height: r.height };
  });
}

describe('the preview webview after the first drawing, in Chromium', { skip }, () => {
  before(async () => {
    pages = await startWebviewPages();
    browser = pages.browser;
  });

  after(async () => {
    await pages?.close();
  });

  it("the cursor's line marks the arrows of the segments it caused; a click on an arrow asks for its line", async () => {
    const { page, errors } = await open();
    const trace = analyze(text).runs[0]!;
    // A line that caused more than one segment (the connect: SYN, and the handshake's replies are the peer's).
    const byLine = new Map<number, number[]>();
    for (const s of trace.segments)
      if (s.causeLine !== null) byLine.set(s.causeLine, [...(byLine.get(s.causeLine) ?? []), s.n]);
    const [line, segments] = [...byLine].sort((a, b) => b[1].length - a[1].length)[0]!;
    assert.ok(segments.length >= 1);

    await page.evaluate(([l, uri]) => window.postMessage({ type: 'cursor', uri, line: l }, '*'), [line, URI] as const);
    await page.waitForFunction(
      () => document.querySelector('#sequence [data-et="message"].tcpscn-highlight'),
      undefined,
      { timeout: 5000 },
    );
    const marked = await page.evaluate(() =>
      [...document.querySelectorAll<SVGElement>('#sequence [data-et="message"].tcpscn-highlight')].map((e) =>
        Number(e.dataset.segment),
      ),
    );
    assert.deepEqual(
      marked.sort((a, b) => a - b),
      [...segments].sort((a, b) => a - b),
    );

    // The cursor of another document's editor is not this page's to show.
    await page.evaluate(() => window.postMessage({ type: 'cursor', uri: 'file:///w/other.tcpscn', line: null }, '*'));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.ok(
      await page.evaluate(() => document.querySelector('#sequence .tcpscn-highlight') !== null),
      'a cursor message about another document leaves the highlight alone',
    );
    await page.evaluate((uri) => window.postMessage({ type: 'cursor', uri, line: null }, '*'), URI);
    await page.waitForFunction(() => !document.querySelector('#sequence .tcpscn-highlight'), undefined, {
      timeout: 5000,
    });

    // A click on the last segment's (wide, invisible) hit line asks to reveal the line that caused it.
    const last = trace.segments.filter((s) => s.causeLine !== null).at(-1)!;
    await page.evaluate(
      (n) =>
        document
          .querySelector(`#sequence .tcpscn-hit[data-segment="${n}"]`)!
          .dispatchEvent(new MouseEvent('click', { bubbles: true })),
      last.n,
    );
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'reveal').at(-1), {
      type: 'reveal',
      uri: URI,
      line: last.causeLine,
      column: 0,
    });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the Trace tab lists every segment and a row leads to its line; malformed rows leave it empty, not broken', async () => {
    const { page, errors } = await open();
    const trace = analyze(text).runs[0]!;
    await page.click('#tab-trace');
    await page.waitForFunction(
      (n) => document.querySelectorAll('#trace-grid vscode-data-grid-row').length > n,
      trace.segments.length,
      { timeout: 10_000 },
    );
    const grid = await page.evaluate(() => ({
      rows: [
        ...document.querySelectorAll<HTMLElement & { rowData?: Record<string, unknown> }>(
          '#trace-grid vscode-data-grid-row',
        ),
      ]
        .map((r) => r.rowData?.['#'])
        .filter((n) => n !== undefined),
      note: document.getElementById('trace-note')!.textContent,
    }));
    assert.deepEqual(
      grid.rows.map(Number),
      trace.segments.map((s) => s.n),
    );
    assert.match(grid.note ?? '', new RegExp(`^${trace.segments.length} segments\\.`));

    const second = trace.segments[1]!;
    await page.evaluate((n) => {
      const row = [
        ...document.querySelectorAll<HTMLElement & { rowData?: Record<string, unknown> }>(
          '#trace-grid vscode-data-grid-row',
        ),
      ].find((r) => Number(r.rowData?.['#']) === n)!;
      (row.querySelector('vscode-data-grid-cell') ?? row).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }, second.n);
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'reveal').at(-1), {
      type: 'reveal',
      uri: URI,
      line: second.causeLine,
      column: 0,
    });

    // Rows that do not decode: the grid is empty and says so; nothing throws.
    const bad = updateFor(text, 2);
    if (bad.type !== 'update') throw new Error('expected an update');
    await post(page, { ...bad, variants: bad.variants.map((v) => ({ ...v, segmentRows: '[{"n":"not a row"}]' })) }, 2);
    await page.waitForFunction(
      () => document.getElementById('trace-note')!.textContent?.startsWith('0 segments'),
      undefined,
      { timeout: 5000 },
    );
    // The grid drops its rows on its own next update: wait for it (at most the header row stays).
    await page.waitForFunction(
      () => document.querySelectorAll('#trace-grid vscode-data-grid-row').length <= 1,
      undefined,
      { timeout: 5000 },
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the shown view fills the window below the summary, as a banner comes and goes and tabs change', async () => {
    const { page, errors } = await open(1200, 800);
    await frames(page);
    const fits = async (what: string): Promise<void> => {
      // fitHeights leaves 6 px below the view (main.ts).
      const f = await bodyFit(page);
      assert.ok(
        Math.abs(f.bottom - (f.innerHeight - 6)) <= 1,
        `${what}: the view ends at ${f.bottom}, the window at ${f.innerHeight}`,
      );
    };
    await fits('first drawing');
    const before = (await bodyFit(page)).height;

    // Errors in the text: the banner pushes the view down, and the view shrinks to fit.
    const broken = updateFor(text, 2);
    if (broken.type !== 'update') throw new Error('expected an update');
    await post(
      page,
      {
        ...broken,
        runnable: false,
        variants: [],
        problems: [1, 2, 3].map((line) => ({ severity: 'error' as const, line, column: 1, message: `error ${line}` })),
      },
      2,
    );
    await frames(page);
    await fits('with the banner');
    assert.ok((await bodyFit(page)).height < before, 'the view gave the banner its room');

    // Fixed again: the banner goes, the view grows back.
    await post(page, updateFor(text, 3), 3);
    await frames(page);
    await fits('after the banner');
    assert.equal((await bodyFit(page)).height, before);

    // Another tab: its body was hidden until now and fits as soon as it is shown.
    await page.click('#tab-timeline');
    await page.waitForFunction(() => document.querySelector('#timeline svg'), undefined, { timeout: 30_000 });
    await frames(page);
    await fits('the timeline tab');
    await page.setViewportSize({ width: 1200, height: 600 });
    await frames(page);
    await fits('a smaller window');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an update that changes nothing around the diagram leaves the title, summary, banner and panes alone', async () => {
    const { page, errors } = await open();
    await page.evaluate(() => {
      const w = window as unknown as { __mutations: string[] };
      w.__mutations = [];
      const watch = (id: string): void =>
        new MutationObserver((records) =>
          w.__mutations.push(
            ...records.map(
              (r) =>
                `${id}: ${r.type} ${r.attributeName ?? ''} on ${(r.target as Element).id || (r.target as Element).tagName}`,
            ),
          ),
        ).observe(document.getElementById(id)!, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
        });
      for (const id of ['toolbar', 'banner', 'summary', 'window-bar']) watch(id);
      // The panes themselves: moving one re-styles its whole diagram.
      new MutationObserver((records) => w.__mutations.push(...records.map(() => 'sequence: panes moved'))).observe(
        document.getElementById('sequence')!,
        { childList: true },
      );
    });
    await post(page, updateFor(text, 2), 2);
    await frames(page);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __mutations: string[] }).__mutations), []);

    // A change the summary shows (a failing expectation) does change it.
    await post(page, updateFor(`${text}\nexpect client SYN_SENT\n`, 3), 3);
    await page.waitForFunction(() => document.querySelector('.summary-failed.has-failures'), undefined, {
      timeout: 30_000,
    });
    assert.ok(
      (await page.evaluate(() => (window as unknown as { __mutations: string[] }).__mutations)).some((m) =>
        m.startsWith('summary'),
      ),
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
});
