// The preview follows VS Code's theme: Mermaid's `base` theme is fed the literal values of the
// page's `--vscode-*` colours (webview/theme.ts), and a theme change redraws the diagrams. This
// builds the webview, loads it in a real Chromium (skipped where Chromium is not installed) the
// way VS Code would (theme class on <body>, colours as CSS variables on <html>), and switches
// between light, dark, high-contrast and a second dark theme, checking the drawn SVG's colours.

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
const skip = skipWithoutChromium(': the theme test needs a real browser');

// Colours from VS Code's own Light+, Dark+, Dark High Contrast and Monokai themes.
const LIGHT: Theme = {
  name: 'Light+',
  bodyClass: 'vscode-light',
  colours: {
    'editor-background': '#fffffe',
    'editor-foreground': '#202020',
    'editorWidget-background': '#f3f3f3',
    'editorWidget-border': '#c8c8c8',
    focusBorder: '#0090f1',
    'editorHoverWidget-background': '#f3f3f3',
    descriptionForeground: '#717171',
    'editor-selectionBackground': '#add6ff',
  },
};
const DARK: Theme = {
  name: 'Dark+',
  bodyClass: 'vscode-dark',
  colours: {
    'editor-background': '#1e1e1e',
    'editor-foreground': '#d4d4d4',
    'editorWidget-background': '#252526',
    'editorWidget-border': '#454545',
    focusBorder: '#007fd4',
    'editorHoverWidget-background': '#252526',
    descriptionForeground: '#a0a0a0',
    'editor-selectionBackground': '#264f78',
  },
};
const HIGH_CONTRAST: Theme = {
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
  },
};
/** A second dark theme: the body's class stays `vscode-dark`, only the colours change. */
const MONOKAI: Theme = {
  name: 'Monokai',
  bodyClass: 'vscode-dark',
  colours: {
    'editor-background': '#272822',
    'editor-foreground': '#f8f8f2',
    'editorWidget-background': '#1e1f1c',
    'editorWidget-border': '#75715e',
    focusBorder: '#99947c',
    'editorHoverWidget-background': '#414339',
    descriptionForeground: '#ccccc7',
    'editor-selectionBackground': '#878b9180',
  },
};

const THEMES = [LIGHT, DARK, HIGH_CONTRAST, MONOKAI];

let pages: WebviewPages;
let base = '';
let browser: Browser;

/** Applies a theme the way VS Code's webview host does (pre/index.html, applyStyles): body classes first, then the variables on <html>. */
function applyTheme(page: Page, theme: Theme): Promise<void> {
  return page.evaluate((t) => {
    const body = document.body;
    body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
    body.classList.add(t.bodyClass);
    body.dataset.vscodeThemeKind = t.bodyClass;
    body.dataset.vscodeThemeName = t.name;
    body.dataset.vscodeThemeId = t.name;
    const style = document.documentElement.style;
    for (const p of [...style]) if (p.startsWith('--vscode-')) style.removeProperty(p);
    for (const [k, v] of Object.entries(t.colours)) style.setProperty(`--vscode-${k}`, v);
  }, theme);
}

/** A fresh webview page, started in `theme`, with the handshake example drawn. */
async function show(theme: Theme): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newWebviewPage(browser, { width: 1200, height: 900 });
  // VS Code serves the page with the theme already applied (the server puts it in the HTML).
  await page.goto(`${base}/?theme=${encodeURIComponent(theme.name)}`);
  await page.waitForFunction(
    () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    undefined,
    { timeout: 15_000 },
  );
  const text = readFileSync(join(ROOT, 'examples', 'handshake-and-close.tcpscn'), 'utf8');
  const update = buildUpdate(analyze(text), {
    uri: 'file:///w/handshake-and-close.tcpscn',
    fileName: 'handshake-and-close.tcpscn',
    version: 1,
    locked: false,
  });
  await page.evaluate((m) => window.postMessage(m, '*'), update);
  await page.waitForFunction(() => document.querySelector('#sequence .variant-pane svg rect.actor'), undefined, {
    timeout: 30_000,
  });
  return { page, errors };
}

/** The colours the drawn sequence diagram shows, as computed by the browser (rgb() strings). */
interface DrawnColours {
  actorFill: string;
  actorStroke: string;
  actorText: string;
  messageText: string;
  messageLine: string;
  noteFill: string;
  noteStroke: string;
  lifeline: string;
  /** How many SVGs have been put in the pane so far (a redraw replaces it). */
  svgId: string;
}

function drawnColours(page: Page): Promise<DrawnColours | null> {
  return page.evaluate(() => {
    const svg = document.querySelector('#sequence .variant-pane svg');
    if (!svg) return null;
    const css = (sel: string, prop: 'fill' | 'stroke'): string => {
      const e = svg.querySelector(sel);
      return e ? getComputedStyle(e)[prop] : `no ${sel}`;
    };
    return {
      actorFill: css('rect.actor', 'fill'),
      actorStroke: css('rect.actor', 'stroke'),
      actorText: css('text.actor > tspan', 'fill'),
      messageText: css('text.messageText', 'fill'),
      messageLine: css('.messageLine0, .messageLine1', 'stroke'),
      noteFill: css('rect.note', 'fill'),
      noteStroke: css('rect.note', 'stroke'),
      lifeline: css('.actor-line', 'stroke'),
      svgId: svg.id,
    };
  });
}

