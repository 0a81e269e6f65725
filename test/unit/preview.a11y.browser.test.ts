// Accessibility of the preview (issue 11), in a real Chromium (skipped where there is none):
// axe-core finds no serious or critical violation in light, dark and both high-contrast themes;
// the diagram is reached and used with the keyboard alone (arrow keys move through segments,
// each announced in words and its line selected in the editor without leaving the diagram;
// Enter shows the line; + zooms); the run's results are announced once; an expected error is
// counted apart in the summary.

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
  type Page,
  type WebviewPages,
  type WebviewTheme as Theme,
} from './helpers/webviewPage';

const ROOT = join(__dirname, '..', '..');
const skip = skipWithoutChromium(': the accessibility test needs a real browser');
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// The colours a webview gets from VS Code's Light+, Dark+ and the two high-contrast themes
// (the ones the page's CSS and Mermaid's theme read).
const COMMON_LIGHT = {
  'editor-background': '#ffffff',
  'editor-foreground': '#000000',
  foreground: '#616161',
  'editorWidget-background': '#f3f3f3',
  'editorWidget-border': '#c8c8c8',
  focusBorder: '#0090f1',
  'editorHoverWidget-background': '#f3f3f3',
  descriptionForeground: '#717171',
  errorForeground: '#a1260d',
  'editorWarning-foreground': '#bf8803',
  'testing-iconPassed': '#388a34',
  'button-background': '#007acc',
  'button-foreground': '#ffffff',
  'button-secondaryBackground': '#5f6a79',
  'button-secondaryForeground': '#ffffff',
  'textLink-foreground': '#006ab1',
  'panel-background': '#ffffff',
  'panel-border': '#80808059',
  'panelTitle-activeForeground': '#424242',
  'panelTitle-inactiveForeground': '#6f6f6f',
  'panelTitle-activeBorder': '#424242',
  'dropdown-background': '#ffffff',
  'dropdown-foreground': '#616161',
  'dropdown-border': '#cecece',
  'list-activeSelectionBackground': '#0060c0',
  'list-activeSelectionForeground': '#ffffff',
  'font-family': 'sans-serif',
  'font-size': '13px',
};
const THEMES: Theme[] = [
  { name: 'Light+', bodyClass: 'vscode-light', colours: COMMON_LIGHT },
  {
    name: 'Dark+',
    bodyClass: 'vscode-dark',
    colours: {
      ...COMMON_LIGHT,
      'editor-background': '#1e1e1e',
      'editor-foreground': '#d4d4d4',
      foreground: '#cccccc',
      'editorWidget-background': '#252526',
      'editorWidget-border': '#454545',
      focusBorder: '#007fd4',
      'editorHoverWidget-background': '#252526',
      descriptionForeground: '#a0a0a0',
      errorForeground: '#f48771',
      'editorWarning-foreground': '#cca700',
      'testing-iconPassed': '#73c991',
      'button-background': '#0e639c',
      'textLink-foreground': '#3794ff',
      'panel-background': '#1e1e1e',
      'panelTitle-activeForeground': '#e7e7e7',
      'panelTitle-inactiveForeground': '#a6a6a6',
      'panelTitle-activeBorder': '#e7e7e7',
      'dropdown-background': '#3c3c3c',
      'dropdown-foreground': '#f0f0f0',
      'dropdown-border': '#3c3c3c',
    },
  },
  {
    name: 'Dark High Contrast',
    bodyClass: 'vscode-high-contrast',
    colours: {
      ...COMMON_LIGHT,
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      foreground: '#ffffff',
      'editorWidget-background': '#0c141f',
      contrastBorder: '#6fc3df',
      focusBorder: '#f38518',
      'editorHoverWidget-background': '#0c141f',
      descriptionForeground: '#ffffff',
      errorForeground: '#f48771',
      'editorWarning-foreground': '#ffd700',
      'testing-iconPassed': '#73c991',
      'button-background': '#000000',
      'textLink-foreground': '#21a6ff',
      'panel-background': '#000000',
      'panelTitle-activeForeground': '#ffffff',
      'panelTitle-inactiveForeground': '#ffffff',
      'panelTitle-activeBorder': '#6fc3df',
      'dropdown-background': '#000000',
      'dropdown-foreground': '#ffffff',
      'dropdown-border': '#6fc3df',
    },
  },
  {
    name: 'Light High Contrast',
    bodyClass: 'vscode-high-contrast-light',
    colours: {
      ...COMMON_LIGHT,
      'editor-background': '#ffffff',
      'editor-foreground': '#292929',
      foreground: '#292929',
      'editorWidget-background': '#ffffff',
      contrastBorder: '#0f4a85',
      focusBorder: '#006bbd',
      descriptionForeground: '#292929',
      errorForeground: '#b5200d',
      'editorWarning-foreground': '#895503',
      'testing-iconPassed': '#007100',
      'button-background': '#0f4a85',
      'textLink-foreground': '#0f4a85',
      'panel-background': '#ffffff',
      'panelTitle-activeForeground': '#292929',
      'panelTitle-inactiveForeground': '#292929',
      'panelTitle-activeBorder': '#b5200d',
      'dropdown-background': '#ffffff',
      'dropdown-foreground': '#292929',
      'dropdown-border': '#0f4a85',
    },
  },
];

