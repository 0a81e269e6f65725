// The preview's webview, built and loaded in a real Chromium (skipped where Chromium is not
// installed), fed the update the extension would send for real examples. It checks what only
// a layout can show: the first view cuts no text on the left and shows the whole diagram when
// it fits at 50%; variants stand side by side only where each is readable and are picked from
// a dropdown otherwise; a failing expectation shows in the summary with a link to its line;
// the file's text never becomes markup.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import { buildUpdate } from '../../src/extension/preview/payload';
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

let pages: WebviewPages;
let base = '';
let browser: Browser;

function example(name: string): string {
  return readFileSync(join(ROOT, 'examples', name), 'utf8');
}

function updateFor(text: string, fileName: string) {
  return buildUpdate(analyze(text), { uri: `file:///w/${fileName}`, fileName, version: 1, locked: false });
}

/** A fresh webview page at `width` with the update for `text` drawn in every shown pane. */
async function show(text: string, fileName: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newWebviewPage(browser, { width, height: 900 });
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => document.body.classList.add('vscode-light')),
  );
  await page.goto(`${base}/`);
  await page.waitForFunction(
    () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    undefined,
    { timeout: 15_000 },
  );
  await page.evaluate((m) => window.postMessage(m, '*'), updateFor(text, fileName));
  await page.waitForFunction(
    () => {
      const shown = [...document.querySelectorAll<HTMLElement>('#sequence .variant-pane')].filter((p) => !p.hidden);
      return shown.length > 0 && shown.every((p) => p.querySelector('svg'));
    },
    undefined,
    { timeout: 30_000 },
  );
  // The first view is set in the same task as the SVG; one frame for the layout to settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { page, errors };
}

interface PaneGeometry {
  variant: string;
  hidden: boolean;
  texts: number;
  cutLeft: string[];
  cutRight: string[];
  scale: number;
  svgLeft: number;
  viewportLeft: number;
  /** The smallest arrow label's font size on screen: its CSS font size times the pane's scale. */
  smallestLabelPx: number;
  actorNames: number;
}

function geometry(page: Page): Promise<PaneGeometry[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#sequence .variant-pane')].map((p) => {
      const vp = p.querySelector('.viewport')!.getBoundingClientRect();
      const svg = p.querySelector('svg');
      const texts = svg
        ? [...svg.querySelectorAll('text')]
            .map((t) => ({ t: t.textContent ?? '', r: t.getBoundingClientRect() }))
            .filter((x) => x.r.width > 0)
        : [];
      const m = /scale\(([\d.]+)\)/.exec((p.querySelector('.canvas') as HTMLElement).style.transform);
      return {
        variant: p.dataset.variant ?? '',
        hidden: p.hidden,
        texts: texts.length,
        cutLeft: texts.filter((x) => x.r.left < vp.left - 0.5).map((x) => x.t),
        cutRight: texts.filter((x) => x.r.right > vp.right + 0.5).map((x) => x.t),
        smallestLabelPx:
          Math.min(
            ...(svg ? [...svg.querySelectorAll('text.messageText')] : []).map((t) =>
              parseFloat(getComputedStyle(t).fontSize),
            ),
          ) * (m ? Number(m[1]) : NaN),
        actorNames: svg ? svg.querySelectorAll('rect.actor-top').length : 0,
        scale: m ? Number(m[1]) : NaN,
        svgLeft: svg ? svg.getBoundingClientRect().left : NaN,
        viewportLeft: vp.left,
      };
    }),
  );
}

const HOSTILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="100" onload="window.__ran=1"><script>window.__ran=2</script>
<text x="1" y="10" onclick="window.__ran=3">&lt;img src=x onerror=window.__ran=4&gt;</text>
<a href=" java\tscript:window.__ran=5"><text>link</text></a><a href="#ok"><text>ok</text></a>
<image href="http://example.invalid/x.png"/><foreignObject><img src="x" onerror="window.__ran=6"></foreignObject>
<iframe src="javascript:window.__ran=7"></iframe><animate attributeName="href" to="javascript:alert(1)"/>
<use href=" HTTP://example.invalid/s.svg#a"/><use xlink:href="//example.invalid/s.svg#b"/><use href="#local"/><set attributeName="onclick" to="window.__ran=8"/></svg>`;

describe('the preview webview in Chromium', { skip }, () => {
  before(async () => {
    pages = await startWebviewPages({
      extraEntries: [join(__dirname, 'helpers', 'svgParse.page.ts')],
      route: (path, res, at) => {
        if (path !== '/svgParse.page.html') return false;
        res.setHeader('content-type', 'text/html');
        res.end(
          `<!DOCTYPE html><html><body><script type="module" src="${at}/svgParse.page.js"></script></body></html>`,
        );
        return true;
      },
    });
    ({ base, browser } = pages);
  });

  after(async () => {
    await pages?.close();
  });

  it("an SVG is parsed in an inert document, never by the page's parser, and whatever could run or load is removed", async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 300 } });
    await page.goto(`${base}/svgParse.page.html`);
    await page.waitForFunction(() => 'svgElementFrom' in window, undefined, { timeout: 10_000 });
    const result = await page.evaluate(async (svg) => {
      const w = window as unknown as { svgElementFrom(s: string): SVGSVGElement | null; __ran?: number };
      const el = w.svgElementFrom(svg);
      if (!el) return null;
      document.body.append(el);
      await new Promise((r) => setTimeout(r, 200));
      return {
        isSvg: el instanceof SVGSVGElement && el.ownerDocument === document,
        ran: w.__ran ?? 0,
        active: el.querySelectorAll('script, img, image, iframe, animate, set').length,
        uses: [...el.querySelectorAll('use')].map((u) => u.getAttribute('href')),
        handlers: [el, ...el.querySelectorAll('*')].flatMap((e) =>
          [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name),
        ),
        hrefs: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        text: el.querySelector('text')?.textContent,
      };
    }, HOSTILE_SVG);
    assert.ok(result, 'an SVG element came back');
    assert.equal(result.isSvg, true);
    assert.equal(result.ran, 0, 'nothing ran');
    assert.equal(result.active, 0);
    assert.deepEqual(result.uses, ['#local'], 'a <use> that links off the page is removed, a local one stays');
    assert.deepEqual(result.handlers, []);
    assert.deepEqual(result.hrefs, [null, '#ok']);
    assert.equal(result.text, '<img src=x onerror=window.__ran=4>', 'markup in a label stays text');
    await page.close();
  });

  it('first view in a wide pane: the whole sequence diagram, no text cut on either side', async () => {
    const { page, errors } = await show(example('handshake-and-close.tcpscn'), 'handshake-and-close.tcpscn', 1200);
    const [pane] = await geometry(page);
    assert.ok(pane.texts > 10);
    assert.deepEqual(pane.cutLeft, [], 'no text cut on the left');
    assert.deepEqual(pane.cutRight, [], 'no text cut on the right');
    assert.ok(pane.scale >= 0.5 && pane.scale <= 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('first view in a 440 px pane: every lifeline whole and every label at least 11 px, for two to four endpoints', async () => {
    for (const file of [
      'handshake-and-close.tcpscn',
      'time-wait-lost-final-ack.tcpscn',
      'time-wait-old-duplicate.tcpscn',
      'time-wait-reuse-takeover.tcpscn',
    ]) {
      const { page } = await show(example(file), file, 440);
      const [pane] = await geometry(page);
      assert.deepEqual(pane.cutLeft, [], `${file}: no text cut on the left`);
      assert.deepEqual(pane.cutRight, [], `${file}: no text cut on the right`);
      assert.ok(pane.scale >= 11 / 12 - 1e-9 && pane.scale <= 1, `${file}: scale ${pane.scale}`);
      assert.ok(pane.smallestLabelPx >= 11 - 1e-9, `${file}: smallest label ${pane.smallestLabelPx} px`);
      // Every expectation passes: each variant's summary is one line, its details folded away.
      assert.deepEqual(
        await page.evaluate(
          () =>
            [...document.querySelectorAll<HTMLDetailsElement>('#summary .summary-more')].filter((d) => d.open).length,
        ),
        0,
        `${file}: the summary's details are on demand`,
      );
      await page.close();
    }
  });

  it("a hazard's link in the summary switches to its variant and scrolls its segment into view", async () => {
    const file = 'time-wait-old-duplicate.tcpscn';
    const { page, errors } = await show(example(file), file, 440);
    // The old duplicate happens in "no TIME_WAIT", the second variant; "default" is shown first.
    await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('#summary .summary-variant[data-variant="no TIME_WAIT"]')!;
      box.querySelector<HTMLDetailsElement>('.summary-more')!.open = true;
      box.querySelector<HTMLElement>('.hazard-link')!.click();
    });
    await page.waitForFunction(
      () => {
        const pane = document.querySelector<HTMLElement>('#sequence .variant-pane[data-variant="no TIME_WAIT"]');
        const arrow = pane?.querySelector('[data-et="message"][data-segment="4"]');
        if (!pane || pane.hidden || !arrow) return false;
        const v = pane.querySelector('.viewport')!.getBoundingClientRect();
        const r = arrow.getBoundingClientRect();
        return r.top >= v.top && r.bottom <= v.bottom;
      },
      undefined,
      { timeout: 20_000 },
    );
    assert.equal(
      await page.evaluate(
        () => document.querySelector<HTMLElement>('#sequence .variant-pane[data-variant="default"]')!.hidden,
      ),
      true,
      'the other variant is put away',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('variants: side by side and whole in a wide panel, a dropdown in a narrow one', async () => {
    const text = example('time-wait-lost-final-ack.tcpscn');
    const wide = await show(text, 'time-wait-lost-final-ack.tcpscn', 1700);
    const panes = await geometry(wide.page);
    assert.equal(panes.length, 2);
    for (const p of panes) {
      assert.equal(p.hidden, false, `${p.variant} is shown`);
      assert.deepEqual(p.cutLeft, [], `${p.variant}: no text cut on the left`);
      assert.deepEqual(p.cutRight, [], `${p.variant}: no text cut on the right`);
      assert.ok(p.scale >= 0.5, `${p.variant} is readable`);
    }
    assert.deepEqual(
      await wide.page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('#sequence .variant-title')].map(
          (t) => getComputedStyle(t).display !== 'none' && t.textContent,
        ),
      ),
      ['default', 'no TIME_WAIT'],
      'each pane is titled with its variant',
    );
    await wide.page.close();

    const narrow = await show(text, 'time-wait-lost-final-ack.tcpscn', 900);
    const shown = (await geometry(narrow.page)).filter((p) => !p.hidden);
    assert.equal(shown.length, 1, 'one variant at a time where two would be cut');
    assert.deepEqual(shown[0].cutLeft, []);
    assert.deepEqual(shown[0].cutRight, [], 'the one shown is whole');
    assert.equal(
      await narrow.page.evaluate(() => document.getElementById('variant-select')!.hidden),
      false,
      'the dropdown picks the variant',
    );
    assert.deepEqual(
      await narrow.page.evaluate(() =>
        [...document.querySelectorAll('#variant-select vscode-option')].map((o) => o.textContent),
      ),
      ['default', 'no TIME_WAIT'],
    );
    await narrow.page.close();
  });

  it('a failing expectation: counted in the summary, a link to its line; markup in the file stays text', async () => {
    const text = [
      'title "Fails <img src=x onerror=alert(1)> & <b>bold</b>"',
      'endpoint client 10.0.0.1:5000',
      'endpoint server 10.0.0.2:80',
      '0ms server listen',
      '10ms client connect server',
      '500ms client close',
      'on server CLOSE_WAIT server close',
      'expect client ESTABLISHED',
      '',
    ].join('\n');
    const { page, errors } = await show(text, 'fails.tcpscn', 1000);
    const summary = await page.evaluate(() => ({
      failed: document.querySelector('.summary-failed')?.textContent,
      flagged: document.querySelector('.summary-failed')?.classList.contains('has-failures'),
      links: [...document.querySelectorAll<HTMLElement>('#summary .failure-link')].map((b) => ({
        line: b.dataset.line,
        text: b.textContent,
      })),
      title: document.getElementById('doc-title')!.textContent,
      bannerHidden: document.getElementById('banner')!.hidden,
      injected: document.querySelectorAll('#app img, #app b, #app script').length,
      injectedWhere: [...document.querySelectorAll('#app img, #app b, #app script')].map(
        (e) => e.outerHTML.slice(0, 200) + ' in ' + (e.parentElement?.tagName ?? ''),
      ),
    }));
    assert.equal(summary.failed, '\u2717 1 failed');
    assert.equal(
      await page.evaluate(() => document.querySelector<HTMLDetailsElement>('#summary .summary-more')?.open),
      true,
      'a failure opens its details by itself',
    );
    assert.equal(summary.flagged, true);
    assert.equal(
      summary.bannerHidden,
      true,
      'a failed expectation is not an error of the text: no banner, the diagrams are current',
    );
    assert.deepEqual(summary.links, [
      { line: '8', text: 'Line 8: expect client ESTABLISHED \u2014 client is in CLOSED, not ESTABLISHED' },
    ]);
    assert.equal(summary.title, 'Fails <img src=x onerror=alert(1)> & <b>bold</b> \u2014 fails.tcpscn');
    assert.equal(summary.injected, 0, `no element made from the file's text: ${summary.injectedWhere.join('; ')}`);
    assert.ok(
      await page.evaluate(() =>
        [...document.querySelectorAll('#timeline svg text, #sequence svg text')].every(
          (t) => !(t.textContent ?? '').includes('<img src=x'),
        ),
      ),
      'the compact sequence diagram leaves the title to the page header',
    );
    await page.click('#summary .failure-link');
    const reveals = await page.evaluate(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'reveal'),
    );
    assert.deepEqual(reveals, [{ type: 'reveal', uri: 'file:///w/fails.tcpscn', line: 8, column: 0 }]);

    // The text breaks: the banner lists the error as text, clickable to its line and column.
    await page.evaluate((m) => window.postMessage(m, '*'), {
      ...updateFor(text, 'fails.tcpscn'),
      runnable: false,
      variants: [],
      problems: [{ severity: 'error', line: 3, column: 5, message: 'unknown <b>word</b>' }],
    });
    await page.waitForFunction(() => !document.getElementById('banner')!.hidden, undefined, { timeout: 5000 });
    const banner = await page.evaluate(() => ({
      head: document.querySelector('.banner-head')?.textContent,
      item: document.querySelector('#banner .line-link')?.textContent,
      bold: document.querySelectorAll('#banner b').length,
      svgs: document.querySelectorAll('#sequence svg').length,
    }));
    assert.equal(banner.head, 'The scenario has 1 error; the diagrams below are from the last version that ran.');
    assert.equal(banner.item, 'Line 3, column 5: unknown <b>word</b>');
    assert.equal(banner.bold, 0);
    assert.equal(banner.svgs, 1, 'the last good diagram stays');
    await page.click('#banner .line-link');
    const last = await page.evaluate(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'reveal').at(-1),
    );
    assert.deepEqual(last, { type: 'reveal', uri: 'file:///w/fails.tcpscn', line: 3, column: 5 });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
