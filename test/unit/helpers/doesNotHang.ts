// The one timing bound a unit test may have: "it does not hang". Speed targets live in the
// benchmark (`npm run bench`, bench/growth.ts and bench/hotspots.ts), never in unit tests: a CI
// run that fails because the machine is loaded does not land. This bound is 30 s of wall-clock
// time, at least 30 times what any input given to it takes here (the slowest, a 1 MB file or a
// run stopped at 100 000 segments, takes well under a second), so only a hang or a blow-up
// (quadratic on a 100 000-character line, say) trips it.

import assert from 'node:assert/strict';

export const DOES_NOT_HANG_MS = 30_000;

/** Runs `work` and fails if it took longer than DOES_NOT_HANG_MS; returns its result. */
export function doesNotHang<T>(what: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  const took = performance.now() - started;
  assert.ok(
    took < DOES_NOT_HANG_MS,
    `${what} hangs: ${took.toFixed(0)} ms (bound ${DOES_NOT_HANG_MS} ms; speed targets are in npm run bench)`,
  );
  return result;
}
