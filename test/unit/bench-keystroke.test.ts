// The VS Code keystroke bench (bench/vscode.ts) measures only if its key changes what the
// preview draws: for the two files it types into, the edit lands on a call, not an expect, and
// both the Sequence tab's text and the Ladder's data change (bench/keystrokeEdit.ts).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { drawnChanges, lastCallTime, typedAt } from '../../bench/keystrokeEdit';
import { transfer } from '../../bench/scenarios';
import { examplePath } from './helpers/examples';

test('the bench key lands after the time of the last call, never an expect', { timeout: 60_000 }, () => {
  const text = ['0ms a connect b', '300ms  a close', '400ms  expect a TIME_WAIT', '450ms expect a CLOSED', ''].join(
    '\n',
  );
  assert.deepEqual(lastCallTime(text), { line: 2, column: 4 });
  assert.equal(typedAt(text, lastCallTime(text), '0').split('\n')[1], '3000ms  a close');
  assert.throws(() => lastCallTime('400ms  expect a CLOSED\n'), /no call/);
});

for (const [name, text] of [
  ['handshake-and-close.tcpscn', readFileSync(examplePath('handshake-and-close.tcpscn'), 'utf8')],
  ['transfer(500)', transfer(500)],
] as const) {
  test(`the bench key redraws both tabs of ${name}`, { timeout: 60_000 }, () => {
    const edited = typedAt(text, lastCallTime(text), '0');
    assert.notEqual(edited, text);
    assert.deepEqual(drawnChanges(text, edited), { sequence: true, ladder: true });
  });
}
