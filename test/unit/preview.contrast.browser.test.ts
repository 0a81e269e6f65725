// Every piece of text in the preview's diagrams is readable: at least 4.5 : 1 against what is
// drawn behind it (WCAG 2 AA for normal text), in the four kinds of VS Code theme (light, dark,
// high contrast dark and light). The webview is built and loaded in a real Chromium (skipped
// where Chromium is not installed) the way VS Code serves it, with the colours of VS Code's own
// Light+, Dark+, Dark High Contrast and Light High Contrast themes; the test draws the sequence
// diagram and the timeline of the seed's examples and, for each text element, finds the
// element painted right under its middle (document.elementsFromPoint), blends its fill over
// what lies under it, and computes the contrast ratio of the text's fill against that.

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
  type WebviewTheme as Theme,
} from './helpers/webviewPage';

const ROOT = join(__dirname, '..', '..');
const skip = skipWithoutChromium(': the contrast test needs a real browser');

// The colours a webview gets from VS Code 1.99's built-in themes (the ones the diagrams read).
const THEMES: Theme[] = [
  {
    name: 'Light+',
    bodyClass: 'vscode-light',
    colours: {
      'editor-background': '#ffffff',
      'editor-foreground': '#000000',
      'editorWidget-background': '#f3f3f3',
      'editorWidget-border': '#c8c8c8',
      focusBorder: '#0090f1',
      'editorHoverWidget-background': '#f3f3f3',
      descriptionForeground: '#717171',
      'editor-selectionBackground': '#add6ff',
      'editorError-foreground': '#e51400',
      'editorWarning-foreground': '#bf8803',
    },
  },
  {
    name: 'Dark+',
    bodyClass: 'vscode-dark',
    colours: {
      'editor-background': '#1e1e1e',
      'editor-foreground': '#d4d4d4',
      'editorWidget-background': '#252526',
      'editorWidget-border': '#454545',
      focusBorder: '#007fd4',
      'editorHoverWidget-background': '#252526',
      descriptionForeground: '#ccccccb3',
      'editor-selectionBackground': '#264f78',
      'editorError-foreground': '#f14c4c',
      'editorWarning-foreground': '#cca700',
    },
  },
  {
    name: 'Dark High Contrast',
    bodyClass: 'vscode-high-contrast',
    colours: {
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      'editorWidget-background': '#0c141f',
      contrastBorder: '#6fc3df',
      focusBorder: '#f38518',
      'editorHoverWidget-background': '#0c141f',
      descriptionForeground: '#ffffff',
      'editor-selectionBackground': '#ffffff',
      'editorError-foreground': '#f48771',
      'editorWarning-foreground': '#ffd370',
    },
  },
  {
    name: 'Light High Contrast',
    bodyClass: 'vscode-high-contrast-light',
    colours: {
      'editor-background': '#ffffff',
      'editor-foreground': '#292929',
      'editorWidget-background': '#ffffff',
      contrastBorder: '#0f4a85',
      focusBorder: '#006bbd',
      'editorHoverWidget-background': '#ffffff',
      descriptionForeground: '#292929',
      'editor-selectionBackground': '#0f4a85',
      'editorError-foreground': '#b5200d',
      'editorWarning-foreground': '#895503',
    },
  },
];

const EXAMPLES = ['time-wait-old-duplicate.tcpscn', 'time-wait-lost-final-ack.tcpscn'];

let pages: WebviewPages;
let browser: Browser;

interface Low {
  text: string;
  fg: string;
  bg: string;
  ratio: number;
}

/**
 * In the page: the contrast of each visible text element of the shown diagram. Written as a
 * string: tsx would wrap named functions in a helper the page does not have.
 */
