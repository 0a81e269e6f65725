// The analysis travels from the worker in pieces (analysisTransfer.ts) and must arrive whole:
// equal to the analysis made on the spot, with the scenario's lists still sharing the objects
// of `statements`. Then the real worker bundle, through the backend, on a 1 MB file.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { analyze, type Analysis } from '../../src/core/index';
import { AnalysisReceiver, AnalysisSender, CHUNK_ITEMS } from '../../src/extension/analysisTransfer';
import { AnalysisWorkerBackend } from '../../src/extension/analysisWorkerBackend';
import type { BackgroundResult } from '../../src/extension/analysisScheduler';
import type { FromWorker, ToWorker } from '../../src/extension/analysisProtocol';
import { outlineHead } from '../../src/core/assist/outline';
import { quickFixes } from '../../src/core/assist/quickFix';
import { buildWorker } from '../../bench/largeFile';
import { manyConnections, megabyteFile, transfer } from '../../bench/scenarios';
import { examplePath, SHARED_EXAMPLE_NAMES } from './helpers/examples';

/** Sends `analysis` through structured clone piece by piece, as the worker and host do. */
function roundTrip(analysis: Analysis): { result: Analysis; pieces: number } {
  const sender = new AnalysisSender(analysis);
  const receiver = new AnalysisReceiver(structuredClone(sender.head));
  let pieces = 0;
  for (let p = sender.next(); p; p = sender.next()) {
    assert.ok(p.items.length <= CHUNK_ITEMS);
    receiver.add(structuredClone(p));
    pieces++;
  }
  assert.equal(pieces, sender.head.pieces);
  return { result: receiver.result(), pieces };
}

function texts(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = SHARED_EXAMPLE_NAMES.map((f) => ({
    name: f,
    text: readFileSync(examplePath(f), 'utf8'),
  }));
  out.push({ name: 'empty', text: '' });
  out.push({ name: 'errors', text: Array.from({ length: 300 }, (_, i) => `zz ${i}`).join('\n') });
  out.push({ name: 'transfer 3000', text: transfer(3000) });
  out.push({ name: '200 KB', text: megabyteFile(200_000) });
  return out;
}

test('every analysis arrives equal to the original, big lists in pieces', () => {
  for (const { name, text } of texts()) {
    const original = analyze(text);
    const { result } = roundTrip(original);
    assert.deepEqual(result, original, name);
  }
});

test('a large analysis is cut into several pieces, and the head stays small', () => {
  const original = analyze(megabyteFile(200_000));
  const sender = new AnalysisSender(original);
  assert.ok(sender.head.pieces > 5, `only ${sender.head.pieces} pieces`);
  assert.ok(JSON.stringify(sender.head.skeleton).length < 20_000, 'the head carries a long list');
});

test("events, endpoints and the other lists keep sharing the statements' objects", () => {
  const original = analyze(megabyteFile(200_000));
  const { result } = roundTrip(original);
  const statements = new Set<unknown>(result.scenario.statements);
  assert.ok(result.scenario.events.length > 1000);
  for (const e of result.scenario.events) assert.ok(statements.has(e), 'an event is a copy, not the statement');
  const many = roundTrip(analyze(manyConnections(1000))).result;
  assert.ok(many.scenario.endpoints.length > 64);
  const manyStatements = new Set<unknown>(many.scenario.statements);
  for (const e of many.scenario.endpoints) assert.ok(manyStatements.has(e), 'an endpoint is a copy, not the statement');
});

