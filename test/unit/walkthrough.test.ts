// The way in for a first-time user: the walkthrough (package.json contributes.walkthroughs) and
// the examples a new, empty `.tcpscn` file offers. Every step's page exists and ships in the
// .vsix, every command a step links to is contributed, and every example offered is one of the
// project's own, ships in the .vsix, and runs without errors and with its expectations met.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/index';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string }>;
    walkthroughs: Array<{
      id: string;
      steps: Array<{ id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }>;
    }>;
  };
};
const vscodeignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');

// examples.ts imports vscode; its list is read from the source text, which the test keeps honest
// by checking it against what the walkthrough and the .vsix promise.
const examplesSource = readFileSync(join(ROOT, 'src', 'extension', 'language', 'examples.ts'), 'utf8');
const offered = [...examplesSource.matchAll(/file: '([^']+\.tcpscn)'/g)].map((m) => m[1]);

describe('walkthrough and starter examples', () => {
  it('has a walkthrough whose steps each have a page that ships, and link only to contributed commands', () => {
    const [walkthrough] = pkg.contributes.walkthroughs;
    assert.ok(walkthrough && walkthrough.steps.length >= 3);
    const commands = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const step of walkthrough.steps) {
      const md = step.media.markdown;
      assert.ok(md && existsSync(join(ROOT, md)), `${step.id}: ${md} exists`);
      assert.ok(vscodeignore.includes('!media/walkthrough/*.md'), 'the pages ship in the .vsix');
      const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(linked.length > 0, `${step.id} links to a command`);
      for (const c of linked) assert.ok(commands.has(c), `${step.id}: ${c} is a contributed command`);
      for (const e of step.completionEvents ?? [])
        if (e.startsWith('onCommand:')) assert.ok(commands.has(e.slice('onCommand:'.length)), e);
    }
  });

  it('offers the handshake, a lost SYN, a lost final ACK and an old duplicate, each shipped and passing', () => {
    assert.deepEqual(offered, [
      'handshake-and-close.tcpscn',
      'lost-syn.tcpscn',
      'time-wait-lost-final-ack.tcpscn',
      'time-wait-old-duplicate.tcpscn',
    ]);
    for (const file of offered) {
      assert.ok(vscodeignore.includes(`!examples/${file}`), `${file} ships in the .vsix`);
      const analysis = analyze(readFileSync(join(ROOT, 'examples', file), 'utf8'));
      assert.equal(analysis.hasErrors, false, `${file} runs`);
      const failed = analysis.runs.flatMap((r) => r.expectations).filter((x) => !x.ok);
      assert.deepEqual(failed, [], `${file}: every expectation holds`);
    }
  });

  it('activates on the commands the walkthrough and the empty file run', () => {
    for (const c of ['tcpscn.newScenario', 'tcpscn.startFromExample'])
      assert.ok(pkg.activationEvents.includes(`onCommand:${c}`), c);
  });
});
