// VS Code benchmark: the packaged extension in a real VS Code (code-server's web workbench in
// Chromium, started by the infrastructure harness in test/vscode/). Measures
//   - keystroke -> updated SVG in the preview: a `0` typed after the time of the file's last
//     timed call (`300ms` -> `3000ms`), then deleted, so that every key changes the diagram
//     (the side-pane diagram leaves the title to the page, so a key in the title redraws
//     nothing); the time from the key event in the workbench page to the new <svg> in the
//     preview's sequence pane (a MutationObserver in the webview's frame), both stamped with
//     Date.now() (the workbench and the webview may live in different processes, so only the
//     wall clock is shared). p50 and p95 over EDITS edits for an example and for a scenario of
//     about 500 segments; then the same
//     edits with the preview's Ladder tab shown (a new <svg> in #ladder-canvas: webview/ladder.ts
//     replaces it on every redraw);
//   - activation time as VS Code itself reports it (Developer: Show Running Extensions);
//   - the extension host's blocking while typing in a 1 MB document, ours vs. plaintext
//     (bench/hostTyping.ts: code run inside the host, as the integration suite is).
//
// Usage: node --import tsx bench/vscode.ts [--vsix FILE] [--no-host-typing]   (run.ts calls it too)

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { findFrameWith, launchBrowser, newWorkbenchPage, openFile, runCommand } from '../test/vscode/browser';
import { startCodeServer } from '../test/vscode/server';
import { benchHostTyping, type HostTypingResult } from './hostTyping';
import { transfer } from './scenarios';
import { quantile } from './stats';

// Even, so that every `0` typed is deleted again and the file ends as it began.
const EDITS = 2 * Math.ceil((Number(process.env.TCPSCN_BENCH_EDITS ?? 40) || 40) / 2);

export interface KeystrokeRow {
  file: string;
  segments: string;
  edits: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  samples: number[];
}

export interface VscodeResult {
  vscode: string;
  /** The Sequence tab: the example, ~500 segments, then VS Code's Markdown preview. */
  keystroke: KeystrokeRow[];
  /** The same edits with the Ladder tab shown: the example, then ~500 segments. */
  ladderKeystroke: KeystrokeRow[];
  activation: { text: string; ms: number | null };
  /** Typing in a 1 MB document: the extension host's blocks, .tcpscn vs. plaintext. */
  hostTyping: HostTypingResult | { skipped: string };
  notes: string[];
}

/** The 1-based line and column right after the digits of the last call timed in ms (not an expect). */
function lastCallTime(text: string): { line: number; column: number } {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^([1-9][0-9]*)ms\s+(?!expect\b)/.exec(lines[i]!);
    if (m) return { line: i + 1, column: m[1]!.length + 1 };
  }
  throw new Error('no call timed in ms');
}

async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
}

/** In the tcpscn preview: a new <svg> in the pane `id` (the Sequence tab's or the Ladder tab's canvas). */
// One list of swaps per pane: the Sequence pane's observer stays on while the Ladder tab is
// measured, and its swaps must not count as the ladder's.
const frameHook = (id: string): string => `(() => {
  window.__swapsOf ??= {};
  if (!window.__swapsOf['${id}']) {
    const swaps = (window.__swapsOf['${id}'] = []);
    const el = document.getElementById('${id}');
    let last = el.querySelector('svg');
    new MutationObserver(() => {
      const now = el.querySelector('svg');
      if (now && now !== last) { last = now; swaps.push(Date.now()); }
    }).observe(el, { childList: true, subtree: true });
  }
  window.__swaps = window.__swapsOf['${id}'];
})()`;

/** In VS Code's Markdown preview: any change to the rendered document (it patches the DOM in place). */
const MARKDOWN_HOOK = `(() => {
  if (window.__swaps) return;
  window.__swaps = [];
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    window.__swaps.push(Date.now());
    queueMicrotask(() => { pending = false; });
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
})()`;

const PAGE_HOOK = `(() => {
  if (window.__keys) return;
  window.__keys = [];
  window.addEventListener('keydown', () => window.__keys.push(Date.now()), true);
})()`;

/** The preview's tabs, each with the element its fresh <svg> lands in and what to call it. */
const TABS = [
  { tab: 'tab-sequence', pane: 'sequence', what: 'SVG' },
  { tab: 'tab-ladder', pane: 'ladder-canvas', what: 'ladder SVG' },
] as const;

/** Shows a tab of the preview by clicking it (as a user would) and waits for its diagram. */
async function showTab(frame: Frame, t: (typeof TABS)[number]): Promise<void> {
  await frame.click(`#${t.tab}`, { timeout: 15_000 });
  await frame.waitForSelector(`#${t.pane} svg`, { timeout: 60_000 });
}

