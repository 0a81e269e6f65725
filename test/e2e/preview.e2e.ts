// End to end, as a user: the packaged extension in a real VS Code (code-server's workbench in
// Chromium). Open an example, run it from the command palette, and check the preview against
// the command line tool's trace; then edit the text and watch the preview follow, break it and
// see the error reported while the last good diagram stays, switch to the timeline, and make
// sure text from the file cannot run script in the webview. Every step leaves a screenshot in
// test-output/e2e/.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import {
  findFrameWith,
  focusEditorArea,
  launchBrowser,
  newWorkbenchPage,
  openFile,
  openWorkbench,
  runCommand,
  screenshot,
} from '../vscode/browser';
import { examplesSource, outputRoot, packagedVsix, repoRoot, startCodeServer, type CodeServer } from '../vscode/server';

const SHOTS = join(outputRoot, 'e2e');
const EXAMPLE = 'handshake-and-close.tcpscn';
const ARROWS = '#sequence svg [data-et="message"]';

/** A scenario whose title is HTML with a script in an event handler. */
const MARKUP_FILE = 'markup-title.tcpscn';
const MARKUP_TITLE = '<img src=x onerror="window.__tcpscnPwned=1;document.title=\'pwned\'">';
const MARKUP_SCENARIO = [
  `title "${MARKUP_TITLE.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  'endpoint a 10.0.0.1:1000',
  'endpoint b 10.0.0.2:80',
  '0ms b listen',
  '0ms a connect b',
  '',
].join('\n');

// Typing in the editor must put exactly the typed text in the document: no suggestion may be
// accepted by Enter, and no bracket or quote closed automatically.
const SETTINGS = {
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.codeLens': false,
  'workbench.editor.enablePreview': false,
};

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let shot = 0;
/** The example's text as the editor now holds it (kept in step with what the tests type). */
let text = '';
let lastArrowCount = 0;

async function snap(name: string): Promise<void> {
  shot += 1;
  await screenshot(page, SHOTS, `${String(shot).padStart(2, '0')}-${name}`);
}

/** Segments of every run of `source`, as the command line tool computes them. */
function segmentCount(source: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'tcpscn-e2e-'));
  try {
    const file = join(dir, 'scenario.tcpscn');
    writeFileSync(file, source);
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'run', file, '--json'], {
      encoding: 'utf8',
    });
    // Exit status 1 also means "an expectation failed"; the trace is printed all the same.
    assert.ok(
      r.stdout.trim().startsWith('{') || r.stdout.trim().startsWith('['),
      `tcpscn run printed no trace: ${r.stderr}`,
    );
    const parsed = JSON.parse(r.stdout) as { segments: unknown[] } | { segments: unknown[] }[];
    const traces = Array.isArray(parsed) ? parsed : [parsed];
    assert.equal(traces.length, 1, 'the e2e example must have a single variant');
    return traces[0].segments.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function previewFrame(selector: string): Promise<Frame> {
  return findFrameWith(page, selector, 30_000);
}

async function waitUntil<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}

async function arrowCount(): Promise<number> {
  const frame = await previewFrame('#sequence svg');
  return frame.locator(ARROWS).count();
}

/** Appends a line at the end of the example in the editor, as typed keys. */
async function appendLine(line: string): Promise<void> {
  await focusEditorArea(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line, { delay: 10 });
  await page.keyboard.press('Escape');
  // Control+End lands on the last line; if the file ends with a newline that line is empty
  // and Enter adds one more empty line before ours (empty lines mean nothing in tcpscn).
  text = `${text}\n${line}`;
}

/** Deletes the editor's last line (the cursor is on it after appendLine). */
async function deleteLastLine(): Promise<void> {
  await focusEditorArea(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Backspace');
  text = text.slice(0, text.lastIndexOf('\n'));
}

before(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  server = await startCodeServer({
    name: 'e2e',
    vsix: [packagedVsix()],
    workspaceSource: examplesSource(),
    settings: SETTINGS,
  });
  text = readFileSync(join(server.workspace, EXAMPLE), 'utf8');
  // Written before the workbench loads, so that Quick Open's file index holds it.
  writeFileSync(join(server.workspace, MARKUP_FILE), MARKUP_SCENARIO);
  browser = await launchBrowser();
  page = await newWorkbenchPage(browser);
  await openWorkbench(page, server.folderUrl);
  await snap('workbench');
});

// The state at the end of every test, failed ones included (the step shots come before).
let testNumber = 0;
afterEach(async () => {
  testNumber += 1;
  if (page) await screenshot(page, SHOTS, `end-of-test-${testNumber}`);
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

test('Run TCP scenario draws one arrow per segment of the trace', async () => {
  await openFile(page, EXAMPLE);
  await snap('example-open');
  await runCommand(page, 'Run TCP scenario');
  const expected = segmentCount(text);
  assert.ok(expected > 0);
  const count = await waitUntil('the sequence diagram', arrowCount, (n) => n > 0, 45_000);
  await snap('preview');
  assert.equal(count, expected, `${count} arrows in the preview, ${expected} segments in \`tcpscn run --json\``);
  const frame = await previewFrame('#sequence svg');
  assert.equal(await frame.locator('#banner').isVisible(), false, 'no error banner for a good example');
  lastArrowCount = count;
});

