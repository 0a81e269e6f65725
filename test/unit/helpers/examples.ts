// Where the tests find example scenarios. The repository stands alone: its own `examples/`
// holds every example, the team's three "shared" ones included (copied there unchanged). A
// `../shared/examples` folder beside the repository, when someone has it, is only an extra
// source of files; no test needs it.

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** The project's own examples. */
export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');
/** The three examples every version of the project must keep passing; all are in examples/. */
export const SHARED_EXAMPLE_NAMES = [
  'handshake-and-close.tcpscn',
  'time-wait-lost-final-ack.tcpscn',
  'time-wait-old-duplicate.tcpscn',
] as const;

/** `../shared/examples` when it exists beside the repository (an extra source), else undefined. */
export const EXTRA_EXAMPLES_DIR: string | undefined = ((dir) => (existsSync(dir) ? dir : undefined))(
  resolve(REPO_ROOT, '..', 'shared', 'examples'),
);

/** The path of one of the project's examples. */
export function examplePath(name: string): string {
  return join(EXAMPLES_DIR, name);
}

/** The `.tcpscn` files of a folder, sorted by name (an absent folder has none). */
export function scenarioNames(dir: string | undefined): string[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tcpscn'))
    .sort();
}