/** The part of playwright's keyboard the test presses keys with. */
type Keyboard = { press(key: string): Promise<void> };
const keyboardOf = (page: Page): Keyboard => (page as unknown as { keyboard: Keyboard }).keyboard;

/** Enter on a focused segment moves to its line: a `reveal` of that line that takes the focus. */
async function assertEnterMovesToLine(page: Page, kb: Keyboard, line: number): Promise<void> {
  await kb.press('Enter');
  const enter = await page.evaluate(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'reveal').pop(),
  );
  assert.deepEqual(
    { ...enter, uri: undefined },
    { type: 'reveal', line, column: 0, preserveFocus: false, uri: undefined },
  );
}

let pages: WebviewPages;

const EXAMPLE = 'handshake-and-close.tcpscn';

async function show(theme: Theme, text = readFileSync(join(ROOT, 'examples', EXAMPLE), 'utf8')): Promise<Page> {
  const { page, errors } = await newWebviewPage(pages.browser, { width: 1200, height: 900 });
  // VS Code applies the theme before the page's script runs; axe is added the same way (an
  // init script is not subject to the page's Content-Security-Policy).
  await page.addInitScript((t: Theme) => {
    document.addEventListener('DOMContentLoaded', () => {
      document.body.classList.add(t.bodyClass);
      document.body.dataset.vscodeThemeKind = t.bodyClass;
      for (const [k, v] of Object.entries(t.colours)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
    });
  }, theme as never);
  await page.addInitScript(AXE);
  await page.goto(`${pages.base}/`);
  await page.waitForFunction(
    () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    undefined,
    { timeout: 15_000 },
  );
  const update = buildUpdate(analyze(text), {
    uri: `file:///w/${EXAMPLE}`,
    fileName: EXAMPLE,
    version: 1,
    locked: false,
  });
  await page.evaluate((m) => window.postMessage(m, '*'), update);
  await page.waitForFunction(() => document.querySelector('#sequence .variant-pane svg'), undefined, {
    timeout: 30_000,
  });
  assert.deepEqual(errors, []);
  return page;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

function axeRun(page: Page): Promise<Violation[]> {
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: Violation[] }> } })
      .axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

