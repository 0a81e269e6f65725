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

import type { Analysis } from '../core/index';
import { parse } from '../core/index';

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

export interface AnalysisBackend {
  /** Analyse `text` off the caller's thread; call `done` once. Only one job at a time. */
  run(text: string, done: (result: Analysis | Error) => void): void;
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
  running?: number;
  /** The text, or (for a document known to be large) how to read it when the job starts. */
  pending?: { version: number; text?: string; read: () => string };
  /** The last text read was over the threshold: newer versions are read only when they start. */
  large?: boolean;
}

export class AnalysisScheduler {
  private readonly entries = new Map<string, Entry>();
  private busy = false;
  private disposed = false;
  private readonly threshold: number;
  private emptyAnalysis: Analysis | undefined;
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
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
    }
    const published = entry.published;
    if (published && published.version === version) return published.analysis;
    if (entry.running === version || entry.pending?.version === version) return published?.analysis ?? this.empty();
    if (published && published.version > version) return published.analysis;
    const first = !published && entry.running === undefined;
    if (entry.large && !first && length && length() >= this.threshold) {
      // Typing in a large document: reading its text for every version (a 1 MB string per key)
      // is garbage when a newer version replaces it before it starts; read it when it starts.
      entry.pending = { version, read: getText };
      this.pumpWhenQuiet();
      return published?.analysis ?? this.empty();
    }
    const text = getText();
    if (text.length < this.threshold) {
      const analysis = this.options.analyzeSync(text);
      entry.published = { version, analysis };
      // A pending text of an older version is no use any more.
      if (entry.pending && entry.pending.version < version) entry.pending = undefined;
      return analysis;
    }
    entry.large = true;
    entry.pending = { version, text, read: getText };
    if (first) this.pump(true);
    else this.pumpWhenQuiet();
    return published?.analysis ?? this.empty();
  }

  /** The version of the analysis `get` returns now (undefined before any). */
  publishedVersion(key: string): number | undefined {
    return this.entries.get(key)?.published?.version;
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
      entry.running = job.version;
      this.busy = true;
      // Read now (after the quiet period) it is the document's newest text, possibly of a
      // version newer than job.version; published as job.version, the next `get` of the newer
      // one analyses it again, so nothing newer is ever labelled older than it is.
      const text = job.text ?? job.read();
      // Shrunk below the threshold: its next versions are analysed synchronously again.
      if (text.length < this.threshold) entry.large = false;
      this.options.backend.run(text, (result) => this.finished(key, entry, job.version, result));
      return;
    }
  }

  private finished(key: string, entry: Entry, version: number, result: Analysis | Error): void {
    this.busy = false;
    if (entry.running === version) entry.running = undefined;
    const current = this.entries.get(key) === entry;
    if (current && !this.disposed && !(entry.published && entry.published.version >= version)) {
      entry.published = { version, analysis: result instanceof Error ? internalError(result) : result };
      this.options.onDidAnalyze(key);
    }
    this.pump();
  }
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
