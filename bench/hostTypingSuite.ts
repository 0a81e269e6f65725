// Runs INSIDE VS Code's extension host (bench/hostTyping.ts loads it as the host's
// extensionTestsPath, the way the integration suite is loaded): types into a 1 MB document
// with the `type` command, as a user's keys do (so quick suggestions, breadcrumbs, sticky
// scroll's outline and CodeLens ask our providers as they would), and records every block of
// the host's event loop with its time. Once as a `.tcpscn` document (our extension at work),
// once as `plaintext` with the same text (VS Code's own cost of a 1 MB document: the baseline),
// alternating for ROUNDS rounds. With TCPSCN_PROFILE set, our providers time themselves
// (src/extension/profile.ts) and each long block lists what of ours ran inside it.
//
// Writes one JSON object (HostTypingReport) to the file named by TCPSCN_HOSTBENCH_RESULTS.

import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { PROFILE_KEY, type ProfileEntry } from '../src/extension/profile';
import { megabyteFile } from './scenarios';

const ROUNDS = Number(process.env.TCPSCN_HOSTBENCH_ROUNDS ?? 3) || 3;
/** One new line typed in the middle of the file, key by key, then deleted key by key. */
const TYPED = '5000ms client send 100';
/** A quick typist: about 10 keys a second. */
const KEY_INTERVAL_MS = 90;
/** Blocks shorter than this are not listed (they are in the histogram). */
const LIST_BLOCKS_OVER_MS = 16;
/** After the last key, trailing work (debounced diagnostics, outline, the worker's result). */
const SETTLE_MS = 2000;

export interface Block {
  /** Wall-clock ms (performance.timeOrigin-based) when the loop should have run. */
  at: number;
  ms: number;
  /** Our work that overlapped it (from the profile), and garbage collections. */
  ours: string[];
  gc: string[];
}

export interface RoundResult {
  language: string;
  keys: number;
  maxBlockMs: number;
  p99Ms: number;
  blocksOver50: number;
  /** The longest blocks, longest first. */
  blocks: Block[];
}

export interface ProviderCost {
  name: string;
  calls: number;
  totalMs: number;
  maxMs: number;
  p50Ms: number;
}

export interface HostTypingReport {
  vscodeVersion: string;
  chars: number;
  rounds: RoundResult[];
  /** Our providers and handlers while typing in the `.tcpscn` rounds (TCPSCN_PROFILE). */
  providers: ProviderCost[];
  error?: string;
}

// The extension's own bundle fills the list; Symbol.for makes PROFILE_KEY the same symbol in this one.
const profile = (): ProfileEntry[] => (globalThis as { [k: symbol]: ProfileEntry[] | undefined })[PROFILE_KEY] ?? [];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

/** Every gap in a 2 ms timer chain longer than LIST_BLOCKS_OVER_MS: a block, with its time. */
class BlockRecorder {
  readonly blocks: { at: number; ms: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = 0;
  private static readonly TICK = 2;

  start(): void {
    this.last = performance.now();
    const tick = (): void => {
      const t = performance.now();
      const lag = t - this.last - BlockRecorder.TICK;
      if (lag > LIST_BLOCKS_OVER_MS)
        this.blocks.push({ at: performance.timeOrigin + this.last + BlockRecorder.TICK, ms: lag });
      this.last = t;
      this.timer = setTimeout(tick, BlockRecorder.TICK);
    };
    this.timer = setTimeout(tick, BlockRecorder.TICK);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

async function waitFor(what: string, probe: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Our profile entries while typing in the `.tcpscn` rounds (opening excluded). */
const typingEntries: ProfileEntry[] = [];

/**
 * `variant`: `tcpscn` (the file's last line is wrong: parsed, not simulated, like the
 * integration test's file), `tcpscn-valid` (the whole file simulated whenever it parses, so
 * each analysis brings its run too), `plaintext` (the same text, VS Code alone).
 */
async function round(text: string, variant: string): Promise<RoundResult> {
  const language = variant === 'plaintext' ? 'plaintext' : 'tcpscn';
  const content = variant === 'tcpscn-valid' ? text : `${text}\nzz not a statement`;
  const doc = await vscode.workspace.openTextDocument({ language, content });
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (language === 'tcpscn') {
    const ext = vscode.extensions.getExtension('tcpscn.tcpscn');
    await waitFor('activation', () => ext?.isActive === true, 20_000);
    // The first analysis is in when the outline has symbols (and the wrong line its diagnostic).
    let symbols = 0;
    const deadline = Date.now() + 20_000;
    while (symbols === 0 && Date.now() < deadline) {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
        'vscode.executeDocumentSymbolProvider',
        doc.uri,
      );
      symbols = s?.length ?? 0;
      if (symbols === 0) await sleep(100);
    }
    if (symbols === 0) throw new Error('no analysis of the document within 20 s');
    if (variant === 'tcpscn')
      await waitFor(
        'the diagnostic of the last line',
        () => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'tcpscn'),
        20_000,
      );
  }
  // Opening (tokenising, the first outline) is not typing.
  await sleep(2500);
  const middle = Math.floor(doc.lineCount / 2);
  const end = doc.lineAt(middle).range.end;
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenter);
  await sleep(1000);

  const gcs: { at: number; ms: number; kind: number }[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({
        at: performance.timeOrigin + e.startTime,
        ms: e.duration,
        kind: (e.detail as { kind?: number } | undefined)?.kind ?? 0,
      });
  });
  obs.observe({ entryTypes: ['gc'] });
  const recorder = new BlockRecorder();
  const h = monitorEventLoopDelay({ resolution: 5 });
  const startedAt = now();
  const linesBefore = doc.lineCount;
  recorder.start();
  h.enable();
  let keys = 0;
  for (const text of ['\n', ...TYPED]) {
    await vscode.commands.executeCommand('type', { text });
    keys++;
    await sleep(KEY_INTERVAL_MS);
  }
  if (doc.lineCount !== linesBefore + 1 || doc.lineAt(middle + 1).text !== TYPED) {
    throw new Error(
      `typing did not reach the document (line ${middle + 1}: ${JSON.stringify(doc.lineAt(middle + 1).text.slice(0, 40))})`,
    );
  }
  for (let i = 0; i <= TYPED.length; i++) {
    await vscode.commands.executeCommand('deleteLeft');
    keys++;
    await sleep(KEY_INTERVAL_MS);
  }
  await sleep(SETTLE_MS);
  h.disable();
  recorder.stop();
  obs.disconnect();
  const stoppedAt = now();

