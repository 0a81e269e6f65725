// The analysis scheduler with a fake backend: small documents stay synchronous, large ones go
// to the backend one at a time, the latest version wins, and a finished analysis never
// replaces a newer one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyze, type Analysis } from '../../src/core/index';
import { outlineHead } from '../../src/core/assist/outline';
import { AnalysisScheduler, type AnalysisBackend, type BackgroundResult } from '../../src/extension/analysisScheduler';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const THRESHOLD = 100;

/** A backend whose jobs finish when the test says so; the "analysis" records the text. */
class FakeBackend implements AnalysisBackend {
  readonly jobs: { text: string; full: boolean; done: (r: BackgroundResult | Error) => void }[] = [];
  maxRunning = 0;
  running = 0;
  disposed = false;

  run(text: string, full: boolean, done: (r: BackgroundResult | Error) => void): void {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.jobs.push({
      text,
      full,
      done: (r) => {
        this.running--;
        done(r);
      },
    });
  }

  /** Finishes the oldest running job with a real analysis of its text (as the worker: the analysis itself only when asked for). */
  finish(result?: Analysis | Error): string {
    const job = this.jobs.shift();
    assert.ok(job, 'no job to finish');
    if (result instanceof Error) job.done(result);
    else {
      const analysis = result ?? analyze(job.text);
      job.done({
        diagnostics: analysis.diagnostics,
        outline: outlineHead(analysis.scenario, job.text),
        analysis: job.full ? analysis : undefined,
      });
    }
    return job.text;
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** A large, valid text (over THRESHOLD) whose title names its version. */
function big(version: number, bad = false): string {
  const lines = [
    `title "v${version}"`,
    'endpoint a 10.0.0.1:1',
    'endpoint b 10.0.0.2:2',
    '0 b listen',
    '0 a connect b',
  ];
  while (lines.join('\n').length < THRESHOLD * 2) lines.push('expect a ESTABLISHED');
  if (bad) lines.push('zz wrong');
  return lines.join('\n');
}

const titleOf = (a: Analysis) => a.scenario.title?.value;

function setup() {
  const backend = new FakeBackend();
  const events: string[] = [];
  let syncCalls = 0;
  const scheduler = new AnalysisScheduler({
    backend,
    analyzeSync: (t) => {
      syncCalls++;
      return analyze(t);
    },
    onDidAnalyze: (key) => events.push(key),
    syncThreshold: THRESHOLD,
  });
  return { backend, events, scheduler, syncCalls: () => syncCalls };
}

test('a small document is analysed at once, once per version, never in the backend', () => {
  const { backend, scheduler, syncCalls, events } = setup();
  const text = 'endpoint a 10.0.0.1:1';
  const a = scheduler.get('k', 1, () => text);
  assert.deepEqual(a, analyze(text));
  assert.equal(
    scheduler.get('k', 1, () => assert.fail('text read again for a cached version')),
    a,
  );
  assert.equal(syncCalls(), 1);
  assert.equal(backend.jobs.length, 0);
  assert.deepEqual(events, []);
});

test('a large document goes to the backend; get answers at once with an empty analysis, then the result', () => {
  const { backend, scheduler, events } = setup();
  const first = scheduler.get('k', 1, () => big(1));
  assert.deepEqual(first.diagnostics, []);
  assert.deepEqual(first.runs, []);
  assert.equal(first.scenario.statements.length, 0);
  assert.equal(backend.jobs.length, 1);
  // Asking again for the same version neither reads the text nor starts another job.
  scheduler.get('k', 1, () => assert.fail('text read for a version already running'));
  assert.equal(backend.jobs.length, 1);
  backend.finish();
  assert.deepEqual(events, ['k']);
  assert.equal(titleOf(scheduler.get('k', 1, () => big(1))), 'v1');
  assert.equal(scheduler.publishedVersion('k'), 1);
});

test('latest wins: while one runs, newer versions replace the one pending text', () => {
  const { backend, scheduler } = setup();
  scheduler.get('k', 1, () => big(1));
  for (let v = 2; v <= 10; v++) scheduler.get('k', v, () => big(v));
  assert.equal(backend.jobs.length, 1, 'never more than one in flight');
  assert.equal(backend.finish(), big(1));
  // Only the newest pending version runs next; versions 2..9 are never analysed.
  assert.equal(backend.jobs.length, 1);
  assert.equal(backend.jobs[0].text, big(10));
  backend.finish();
  assert.equal(backend.jobs.length, 0);
  assert.equal(titleOf(scheduler.get('k', 10, () => big(10))), 'v10');
});

test('a stale result is published while typing, then the current one', () => {
  const { backend, scheduler, events } = setup();
  scheduler.get('k', 1, () => big(1));
  scheduler.get('k', 2, () => big(2));
  backend.finish();
  // Version 1 is older than the document, and still shown: diagnostics keep coming.
  assert.equal(titleOf(scheduler.get('k', 2, () => big(2))), 'v1');
  assert.deepEqual(events, ['k']);
  backend.finish();
  assert.equal(titleOf(scheduler.get('k', 2, () => big(2))), 'v2');
  assert.deepEqual(events, ['k', 'k']);
});

test('a result never overwrites a newer one (a small version analysed meanwhile)', () => {
  const { backend, scheduler, events } = setup();
  scheduler.get('k', 1, () => big(1));
  // The user deleted most of the file: version 2 is small and analysed at once.
  const small = scheduler.get('k', 2, () => 'title "small"');
  assert.equal(titleOf(small), 'small');
  backend.finish();
  assert.equal(titleOf(scheduler.get('k', 2, () => 'title "small"')), 'small');
  assert.deepEqual(events, []);
});

test("one job at a time across documents; a closed document's result is dropped", () => {
  const { backend, scheduler, events } = setup();
  scheduler.get('a', 1, () => big(1));
  scheduler.get('b', 1, () => big(2));
  assert.equal(backend.jobs.length, 1);
  scheduler.forget('a');
  backend.finish();
  assert.deepEqual(events, []);
  assert.equal(backend.jobs.length, 1, 'b runs once a is done');
  backend.finish();
  assert.deepEqual(events, ['b']);
  assert.equal(backend.maxRunning, 1);
});

test('a failing backend gives an internal-error diagnostic, not a crash', () => {
  const { backend, scheduler } = setup();
  scheduler.get('k', 1, () => big(1));
  backend.finish(new Error('worker died'));
  const a = scheduler.get('k', 1, () => big(1));
  assert.equal(a.diagnostics.length, 1);
  assert.match(a.diagnostics[0].message, /internal error: worker died/);
  assert.equal(a.hasErrors, true);
});

test('dispose stops the backend', () => {
  const { backend, scheduler } = setup();
  scheduler.dispose();
  assert.ok(backend.disposed);
});

test('property: any mix of edits and finishes keeps one job in flight, publishes only newer versions, ends on the last', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constant('edit' as const), fc.constant('finish' as const)), { maxLength: 40 }),
      (steps) => {
        const { backend, scheduler } = setup();
        let version = 0;
        let lastPublished = 0;
        const check = () => {
          const p = scheduler.publishedVersion('k') ?? 0;
          assert.ok(p >= lastPublished, 'a published version went back');
          lastPublished = p;
          assert.ok(backend.jobs.length <= 1);
        };
        for (const s of steps) {
          if (s === 'edit') {
            version++;
            scheduler.get('k', version, () => big(version));
          } else if (backend.jobs.length) backend.finish();
          check();
        }
        // The keyboard rests: everything left finishes, and the last version is what is shown.
        finishAll(backend, check);
        if (version > 0) {
          assert.equal(scheduler.publishedVersion('k'), version);
          assert.equal(titleOf(scheduler.get('k', version, () => big(version))), `v${version}`);
        }
        assert.equal(backend.maxRunning <= 1, true);
      },
    ),
    { numRuns: RUNS },
  );
});

