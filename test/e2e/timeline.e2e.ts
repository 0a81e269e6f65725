// The Timeline tab where people use it: beside the editor in a real VS Code (code-server's
// workbench in Chromium) at 1280x800, after "Run TCP scenario" on the lost-final-ACK example
// with a 60 s TIME_WAIT (MSL 30 s). Read from the rendered page: the axis shows real times
// (the language's durations, increasing left to right, none inside the folded minute, which
// says how long it was), the chart is laid out at the pane's width (the whole SVG within the
// pane, so no sideways scrolling, at 100 %: no text under 11 px on screen), each state is named
// in full or by an abbreviation the legend row spells out, and the rows name each connection by
// its endpoints. The same view is checked and kept as a screenshot in Light, Dark and both High
// Contrast themes (test-output/e2e/timeline-*.png), switching the theme with Preferences: Color
// Theme as a user would. Then the window grows to 1600x1000: the wider pane is laid out again,
// with more states named in full.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import {
  findFrameWith,
  focusEditorArea,
  launchBrowser,
  openFile,
  openWorkbench,
  runCommand,
  screenshot,
} from '../vscode/browser';
import { examplesSource, outputRoot, packagedVsix, repoRoot, startCodeServer, type CodeServer } from '../vscode/server';

const SHOTS = join(outputRoot, 'e2e');
const FILE = 'time-wait-60s.tcpscn';
const SETTINGS = {
  'workbench.editor.enablePreview': false,
  'workbench.startupEditor': 'none',
  'editor.codeLens': false,
};
/** Each theme's id (the setting) and its name in the Color Theme picker. */
const THEMES: Array<{ id: string; label: string; bodyClass: string }> = [
  { id: 'Default Light Modern', label: 'Light Modern', bodyClass: 'vscode-light' },
  { id: 'Default Dark Modern', label: 'Dark Modern', bodyClass: 'vscode-dark' },
  { id: 'Default High Contrast', label: 'Dark High Contrast', bodyClass: 'vscode-high-contrast' },
  { id: 'Default High Contrast Light', label: 'Light High Contrast', bodyClass: 'vscode-high-contrast-light' },
];

let server: CodeServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;

interface TimelineView {
  ticks: Array<{ label: string; x: number; px: number; inView: boolean }>;
  breaks: string[];
  states: string[];
  rows: string[];
  paneWidth: number;
  /** The SVG's left and right edges and the viewport's, on screen. */
  svg: { left: number; right: number };
  viewport: { left: number; right: number };
  /** The smallest text of the chart (states, rows, ticks, legend) on screen, in px, and which. */
  smallestPx: number;
  smallest: string;
  legend: string[];
  /** The least room between two labels of the axis, px on screen. */
  axisGap: number;
  title: { left: number; right: number };
}

/** In the preview's frame (a string: tsx would wrap named functions in a helper the page lacks). */
const MEASURE = String.raw`(() => {
  const pane = document.querySelector('#timeline .variant-pane:not([hidden])');
  const vp = pane.querySelector('.viewport').getBoundingClientRect();
  const svg = pane.querySelector('svg');
  const m = /scale\(([\d.]+)\)/.exec(pane.querySelector('.canvas').style.transform);
  const scale = m ? Number(m[1]) : 1;
  const ticks = [...svg.querySelectorAll('g.grid > g.tick:not(.tcpscn-axis-break) text')].map((t) => {
    const r = t.getBoundingClientRect();
    return {
      label: t.textContent, x: r.left + r.width / 2, px: parseFloat(t.getAttribute('font-size') || '10') * scale,
      inView: r.left >= vp.left && r.right <= vp.right && r.top >= vp.top && r.bottom <= vp.bottom,
    };
  });
  const breaks = [...svg.querySelectorAll('g.grid > g.tcpscn-axis-break text')].map((t) => t.textContent);
  const states = [...svg.querySelectorAll('text.taskText, text.taskTextOutsideRight, text.taskTextOutsideLeft')]
    .filter((t) => !t.classList.contains('vertText')).map((t) => t.textContent.trim()).filter((s) => s && s !== '\u200B');
  const rows = [...svg.querySelectorAll('text.sectionTitle')].map((t) => t.textContent.trim());
  const legend = [...svg.querySelectorAll('text[class*="doneText"]')]
    .map((t) => t.textContent.trim()).filter((s) => s.includes(' = '));
  // Every text of the chart but the title, at its size on screen (its font size times the zoom).
  let smallestPx = Infinity;
  let smallest = '';
  for (const t of svg.querySelectorAll('text')) {
    if (t.classList.contains('titleText') || !t.textContent.trim() || t.textContent.trim() === '\u200B') continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < smallestPx) { smallestPx = px; smallest = t.textContent.trim(); }
  }
  // The axis' labels (real times, folds' lengths) left to right: the gap between neighbours.
  const axis = [...svg.querySelectorAll('g.grid > g.tick text')].map((t) => t.getBoundingClientRect()).sort((a, b) => a.left - b.left);
  let axisGap = Infinity;
  for (let i = 1; i < axis.length; i++) axisGap = Math.min(axisGap, axis[i].left - axis[i - 1].right);
  const title = svg.querySelector('text.titleText').getBoundingClientRect();
  const s = svg.getBoundingClientRect();
  return {
    ticks, breaks, states, rows, paneWidth: Math.round(vp.width), legend, smallestPx, smallest,
    svg: { left: s.left, right: s.right }, viewport: { left: vp.left, right: vp.right }, axisGap,
    title: { left: title.left, right: title.right },
  };
})()`;

