// When and where a document is analysed, without `vscode` (AnalysisCache adapts it; the bench
// and the unit tests drive it directly).
//
// Small documents (below `syncThreshold` characters, where `analyze` takes a few ms) are
// analysed at once on the caller's thread, as before: their latency does not change.
// Large ones go to a background backend (a worker thread), because parsing and simulating a
// 1 MB file takes hundreds of ms (docs/performance.md, "Whole files") and the extension host
// must never block that long:
//   - `get` never waits: it returns the newest finished analysis of the document, possibly of
//     an older version, and starts the analysis of the current version if none is running;
//   - latest version wins: while one analysis runs, further versions only replace the pending
//     text (at most one running, at most one pending per document, one running in all);
//   - a finished analysis is published (and `onDidAnalyze` called) when it is newer than the
//     published one, even if the document has moved on since, so diagnostics keep coming
//     while typing; it never replaces a newer one.
// Before the first background result of a large document, `get` returns an empty analysis
// (no statements, no diagnostics, no runs). A parse-only placeholder was considered and
// rejected: parsing 1 MB alone is the very block this avoids (docs/performance.md).
//
// Two answers per document: `get`, the whole analysis (the preview, "Run TCP scenario",
// exports, quick fixes), and `summary`, what the diagnostics and the outline show. While the
// user types only the latter is asked for (unless a preview is open), and a background job
// brings the whole analysis back only when `get` asked for it since: the analysis of a 1 MB
// file is some 300 000 objects, and receiving them in the extension host per analysis made
// its young-generation garbage collections (scavenges, which copy every object still alive)
// block it for 20-40 ms each, three or four times per analysis (bench/hostTyping.ts), where
// the summary is a few thousand objects (the diagnostics and the first outline symbols).

import type { Analysis } from '../core/index';
import { parse } from '../core/index';
import type { Diagnostic, Range } from '../core/types';
import { outlineHead, type OutlineSymbol } from '../core/assist/outline';
import type { QuickFix } from '../core/assist/quickFix';

/** Below this many characters a document is analysed synchronously (a few ms: docs/performance.md). */
export const SYNC_THRESHOLD = 64 * 1024;

/**
 * While keys keep coming, a new version of a large document is sent to the background only
 * once they rest this long (or after QUIET_MAX_WAIT_MS of continuous typing). Measured in VS
 * Code (bench/hostTyping.ts): analysing every keystroke's version kept the worker busy on one
 * of two cores and brought each result's objects (a 1 MB file's 13 000 statements) into the
 * extension host per key, whose garbage collections then blocked it longer than the 50 ms
 * goal. Diagnostics still arrive within a second of the last key (bench/largeFile.ts checks it;
 * the figures are in docs/performance.md).
 */
export const QUIET_MS = 200;
export const QUIET_MAX_WAIT_MS = 1500;

/** What the diagnostics, the outline and the quick fixes need of one analysis. */
export interface AnalysisSummary {
  readonly diagnostics: readonly Diagnostic[];
  /** The outline as the editor shows it (outlineHead): made once, when first asked for. */
  outline(): OutlineSymbol[];
  /** The whole analysis when it is on this thread (a small document, or one asked for whole). */
  readonly analysis?: Analysis;
  /**
   * Otherwise the quick fixes for `range` (core/assist/quickFix.ts), made by the worker that
   * holds the analysis; undefined once it holds it no more (it went on to another text).
   */
  readonly quickFixes?: (range: Range) => Promise<QuickFix[] | undefined>;
}

/** A background job's result: always the summary's parts, the analysis when asked for. */
export interface BackgroundResult {
  diagnostics: Diagnostic[];
  /** outlineHead of the analysis, made where the text is (the worker). */
  outline: OutlineSymbol[];
  analysis?: Analysis;
  /** Without the analysis: its quick fixes, asked of the backend (as AnalysisSummary's). */
  quickFixes?: (range: Range) => Promise<QuickFix[] | undefined>;
}

export interface AnalysisBackend {
  /**
   * Analyse `text` off the caller's thread; call `done` once, with the analysis itself only
   * when `full`. Only one job at a time.
   */
  run(text: string, full: boolean, done: (result: BackgroundResult | Error) => void): void;
  dispose(): void;
}

export interface SchedulerOptions {
  backend: AnalysisBackend;
  /** The synchronous analysis for small documents (the core's `analyze`). */
  analyzeSync: (text: string) => Analysis;
  /** Called after a background analysis of `key` was published. */
  onDidAnalyze: (key: string) => void;
  syncThreshold?: number;
  /**
   * Start a background analysis of a newer version only once no newer text came for this long
   * (and at the latest `maxWaitMs` after the first waiting text). 0 (the default): at once.
   * The first analysis of a document always starts at once.
   */
  quietMs?: number;
  maxWaitMs?: number;
}

