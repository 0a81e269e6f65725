// VS Code benchmark: the packaged extension in a real VS Code (code-server's web workbench in
// Chromium, started by the infrastructure harness in test/vscode/). Measures
//   - keystroke -> updated SVG in the preview: a `0` typed after the time of the file's last
//     timed call (`300ms` -> `3000ms`), then deleted, so that every key changes the diagram
//     (bench/keystrokeEdit.ts, which also checks before measuring that the key changes what
//     each tab draws: a key that changes nothing drawn is rightly not redrawn, and a row would
//     wait for nothing); the time from the key event in the workbench page to the new <svg> in the
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
import { analyze } from '../src/core/index';
import { sequenceView } from '../src/extension/preview/payload';
import { benchHostTyping, describeHostTyping, type HostTypingResult } from './hostTyping';
import { drawnChanges, lastCallTime, typedAt } from './keystrokeEdit';
import { transfer } from './scenarios';
import { ms, quantile, table } from './stats';

// Even, so that every `0` typed is deleted again and the file ends as it began.
const EDITS = 2 * Math.ceil((Number(process.env.TCPSCN_BENCH_EDITS ?? 40) || 40) / 2);

/** The files typed into: an example, a ~500-segment transfer, and VS Code's Markdown preview for comparison. */
export const EXAMPLE_FILE = 'handshake-and-close.tcpscn';
export const BIG_FILE = 'transfer-500.tcpscn';
export const MARKDOWN_FILE = 'notes.md (VS Code Markdown preview)';