/** The states named in full and those abbreviated (each of which the legend must spell out). */
function stateNames(view: TimelineView): { full: string[]; abbreviated: string[] } {
  const names = view.states
    .filter((x) => !x.includes(' = ')) // the legend's
    .map((x) => x.split(' ')[0])
    .filter((x) => /^[A-Z][A-Z_0-9]*$/.test(x));
  const abbreviated = names.filter((x) => /^(SS|SR|FW1|FW2|LA|TW|CW|EST|CL)$/.test(x));
  return { full: names.filter((x) => !abbreviated.includes(x)), abbreviated };
}

/** What every view of the timeline must hold, whatever its width. */
function checkView(view: TimelineView, what: string): void {
  const labels = view.ticks.map((t) => t.label).join(' ');
  // In a 443 px pane: 0ms, 110ms, 500ms, 61s and the folded minute's +59.95s.
  assert.ok(view.ticks.length >= 4, `${what}: ${labels}`);
  for (const t of view.ticks) assert.ok(Number.isFinite(durationMs(t.label)), `"${t.label}" a real time: ${labels}`);
  for (let i = 1; i < view.ticks.length; i++) {
    assert.ok(view.ticks[i].x > view.ticks[i - 1].x, labels);
    assert.ok(durationMs(view.ticks[i].label) > durationMs(view.ticks[i - 1].label), labels);
  }
  assert.ok(
    view.ticks.every((t) => t.inView),
    `${what}: every tick in view: ${labels}`,
  );
  assert.ok(
    view.breaks.some((b) => /^\+59\.\d+s$/.test(b)),
    `the folded minute says how long: ${view.breaks.join(' ')}`,
  );
  // The whole chart within the pane: nothing to scroll sideways to.
  assert.ok(
    view.svg.left >= view.viewport.left - 0.5 && view.svg.right <= view.viewport.right + 0.5,
    `${what}: the SVG at ${view.svg.left}..${view.svg.right} in the pane's ${view.viewport.left}..${view.viewport.right}`,
  );
  assert.ok(view.axisGap >= 3, `${what}: axis labels ${view.axisGap} px apart`);
  assert.ok(
    view.title.left >= view.svg.left - 0.5 && view.title.right <= view.svg.right + 0.5,
    `${what}: the title at ${view.title.left}..${view.title.right}`,
  );
  assert.ok(view.smallestPx >= 11, `${what}: "${view.smallest}" at ${view.smallestPx} px`);
  const { full, abbreviated } = stateNames(view);
  assert.ok(full.includes('TIME_WAIT') || abbreviated.includes('TW'), view.states.join(' | '));
  const legend = view.legend.join(' ');
  for (const a of abbreviated)
    assert.match(legend, new RegExp(`\\b${a} = [A-Z_0-9]+`), `${a} in the legend: ${legend}`);
  assert.ok(view.rows.includes('client to server'), view.rows.join(' | '));
}

function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text.trim());
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : Number.NaN;
}

/**
 * Polls `expression` in the frame from here: the webview's CSP has no 'unsafe-eval', which
 * playwright's in-page polling of a string needs; evaluate() goes through the debugger.
 */
