// Webview benchmark in Chromium: the built preview page (dist/webview/) under its real
// Content-Security-Policy, served from 127.0.0.1, with a stub acquireVsCodeApi that records
// what the page posts. For each scenario size it posts the real `update` message (built by the
// extension's own buildUpdate) and measures, in the same page and on the same Mermaid instance:
//   - Mermaid alone: `mermaid.render(id, text)` for the very text the message carries;
//   - the whole update: window.postMessage(update) -> the new SVG is in the pane (seen by a
//     MutationObserver on the pane; the page's own `rendered` message is recorded too).
// Runs alternate (update, Mermaid alone, update, ...) so that drift hits both alike; each run
// changes the one-way latency so the page cannot skip an unchanged diagram. Mermaid alone draws
// a text of its own, with a latency no update uses, not the text the update has just drawn:
// Blink and Mermaid cache the measurements of strings they have laid out, and re-drawing the very
// same text made Mermaid alone look faster than it is for a new diagram (until this was fixed,
// Mermaid alone got the update's own latency, and so its very text). Mermaid alone draws the
// Timeline's text laid out at the width the page lays it out at (its pane's, read from the page),
// as the page does; it drew the core's default 1 000 px chart in a 1 200 px page before.

import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { analyze } from '../src/core/index';
import { buildHtml } from '../src/extension/preview/html';
import { chartWidth, timelineChart } from '../src/core/render/timeline';
import { MARGIN } from '../webview/zoom';
import { buildUpdate } from '../src/extension/preview/payload';
import type { ToWebview } from '../src/protocol';
import { median, quantile } from './stats';
import { transfer } from './scenarios';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface WebviewRow {
  view: 'sequence' | 'timeline';
  target: number;
  segments: number;
  /** Segments drawn (the preview windows big traces). */
  drawnSegments: number;
  mermaidChars: number;
  runs: number;
  mermaidRenderMs: { p50: number; max: number };
  wholeUpdateMs: { p50: number; max: number };
  /** The page's own `rendered` message after the swap, from the same start. */
  renderedMessageMs: { p50: number };
  ratio: number;
}

export interface WebviewResult {
  chromium: string;
  page: string;
  firstLoad: { firstSvgMs: number; requests: number; bytes: number };
  rows: WebviewRow[];
  /** The hostile corpus drawn by the real page: what rendered, and any markup that got through. */
  hostile: HostileRow[];
  postedErrors: string[];
}

export interface HostileRow {
  view: 'sequence' | 'timeline';
  file: string;
  rendered: boolean;
  error: string;
  /** Elements or attributes in the drawn SVG that should never come from a file's text. */
  injected: string[];
  alerts: number;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
};