describe('preview accessibility', { skip, timeout: 240_000 }, () => {
  before(async () => {
    pages = await startWebviewPages();
  });
  after(async () => {
    await pages?.close();
  });

  for (const theme of THEMES) {
    it(`axe-core: no serious or critical violation in ${theme.name}`, async () => {
      const page = await show(theme);
      try {
        const severe = (await axeRun(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(severe, [], JSON.stringify(severe, null, 2));
      } finally {
        await page.close();
      }
    });
  }

  it('the diagram is named and described; the keyboard moves to the fourth segment, announces it, and reveals its line', async () => {
    const page = await show(THEMES[0]);
    try {
      const named = await page.evaluate(() => {
        const v = document.querySelector<HTMLElement>('#sequence .viewport')!;
        const desc = document.getElementById(v.getAttribute('aria-describedby') ?? '');
        return { label: v.getAttribute('aria-label'), tabIndex: v.tabIndex, desc: desc?.textContent ?? '' };
      });
      assert.match(named.label ?? '', /^Sequence diagram of "/);
      assert.equal(named.tabIndex, 0);
      assert.match(named.desc, /Endpoints client and server\. \d+ segments/);
      assert.match(named.desc, /Arrow keys move from segment to segment/);
      // The run's results were announced once.
      const results = await page.evaluate(() => document.getElementById('announcer')?.textContent ?? '');
      assert.match(results, /expectations? passed, 0 failed/);

      await page.evaluate(() => document.querySelector<HTMLElement>('#sequence .viewport')!.focus());
      const kb = keyboardOf(page);
      for (let i = 0; i < 4; i++) await kb.press('ArrowDown');
      const after4 = await page.evaluate(() => ({
        said: document.getElementById('announcer')?.textContent ?? '',
        marked: [
          ...new Set(
            [...document.querySelectorAll<SVGElement>('#sequence .tcpscn-focus')].map((e) => e.dataset.segment),
          ),
        ],
        reveals: (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'reveal'),
        focused: document.activeElement?.classList.contains('viewport') ?? false,
      }));
      assert.match(after4.said, /^segment 4, client to server, .*sequence \d+/);
      assert.deepEqual(after4.marked, ['4']);
      assert.equal(after4.focused, true, 'the focus stays on the diagram');
      assert.equal(after4.reveals.length, 4, 'each move selects its line in the editor');
      const last = after4.reveals[3] as unknown as { line: number; preserveFocus: boolean };
      assert.equal(last.preserveFocus, true);
      await assertEnterMovesToLine(page, kb, last.line);
      // + zooms in, 0 fits, Shift+arrow pans.
      const scale = () =>
        page.evaluate(() => document.querySelector<HTMLElement>('#sequence .canvas')!.style.transform);
      const before = await scale();
      await kb.press('+');
      assert.notEqual(await scale(), before);
      const zoomed = await scale();
      await kb.press('Shift+ArrowRight');
      assert.notEqual(await scale(), zoomed);
    } finally {
      await page.close();
    }
  });

  it('the ladder is named and the keyboard moves through its segments, announces them and reveals their lines', async () => {
    const page = await show(THEMES[0]);
    try {
      await page.click('#tab-ladder');
      await page.waitForFunction(() => document.querySelector('#ladder-canvas svg [data-seg]'), undefined, {
        timeout: 30_000,
      });
      const label = await page.evaluate(() => document.getElementById('ladder-viewport')!.getAttribute('aria-label'));
      assert.match(label ?? '', /^Ladder diagram of "/);
      await page.evaluate(() => document.getElementById('ladder-viewport')!.focus());
      const kb = keyboardOf(page);
      for (let i = 0; i < 2; i++) await kb.press('ArrowDown');
      const after2 = await page.evaluate(() => ({
        said: document.getElementById('announcer')?.textContent ?? '',
        marked: [
          ...new Set(
            [...document.querySelectorAll('#ladder-canvas .tcpscn-focus')].map((e) => e.getAttribute('data-seg')),
          ),
        ],
        reveals: (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'reveal'),
      }));
      assert.match(after2.said, /^segment 2, server to client, /);
      assert.deepEqual(after2.marked, ['2']);
      assert.equal(after2.reveals.length, 2, 'each move selects its line in the editor');
      const last = after2.reveals[1] as unknown as { line: number; preserveFocus: boolean };
      assert.equal(last.preserveFocus, true);
      await assertEnterMovesToLine(page, kb, last.line);
    } finally {
      await page.close();
    }
  });

  it('"Show as table" is reached with Tab before the diagram and opens the Trace tab', async () => {
    const page = await show(THEMES[1]);
    try {
      await page.evaluate(() => document.querySelector<HTMLElement>('#sequence .show-table')!.focus());
      await keyboardOf(page).press('Enter');
      await page.waitForFunction(
        () => document.getElementById('tabs')?.getAttribute('activeid') === 'tab-trace',
        undefined,
        {
          timeout: 5_000,
        },
      );
    } finally {
      await page.close();
    }
  });

  it('an error an expectation asked for is counted as expected, not as a call error', async () => {
    const text =
      'set latency = 10ms\nendpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\n0ms server listen\n0ms client connect server\n' +
      '100ms client close\n200ms client send 10\nexpect client error ENOTCONN\n';
    const page = await show(THEMES[0], text);
    try {
      const s = await page.evaluate(() => ({
        errors: document.querySelector('.summary-errors')?.textContent,
        flagged: document.querySelector('.summary-errors')?.classList.contains('has-errors'),
        expected: document.querySelector('.summary-expected-errors')?.textContent,
        detail: document.querySelector('.summary-error')?.textContent,
      }));
      assert.deepEqual(s, {
        errors: '0 call errors',
        flagged: false,
        expected: '\u2713 1 expected error',
        detail: s.detail,
      });
      assert.match(
        s.detail ?? '',
        /^client: send failed with ENOTCONN \(connection closing\) at 200 ?ms, as line 8 expects$/,
      );
    } finally {
      await page.close();
    }
  });
});