/** The keyboard rests: every job left finishes, each followed by `check`. */
function finishAll(backend: FakeBackend, check: () => void): void {
  while (backend.jobs.length) {
    backend.finish();
    check();
  }
}

/** A scheduler that waits for keys to rest 200 ms (at most 1 s) before a large document's job. */
function typingScheduler(backend: FakeBackend): AnalysisScheduler {
  return new AnalysisScheduler({
    backend,
    analyzeSync: analyze,
    onDidAnalyze: () => {},
    syncThreshold: THRESHOLD,
    quietMs: 200,
    maxWaitMs: 1000,
  });
}

test('quiet period: while texts keep coming no new job starts; the last one starts once they rest, or after maxWait', (t) => {
  t.mock.timers.enable(); // setTimeout and Date
  const backend = new FakeBackend();
  const scheduler = typingScheduler(backend);
  // The first version of a document starts at once (opening is not typing).
  scheduler.get('k', 1, () => big(1));
  assert.equal(backend.jobs.length, 1);
  backend.finish();
  // Keys every 100 ms: nothing starts, and a finished job does not start the pending one early.
  for (let v = 2; v <= 6; v++) {
    scheduler.get('k', v, () => big(v));
    t.mock.timers.tick(100);
    assert.equal(backend.jobs.length, 0, `a job started while typing (version ${v})`);
  }
  t.mock.timers.tick(100);
  assert.equal(backend.jobs.length, 1, 'the last version starts once the keys rest');
  assert.equal(backend.finish(), big(6));
  // Typing without a pause: a job starts after maxWait all the same, with the newest text then.
  let v = 7;
  for (let ms = 0; ms < 1000; ms += 100, v++) {
    scheduler.get('k', v, () => big(v));
    t.mock.timers.tick(100);
  }
  assert.equal(backend.jobs.length, 1, 'maxWait starts a job during continuous typing');
  assert.equal(backend.finish(), big(v - 1));
  scheduler.dispose();
});

