// Quick fixes (issue 11): each one, applied, gives a text that parses without the diagnostic it
// fixes; the expect it adds holds when the file runs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, diagnosticFixes, quickFixes, stateAfter } from '../../src/core/assist/quickFix';
import { analyze } from '../../src/core/index';
import { parse } from '../../src/core/parser';
import type { Range } from '../../src/core/types';

const T = { timeout: 60_000 };

const HEAD = `set latency = 10ms
endpoint client 10.0.0.1:5000 isn=100
endpoint server 10.0.0.2:80 isn=300
0ms server listen
0ms client connect server
`;

function lineRange(line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

// One broken line each, the diagnostic code it gets, and the text of the fix.
const CASES: Array<{ line: string; code: string; fixed: string }> = [
  { line: '100ms client clos', code: 'unknown-verb', fixed: '100ms client close' },
  { line: '100ms clint close', code: 'unknown-endpoint', fixed: '100ms client close' },
  { line: '100ms client connect sever', code: 'unknown-endpoint', fixed: '100ms client connect server' },
  { line: '100ms Client close', code: 'unknown-endpoint', fixed: '100ms client close' },
  { line: '100 client close', code: 'missing-unit', fixed: '100ms client close' },
  { line: 'Expect client CLOSED', code: 'unknown-keyword', fixed: 'expect client CLOSED' },
  { line: '50ms expect client Establshed', code: 'unknown-state', fixed: '50ms expect client ESTABLISHED' },
  { line: 'expect client error ENOTCON', code: 'unknown-error-code', fixed: 'expect client error ENOTCONN' },
  { line: 'expect hazard old-dup', code: 'unknown-hazard', fixed: 'expect hazard old-duplicate' },
  { line: '50ms net drp client->server SYN', code: 'unknown-rule', fixed: '50ms net drop client->server SYN' },
];

for (const c of CASES) {
  test(`quick fix for ${c.code}: \`${c.line}\` -> \`${c.fixed}\``, T, () => {
    const text = `${HEAD}${c.line}\n`;
    const line = 5;
    const before = parse(text).diagnostics.filter((d) => d.range.start.line === line && d.code === c.code);
    assert.equal(before.length, 1, JSON.stringify(parse(text).diagnostics));
    const fixes = quickFixes(text, lineRange(line)).filter((f) => f.fixes?.code === c.code);
    assert.ok(fixes.length >= 1, 'a fix is offered');
    assert.equal(fixes[0].preferred, true);
    const after = applyEdits(text, fixes[0].edits);
    assert.equal(after.split('\n')[line], c.fixed);
    assert.deepEqual(
      parse(after).diagnostics.filter((d) => d.severity === 'error'),
      [],
      'the fixed file parses without errors',
    );
  });
}

test('a missing time unit offers ms (preferred) and s', T, () => {
  const text = `${HEAD}250 client close\n`;
  const fixes = quickFixes(text, lineRange(5)).filter((f) => f.fixes?.code === 'missing-unit');
  assert.deepEqual(
    fixes.map((f) => [f.edits[0].newText, f.preferred]),
    [
      ['250ms', true],
      ['250s', false],
    ],
  );
});

test('no fix is offered that would not remove its diagnostic', T, () => {
  // A did-you-mean whose word, put in, still leaves the diagnostic there is dropped.
  const text = `${HEAD}100ms clint close\n`;
  const d = parse(text).diagnostics.find((x) => x.code === 'unknown-endpoint')!;
  const bogus = { ...d, message: 'unknown endpoint `clint`; did you mean `nobody`?' };
  assert.deepEqual(diagnosticFixes(text, [bogus]), []);
  assert.equal(diagnosticFixes(text, [d]).length, 1);
});

test('a state written in lower case or with dashes is offered in the language own spelling', T, () => {
  const text = `${HEAD}50ms expect client established\non client fin-wait-2 client close\n100ms client close\n`;
  const fixes = quickFixes(text, { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } }).filter((f) =>
    f.title.startsWith('Write'),
  );
  assert.deepEqual(
    fixes.map((f) => f.title),
    ['Write `established` as `ESTABLISHED`', 'Write `fin-wait-2` as `FIN_WAIT_2`'],
  );
  const after = applyEdits(
    text,
    fixes.flatMap((f) => f.edits),
  );
  assert.match(after, /50ms expect client ESTABLISHED\non client FIN_WAIT_2 client close/);
  // The same meaning: the runs are equal.
  const runs = (s: string) =>
    analyze(s).runs.map((r) => ({
      ...r,
      expectations: r.expectations.map((x) => ({ ...x, text: x.text.toUpperCase() })),
    }));
  assert.deepEqual(runs(after), runs(text));
});

test('"Add an expect for what happened here" adds a line that holds: the state after the call', T, () => {
  const text = `${HEAD}100ms client close\n`;
  const [fix] = quickFixes(text, lineRange(5)).filter((f) => f.title.startsWith('Add an expect'));
  assert.ok(fix);
  assert.equal(fix.title, 'Add an expect for what happened here: expect client FIN_WAIT_1');
  const after = applyEdits(text, fix.edits);
  assert.equal(after.split('\n')[6], '100ms expect client FIN_WAIT_1');
  const a = analyze(after);
  assert.equal(a.hasErrors, false);
  assert.deepEqual(
    a.runs[0].expectations.map((x) => [x.line, x.ok]),
    [[7, true]],
  );
});

test('"Add an expect" after a failing call expects its error; variants that differ get one line each', T, () => {
  const text = `${HEAD}100ms client close\n200ms client send 10\n`;
  const [fix] = quickFixes(text, lineRange(6)).filter((f) => f.title.startsWith('Add an expect'));
  const after = applyEdits(text, fix.edits);
  assert.equal(after.split('\n')[7], '200ms expect client error ENOTCONN');
  assert.ok(analyze(after).runs[0].expectations.every((x) => x.ok));

  const v = `set latency = 10ms\nendpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\nvariant "slow" latency = 100ms\n0ms server listen\n0ms client connect server\n50ms client send 10\n`;
  const [vf] = quickFixes(v, lineRange(6)).filter((f) => f.title.startsWith('Add an expect'));
  const va = analyze(applyEdits(v, vf.edits));
  assert.match(
    applyEdits(v, vf.edits),
    /50ms expect client ESTABLISHED in "default"\n50ms expect client SYN_SENT in "slow"/,
  );
  for (const r of va.runs) assert.ok(r.expectations.length === 1 && r.expectations.every((x) => x.ok), r.variant);
});

test('no expect is offered on lines that are no timed call, or when the file does not run', T, () => {
  const text = `${HEAD}100ms client close\n`;
  for (const line of [0, 1])
    assert.equal(quickFixes(text, lineRange(line)).filter((f) => f.title.startsWith('Add')).length, 0);
  const broken = `${HEAD}100ms client clos\n`;
  assert.equal(quickFixes(broken, lineRange(3)).filter((f) => f.title.startsWith('Add')).length, 0);
});

test('stateAfter follows the latest connection, not the listener', T, () => {
  const a = analyze(`${HEAD}100ms client close\n`);
  const t = a.runs[0];
  assert.equal(stateAfter(t, 'server', 0), 'LISTEN');
  assert.equal(stateAfter(t, 'server', 30), 'ESTABLISHED');
  assert.equal(stateAfter(t, 'client', -1), 'CLOSED');
});
