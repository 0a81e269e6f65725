// End to end with the keyboard alone (issue 11): in code-server's workbench, no mouse event at
// all, open an example with Quick Open, open its preview from the command palette, move into the
// preview and Tab to the sequence diagram, go to the fourth segment with the arrow keys, and
// Enter shows its line in the editor (the status bar's cursor position is that line).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { findFrameWith, launchBrowser, newWorkbenchPage, openWorkbench, screenshot } from '../vscode/browser';
import { examplesSource, outputRoot, packagedVsix, repoRoot, startCodeServer, type CodeServer } from '../vscode/server';

const SHOTS = join(outputRoot, 'e2e-keyboard');
const EXAMPLE = 'handshake-and-close.tcpscn';

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;

/** The line that caused segment `n` of the example, as the command line tool computes it. */
function causeLineOf(file: string, n: number): number {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'run', file, '--json'], {
    encoding: 'utf8',
  });
  const trace = JSON.parse(r.stdout) as { segments: { n: number; causeLine: number | null }[] };
  const line = trace.segments.find((s) => s.n === n)?.causeLine;
  assert.ok(typeof line === 'number', `segment ${n} has a cause line`);
  return line;
}

async function waitUntil<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}

/** Opens the quick input with `key`, types `text` (as keys) and accepts the row that shows `row`. */
async function quickPick(key: string, text: string, row: string): Promise<void> {
  await page.keyboard.press(key);
  await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(text, { delay: 5 });
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: row }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

before(async () => {
  server = await startCodeServer({
    name: 'e2e-keyboard',
    vsix: [packagedVsix()],
    workspaceSource: examplesSource(),
    settings: { 'workbench.editor.enablePreview': false, 'editor.codeLens': false },
  });
  browser = await launchBrowser();
  page = await newWorkbenchPage(browser);
  // Any mouse event fails the test: it must be the keyboard alone.
  await page.addInitScript(() => {
    for (const type of ['mousedown', 'mouseup', 'click', 'pointerdown'])
      window.addEventListener(
        type,
        (e) => {
          if (e.isTrusted) (window as unknown as { __mouse: number }).__mouse = 1;
        },
        true,
      );
  });
  await openWorkbench(page, server.folderUrl);
});

after(async () => {
  if (page) await screenshot(page, SHOTS, 'end').catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
});

test('keyboard only: open an example and its preview, move to the fourth segment, reveal its line', async () => {
  await quickPick('Control+P', EXAMPLE, EXAMPLE);
  await page.locator('.part.editor .monaco-editor').first().waitFor({ timeout: 15_000 });
  await quickPick('Control+Shift+P', 'TCP Scenario: Open Preview to the Side', 'Open Preview to the Side');
  const frame: Frame = await findFrameWith(page, '#sequence svg [data-et="message"]', 60_000);
  await screenshot(page, SHOTS, '01-preview');
  // Into the preview's editor group, then Tab through its controls to the diagram.
  await page.keyboard.press('Control+2'); // View: Focus Second Editor Group
  // The first tab shown may be another view: on the tab list, the arrow keys pick Sequence.
  let onDiagram = false;
  for (let i = 0; i < 40 && !onDiagram; i++) {
    await page.keyboard.press('Tab');
    const at = await frame
      .evaluate(() =>
        document.hasFocus() ? (document.activeElement?.id ?? document.activeElement?.className ?? '') : '',
      )
      .catch(() => '');
    if (at.startsWith('tab-') && at !== 'tab-sequence') {
      for (let k = 0; k < 5; k++) {
        const id = await frame.evaluate(() => document.activeElement?.id ?? '');
        if (id === 'tab-sequence') break;
        await page.keyboard.press(id === 'tab-trace' ? 'ArrowLeft' : 'ArrowRight');
      }
      await page.keyboard.press('Enter');
    }
    onDiagram = await frame
      .evaluate(() => document.hasFocus() && document.activeElement?.matches('#sequence .viewport') === true)
      .catch(() => false);
  }
  assert.ok(onDiagram, 'Tab reaches the sequence diagram');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  const said = await waitUntil(
    'the fourth segment to be announced',
    () => frame.evaluate(() => document.getElementById('announcer')?.textContent ?? ''),
    (s) => s.startsWith('segment 4,'),
  );
  await screenshot(page, SHOTS, '02-fourth-segment');
  const line = causeLineOf(join(server!.workspace, EXAMPLE), 4);
  assert.match(said, new RegExp(`caused by line ${line}`));
  await page.keyboard.press('Enter');
  const status = await waitUntil(
    'the editor to show the line',
    () =>
      page
        .locator('#status\\.editor\\.selection')
        .first()
        .innerText()
        .catch(() => ''),
    (s) => s.includes(`Ln ${line},`),
  );
  await screenshot(page, SHOTS, '03-line-revealed');
  assert.match(status, new RegExp(`Ln ${line},`));
  // The editor has the focus now: typing would go into the file.
  assert.equal(await page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null), true);
  assert.equal(
    await page.evaluate(() => (window as unknown as { __mouse?: number }).__mouse ?? 0),
    0,
    'no mouse event',
  );
  assert.ok(readFileSync(join(server!.workspace, EXAMPLE), 'utf8').length > 0);
});
