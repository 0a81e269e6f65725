// The little of the outside world the command line needs, as an interface, so that the
// commands are pure functions of (arguments, files) -> (stdout, stderr, exit status) and the
// tests can run them on an in-memory file system.

import type { Analysis } from '../core/index';

export type PathKind = 'file' | 'dir' | 'missing';

export interface CliFs {
  /** UTF-8 text of a file; throws (with a message) when it cannot be read. */
  readFile(path: string): string;
  /** Writes UTF-8 text; throws when it cannot. */
  writeFile(path: string, text: string): void;
  kind(path: string): PathKind;
  /** Entries of a directory (names only, not paths). */
  list(dir: string): Array<{ name: string; kind: PathKind }>;
}

export interface CliDeps {
  fs: CliFs;
  /** The core's analyze(); injected so the commands can be tested with hand-made analyses. */
  analyze(text: string): Analysis;
  version: string;
}

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Exit statuses (spec, "The command line tool"). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A wrong invocation: one line on standard error, status 2. */
export class UsageError extends Error {}