/** `#rrggbb` or `#rrggbbaa` as the browser computes it. */
function rgb(hex: string): string {
  const n = (i: number): number => parseInt(hex.slice(i, i + 2), 16);
  if (hex.length === 9) {
    const a = Math.round((n(7) / 255) * 1000) / 1000;
    return `rgba(${n(1)}, ${n(3)}, ${n(5)}, ${a})`;
  }
  return `rgb(${n(1)}, ${n(3)}, ${n(5)})`;
}

/** What a diagram drawn in `theme` must show (see mermaidThemeVariables in webview/theme.ts). */
function expected(theme: Theme): Omit<DrawnColours, 'svgId'> {
  const c = theme.colours;
  const border = theme.bodyClass.startsWith('vscode-high-contrast') ? c.contrastBorder : c['editorWidget-border'];
  return {
    actorFill: rgb(c['editorWidget-background']),
    actorStroke: rgb(c.focusBorder),
    actorText: rgb(c['editor-foreground']),
    messageText: rgb(c['editor-foreground']),
    messageLine: rgb(c['editor-foreground']),
    noteFill: rgb(c['editorHoverWidget-background']),
    noteStroke: rgb(border),
    lifeline: rgb(c.descriptionForeground),
  };
}

/** Waits until the pane shows a new SVG (not `previousId`), then returns its colours. */
async function redrawn(page: Page, previousId: string): Promise<DrawnColours> {
  await page.waitForFunction(
    (prev) => {
      const svg = document.querySelector('#sequence .variant-pane svg');
      return svg && svg.id !== prev && svg.querySelector('rect.actor');
    },
    previousId,
    { timeout: 20_000 },
  );
  const c = await drawnColours(page);
  assert.ok(c, 'a diagram is drawn');
  return c;
}

function colours(c: DrawnColours): Omit<DrawnColours, 'svgId'> {
  const { svgId: _, ...rest } = c;
  return rest;
}

describe('the preview follows the VS Code theme (Chromium)', { skip }, () => {
  before(async () => {
    // VS Code serves the page with the theme already applied: the colours on <html>, the kind on <body>.
    pages = await startWebviewPages({
      html: (html, url) => {
        const theme = THEMES.find((t) => t.name === url.searchParams.get('theme')) ?? LIGHT;
        const vars = Object.entries(theme.colours)
          .map(([k, v]) => `--vscode-${k}: ${v};`)
          .join(' ');
        return html
          .replace('<html lang="en">', `<html lang="en" style="${vars}">`)
          .replace('<body>', `<body class="${theme.bodyClass}">`);
      },
    });
    ({ base, browser } = pages);
  });

  after(async () => {
    await pages?.close();
  });

  it('first drawn in the theme the page opens with', async () => {
    for (const theme of [LIGHT, DARK, HIGH_CONTRAST]) {
      const { page, errors } = await show(theme);
      const c = await drawnColours(page);
      assert.ok(c);
      assert.deepEqual(colours(c), expected(theme), `${theme.name}: the diagram is in the theme's colours`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });

  it('light \u2192 dark \u2192 high contrast \u2192 light: each switch redraws the diagram in the new colours', async () => {
    const { page, errors } = await show(LIGHT);
    let c = await drawnColours(page);
    assert.ok(c);
    assert.deepEqual(colours(c), expected(LIGHT));
    for (const theme of [DARK, HIGH_CONTRAST, LIGHT]) {
      await applyTheme(page, theme);
      c = await redrawn(page, c.svgId);
      assert.deepEqual(colours(c), expected(theme), `after switching to ${theme.name}`);
    }
    // High contrast draws borders in the theme's contrast border, not a widget border it does not set.
    assert.notDeepEqual(expected(HIGH_CONTRAST).noteStroke, expected(DARK).noteStroke);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a switch between two dark themes (the body class stays vscode-dark) redraws in the new colours', async () => {
    const { page, errors } = await show(DARK);
    let c = await drawnColours(page);
    assert.ok(c);
    assert.deepEqual(colours(c), expected(DARK));
    await applyTheme(page, MONOKAI);
    c = await redrawn(page, c.svgId);
    assert.deepEqual(colours(c), expected(MONOKAI), 'after switching to Monokai');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a diagram in a hidden tab is redrawn in the new theme when its tab is shown', async () => {
    const { page, errors } = await show(LIGHT);
    await page.click('#tab-timeline');
    await page.waitForFunction(() => document.querySelector('#timeline .variant-pane svg'), undefined, {
      timeout: 20_000,
    });
    await page.click('#tab-sequence');
    const before = await drawnColours(page);
    assert.ok(before);
    await page.click('#tab-timeline');
    await applyTheme(page, DARK);
    // The timeline (shown) is redrawn in the dark colours: its text is the theme's foreground.
    await page.waitForFunction(
      (fg) => {
        const t = document.querySelector('#timeline .variant-pane svg text.taskText, #timeline .variant-pane svg text');
        return t && getComputedStyle(t).fill === fg;
      },
      rgb(DARK.colours['editor-foreground']),
      { timeout: 20_000 },
    );
    await page.click('#tab-sequence');
    const after = await redrawn(page, before.svgId);
    assert.deepEqual(
      colours(after),
      expected(DARK),
      'the sequence diagram, hidden during the switch, is in the dark colours',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
});