const MEASURE = `(selector) => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const page = parse(getComputedStyle(document.body).backgroundColor);
  const paint = (el) => {
    // The colour an element paints where it is filled: fill, times its own and its ancestors' opacity.
    const s = getComputedStyle(el);
    if (s.fill === 'none' || s.visibility === 'hidden') return null;
    const c = parse(s.fill);
    if (!c) return null;
    let a = c.a * Number(s.fillOpacity || 1);
    for (let e = el; e && e instanceof SVGElement; e = e.parentElement) a *= Number(getComputedStyle(e).opacity || 1);
    return a > 0 ? { ...c, a } : null;
  };
  const out = [];
  const root = document.querySelector(selector);
  const viewport = root.closest('.viewport').getBoundingClientRect();
  for (const t of root.querySelectorAll('text')) {
    const words = (t.textContent || '').replace(/[\\s\\u200B]/g, '');
    if (words === '') continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    // Only what can be seen in the pane is judged (the rest is judged when scrolled to).
    if (x < viewport.left || x > viewport.right || y < viewport.top || y > viewport.bottom) continue;
    const fill = paint(t.querySelector('tspan') || t) || paint(t);
    if (!fill) continue;
    // What lies under the text's middle, top first: shapes (not other text, not lines).
    const stack = document.elementsFromPoint(x, y).filter((e) => e instanceof SVGGeometryElement && !(e instanceof SVGLineElement) && !e.closest('text'));
    let bg = page;
    const layers = [];
    for (const e of stack) {
      const c = paint(e);
      if (!c) continue;
      layers.push(c);
      if (c.a >= 1) break;
    }
    for (const c of layers.reverse()) bg = over(c, bg);
    const fg = over(fill, bg);
    out.push({ text: (t.textContent || '').slice(0, 40), fg: hex(fg), bg: hex(bg), ratio: Math.round(ratio(fg, bg) * 100) / 100 });
  }
  return out;
}`;

async function show(theme: Theme, file: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newWebviewPage(browser, { width, height: 900 });
  await page.goto(`${pages.base}/?theme=${encodeURIComponent(theme.name)}`);
  await page.waitForFunction(
    () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    undefined,
    { timeout: 15_000 },
  );
  const update = buildUpdate(analyze(readFileSync(join(ROOT, 'examples', file), 'utf8')), {
    uri: `file:///w/${file}`,
    fileName: file,
    version: 1,
    locked: false,
  });
  await page.evaluate((m) => window.postMessage(m, '*'), update);
  return { page, errors };
}

type Contrast = { text: string; ratio: number; fg: string; bg: string };

async function contrasts(page: Page, view: 'sequence' | 'timeline'): Promise<Contrast[]> {
  const sel = `#${view} .variant-pane:not([hidden]) svg`;
  await page.waitForFunction((s) => document.querySelector(s)?.querySelector('text'), sel, { timeout: 30_000 });
  const evaluate = page.evaluate as unknown as (script: string) => Promise<Contrast[]>;
  return evaluate.call(page, `(${MEASURE})(${JSON.stringify(sel)})`);
}

describe(
  'every diagram text has 4.5 : 1 contrast in light, dark and both high-contrast themes (Chromium)',
  { skip },
  () => {
    before(async () => {
      pages = await startWebviewPages({
        html: (html, url) => {
          const theme = THEMES.find((t) => t.name === url.searchParams.get('theme')) ?? THEMES[0];
          const vars = Object.entries(theme.colours)
            .map(([k, v]) => `--vscode-${k}: ${v};`)
            .join(' ');
          return html
            .replace('<html lang="en">', `<html lang="en" style="${vars}">`)
            .replace('<body>', `<body class="${theme.bodyClass}">`);
        },
      });
      ({ browser } = pages);
    });

    after(async () => {
      await pages?.close();
    });

    for (const theme of THEMES) {
      it(`${theme.name}: sequence diagram and timeline`, async () => {
        const low: Low[] = [];
        let judged = 0;
        for (const file of EXAMPLES) {
          const { page, errors } = await show(theme, file, 1200);
          for (const view of ['sequence', 'timeline'] as const) {
            if (view === 'timeline') await page.click('#tab-timeline');
            const c = await contrasts(page, view);
            assert.ok(c.length >= 10, `${file} ${view}: ${c.length} texts judged`);
            judged += c.length;
            for (const x of c) if (x.ratio < 4.5) low.push({ ...x, text: `${file} ${view}: ${x.text}` });
          }
          assert.deepEqual(errors, []);
          await page.close();
        }
        assert.deepEqual(
          low.map((l) => `${l.ratio}:1 ${l.fg} on ${l.bg} "${l.text}"`),
          [],
          `${low.length} of ${judged} texts under 4.5 : 1`,
        );
      });
    }
  },
);
