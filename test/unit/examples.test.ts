// Every example the project ships (examples/) and the three shared ones (../shared/examples,
// when present) must be a valid scenario whose every expectation holds in every variant:
// they are the teaching material, and each `expect` pins what its example claims about TCP.
// Each example must also say what it teaches (a leading comment) and pin it (an `expect`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../src/core/index';
import { SHARED_EXAMPLE_NAMES } from './helpers/examples';

// The test file lives in test/unit/, so the repository root is two levels up.
const repoRoot = resolve(__dirname, '..', '..');
const exampleDirs = [join(repoRoot, 'examples'), resolve(repoRoot, '..', 'shared', 'examples')];

function scenarioFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tcpscn'))
    .sort()
    .map((name) => join(dir, name));
}

const projectExamples = scenarioFiles(exampleDirs[0]!);

test('the project ships at least fifteen examples, the shared three among them', () => {
  assert.ok(projectExamples.length >= 15, `only ${projectExamples.length} examples in examples/`);
  const names = new Set(projectExamples.map((f) => f.slice(f.lastIndexOf('/') + 1)));
  for (const shared of SHARED_EXAMPLE_NAMES) {
    assert.ok(names.has(shared), `examples/ lacks the shared example ${shared}`);
  }
});

// A control: the checks above would be worthless if a wrong expectation could pass. Turning
// one claim of an example into its opposite must make exactly that expectation fail.
test('a wrong expectation in an example is reported as failed', () => {
  const file = join(exampleDirs[0]!, 'lost-syn.tcpscn');
  const text = readFileSync(file, 'utf8');
  const right = '500ms  expect client SYN_SENT';
  assert.ok(text.includes(right), 'lost-syn.tcpscn changed: update this control');
  const wrong = text.replace(right, '500ms  expect client ESTABLISHED');
  const analysis = analyze(wrong);
  assert.equal(analysis.hasErrors, false);
  const line = wrong.split('\n').findIndex((l) => l.startsWith('500ms  expect client ESTABLISHED')) + 1;
  const failed = analysis.runs.flatMap((run) => run.expectations.filter((x) => !x.ok));
  assert.deepEqual(
    failed.map((x) => x.line),
    [line],
  );
  assert.ok(analysis.diagnostics.some((d) => d.code === 'expectation-failed' && d.range.start.line === line - 1));
});

for (const dir of exampleDirs) {
  for (const file of scenarioFiles(dir)) {
    const label = file.slice(resolve(repoRoot, '..').length + 1);
    test(`example ${label}`, () => {
      const text = readFileSync(file, 'utf8');

      // A leading comment says what the example teaches: the first non-blank line is a comment.
      const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '');
      assert.ok(firstLine?.trimStart().startsWith('#'), 'the example must open with a comment saying what it teaches');

      const analysis = analyze(text);
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'expectation-failed');
      assert.deepEqual(
        errors.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}: ${d.message}`),
        [],
        'the example must have no errors',
      );
      assert.equal(analysis.hasErrors, false);

      assert.ok(
        analysis.scenario.title && analysis.scenario.title.value.trim() !== '',
        'the example must have a title',
      );

      const expects = analysis.scenario.events.filter((e) => e.kind === 'expect');
      assert.ok(expects.length > 0, 'the example must pin what it shows with at least one expect');

      // One run per variant, the default first.
      assert.equal(analysis.runs.length, analysis.scenario.variants.length + 1);
      assert.equal(analysis.runs[0]?.variant, 'default');

      const failed: string[] = [];
      for (const run of analysis.runs) {
        assert.equal(run.truncated, null, `variant "${run.variant}" stopped early: ${run.truncated}`);
        for (const x of run.expectations) {
          if (!x.ok) failed.push(`line ${x.line} [${run.variant}] ${x.text}: ${x.message}`);
        }
      }
      // Every expect line is checked in every variant it applies to (none silently skipped).
      for (const e of expects) {
        const line = e.range.start.line + 1;
        const runsChecking = analysis.runs.filter((run) => run.expectations.some((x) => x.line === line));
        const wanted = e.variant ? 1 : analysis.runs.length;
        assert.equal(
          runsChecking.length,
          wanted,
          `expect on line ${line} was checked in ${runsChecking.length} variant(s), not ${wanted}`,
        );
      }
      assert.deepEqual(failed, [], 'every expectation of every variant must hold');

      // The facade reports failed expectations as diagnostics too; none may be left.
      assert.deepEqual(
        analysis.diagnostics.filter((d) => d.code === 'expectation-failed').map((d) => d.message),
        [],
      );
    });
  }
}