test("with a length hint, a large document's newer versions are read only when their job starts; shrunk below the threshold, at once", () => {
  const { backend, scheduler } = setup();
  let current = big(1);
  let reads = 0;
  const read = () => {
    reads++;
    return current;
  };
  const length = () => current.length;
  scheduler.get('k', 1, read, length);
  assert.equal(reads, 1);
  // Keys while version 1 runs: no text read for versions 2..5.
  for (let v = 2; v <= 5; v++) {
    current = big(v);
    scheduler.get('k', v, read, length);
  }
  assert.equal(reads, 1, 'a pending version was read before its job started');
  backend.finish();
  assert.equal(reads, 2, 'read once when the next job starts');
  assert.equal(backend.finish(), big(5));
  assert.equal(titleOf(scheduler.get('k', 5, read, length)), 'v5');
  // The user deletes most of the file: the small version is analysed at once, as before.
  current = 'title "small"';
  assert.equal(titleOf(scheduler.get('k', 6, read, length)), 'small');
  assert.equal(backend.jobs.length, 0);
});

test("a small document's summary is its analysis's diagnostics and outline, from the one analysis", () => {
  const { scheduler, syncCalls } = setup();
  const text = 'title "t"\nendpoint a 10.0.0.1:1\nzz wrong';
  const s = scheduler.summary('k', 1, () => text);
  const a = scheduler.get('k', 1, () => assert.fail('text read again for a summarised version'));
  assert.equal(syncCalls(), 1);
  assert.equal(s.diagnostics, a.diagnostics);
  assert.ok(s.diagnostics.length > 0);
  assert.deepEqual(s.outline(), outlineHead(a.scenario, text));
  assert.equal(scheduler.summaryVersion('k'), 1);
});

test("a large document's summary comes without its analysis; get then brings the analysis of the same version", () => {
  const { backend, scheduler, events } = setup();
  const empty = scheduler.summary('k', 1, () => big(1, true));
  assert.deepEqual(empty.diagnostics, []);
  assert.deepEqual(empty.outline(), []);
  assert.equal(backend.jobs.length, 1);
  assert.equal(backend.jobs[0].full, false, 'only the summary was asked for');
  backend.finish();
  assert.deepEqual(events, ['k']);
  const s = scheduler.summary('k', 1, () => assert.fail('text read again'));
  assert.deepEqual(s.diagnostics, analyze(big(1, true)).diagnostics);
  assert.deepEqual(s.outline(), outlineHead(analyze(big(1, true)).scenario, big(1, true)));
  assert.equal(scheduler.summaryVersion('k'), 1);
  assert.equal(scheduler.publishedVersion('k'), undefined, 'no analysis came');
  // The preview (or a command) asks for the analysis: the same version again, whole.
  assert.equal(scheduler.get('k', 1, () => big(1, true)).scenario.statements.length, 0);
  assert.equal(backend.jobs.length, 1);
  assert.equal(backend.jobs[0].full, true);
  backend.finish();
  assert.equal(scheduler.publishedVersion('k'), 1);
  assert.equal(titleOf(scheduler.get('k', 1, () => big(1, true))), 'v1');
  assert.equal(
    scheduler.summary('k', 1, () => big(1, true)),
    s,
    'the summary of version 1 stays',
  );
  assert.deepEqual(events, ['k', 'k']);
  // A whole analysis brings its summary along.
  scheduler.get('k', 2, () => big(2));
  backend.finish();
  assert.equal(scheduler.summaryVersion('k'), 2);
  assert.deepEqual(scheduler.summary('k', 2, () => big(2)).diagnostics, []);
});

