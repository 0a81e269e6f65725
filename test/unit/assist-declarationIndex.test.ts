// The declaration index that completion and hover use on every keystroke: after any sequence
// of edits it finds exactly what collectDeclarations finds in the edited text, reading only the
// lines the edits wrote.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DeclarationIndex } from '../../src/core/assist/declarationIndex';
import { collectDeclarations } from '../../src/core/assist/declarations';
import { splitLines } from '../../src/core/lexer';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

const LINES = [
  'endpoint client 10.0.0.1:5000',
  'endpoint server 10.0.0.2:80 isn=7',
  'variant "no TIME_WAIT" time_wait = 0',
  '0 server listen',
  '10ms client connect server',
  '# endpoint in a comment',
  'expect client ESTABLISHED',
  '',
  'endpoint',
  'variant "open',
];

/** An edit as VS Code sends it: a range of the current text replaced by new text. */
interface Edit {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  text: string;
}

function applyEdit(lines: string[], e: Edit): string[] {
  const before = lines.slice(0, e.startLine);
  const after = lines.slice(e.endLine + 1);
  const head = lines[e.startLine]!.slice(0, e.startChar);
  const tail = lines[e.endLine]!.slice(e.endChar);
  return [...before, ...(head + e.text + tail).split('\n'), ...after];
}

const editArb = (lines: string[]): fc.Arbitrary<Edit> =>
  fc
    .tuple(
      fc.nat(lines.length - 1),
      fc.nat(lines.length - 1),
      fc.nat(40),
      fc.nat(40),
      fc.array(fc.constantFrom(...LINES, 'x', ' ', 'endpoint ', 'variant "', '\n'), { maxLength: 4 }),
    )
    .map(([a, b, c1, c2, parts]) => {
      const [startLine, endLine] = a <= b ? [a, b] : [b, a];
      const startChar = Math.min(c1, lines[startLine]!.length);
      const endChar =
        startLine === endLine
          ? Math.max(startChar, Math.min(c2, lines[endLine]!.length))
          : Math.min(c2, lines[endLine]!.length);
      return { startLine, startChar, endLine, endChar, text: parts.join('') };
    });

test('property: after any edits (queried or not in between) the index equals collectDeclarations of the text', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 12 }),
      fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 12 }),
      fc.integer(),
      (start, steps, seed) => {
        let lines = start;
        const index = new DeclarationIndex(lines);
        let rnd = seed;
        for (const [pick, query] of steps) {
          const edit = fc.sample(editArb(lines), { numRuns: 1, seed: rnd + pick })[0]!;
          rnd++;
          lines = applyEdit(lines, edit);
          index.apply({
            startLine: edit.startLine,
            endLine: edit.endLine,
            insertedLineBreaks: edit.text.split('\n').length - 1,
          });
          if (query)
            assert.deepEqual(
              index.declarations((l) => lines[l]),
              collectDeclarations(lines.join('\n')),
            );
        }
        assert.deepEqual(
          index.declarations((l) => lines[l]),
          collectDeclarations(lines.join('\n')),
        );
      },
    ),
    { numRuns: RUNS },
  );
});

test('typing on a line of a large document reads only that line again', () => {
  const text = [
    'endpoint client 10.0.0.1:5000',
    'endpoint server 10.0.0.2:80',
    ...Array.from({ length: 20_000 }, (_, i) => `${i}ms expect client ESTABLISHED`),
  ].join('\n');
  let lines = splitLines(text);
  const index = new DeclarationIndex(lines);
  const reads: number[] = [];
  const at = (l: number) => {
    reads.push(l);
    return lines[l];
  };
  assert.deepEqual(
    index.declarations(at).endpoints.map((e) => e.name),
    ['client', 'server'],
  );
  assert.equal(reads.length, 0);
  for (let i = 0; i < 5; i++) {
    lines = applyEdit(lines, { startLine: 10_000, startChar: 0, endLine: 10_000, endChar: 0, text: 'x' });
    index.apply({ startLine: 10_000, endLine: 10_000, insertedLineBreaks: 0 });
    index.declarations(at);
  }
  assert.deepEqual(reads, [10_000, 10_000, 10_000, 10_000, 10_000]);
  // A new endpoint typed below shifts nothing above it and is found.
  lines = applyEdit(lines, { startLine: 5, startChar: 0, endLine: 5, endChar: 0, text: 'endpoint third 10.0.0.3:1\n' });
  index.apply({ startLine: 5, endLine: 5, insertedLineBreaks: 1 });
  assert.deepEqual(
    index.declarations(at).endpoints.map((e) => [e.name, e.line]),
    [
      ['client', 0],
      ['server', 1],
      ['third', 5],
    ],
  );
});
