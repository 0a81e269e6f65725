// Timing of the extension's work on the extension host, for the VS Code bench only: when the
// host runs with TCPSCN_PROFILE set, each provider call and handler is timed with
// performance.now() and kept in a list that code in the same host (bench/hostTypingSuite.ts)
// reads through a global. Off (the normal case), `profiled` returns the function unchanged, so
// users pay nothing.

import { performance } from 'node:perf_hooks';

export interface ProfileEntry {
  /** What ran: `completion`, `symbols`, `diagnostics`, ... */
  name: string;
  /** performance.timeOrigin + performance.now() at its start (a wall-clock time in ms). */
  at: number;
  ms: number;
}

/** The global the bench reads: `globalThis[Symbol.for('tcpscn.profile')]`. */
export const PROFILE_KEY = Symbol.for('tcpscn.profile');

type ProfileGlobal = { [PROFILE_KEY]?: ProfileEntry[] };

function sink(): ProfileEntry[] | undefined {
  if (!process.env.TCPSCN_PROFILE) return undefined;
  const g = globalThis as ProfileGlobal;
  g[PROFILE_KEY] ??= [];
  return g[PROFILE_KEY];
}

/** `fn`, timed into the profile when profiling is on; `fn` itself otherwise. */
export function profiled<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
  const entries = sink();
  if (!entries) return fn;
  return (...args: A): R => {
    const t = performance.now();
    try {
      return fn(...args);
    } finally {
      const ms = performance.now() - t;
      entries.push({ name, at: performance.timeOrigin + t, ms });
      if (entries.length > 100_000) entries.splice(0, 50_000);
    }
  };
}
