// One way to show a duration (src/core/duration.ts): the style the language writes times in,
// so a time read off a diagram, a hover or the trace can be typed back into a file.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration } from '../../src/core/duration';
import { lexLine } from '../../src/core/lexer';

test('formatDuration: ms below a second, s from a second on, no space, to the microsecond', () => {
  const cases: Array<[number, string]> = [
    [0, '0ms'],
    [0.004, '0.004ms'],
    [0.0004, '0ms'],
    [20, '20ms'],
    [999.5, '999.5ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1000.4, '1.0004s'],
    [59_500, '59.5s'],
    [60_000, '60s'],
    [3_600_000, '3600s'],
    [-250, '-250ms'],
    [-0, '0ms'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NaN, 'NaN'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
});

test('formatDuration: what it prints lexes back to the same number of milliseconds', () => {
  for (const ms of [0, 0.001, 1, 12.345, 250, 999.999, 1000, 1234.567, 30_000, 86_400_000]) {
    const [token] = lexLine(formatDuration(ms), 0);
    assert.equal(token?.kind, 'duration', formatDuration(ms));
    assert.equal(token?.value, ms, formatDuration(ms));
  }
});