test('typing a new send line changes the diagram', async () => {
  await appendLine('120ms server send 300');
  const expected = segmentCount(text);
  assert.notEqual(expected, lastArrowCount, 'the new line must change the number of segments');
  const count = await waitUntil('the diagram to follow the edit', arrowCount, (n) => n === expected);
  await snap('after-send-line');
  assert.equal(count, expected);
  lastArrowCount = count;
});

test('a broken line shows in Problems and in the banner while the last diagram stays', async () => {
  await appendLine('130ms client frobnicate');
  const brokenLine = text.split('\n').length;
  const frame = await previewFrame('#banner');
  await waitUntil(
    'the banner',
    () => frame.locator('#banner').isVisible(),
    (v) => v,
  );
  const banner = await frame.locator('#banner').innerText();
  assert.match(banner, new RegExp(`Line ${brokenLine}\\b`), `banner: ${banner}`);
  assert.equal(await arrowCount(), lastArrowCount, 'the last good diagram stays on screen');
  await snap('broken-line-banner');

  await runCommand(page, 'Focus on Problems View');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await waitUntil(
    'a Problems entry',
    async () => (await rows.allInnerTexts()).join('\n'),
    (t) => t.includes(`Ln ${brokenLine}`),
  );
  await snap('broken-line-problems');

  await deleteLastLine();
  await waitUntil(
    'the banner to go',
    () => frame.locator('#banner').isVisible(),
    (v) => !v,
  );
  assert.equal(await arrowCount(), segmentCount(text));
  await snap('fixed');
});

test('the Timeline tab shows the state timeline (a gantt chart)', async () => {
  const frame = await previewFrame('#tab-timeline');
  await frame.locator('#tab-timeline').click();
  try {
    await frame.locator('#timeline svg').first().waitFor({ state: 'visible', timeout: 20_000 });
    // The timeline is drawn when its tab first shows: wait for the finished chart.
    // Short states may be abbreviated to fit their bar; the long ones are written out.
    const states = ['ESTABLISHED', 'TIME_WAIT', 'LISTEN', 'client'];
    const svgText = await waitUntil(
      'the timeline to name every state of the run',
      async () => (await frame.locator('#timeline svg').first().textContent()) ?? '',
      (t) => states.every((s) => t.includes(s)),
    );
    for (const state of states) assert.ok(svgText.includes(state), `the timeline shows ${state}`);
    const bars = await frame.locator('#timeline svg rect[class*="task"]').count();
    assert.ok(bars >= 5, `gantt bars drawn: ${bars}`);
    await snap('timeline');
  } finally {
    await frame.locator('#tab-sequence').click();
  }
});

test('a title with markup shows as text and runs nothing', async () => {
  await openFile(page, MARKUP_FILE);
  await runCommand(page, 'Run TCP scenario');
  // The preview remembers its tab; this test looks at the sequence diagram.
  await (await previewFrame('#tab-sequence')).locator('#tab-sequence').click();
  // The preview now shows this file: wait for its title somewhere in the preview's text.
  const frame = await waitUntil(
    'the preview of the markup title',
    async () => {
      for (const f of page.frames()) {
        const has = await f
          .evaluate(() => !!document.getElementById('sequence') && document.body.innerText.includes('onerror'))
          .catch(() => false);
        if (has) return f;
      }
      return null;
    },
    (f) => f !== null,
    30_000,
  );
  assert.ok(frame);
  await frame.locator(ARROWS).first().waitFor({ state: 'attached', timeout: 20_000 });
  await new Promise((r) => setTimeout(r, 500));
  await snap('markup-title');
  const verdict = await frame.evaluate(() => ({
    pwned: (window as unknown as { __tcpscnPwned?: number }).__tcpscnPwned ?? null,
    title: document.title,
    imgs: document.querySelectorAll('img[src="x"], #app img').length,
    shown: document.body.innerText.includes('<img src=x'),
  }));
  assert.equal(verdict.pwned, null, 'the onerror handler ran');
  assert.notEqual(verdict.title, 'pwned');
  assert.equal(verdict.imgs, 0, 'the title became an <img> element');
  assert.ok(verdict.shown, 'the title is shown as text');
  for (const f of page.frames()) {
    const t = await f
      .evaluate(() => ({
        pwned: (window as unknown as { __tcpscnPwned?: number }).__tcpscnPwned ?? null,
        title: document.title,
      }))
      .catch(() => null);
    if (t) {
      assert.equal(t.pwned, null, `script ran in frame ${f.url()}`);
      assert.notEqual(t.title, 'pwned');
    }
  }
});
