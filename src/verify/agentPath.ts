// Where the namespace agent is: next to the running bundle (dist/netns_agent.py, copied there by
// esbuild.mjs), or in the sources when running from them (tests, tsx).

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function findAgent(dir: string = __dirname): string {
  const candidates = [
    join(dir, 'netns_agent.py'),
    join(dir, 'helper', 'netns_agent.py'),
    join(dir, '..', 'src', 'verify', 'helper', 'netns_agent.py'),
    join(dir, '..', 'verify', 'helper', 'netns_agent.py'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}