  const ours = profile().filter((e) => e.at >= startedAt && e.at <= stoppedAt);
  if (language === 'tcpscn') typingEntries.push(...ours);
  const overlaps = (a: { at: number; ms: number }, b: { at: number; ms: number }) =>
    a.at < b.at + b.ms + 1 && b.at < a.at + a.ms + 1;
  const blocks = recorder.blocks
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12)
    .map((b) => ({
      at: Math.round(b.at - startedAt),
      ms: Math.round(b.ms * 10) / 10,
      ours: ours.filter((e) => overlaps(e, b) && e.ms >= 1).map((e) => `${e.name} ${e.ms.toFixed(1)} ms`),
      gc: gcs.filter((g) => overlaps(g, b) && g.ms >= 1).map((g) => `gc(kind ${g.kind}) ${g.ms.toFixed(1)} ms`),
    }));
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await sleep(1500);
  return {
    language: variant,
    keys,
    maxBlockMs: Math.round(Math.max(0, ...recorder.blocks.map((b) => b.ms), h.max / 1e6) * 10) / 10,
    p99Ms: Math.round((h.percentile(99) / 1e6) * 10) / 10,
    blocksOver50: recorder.blocks.filter((b) => b.ms > 50).length,
    blocks,
  };
}

function providerCosts(entries: ProfileEntry[]): ProviderCost[] {
  const by = new Map<string, number[]>();
  for (const e of entries) by.set(e.name, [...(by.get(e.name) ?? []), e.ms]);
  return [...by]
    .map(([name, ms]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      const r = (x: number) => Math.round(x * 100) / 100;
      return {
        name,
        calls: ms.length,
        totalMs: r(ms.reduce((s, x) => s + x, 0)),
        maxMs: r(sorted.at(-1) ?? 0),
        p50Ms: r(sorted[Math.floor(sorted.length / 2)] ?? 0),
      };
    })
    .sort((a, b) => b.totalMs - a.totalMs);
}

export async function run(): Promise<void> {
  const out = process.env.TCPSCN_HOSTBENCH_RESULTS;
  const text = megabyteFile(1 << 20);
  const report: HostTypingReport = { vscodeVersion: vscode.version, chars: text.length, rounds: [], providers: [] };
  try {
    // Activate the extension first (a small document), so its start is not in a round; and ask
    // for a completion and a hover there, so that loading dist/assist.js (once per session, at
    // the first request: src/extension/lazy.ts) is not in a round either.
    const small = await vscode.workspace.openTextDocument({ language: 'tcpscn', content: 'title "warm up"\n' });
    await vscode.window.showTextDocument(small);
    await sleep(1500);
    await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', small.uri, new vscode.Position(1, 0));
    await vscode.commands.executeCommand('vscode.executeHoverProvider', small.uri, new vscode.Position(0, 1));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    for (let i = 0; i < ROUNDS; i++) {
      for (const variant of ['tcpscn', 'tcpscn-valid', 'plaintext']) {
        report.rounds.push(await round(text, variant));
      }
    }
  } catch (e) {
    report.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  report.providers = providerCosts(typingEntries);
  if (out) writeFileSync(out, JSON.stringify(report));
  else console.log(JSON.stringify(report, null, 2));
}