test('a request for the whole analysis holds for the newer pending version that replaces it', () => {
  const { backend, scheduler } = setup();
  scheduler.summary('k', 1, () => big(1));
  scheduler.get('k', 2, () => big(2));
  scheduler.summary('k', 3, () => big(3));
  assert.equal(backend.jobs.length, 1);
  backend.finish();
  assert.equal(backend.jobs.length, 1);
  assert.equal(backend.jobs[0].text, big(3));
  assert.equal(backend.jobs[0].full, true);
  backend.finish();
  assert.equal(scheduler.publishedVersion('k'), 3);
  assert.equal(scheduler.summaryVersion('k'), 3);
  // Asked for the summary only, typing sends no analysis back.
  scheduler.summary('k', 4, () => big(4));
  assert.equal(backend.jobs[0].full, false);
});

test('a failing summary job gives the internal-error diagnostic too', () => {
  const { backend, scheduler } = setup();
  scheduler.summary('k', 1, () => big(1));
  backend.finish(new Error('worker died'));
  const s = scheduler.summary('k', 1, () => big(1));
  assert.equal(s.diagnostics.length, 1);
  assert.match(s.diagnostics[0].message, /internal error: worker died/);
});

test('property: any mix of summaries, whole analyses and finishes: versions never go back, the last one is shown', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('edit' as const, 'whole' as const, 'finish' as const), { maxLength: 40 }),
      (steps) => {
        const { backend, scheduler } = setup();
        let version = 0;
        let wholeAsked = 0;
        let lastSummary = 0;
        let lastPublished = 0;
        const check = () => {
          const s = scheduler.summaryVersion('k') ?? 0;
          const p = scheduler.publishedVersion('k') ?? 0;
          assert.ok(s >= lastSummary && p >= lastPublished, 'a version went back');
          assert.ok(s >= p, 'the summary is older than the analysis');
          lastSummary = s;
          lastPublished = p;
          assert.ok(backend.jobs.length <= 1);
        };
        for (const s of steps) {
          if (s === 'edit') {
            version++;
            scheduler.summary('k', version, () => big(version, version % 3 === 0));
          } else if (s === 'whole' && version > 0) {
            wholeAsked = version;
            scheduler.get('k', version, () => big(version, version % 3 === 0));
          } else if (backend.jobs.length) backend.finish();
          check();
        }
        finishAll(backend, check);
        if (version > 0) {
          assert.equal(scheduler.summaryVersion('k'), version);
          const want = analyze(big(version, version % 3 === 0));
          assert.deepEqual(scheduler.summary('k', version, () => big(version)).diagnostics, want.diagnostics);
          // The whole analysis asked for last came (or a newer one).
          assert.ok((scheduler.publishedVersion('k') ?? 0) >= wholeAsked);
        }
      },
    ),
    { numRuns: RUNS },
  );
});

test("a summary carries the analysis when it is here, else the backend's quick fixes", async () => {
  const { backend, scheduler } = setup();
  const small = 'title "t"';
  assert.equal(
    scheduler.summary('s', 1, () => small).analysis,
    scheduler.get('s', 1, () => small),
  );
  scheduler.summary('k', 1, () => big(1));
  const fixes = [{ title: 'a fix', edits: [], fixes: null, preferred: false }];
  const job = backend.jobs[0];
  job.done({ diagnostics: [], outline: [], quickFixes: () => Promise.resolve(fixes) });
  backend.jobs.shift();
  const s = scheduler.summary('k', 1, () => big(1));
  assert.equal(s.analysis, undefined);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  assert.equal(await s.quickFixes?.(range), fixes);
  // Asked for whole, the next version's summary has its analysis.
  scheduler.get('k', 2, () => big(2));
  backend.finish();
  assert.equal(
    scheduler.summary('k', 2, () => big(2)).analysis,
    scheduler.get('k', 2, () => big(2)),
  );
});

test('the whole analysis of the version already summarised starts at once, without the quiet period', (t) => {
  t.mock.timers.enable();
  const backend = new FakeBackend();
  const scheduler = typingScheduler(backend);
  scheduler.summary('k', 1, () => big(1));
  backend.finish();
  scheduler.summary('k', 2, () => big(2));
  assert.equal(backend.jobs.length, 0, 'a typed version waits for the keys to rest');
  t.mock.timers.tick(200);
  backend.finish();
  // The preview opens on version 2: nothing is typed, no wait.
  scheduler.get('k', 2, () => big(2));
  assert.equal(backend.jobs.length, 1);
  assert.equal(backend.jobs[0].full, true);
  assert.equal(backend.finish(), big(2));
  assert.equal(scheduler.publishedVersion('k'), 2);
  // A newer version asked for whole while typing still waits.
  scheduler.get('k', 3, () => big(3));
  assert.equal(backend.jobs.length, 0);
  t.mock.timers.tick(200);
  assert.equal(backend.jobs.length, 1);
  backend.finish();
  scheduler.dispose();
});