const rowOf = (file: string, segments: string, samples: number[]): KeystrokeRow => ({
  file,
  segments,
  edits: samples.length,
  p50Ms: quantile(samples, 0.5),
  p95Ms: quantile(samples, 0.95),
  maxMs: quantile(samples, 1),
  samples,
});

async function measureEdits(
  page: Page,
  frame: Frame,
  file: string,
  at: { line: number; column: number },
  hook: string,
  log: (s: string) => void,
): Promise<number[]> {
  await frame.evaluate(hook);
  await page.evaluate(PAGE_HOOK);
  await goTo(page, at.line, at.column);
  await page.waitForTimeout(300);
  const samples: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    // `300ms` <-> `3000ms`: each key a valid file whose diagram differs from the last.
    const key = i % 2 === 0 ? '0' : 'Backspace';
    const swapsBefore = (await frame.evaluate('window.__swaps.length')) as number;
    const keysBefore = (await page.evaluate('window.__keys.length')) as number;
    await page.keyboard.press(key);
    try {
      // Not waitForFunction: it compiles the predicate with eval, which the preview's CSP forbids.
      await frame.evaluate(
        `new Promise((resolve, reject) => { const t0 = Date.now(); const check = () => window.__swaps.length > ${swapsBefore} ? resolve(true) : Date.now() - t0 > 15000 ? reject(new Error('timeout')) : setTimeout(check, 2); check(); })`,
      );
    } catch (e) {
      log(
        `  ${file}: edit ${i + 1} (${key}) gave no new SVG within 15 s (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
      );
      if (process.env.TCPSCN_BENCH_DEBUG) {
        log(
          String(
            await frame.evaluate(
              `JSON.stringify({ hidden: document.hidden, vis: document.visibilityState, focus: document.hasFocus(), now: Date.now(), swaps: window.__swaps, svgs: document.querySelectorAll('#sequence svg').length, title: document.querySelector('#sequence svg')?.textContent?.slice(0, 60) })`,
            ),
          ),
        );
        for (const f of page.frames())
          log(
            `    frame ${f.url().slice(0, 100)} seq=${await f
              .$('#sequence svg')
              .then((x) => x !== null)
              .catch(() => 'err')}`,
          );
      }
      await page
        .screenshot({ path: join(process.cwd(), 'test-output', 'bench', `no-svg-${file}-${i + 1}.png`) })
        .catch(() => undefined);
      continue;
    }
    const keyT = ((await page.evaluate(`window.__keys.slice(${keysBefore})`)) as number[])[0];
    const swapT = ((await frame.evaluate(`window.__swaps.slice(${swapsBefore})`)) as number[])[0];
    if (keyT !== undefined && swapT !== undefined) samples.push(swapT - keyT);
    // A user types faster than this, but then the debounce merges keys: one key, one update.
    await page.waitForTimeout(150);
  }
  return samples;
}

/** Runs a command from the palette with the keyboard only (F1): clicks may land on CodeLens or overlays. */
async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: title })
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function activationTime(page: Page): Promise<{ text: string; ms: number | null }> {
  await command(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'TCP Scenario' }).first();
  await row.waitFor({ timeout: 20_000 });
  const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
  const m = /(\d+(?:\.\d+)?)\s*ms/.exec(text);
  return { text, ms: m ? Number(m[1]) : null };
}

export async function benchVscode(
  root: string,
  vsix: string,
  log: (s: string) => void,
  options: { hostTyping?: boolean } = {},
): Promise<VscodeResult> {
  const notes: string[] = [];
  // The workspace: one shared example and a ~500-segment transfer.
  const ws = join(root, 'test-output', 'bench', `workspace-${process.pid}`);
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(ws, { recursive: true });
  const exampleSrc = join(root, 'examples/handshake-and-close.tcpscn');
  cpSync(exampleSrc, join(ws, 'handshake-and-close.tcpscn'));
  writeFileSync(join(ws, 'transfer-500.tcpscn'), transfer(500));
  // The anchor, side by side: VS Code's own Markdown preview on a small note.
  writeFileSync(
    join(ws, 'notes.md'),
    '# Notes on TIME_WAIT\n\nTIME_WAIT lasts 2 * MSL so that old duplicates die out.\n\n- one\n- two\n- three\n',
  );
  const files = [
    { name: 'handshake-and-close.tcpscn', segments: 'example (10)' },
    { name: 'transfer-500.tcpscn', segments: '~500 (window of 400 drawn)' },
  ];
  const server = await startCodeServer({ name: 'bench', vsix: [vsix], workspaceSource: ws });
  const browser = await launchBrowser();
  const keystroke: KeystrokeRow[] = [];
  const ladderKeystroke: KeystrokeRow[] = [];
  let activation: { text: string; ms: number | null } = { text: '', ms: null };
  let version = '';
  try {
    const page = await newWorkbenchPage(browser);
    await page.goto(server.folderUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForTimeout(3000);
    version = await page
      .evaluate(`document.querySelector('meta[name="version"]')?.content ?? ''`)
      .then(String)
      .catch(() => '');
    for (const f of files) {
      await openFile(page, f.name);
      await runCommand(page, 'TCP Scenario: Open Preview to the Side');
      const frame = await findFrameWith(page, '#sequence svg', 60_000);
      for (const t of TABS) {
        // Each tab is clicked, so the measure does not depend on which tab a preview opens at.
        try {
          await showTab(frame, t);
        } catch (e) {
          notes.push(
            `${f.name}: the ${t.tab} tab not shown: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          );
          continue;
        }
        await page.waitForTimeout(500);
        // Back to the editor (group 1): the preview took focus. Keyboard, not a click: CodeLens
        // and the webview's overlay may sit over the text.
        await page.keyboard.press('Control+1');
        await page.waitForTimeout(300);
        const samples = await measureEdits(
          page,
          frame,
          t.pane === 'sequence' ? f.name : `${f.name} (ladder)`,
          lastCallTime(readFileSync(join(ws, f.name), 'utf8')),
          frameHook(t.pane),
          log,
        );
        const row = rowOf(f.name, f.segments, samples);
        (t.pane === 'sequence' ? keystroke : ladderKeystroke).push(row);
        log(
          `  vscode ${f.name}: keystroke -> ${t.what} p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms over ${row.edits} edits`,
        );
      }
      await command(page, 'View: Close All Editors');
      // Unsaved changes: do not save.
      const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" }).first();
      if (await dontSave.isVisible({ timeout: 2000 }).catch(() => false)) await dontSave.click();
      await page.waitForTimeout(500);
    }
    // Activation as VS Code measured it, read before anything else opens more editors.
    try {
      activation = await activationTime(page);
      await command(page, 'View: Close All Editors');
      log(`  vscode activation: ${activation.text}`);
    } catch (e) {
      notes.push(`activation time not read: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
    // VS Code's Markdown preview, measured the same way (keydown -> first change of its DOM).
    try {
      await openFile(page, 'notes.md');
      await command(page, 'Markdown: Open Preview to the Side');
      const frame = await findFrameWith(page, '.markdown-body h1, body.vscode-body h1', 60_000);
      await page.waitForTimeout(500);
      await page.keyboard.press('Control+1');
      await page.waitForTimeout(300);
      const samples = await measureEdits(page, frame, 'notes.md', { line: 1, column: 22 }, MARKDOWN_HOOK, log);
      const row = rowOf('notes.md (VS Code Markdown preview)', '—', samples);
      keystroke.push(row);
      log(
        `  vscode Markdown preview: keystroke -> DOM p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms over ${row.edits} edits`,
      );
      await command(page, 'View: Close All Editors');
      const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" }).first();
      if (await dontSave.isVisible({ timeout: 2000 }).catch(() => false)) await dontSave.click();
    } catch (e) {
      notes.push(`Markdown preview not measured: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
  }
  // Its own code-server (the extension host must load the in-host suite at start).
  let hostTyping: HostTypingResult | { skipped: string };
  if (options.hostTyping === false) hostTyping = { skipped: '--no-host-typing' };
  else
    try {
      hostTyping = await benchHostTyping(vsix, log);
    } catch (e) {
      hostTyping = { skipped: `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
    }
  return { vscode: version || 'code-server', keystroke, ladderKeystroke, activation, hostTyping, notes };
}

if (process.argv[1]?.endsWith('bench/vscode.ts')) {
  const root = join(__dirname, '..');
  const i = process.argv.indexOf('--vsix');
  const vsix = i >= 0 ? process.argv[i + 1]! : join(root, 'test-output/bench/tcpscn-bench.vsix');
  const flat = (rows: KeystrokeRow[]) => rows.map((k) => ({ ...k, samples: k.samples.join(' ') }));
  benchVscode(root, vsix, console.log, { hostTyping: !process.argv.includes('--no-host-typing') })
    .then((r) =>
      console.log(
        JSON.stringify({ ...r, keystroke: flat(r.keystroke), ladderKeystroke: flat(r.ladderKeystroke) }, null, 2),
      ),
    )
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