interface Entry {
  published?: { version: number; analysis: Analysis };
  /** Never older than `published` (a whole analysis publishes its summary too). */
  summary?: { version: number; summary: AnalysisSummary };
  /** The version running, and whether its whole analysis comes back. */
  running?: { version: number; full: boolean };
  /** The text, or (for a document known to be large) how to read it when the job starts. */
  pending?: { version: number; text?: string; read: () => string; full: boolean };
  /** The last text read was over the threshold: newer versions are read only when they start. */
  large?: boolean;
}

export class AnalysisScheduler {
  private readonly entries = new Map<string, Entry>();
  private busy = false;
  private disposed = false;
  private readonly threshold: number;
  private emptyAnalysis: Analysis | undefined;
  private emptySummaryValue: AnalysisSummary | undefined;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the oldest text still waiting for the quiet period arrived, and the newest. */
  private waitingSince: number | undefined;
  private lastTextAt = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.threshold = options.syncThreshold ?? SYNC_THRESHOLD;
  }

  /**
   * The analysis to show for version `version` of document `key`: the exact one for a small
   * document, the newest finished one for a large document. `getText` is called only when
   * this version is neither analysed nor already running or pending; with `length` (the
   * text's length, cheaper than the text), a large document's newer versions are read only
   * when their analysis starts.
   */
  get(key: string, version: number, getText: () => string, length?: () => number): Analysis {
    const entry = this.request(key, version, true, getText, length);
    return entry.published?.analysis ?? this.empty();
  }

  /**
   * What the diagnostics and the outline show for version `version` of document `key`, as
   * `get` answers (the exact one for a small document, the newest finished for a large one),
   * without bringing the whole analysis of a large document into this thread.
   */
  summary(key: string, version: number, getText: () => string, length?: () => number): AnalysisSummary {
    const entry = this.request(key, version, false, getText, length);
    return entry.summary?.summary ?? this.emptySummary();
  }

  /** Makes sure the version (its whole analysis when `full`) is analysed, running or pending. */
  private request(
    key: string,
    version: number,
    full: boolean,
    getText: () => string,
    length: (() => number) | undefined,
  ): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
    }
    const have = full ? entry.published?.version : entry.summary?.version;
    if (have !== undefined && have >= version) return entry;
    if (entry.running?.version === version && (entry.running.full || !full)) return entry;
    if (entry.pending?.version === version) {
      // Asked for the whole analysis of a version already waiting for its summary.
      if (full) entry.pending.full = true;
      return entry;
    }
    const first = !entry.summary && entry.running === undefined;
    // The whole analysis of the version already summarised (the preview opens, a command runs):
    // no key waits to follow it, and the worker still holds its analysis (analysisWorker.ts
    // sends it again without making it again): at once, like the first.
    const now = first || (full && entry.summary?.version === version && entry.running === undefined);
    // A waiting request for the whole analysis holds for the newer version that replaces it
    // (the preview asked, and asks again only once something newer is published).
    const wantFull = full || entry.pending?.full === true;
    if (entry.large && !now && length && length() >= this.threshold) {
      // Typing in a large document: reading its text for every version (a 1 MB string per key)
      // is garbage when a newer version replaces it before it starts; read it when it starts.
      entry.pending = { version, read: getText, full: wantFull };
      this.pumpWhenQuiet();
      return entry;
    }
    const text = getText();
    if (text.length < this.threshold) {
      const analysis = this.options.analyzeSync(text);
      entry.published = { version, analysis };
      entry.summary = { version, summary: summaryOf(analysis, text) };
      // A pending text of an older version is no use any more.
      if (entry.pending && entry.pending.version < version) entry.pending = undefined;
      return entry;
    }
    entry.large = true;
    entry.pending = { version, text, read: getText, full: wantFull };
    if (now) this.pump(true);
    else this.pumpWhenQuiet();
    return entry;
  }

  /** The version of the analysis `get` returns now (undefined before any). */
  publishedVersion(key: string): number | undefined {
    return this.entries.get(key)?.published?.version;
  }

  /** The version of the summary `summary` returns now (undefined before any). */
  summaryVersion(key: string): number | undefined {
    return this.entries.get(key)?.summary?.version;
  }

  /** True while an analysis of `key` runs or waits. */
  isBusy(key: string): boolean {
    const e = this.entries.get(key);
    return e?.running !== undefined || e?.pending !== undefined;
  }

  /** The document was closed: drop its state (a running result for it is discarded). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.quietTimer);
    this.entries.clear();
    this.options.backend.dispose();
  }

  private empty(): Analysis {
    this.emptyAnalysis ??= { scenario: parse('').scenario, diagnostics: [], runs: [], hasErrors: false };
    return this.emptyAnalysis;
  }

  private emptySummary(): AnalysisSummary {
    this.emptySummaryValue ??= summaryOf(this.empty(), '');
    return this.emptySummaryValue;
  }

  private get quietMs(): number {
    return this.options.quietMs ?? 0;
  }

  /** True when the keys have rested long enough (or waited too long) to start the next job. */
  private quiet(now: number): boolean {
    if (this.quietMs <= 0) return true;
    const maxWait = this.options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    return (
      now - this.lastTextAt >= this.quietMs || (this.waitingSince !== undefined && now - this.waitingSince >= maxWait)
    );
  }

  /** A newer text is pending: start it once the keys rest (see QUIET_MS). */
  private pumpWhenQuiet(): void {
    if (this.quietMs <= 0) return this.pump();
    const now = Date.now();
    this.lastTextAt = now;
    this.waitingSince ??= now;
    this.armQuietTimer(now);
  }

  private armQuietTimer(now: number): void {
    clearTimeout(this.quietTimer);
    const maxWait = this.options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    const wait = Math.max(
      0,
      Math.min(this.lastTextAt + this.quietMs - now, (this.waitingSince ?? now) + maxWait - now),
    );
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      this.pump();
    }, wait);
    this.quietTimer.unref?.();
  }

  /** Starts the next pending analysis when the backend is free. */
  private pump(force = false): void {
    if (this.busy || this.disposed) return;
    const now = Date.now();
    if (!force && !this.quiet(now)) {
      // Not yet: the quiet timer comes back (armed again if it already fired while busy).
      if (this.quietTimer === undefined) this.armQuietTimer(now);
      return;
    }
    this.waitingSince = undefined;
    for (const [key, entry] of this.entries) {
      const job = entry.pending;
      if (!job) continue;
      entry.pending = undefined;
      entry.running = { version: job.version, full: job.full };
      this.busy = true;
      // Read now (after the quiet period) it is the document's newest text, possibly of a
      // version newer than job.version; published as job.version, the next `get` of the newer
      // one analyses it again, so nothing newer is ever labelled older than it is.
      const text = job.text ?? job.read();
      // Shrunk below the threshold: its next versions are analysed synchronously again.
      if (text.length < this.threshold) entry.large = false;
      this.options.backend.run(text, job.full, (result) => this.finished(key, entry, job.version, result));
      return;
    }
  }

  private finished(key: string, entry: Entry, version: number, result: BackgroundResult | Error): void {
    this.busy = false;
    if (entry.running?.version === version) entry.running = undefined;
    const current = this.entries.get(key) === entry;
    if (current && !this.disposed) {
      // A failed job is published as a whole analysis (its internal error), so a waiting
      // getCurrent ends too.
      const done: BackgroundResult =
        result instanceof Error ? { diagnostics: [], outline: [], analysis: internalError(result) } : result;
      let published = false;
      if (done.analysis && !(entry.published && entry.published.version >= version)) {
        entry.published = { version, analysis: done.analysis };
        published = true;
      }
      if (!(entry.summary && entry.summary.version >= version)) {
        const diagnostics = done.analysis?.diagnostics ?? done.diagnostics;
        const { analysis, quickFixes } = done;
        entry.summary = { version, summary: { diagnostics, outline: () => done.outline, analysis, quickFixes } };
        published = true;
      }
      if (published) this.options.onDidAnalyze(key);
    }
    this.pump();
  }
}

/** The summary of an analysis of `text` made on this thread: its outline made when first asked for. */
function summaryOf(analysis: Analysis, text: string): AnalysisSummary {
  let made: OutlineSymbol[] | undefined;
  return {
    diagnostics: analysis.diagnostics,
    outline: () => (made ??= outlineHead(analysis.scenario, text)),
    analysis,
  };
}

/** The core should never throw; if it does, the user sees it on the first line. */
function internalError(e: Error): Analysis {
  return {
    scenario: parse('').scenario,
    diagnostics: [
      {
        severity: 'error',
        code: 'internal-error',
        message: `tcpscn internal error: ${e.message}`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ],
    runs: [],
    hasErrors: true,
  };
}
