import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doesNotHang } from './helpers/doesNotHang';
import { clipQuotes, closest, didYouMean, editDistance } from '../../src/core/suggest';

describe('suggest', () => {
  it('editDistance is the optimal string alignment distance, with a cut-off', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('FIN_WAIT1', 'FIN_WAIT_1'), 1);
    assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
    assert.equal(editDistance('a'.repeat(200), 'b'.repeat(200)), 200);
    assert.equal(editDistance('connect', 'connect'), 0);
  });

  it('closest prefers a case or -/_ difference, then a small edit, then a prefix or abbreviation', () => {
    assert.equal(closest('Listen', ['listen', 'close']), 'listen');
    assert.equal(closest('time-wait', ['time_wait', 'msl']), 'time_wait');
    assert.equal(closest('conect', ['connect', 'close']), 'connect');
    assert.equal(closest('old-dup', ['old-duplicate', 'reset-close']), 'old-duplicate');
    assert.equal(closest('clk', ['fixed', 'clock']), 'clock');
    assert.equal(closest('zzz', ['listen', 'close']), undefined);
    assert.equal(closest('listen', ['listen']), undefined, 'never suggests the word itself');
    assert.equal(closest('x'.repeat(100), ['x']), undefined);
  });

  it('didYouMean phrases the suggestion, or says nothing', () => {
    assert.equal(didYouMean('Listen', ['listen']), '; did you mean `listen`?');
    assert.equal(
      didYouMean('v1', ['v2'], (c) => `"${c}"`),
      '; did you mean "v2"?',
    );
    assert.equal(didYouMean('qqqq', ['listen']), '');
  });

  it('clipQuotes shortens long quoted words only, and does not hang on long messages', () => {
    assert.equal(clipQuotes('unknown `abc`; did you mean `abd`?'), 'unknown `abc`; did you mean `abd`?');
    assert.equal(clipQuotes(`unknown \`${'a'.repeat(60)}\``, 10), `unknown \`${'a'.repeat(10)}…\``);
    assert.equal(clipQuotes('odd ` quote'), 'odd ` quote');
    // Speed: a target of the benchmark (bench/hotspots.ts). Here: long input is clipped, and no hang.
    const [one, many] = doesNotHang('clipQuotes on long messages', () => [
      clipQuotes('`' + 'a'.repeat(1_000_000)),
      clipQuotes('`a` '.repeat(100_000)),
    ]);
    assert.equal(one, '`' + 'a'.repeat(1_000_000), 'an unclosed quote is not a quoted word');
    assert.equal(many, '`a` '.repeat(100_000), 'short quoted words stay whole');
  });
});