async function until(frame: Frame, expression: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await frame.evaluate(expression).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function timelineFrame(): Promise<Frame> {
  const frame = await findFrameWith(page, '#tab-timeline', 45_000);
  await until(frame, `!!document.getElementById('doc-title')?.textContent.includes(${JSON.stringify(FILE)})`);
  return frame;
}

before(async () => {
  server = await startCodeServer({
    name: 'e2e-timeline',
    vsix: [packagedVsix()],
    workspaceSource: examplesSource(),
    settings: { ...SETTINGS, 'workbench.colorTheme': THEMES[0].id },
  });
  // The lost-final-ACK example with Linux's 60 s TIME_WAIT (2 x MSL).
  const text = readFileSync(join(repoRoot, 'examples', 'time-wait-lost-final-ack.tcpscn'), 'utf8');
  writeFileSync(join(server.workspace, FILE), text.replace(/set msl = \S+/, 'set msl = 30s'));
  browser = await launchBrowser();
});

after(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

test('1280x800: the Timeline tab shows real times, full state names and connection names, in four themes', async () => {
  context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await openWorkbench(page, server!.folderUrl);
  await openFile(page, FILE);
  await runCommand(page, 'Run TCP scenario');
  let frame = await timelineFrame();
  await runCommand(page, 'Notifications: Clear All Notifications');
  await frame.click('#tab-timeline');
  const report: string[] = [];
  for (const theme of THEMES) {
    if (theme !== THEMES[0]) {
      // As a user would: the Color Theme picker (Ctrl+K Ctrl+T; the palette's first match for its
      // title is the Marketplace's), the theme's name, Enter.
      await focusEditorArea(page);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      const input = page.locator('.quick-input-widget input.input, .quick-input-widget input[type="text"]').first();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(theme.label);
      await page
        .locator('.quick-input-widget .monaco-list-row', { hasText: theme.label })
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.press('Enter');
      frame = await timelineFrame();
      await until(frame, `document.body.classList.contains(${JSON.stringify(theme.bodyClass)})`);
    }
    await until(frame, "!!document.querySelector('#timeline .variant-pane:not([hidden]) svg g.grid > g.tick[data-t]')");
    await page.waitForTimeout(600); // the redraw in the new colours
    const view = (await frame.evaluate(MEASURE)) as TimelineView;
    const shot = await screenshot(page, SHOTS, `timeline-1280x800-${theme.bodyClass}`);
    const names = stateNames(view);
    report.push(
      `${theme.id}: pane ${view.paneWidth} px, SVG ${Math.round(view.svg.right - view.svg.left)} px; axis labels ${view.axisGap.toFixed(1)} px apart; smallest text ${view.smallestPx.toFixed(1)} px ("${view.smallest}"); ticks ${view.ticks.map((t) => t.label).join(' ')}; breaks ${view.breaks.join(' ')}; full ${names.full.join(' ')}; abbreviated ${names.abbreviated.join(' ')}; rows ${view.rows.join(' | ')}; ${shot}`,
    );
    checkView(view, report.at(-1)!);
  }
  // A wider window: the preview's pane grows, the timeline is laid out again for it (once its
  // width settles), and names more states in full.
  const narrow = (await frame.evaluate(MEASURE)) as TimelineView;
  await page.setViewportSize({ width: 1600, height: 1000 });
  await until(
    frame,
    `(() => {
    const vp = document.querySelector('#timeline .variant-pane:not([hidden]) .viewport');
    const svg = vp && vp.querySelector('svg');
    return !!svg && parseFloat(svg.getAttribute('width')) > ${narrow.svg.right - narrow.svg.left + 50} && parseFloat(svg.getAttribute('width')) <= vp.clientWidth;
  })()`,
  );
  await page.waitForTimeout(600);
  const wide = (await frame.evaluate(MEASURE)) as TimelineView;
  const wideShot = await screenshot(page, SHOTS, 'timeline-1600x1000-vscode-light-high-contrast');
  const wideNames = stateNames(wide);
  report.push(
    `1600x1000: pane ${wide.paneWidth} px, SVG ${Math.round(wide.svg.right - wide.svg.left)} px; smallest text ${wide.smallestPx.toFixed(1)} px; full ${wideNames.full.join(' ')}; abbreviated ${wideNames.abbreviated.join(' ')}; ${wideShot}`,
  );
  checkView(wide, report.at(-1)!);
  assert.ok(wideNames.full.length > stateNames(narrow).full.length, report.join('\n'));
  console.log(report.join('\n'));
});
