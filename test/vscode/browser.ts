// Drives code-server's web workbench in Debian's Chromium with playwright-core (never a
// downloaded browser: the machines have no internet). Helpers for what the tests do as a
// user would: open the workbench, open a file, run a command, find a webview's frame.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const CHROMIUM = process.env.TCPSCN_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: run scripts/setup-vscode.sh (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function newWorkbenchPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  return context.newPage();
}

/** Loads the workbench at `url` and waits until it is usable. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The activity bar appears once the workbench has restored its parts.
  await page.waitForSelector('.part.activitybar, .part.sidebar, .part.editor', { timeout: 60_000 });
}

/** Gives keyboard focus to the editor area (the terminal or a notification may hold it). */
export async function focusEditorArea(page: Page): Promise<void> {
  // Click inside the first text editor's visible box (its inner `.view-lines` may start above
  // the viewport when the editor is scrolled), else into the empty editor area.
  const editor = page.locator('.part.editor .monaco-editor').first();
  if (await editor.isVisible().catch(() => false)) {
    const box = await editor.boundingBox();
    if (box) {
      await page.mouse.click(box.x + Math.min(120, box.width / 2), box.y + Math.min(40, box.height / 2));
      return;
    }
  }
  await page
    .locator('.part.editor')
    .first()
    .click({ position: { x: 200, y: 200 } });
}

async function quickInput(page: Page, key: string, text: string): Promise<void> {
  await page.keyboard.press(key);
  const input = page.locator('.quick-input-widget input.input, .quick-input-widget input[type="text"]').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
}

/** Opens a workspace file by name with Quick Open (Control+P) and waits for its editor tab. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await focusEditorArea(page);
  await quickInput(page, 'Control+P', fileName);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page
    .locator(`.tab[aria-label*="${fileName}"], .tab .label-name:text-is("${fileName}")`)
    .first()
    .waitFor({ timeout: 15_000 });
  await page.locator('.part.editor .monaco-editor').first().waitFor({ timeout: 15_000 });
}

/** Runs a command by its title from the command palette (Control+Shift+P). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await focusEditorArea(page);
  await quickInput(page, 'Control+Shift+P', `>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** The frame (a webview's inner document) whose DOM holds `selector`, once one does. */
export async function findFrameWith(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.$(selector)) !== null) return frame;
      } catch {
        // A frame that navigates or goes away while we look.
      }
    }
    if (Date.now() > deadline) throw new Error(`no frame holds ${selector} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Saves a full-page screenshot as test-output/e2e/NAME.png (numbered by the caller). */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  return file;
}