test('the worker bundle analyses a 1 MB file with an error on its last line, and a second text after it', async () => {
  const { file, cleanup } = await buildWorker();
  const backend = new AnalysisWorkerBackend({ filename: file });
  try {
    const run = (text: string, full = true) =>
      new Promise<BackgroundResult | Error>((resolve) => backend.run(text, full, resolve));
    const bad = `${megabyteFile(1 << 20)}\nzz last line`;
    const want = analyze(bad);
    const r = await run(bad);
    assert.ok(!(r instanceof Error), String(r));
    const a = r.analysis;
    assert.ok(a);
    assert.deepEqual(a, want);
    assert.equal(r.diagnostics, a.diagnostics);
    assert.deepEqual(r.outline, outlineHead(want.scenario, bad));
    const last = a.diagnostics.at(-1);
    assert.ok(last);
    assert.equal(last.range.start.line, bad.split('\n').length - 1);
    // Only the summary asked for: the same diagnostics and outline, no analysis.
    const s = await run(`${bad} `, false);
    assert.ok(!(s instanceof Error), String(s));
    assert.equal(s.analysis, undefined);
    assert.deepEqual(s.diagnostics, analyze(`${bad} `).diagnostics);
    assert.deepEqual(s.outline, r.outline);
    assert.ok(s.outline.length > 100);
    // An edit below the outline's first symbols: the worker does not send it again, the
    // backend hands on the one it has (the symbol provider then builds nothing new).
    const below = await run(`${bad}  `, false);
    assert.ok(!(below instanceof Error), String(below));
    assert.equal(below.outline, r.outline);
    // An edit in the outline's head: the new one comes.
    const retitled = bad.replace('title "', 'title "new ');
    const above = await run(retitled, false);
    assert.ok(!(above instanceof Error), String(above));
    assert.deepEqual(above.outline, outlineHead(analyze(retitled).scenario, retitled));
    assert.notDeepEqual(above.outline, r.outline);
    const good = megabyteFile(300_000);
    const b = await run(good);
    assert.ok(!(b instanceof Error), String(b));
    assert.deepEqual(b.analysis, analyze(good));
    assert.equal(b.analysis?.runs.length, 1);
    // Its quick fixes are made by the worker, which holds the analysis: as made here.
    const c = await run(good, false);
    assert.ok(!(c instanceof Error), String(c));
    assert.ok(c.quickFixes);
    const connectLine = good.split('\n').indexOf('0 client connect server');
    const on = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 3 } });
    for (const range of [on(connectLine), on(10), { start: on(0).start, end: on(40).end }]) {
      assert.deepEqual(await c.quickFixes(range), quickFixes(good, range, b.analysis), JSON.stringify(range));
    }
    assert.ok(((await c.quickFixes(on(connectLine))) ?? []).length > 0, 'no expect offered on the connect line');
    // The worker went on to another text: it no longer has them (the host then makes them).
    const small = await run('title "x"', false);
    assert.ok(!(small instanceof Error) && small.quickFixes);
    assert.equal(await c.quickFixes(on(connectLine)), undefined);
    assert.deepEqual(await small.quickFixes(on(0)), quickFixes('title "x"', on(0)));
    // A stopped worker's quick fixes do not come, and nothing waits for them forever.
    backend.dispose();
    assert.equal(await small.quickFixes(on(0)), undefined);
  } finally {
    backend.dispose();
    cleanup();
  }
});

test('a job on a stopped backend fails with a clear error instead of hanging', async () => {
  const backend = new AnalysisWorkerBackend({ filename: '/nonexistent/analysisWorker.js' });
  const r = await new Promise<BackgroundResult | Error>((resolve) => backend.run('title "x"', true, resolve));
  assert.ok(r instanceof Error);
  backend.dispose();
  const r2 = await new Promise<BackgroundResult | Error>((resolve) => backend.run('title "x"', true, resolve));
  assert.ok(r2 instanceof Error);
  assert.match(r2.message, /stopped/);
});

test('a worker that never answers is stopped after the timeout with a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcpscn-silent-'));
  const silent = join(dir, 'silent.js');
  // Reads messages and never answers, like a core stuck in a loop would.
  writeFileSync(silent, "require('node:worker_threads').parentPort.on('message', () => {});\n");
  const { file, cleanup } = await buildWorker();
  try {
    const backend = new AnalysisWorkerBackend({ filename: silent, timeoutMs: 300 });
    const started = Date.now();
    const r = await new Promise<BackgroundResult | Error>((resolve) => backend.run('title "x"', true, resolve));
    assert.ok(r instanceof Error);
    assert.match(r.message, /longer than 300ms/);
    assert.ok(Date.now() - started < 5000);
    backend.dispose();
    // A real worker with the same timeout answers in time.
    const ok = new AnalysisWorkerBackend({ filename: file, timeoutMs: 10_000 });
    const a = await new Promise<BackgroundResult | Error>((resolve) => ok.run('title "x"', true, resolve));
    assert.ok(!(a instanceof Error), String(a));
    ok.dispose();
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the worker sends the analysis of the same text again without making it again', async () => {
  const { file, cleanup } = await buildWorker();
  const worker = new Worker(file);
  try {
    const results: FromWorker[] = [];
    worker.on('message', (m: FromWorker) => results.push(m));
    const ask = async (m: ToWorker): Promise<FromWorker> => {
      const n = results.length;
      worker.postMessage(m);
      while (results.length === n) await new Promise((r) => setTimeout(r, 5));
      return results[n]!;
    };
    const text = megabyteFile(100_000);
    const first = await ask({ type: 'analyze', id: 1, text, full: false });
    assert.ok(first.type === 'result' && !first.reused && !first.head);
    const again = await ask({ type: 'analyze', id: 2, text, full: true });
    assert.ok(again.type === 'result' && again.reused && again.head);
    assert.ok(first.outline && first.outline.length > 100);
    assert.equal(again.outline, null, 'the same outline is not sent again');
    // Its pieces make the same analysis as one made on the spot.
    const receiver = new AnalysisReceiver(again.head);
    while (!receiver.done) {
      const p = await ask({ type: 'next', id: 2 });
      assert.ok(p.type === 'piece');
      receiver.add(p.piece);
    }
    assert.deepEqual(receiver.result(), analyze(text));
    const other = await ask({ type: 'analyze', id: 3, text: `${text}\n`, full: false });
    assert.ok(other.type === 'result' && !other.reused && other.outline === null);
    const retitled = await ask({ type: 'analyze', id: 4, text: text.replace('title "', 'title "new '), full: false });
    assert.ok(retitled.type === 'result' && retitled.outline);
    assert.match(retitled.outline[0]!.name, /^new /);
  } finally {
    await worker.terminate();
    cleanup();
  }
});