export interface KeystrokeRow {
  file: string;
  segments: string;
  /** Edits that gave a new drawing within 15 s (the samples). */
  edits: number;
  /** Edits after which no new drawing came within 15 s. */
  noRedraw: number;
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

/** How many segments each tab draws of `text`'s first run: the sequence tab draws a window of a long trace. */
function segmentsOf(text: string): { sequence: string; ladder: string } {
  const trace = analyze(text).runs[0];
  if (!trace) return { sequence: '0', ladder: '0' };
  const n = trace.segments.length;
  const window = sequenceView(trace).sequence.window;
  return {
    sequence: window ? `${n} (${window.to - window.from + 1} drawn)` : String(n),
    ladder: String(n),
  };
}

const rowOf = (file: string, segments: string, samples: number[], noRedraw: number): KeystrokeRow => ({
  file,
  segments,
  edits: samples.length,
  noRedraw,
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
): Promise<{ samples: number[]; noRedraw: number }> {
  await frame.evaluate(hook);
  await page.evaluate(PAGE_HOOK);
  await goTo(page, at.line, at.column);
  await page.waitForTimeout(300);
  const samples: number[] = [];
  let noRedraw = 0;
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
      noRedraw += 1;
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
  return { samples, noRedraw };
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
  cpSync(join(root, 'examples', EXAMPLE_FILE), join(ws, EXAMPLE_FILE));
  writeFileSync(join(ws, BIG_FILE), transfer(500));
  // The anchor, side by side: VS Code's own Markdown preview on a small note.
  writeFileSync(
    join(ws, 'notes.md'),
    '# Notes on TIME_WAIT\n\nTIME_WAIT lasts 2 * MSL so that old duplicates die out.\n\n- one\n- two\n- three\n',
  );
  const files = [EXAMPLE_FILE, BIG_FILE].map((name) => ({ name, ...segmentsOf(readFileSync(join(ws, name), 'utf8')) }));
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
        const text = readFileSync(join(ws, f.name), 'utf8');
        const at = lastCallTime(text);
        // A key that changes nothing this tab draws is rightly not redrawn: not a measure.
        const changes = drawnChanges(text, typedAt(text, at, '0'));
        if (!changes[t.pane === 'sequence' ? 'sequence' : 'ladder']) {
          notes.push(
            `${f.name}: typing 0 at ${at.line}:${at.column} changes nothing the ${t.tab} tab draws; not measured`,
          );
          continue;
        }
        const { samples, noRedraw } = await measureEdits(
          page,
          frame,
          t.pane === 'sequence' ? f.name : `${f.name} (ladder)`,
          at,
          frameHook(t.pane),
          log,
        );
        const row = rowOf(f.name, t.pane === 'sequence' ? f.sequence : f.ladder, samples, noRedraw);
        (t.pane === 'sequence' ? keystroke : ladderKeystroke).push(row);
        if (noRedraw > 0)
          notes.push(`${f.name}, ${t.tab}: ${noRedraw} of ${EDITS} edits gave no new ${t.what} within 15 s`);
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
      const { samples, noRedraw } = await measureEdits(
        page,
        frame,
        'notes.md',
        { line: 1, column: 22 },
        MARKDOWN_HOOK,
        log,
      );
      const row = rowOf(MARKDOWN_FILE, '—', samples, noRedraw);
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

/** The rows by what they measure (a row that could not be measured is absent, not shifted). */
export function keystrokeRowsOf(r: VscodeResult): {
  sequenceExample?: KeystrokeRow;
  sequenceBig?: KeystrokeRow;
  ladderExample?: KeystrokeRow;
  ladderBig?: KeystrokeRow;
  markdown?: KeystrokeRow;
} {
  const find = (rows: KeystrokeRow[], file: string) => rows.find((k) => k.file === file);
  return {
    sequenceExample: find(r.keystroke, EXAMPLE_FILE),
    sequenceBig: find(r.keystroke, BIG_FILE),
    ladderExample: find(r.ladderKeystroke, EXAMPLE_FILE),
    ladderBig: find(r.ladderKeystroke, BIG_FILE),
    markdown: find(r.keystroke, MARKDOWN_FILE),
  };
}

/** The VS Code part of the report (bench/run.ts writes it to docs/performance.md). */
export function describeVscode(r: VscodeResult): string[] {
  const rows = keystrokeRowsOf(r);
  const row = (tab: string, k: KeystrokeRow | undefined) =>
    k ? [[k.file, tab, k.segments, String(k.edits), String(k.noRedraw), ms(k.p50Ms), ms(k.p95Ms), ms(k.maxMs)]] : [];
  const lines = [
    `VS Code (${r.vscode === 'code-server' ? 'code-server' : `code-server, VS Code ${r.vscode}`}, in Chromium): keystroke to updated SVG in the preview's Sequence and Ladder tabs (and VS Code's own Markdown preview, for comparison), ms`,
    table([
      ['file', 'tab', 'segments', 'edits', 'no redraw', 'p50', 'p95', 'max'],
      ...row('Sequence', rows.sequenceExample),
      ...row('Ladder', rows.ladderExample),
      ...row('Sequence', rows.sequenceBig),
      ...row('Ladder', rows.ladderBig),
      ...row('—', rows.markdown),
    ]),
    `activation: ${r.activation.ms ?? '?'} ms (${r.activation.text})`,
  ];
  if ('skipped' in r.hostTyping) lines.push(`host typing in 1 MB: skipped (${r.hostTyping.skipped})`);
  else lines.push(...describeHostTyping(r.hostTyping));
  for (const n of r.notes) lines.push(`  ! ${n}`);
  return lines;
}

if (process.argv[1]?.endsWith('bench/vscode.ts')) {
  const root = join(__dirname, '..');
  const i = process.argv.indexOf('--vsix');
  const vsix = i >= 0 ? process.argv[i + 1]! : join(root, 'test-output/bench/tcpscn-bench.vsix');
  const flat = (rows: KeystrokeRow[]) => rows.map((k) => ({ ...k, samples: k.samples.join(' ') }));
  benchVscode(root, vsix, console.log, { hostTyping: !process.argv.includes('--no-host-typing') })
    .then((r) => {
      console.log(
        JSON.stringify({ ...r, keystroke: flat(r.keystroke), ladderKeystroke: flat(r.ladderKeystroke) }, null, 2),
      );
      // The same lines bench/run.ts writes to docs/performance.md.
      console.log(`\n${describeVscode(r).join('\n')}`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
