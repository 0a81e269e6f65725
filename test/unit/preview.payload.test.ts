// What the preview is sent and what "Run TCP scenario" reports, from analyses built by hand
// around the renderers' fixture traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis } from '../../src/core/index';
import type { Scenario } from '../../src/core/ast';
import type { Diagnostic, Trace } from '../../src/core/index';
import { buildUpdate, problemRows } from '../../src/extension/preview/payload';
import { decodeLadderTrace, decodeSegmentRows, decodeTraceEvents, isToWebview } from '../../src/protocol';
import { showsOutput, summarizeRun } from '../../src/extension/run/report';
import { bigTrace, handshakeTrace, hostileTrace, troubleTrace } from './fixtures/traces';

const scenario: Scenario = {
  title: null,
  settings: [],
  endpoints: [],
  links: [],
  variants: [],
  events: [],
  statements: [],
  lineCount: 30,
};
const source = { uri: 'file:///w/a.tcpscn', fileName: 'a.tcpscn', version: 1, locked: false };
const diag = (severity: Diagnostic['severity'], line: number, code: string, message: string): Diagnostic => ({
  severity,
  code,
  message,
  range: { start: { line, character: 4 }, end: { line, character: 9 } },
});
const analysisOf = (runs: Trace[], diagnostics: Diagnostic[] = [], hasErrors = false): Analysis => ({
  scenario,
  runs,
  diagnostics,
  hasErrors,
});

test('a runnable analysis sends one view per variant with both diagrams', () => {
  const m = buildUpdate(analysisOf([handshakeTrace(), troubleTrace()]), source);
  assert.ok(isToWebview(m));
  assert.equal(m.type, 'update');
  if (m.type !== 'update') return;
  assert.equal(m.runnable, true);
  assert.deepEqual(
    m.variants.map((v) => v.label),
    [handshakeTrace().variant, troubleTrace().variant],
  );
  for (const v of m.variants) {
    assert.match(v.sequence.text, /^sequenceDiagram/);
    // The page lays the Ladder and the Timeline out from the trace at its pane's width.
    const expected: Trace = [handshakeTrace(), troubleTrace()][m.variants.indexOf(v)];
    assert.deepEqual(decodeLadderTrace(v)?.transitions, expected.transitions);
    assert.deepEqual(decodeLadderTrace(v)?.segments, expected.segments);
    // The Timeline's part carries no segment: it is decoded on every update of the Timeline tab.
    assert.deepEqual(decodeTraceEvents(v.traceEvents)?.transitions, expected.transitions);
    assert.ok(!('segments' in JSON.parse(v.traceEvents)), 'the segments are sent apart');
    assert.equal(v.sequence.arrowSegments.length, decodeSegmentRows(v.segmentRows)?.length);
  }
});

test('an analysis with errors sends no variants, so the webview keeps its last good diagram', () => {
  const diagnostics = [
    diag('error', 2, 'unknown-state', 'unknown state "FOO"'),
    diag('warning', 5, 'unused', 'w'),
    diag('error', 9, 'expectation-failed', 'x'),
  ];
  const m = buildUpdate(analysisOf([], diagnostics, true), source);
  assert.ok(isToWebview(m));
  if (m.type !== 'update') return assert.fail();
  assert.equal(m.runnable, false);
  assert.deepEqual(m.variants, []);
  // 1-based for display; failed expectations belong to the summary, not the banner
  assert.deepEqual(m.problems, [
    { severity: 'error', line: 3, column: 5, message: 'unknown state "FOO"' },
    { severity: 'warning', line: 6, column: 5, message: 'w' },
  ]);
  assert.deepEqual(problemRows(analysisOf([], [diag('info', 1, 'i', 'i')])), []);
});

test('hostile names reach the webview as data, untouched (the webview shows them with textContent)', () => {
  const trace = hostileTrace();
  const m = buildUpdate(analysisOf([trace]), source);
  assert.ok(isToWebview(m));
  if (m.type !== 'update') return assert.fail();
  assert.deepEqual(
    decodeSegmentRows(m.variants[0].segmentRows)?.map((s) => [s.from, s.to, s.note]),
    trace.segments.map((s) => [s.from, s.to, s.note]),
  );
  assert.deepEqual(
    m.variants[0].hazards.map((h) => h.message),
    trace.hazards.map((h) => h.message),
  );
});

test('big traces arrive windowed, at the window the user moved to', () => {
  const trace = bigTrace(1200);
  const m = buildUpdate(analysisOf([trace]), source, new Map([[trace.variant, 801]]));
  if (m.type !== 'update') return assert.fail();
  assert.deepEqual(m.variants[0].sequence.window, { from: 801, to: 1200, total: trace.segments.length });
});

test('the run report counts every expectation of every variant and points at the first failure', () => {
  const a = handshakeTrace();
  const b = troubleTrace();
  const s = summarizeRun('a.tcpscn', analysisOf([a, b]));
  const all = [...a.expectations, ...b.expectations];
  assert.equal(s.passed, all.filter((x) => x.ok).length);
  assert.equal(s.failed, all.filter((x) => !x.ok).length);
  assert.ok(s.failed > 0, 'the fixture has a failure');
  assert.equal(s.firstFailureLine, Math.min(...all.filter((x) => !x.ok).map((x) => x.line)));
  assert.deepEqual(s.variants, [a.variant, b.variant]);
  assert.match(s.report, /FAIL a\.tcpscn:\d+ \[/);
  assert.match(s.report, new RegExp(`${s.passed} passed, ${s.failed} failed$`));
  assert.ok(s.report.includes(`variant "${b.variant}"`));
});

test('a file with errors is reported as not run, with each error located', () => {
  const s = summarizeRun(
    'a.tcpscn',
    analysisOf([], [diag('error', 2, 'x', 'bad thing'), diag('warning', 3, 'y', 'meh')], true),
  );
  assert.equal(s.errors, 1);
  assert.equal(s.passed + s.failed, 0);
  assert.equal(s.firstFailureLine, 3);
  assert.match(s.report, /a\.tcpscn:3:5: error: bad thing/);
  assert.equal(showsOutput(s), true, 'errors bring the Output panel into view');
});

test('Run TCP scenario pulls the Output panel open only when something failed', () => {
  const clean = summarizeRun('a.tcpscn', analysisOf([handshakeTrace()]));
  assert.equal(clean.failed + clean.errors, 0, 'the handshake fixture passes');
  assert.equal(showsOutput(clean), false);
  const failing = summarizeRun('a.tcpscn', analysisOf([handshakeTrace(), troubleTrace()]));
  assert.ok(failing.failed > 0);
  assert.equal(showsOutput(failing), true);
});