function serve(root: string, html: () => string, served: { requests: number; bytes: number }): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const body = Buffer.from(html());
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = join(root, rel);
    if (!file.startsWith(root) || !rel.startsWith('webview') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    served.requests++;
    served.bytes += body.length;
    res
      .writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      })
      .end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function updateFor(
  target: number,
  latencyMs: number,
  version: number,
  timelineWidth?: number,
): { msg: ToWebview; segments: number; drawn: number; seq: string; timeline: string } {
  // Each run gets its own one-way latency, so every message carries new Mermaid text (the
  // segments' times change, their number does not); the side-pane diagram leaves the title out,
  // so a run number in the title alone left the text unchanged and the page rightly drew nothing.
  const text = transfer(target).replace(/^(title "[^"]*")/, `$1\nset latency = ${latencyMs}ms`);
  const a = analyze(text);
  const msg = buildUpdate(a, {
    uri: 'file:///bench/transfer.tcpscn',
    fileName: 'transfer.tcpscn',
    version,
    locked: false,
  });
  if (msg.type !== 'update' || msg.variants.length === 0) throw new Error('the bench scenario did not run');
  const v = msg.variants[0]!;
  return {
    msg,
    segments: a.runs[0]!.segments.length,
    drawn: v.sequence.arrowSegments.length,
    seq: v.sequence.text,
    // As the page lays it out in its pane (webview/panes.ts: timelineWidth).
    timeline: timelineChart(a.runs[0]!, {
      pageAxis: true,
      width: timelineWidth === undefined ? undefined : chartWidth(Math.floor(timelineWidth - 2 * MARGIN)),
    }).text,
  };
}

// Page-side code, as plain JavaScript strings: functions written in TypeScript here would be
// compiled with helpers (tsx's __name) that do not exist in the page.

/** What VS Code injects: acquireVsCodeApi. The stub records every posted message with its time. */
const STUB_SCRIPT = `(() => {
  window.__name = (f) => f; // esbuild's keepNames helper, which functions passed to evaluate() may name
  const posted = [];
  window.__alerts = 0;
  window.alert = window.confirm = window.prompt = () => { window.__alerts++; };
  window.__posted = posted;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => posted.push({ t: performance.now(), m }),
    getState: () => ({ uri: '', locked: false, tab: __TAB__, variant: null, transforms: {} }),
    setState: () => undefined,
  });
})()`;

/** Posts the first update and resolves when its SVG is in the pane (pays for loading Mermaid). */
const FIRST_SVG = `(view, msg) => new Promise((resolve, reject) => {
  const el = document.getElementById(view);
  const timer = setTimeout(() => reject(new Error('no SVG after 30 s')), 30000);
  new MutationObserver((_, obs) => {
    if (el.querySelector('svg')) { obs.disconnect(); clearTimeout(timer); resolve(); }
  }).observe(el, { childList: true, subtree: true });
  window.postMessage(msg, '*');
})`;

/**
 * One measured update: postMessage -> new SVG in the pane (MutationObserver), the page's own
 * \`rendered\` message, then Mermaid alone on a text of its own (leftovers removed as the page
 * does). Each of the two starts from a settled page (a frame painted, then a task later): else
 * one pays for painting what the other just drew.
 */
const ONE_UPDATE = `({ msg, view, text, run }) => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))).then(() => new Promise((resolve, reject) => {
  const el = document.getElementById(view);
  const before = el.querySelector('svg');
  const timer = setTimeout(() => reject(new Error('no new SVG after 60 s')), 60000);
  const postedBefore = window.__posted.length;
  let t0 = 0;
  const obs = new MutationObserver(() => {
    const now = el.querySelector('svg');
    if (!now || now === before) return;
    const tSwap = performance.now();
    obs.disconnect();
    clearTimeout(timer);
    // The page posts \`rendered\` right after the swap, in the same task.
    setTimeout(async () => {
      try {
        const msgs = window.__posted.slice(postedBefore).filter((p) => p.m.type === 'rendered' && p.m.view === view);
        const failed = msgs.find((p) => p.m.ok === false);
        if (failed) return reject(new Error('render failed: ' + failed.m.error));
        const tRendered = msgs.length ? msgs[0].t : NaN;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
        const id = 'bench-alone-' + run + '-' + Math.random().toString(36).slice(2);
        const a0 = performance.now();
        await window.__mermaid.render(id, text);
        const alone = performance.now() - a0;
        document.getElementById(id)?.remove();
        document.getElementById('d' + id)?.remove();
        resolve({ whole: tSwap - t0, rendered: tRendered - t0, alone });
      } catch (e) { reject(e); }
    }, 0);
  });
  obs.observe(el, { childList: true, subtree: true });
  t0 = performance.now();
  window.postMessage(msg, '*');
}))`;

/**
 * Posts one update and waits for the page's \`rendered\` message for that view; then lists
 * what in the drawn SVG could only come from raw markup in the file's text.
 */
const DRAW_AND_INSPECT = `({ msg, view }) => new Promise((resolve) => {
  const start = window.__posted.length;
  window.postMessage(msg, '*');
  const t0 = Date.now();
  const poll = () => {
    const done = window.__posted.slice(start).find((p) => p.m.type === 'rendered' && p.m.view === view);
    if (!done && Date.now() - t0 < 20000) return setTimeout(poll, 10);
    setTimeout(() => {
      const el = document.getElementById(view);
      const injected = [];
      for (const e of el.querySelectorAll('script, img, iframe, object, embed, foreignObject *')) {
        const tag = e.tagName.toLowerCase();
        if (tag !== 'div' && tag !== 'span' && tag !== 'p' && tag !== 'br') injected.push('<' + tag + '>');
      }
      for (const e of el.querySelectorAll('*')) {
        for (const a of e.attributes) {
          if (/^on/i.test(a.name)) injected.push(a.name + ' on <' + e.tagName.toLowerCase() + '>');
          // data-* attributes (the page keeps the variant label there) are inert; links are not.
          if (/^(href|xlink:href|src|action|formaction)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value)) injected.push('javascript: in ' + a.name);
        }
      }
      resolve({ rendered: !!done && done.m.ok, error: done ? done.m.error : 'no rendered message in 20 s', injected, alerts: window.__alerts });
    }, 300);
  };
  poll();
})`;

/** Draws every runnable file of the hostile corpus in the real page. */
async function drawHostile(
  page: import('playwright-core').Page,
  view: 'sequence' | 'timeline',
  root: string,
  version: number,
): Promise<HostileRow[]> {
  const dir = join(root, 'test/fixtures/hostile');
  if (!existsSync(dir)) return [];
  const out: HostileRow[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.tcpscn'))
    .sort()) {
    const a = analyze(readFileSync(join(dir, file), 'utf8'));
    if (a.hasErrors) continue;
    const msg = buildUpdate(a, {
      uri: 'file:///bench/hostile.tcpscn',
      fileName: file,
      version: version++,
      locked: false,
    });
    const r = (await page.evaluate(`(${DRAW_AND_INSPECT})(${JSON.stringify({ msg, view })})`)) as Omit<
      HostileRow,
      'view' | 'file'
    >;
    out.push({ view, file, ...r });
  }
  return out;
}

/** Runs the webview bench; throws when Chromium or the built webview is missing. */
export async function benchWebview(
  root: string,
  targets: readonly number[],
  log: (s: string) => void,
): Promise<WebviewResult> {
  const dist = join(root, 'dist');
  const mainJs = readFileSync(join(dist, 'webview/main.js'), 'utf8');
  const chunk = /import\(["']\.\/(chunks\/mermaid\.core-[A-Z0-9]+\.js)["']\)/.exec(mainJs)?.[1];
  if (!chunk) throw new Error('cannot find the Mermaid chunk that dist/webview/main.js imports');
  const served = { requests: 0, bytes: 0 };
  let origin = '';
  const server = await serve(
    dist,
    () =>
      buildHtml({
        cspSource: origin,
        nonce: 'benchNonce0123456789',
        scriptUri: `${origin}/webview/main.js`,
        styleUri: `${origin}/webview/main.css`,
      }),
    served,
  );
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const rows: WebviewRow[] = [];
  const postedErrors: string[] = [];
  const hostile: HostileRow[] = [];
  let firstLoad = { firstSvgMs: Number.NaN, requests: 0, bytes: 0 };
  try {
    for (const view of ['sequence', 'timeline'] as const) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      page.on('pageerror', (e) => postedErrors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') postedErrors.push(`console: ${m.text()}`);
      });
      // What VS Code injects: acquireVsCodeApi. The stub records every posted message with its time.
      await page.addInitScript({ content: STUB_SCRIPT.replace('__TAB__', JSON.stringify(view)) });
      served.requests = 0;
      served.bytes = 0;
      const loadStart = Date.now();
      await page.goto(`${origin}/`);
      await page.waitForFunction(() =>
        ((window as unknown as { __posted: { m: { type: string } }[] }).__posted ?? []).some(
          (p) => p.m.type === 'ready',
        ),
      );
      // The first update pays for loading Mermaid and the diagram's chunks.
      const first = updateFor(10, 10, 1);
      await page.evaluate(`(${FIRST_SVG})(${JSON.stringify(view)}, ${JSON.stringify(first.msg)})`);
      if (view === 'sequence')
        firstLoad = { firstSvgMs: Date.now() - loadStart, requests: served.requests, bytes: served.bytes };
      // Mermaid as the page loaded it: the same module instance, configured by the page.
      await page.evaluate(
        `import(${JSON.stringify(`${origin}/webview/${chunk}`)}).then((m) => { window.__mermaid = m.default; })`,
      );

      // The measuring function is installed once; each run passes its message as an argument.
      // Written into the evaluated source, a 130 KB message was compiled as a script literal on
      // every run, and that garbage made the page collect during both measures.
      await page.evaluate(`window.__oneUpdate = ${ONE_UPDATE}`);
      // The width the page lays the Timeline out at: its pane's content width (webview/panes.ts).
      const paneWidth =
        view === 'timeline'
          ? ((await page.evaluate(`(() => {
              const vp = document.querySelector('#timeline .variant-pane .viewport');
              const cs = getComputedStyle(vp);
              return vp.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
            })()`)) as number)
          : undefined;
      let version = 2;
      for (const target of targets) {
        // A timeline draws in about 10 ms at any size, so it gets many runs: its ratio is what is close to the target.
        const runs = view === 'timeline' ? 21 : target >= 5000 ? 5 : target >= 500 ? 9 : 21;
        const whole: number[] = [];
        const rendered: number[] = [];
        const alone: number[] = [];
        let info = updateFor(target, 10, version);
        for (let run = -1; run < runs; run++) {
          // run -1 warms up both paths at this size. Updates get even latencies, Mermaid alone odd ones.
          info = updateFor(target, 12 + 2 * (run + 1), version++, paneWidth);
          const fresh = updateFor(target, 13 + 2 * (run + 1), 0, paneWidth);
          const text = view === 'sequence' ? fresh.seq : fresh.timeline;
          const r = await page.evaluate(
            (a) =>
              (
                window as unknown as {
                  __oneUpdate(x: typeof a): Promise<{ whole: number; rendered: number; alone: number }>;
                }
              ).__oneUpdate(a),
            { msg: info.msg, view, text, run },
          );
          if (run < 0) continue;
          whole.push(r.whole);
          rendered.push(r.rendered);
          alone.push(r.alone);
        }
        const row: WebviewRow = {
          view,
          target,
          segments: info.segments,
          drawnSegments: view === 'sequence' ? info.drawn : 0,
          mermaidChars: (view === 'sequence' ? info.seq : info.timeline).length,
          runs,
          mermaidRenderMs: { p50: median(alone), max: quantile(alone, 1) },
          wholeUpdateMs: { p50: median(whole), max: quantile(whole, 1) },
          renderedMessageMs: { p50: median(rendered) },
          ratio: median(whole) / median(alone),
        };
        rows.push(row);
        log(
          `  webview ${view} ${info.segments} segments: Mermaid ${row.mermaidRenderMs.p50.toFixed(1)} ms, whole update ${row.wholeUpdateMs.p50.toFixed(1)} ms (x${row.ratio.toFixed(2)})`,
        );
      }
      hostile.push(...(await drawHostile(page, view, root, version)));
      version += 100;
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return {
    chromium: CHROMIUM,
    page: 'dist/webview (as built in dist/) under the preview CSP, http://127.0.0.1',
    firstLoad,
    rows,
    hostile,
    postedErrors,
  };
}
