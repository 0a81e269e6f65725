// A locked preview must come back locked after any reload, even one that follows the lock so
// soon that VS Code has not saved the webview's own state: the extension's record decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingLocks, lockRecord, parseLockRecord } from '../../src/extension/preview/lockRecord';

const A = 'file:///w/a.tcpscn';
const B = 'file:///w/b.tcpscn';

test('locked a moment before the reload: the record says locked though the saved state does not', () => {
  const p = new PendingLocks([A]);
  assert.equal(p.take(A, false), true);
});

test('unlocked a moment before the reload: the record says unlocked though the saved state says locked', () => {
  const p = new PendingLocks([]);
  assert.equal(p.take(A, true), false);
});

test('without a record (first run of this version) the saved state decides', () => {
  for (const stored of [undefined, null, 'x', { a: 1 }]) {
    const p = new PendingLocks(stored);
    assert.equal(p.take(A, true), true);
    assert.equal(p.take(A, false), false);
  }
});

test('each recorded lock is used once: two locked previews of one document, and a dynamic one beside them', () => {
  const p = new PendingLocks([A, B, A]);
  assert.equal(p.take(A, false), true);
  assert.equal(p.take(A, false), true);
  assert.equal(p.take(A, false), false, 'the third panel of a.tcpscn was the dynamic preview');
  assert.deepEqual(p.remaining(), [B]);
});

test('the record keeps locks whose panels are not restored yet (background tabs are restored when shown)', () => {
  const p = new PendingLocks([A, B]);
  p.take(A, true);
  assert.deepEqual(lockRecord([A], p), [A, B]);
  assert.deepEqual(lockRecord([], p), [B]);
});

test('a stored record keeps only strings', () => {
  assert.deepEqual(parseLockRecord([A, 3, null, B]), [A, B]);
  assert.equal(parseLockRecord(undefined), undefined);
});
