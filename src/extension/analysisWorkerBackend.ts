// The host side of the analysis worker: starts the thread on first use, sends it one text at a
// time, and receives the result piece by piece, asking for each next piece from a
// `setImmediate` so other work of the extension host (keystrokes, other providers) runs
// between pieces. No `vscode` here: the bench drives it from plain Node.

import { Worker, type WorkerOptions } from 'node:worker_threads';
import { formatDuration } from '../core/duration';
import type { FromWorker, ToWorker } from './analysisProtocol';
import { AnalysisReceiver } from './analysisTransfer';
import type { AnalysisBackend, BackgroundResult } from './analysisScheduler';
import type { OutlineSymbol } from '../core/assist/outline';
import type { QuickFix } from '../core/assist/quickFix';
import type { Range } from '../core/types';
import { profiled } from './profile';

export interface WorkerBackendOptions {
  /** The worker script: dist/analysisWorker.js in the extension. */
  filename: string | URL;
  /** Node options of the worker thread. */
  execArgv?: string[];
  /**
   * A job not finished after this long stops the worker and fails (the core should never
   * hang, but a document must not go without diagnostics for good if it does). Default 60 s.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

interface Job {
  id: number;
  done: (result: BackgroundResult | Error) => void;
  /** The outline that came with the head, while the analysis's pieces come. */
  outline?: OutlineSymbol[];
  receiver?: AnalysisReceiver;
  timer: ReturnType<typeof setTimeout>;
}

export class AnalysisWorkerBackend implements AnalysisBackend {
  private worker: Worker | undefined;
  private job: Job | undefined;
  private nextId = 1;
  private disposed = false;
  /** Quick-fix requests waiting for the worker's answer, by request id. */
  private readonly fixRequests = new Map<number, (fixes: QuickFix[] | undefined) => void>();
  /** The outline of the worker's last result, which a result with `outline: null` has too. */
  private lastOutline: OutlineSymbol[] = [];

  constructor(private readonly options: WorkerBackendOptions) {}

  run(text: string, full: boolean, done: (result: BackgroundResult | Error) => void): void {
    if (this.disposed) {
      done(new Error('the analysis worker was stopped'));
      return;
    }
    if (this.job) throw new Error('AnalysisWorkerBackend runs one job at a time');
    const id = this.nextId++;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      const worker = this.worker;
      if (this.job?.id !== id || !worker) return;
      this.fail(worker, new Error(`the analysis took longer than ${formatDuration(timeoutMs)} and was stopped`));
      void worker.terminate();
    }, timeoutMs);
    timer.unref?.();
    const job: Job = { id, done, timer };
    this.job = job;
    this.post({ type: 'analyze', id: job.id, text, full });
  }

  dispose(): void {
    this.disposed = true;
    const job = this.job;
    this.job = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
    if (job) clearTimeout(job.timer);
    job?.done(new Error('the analysis worker was stopped'));
    this.dropFixRequests();
  }

  /** The worker is gone: its quick fixes will not come (the host makes them itself). */
  private dropFixRequests(): void {
    const waiting = [...this.fixRequests.values()];
    this.fixRequests.clear();
    for (const resolve of waiting) resolve(undefined);
  }

  private send(m: ToWorker): void {
    this.ensureWorker().postMessage(m);
  }

  /** Posting a whole text (a structured clone of up to megabytes) is timed when profiling. */
  private readonly post = profiled('post text to worker', (m: ToWorker) => this.send(m));

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const opts: WorkerOptions = { execArgv: this.options.execArgv };
    const worker = new Worker(this.options.filename, opts);
    // The worker must not keep a command line process (the bench, a test) alive on its own.
    worker.unref();
    // Outlines are sent only when they change: the last one is this worker's.
    this.lastOutline = [];
    worker.on(
      'message',
      profiled('worker message', (m: FromWorker) => {
        if (this.worker === worker) this.onMessage(m);
      }),
    );
    worker.on('error', (e) => this.fail(worker, e));
    worker.on('exit', (code) => this.fail(worker, new Error(`the analysis worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** A crashed worker fails its job; the next job starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const job = this.job;
    this.job = undefined;
    if (job) clearTimeout(job.timer);
    job?.done(error);
    this.dropFixRequests();
  }

  /** The quick fixes of job `job`'s text, from the worker (undefined when it holds them no more). */
  private quickFixes(job: number, range: Range): Promise<QuickFix[] | undefined> {
    if (this.disposed || !this.worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.fixRequests.set(id, resolve);
      this.send({ type: 'fixes', id, job, range });
    });
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'fixes') {
      const resolve = this.fixRequests.get(m.id);
      this.fixRequests.delete(m.id);
      resolve?.(m.fixes ?? undefined);
      return;
    }
    if (m.type === 'result') {
      // Of every result, even one no longer waited for: the worker counts it as sent.
      this.lastOutline = m.outline ?? this.lastOutline;
    }
    const job = this.job;
    if (!job || m.id !== job.id) return;
    if (m.type === 'error') {
      this.finish(job, new Error(`analysis failed: ${m.message}`));
    } else if (m.type === 'result') {
      if (!m.head) {
        const id = job.id;
        return this.finish(job, {
          diagnostics: m.diagnostics,
          outline: this.lastOutline,
          quickFixes: (range) => this.quickFixes(id, range),
        });
      }
      job.outline = this.lastOutline;
      job.receiver = new AnalysisReceiver(m.head);
      this.afterPiece(job);
    } else if (m.type === 'piece') {
      if (!job.receiver) return this.finish(job, new Error('analysis transfer: piece before head'));
      try {
        job.receiver.add(m.piece);
      } catch (e) {
        return this.finish(job, e instanceof Error ? e : new Error(String(e)));
      }
      this.afterPiece(job);
    }
  }

  private afterPiece(job: Job): void {
    const receiver = job.receiver;
    if (!receiver) return;
    if (receiver.done) {
      const analysis = receiver.result();
      this.finish(job, { diagnostics: analysis.diagnostics, outline: job.outline ?? [], analysis });
      return;
    }
    // Yield to the event loop before the next piece arrives and is deserialised.
    setImmediate(() => {
      if (this.job === job) this.send({ type: 'next', id: job.id });
    });
  }

  private finish(job: Job, result: BackgroundResult | Error): void {
    if (this.job !== job) return;
    this.job = undefined;
    clearTimeout(job.timer);
    job.done(result);
  }
}
