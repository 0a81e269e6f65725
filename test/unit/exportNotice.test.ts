// An export says where the file went, with an "Open" button (issue 11).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announceExport, exportMessage, OPEN, REVEAL, type NoticeUi } from '../../src/extension/preview/exportNotice';

const T = { timeout: 10_000 };

function fakeUi(press: string | undefined) {
  const shown: Array<{ message: string; items: string[] }> = [];
  const commands: Array<[string, unknown[]]> = [];
  const ui: NoticeUi<{ path: string }> = {
    showInformationMessage: async (message, ...items) => {
      shown.push({ message, items });
      return press;
    },
    executeCommand: async (command, ...args) => {
      commands.push([command, args]);
    },
    displayPath: (f) => f.path,
  };
  return { ui, shown, commands };
}

test('the notice names the file and offers Open and Reveal in Explorer', T, async () => {
  const f = fakeUi(undefined);
  const file = { path: 'examples/lost-syn.sequence.svg' };
  assert.equal(await announceExport(f.ui, file, 'sequence diagram (SVG)'), undefined);
  assert.deepEqual(f.shown, [
    {
      message: 'Exported the sequence diagram (SVG) to examples/lost-syn.sequence.svg.',
      items: [OPEN, REVEAL],
    },
  ]);
  assert.equal(OPEN, 'Open');
  assert.deepEqual(f.commands, [], 'dismissing it does nothing');
});

test('"Open" opens the exported file; "Reveal in Explorer" selects it in the Explorer', T, async () => {
  const file = { path: 'a.md' };
  const open = fakeUi(OPEN);
  assert.equal(await announceExport(open.ui, file, 'diagrams as Markdown'), OPEN);
  assert.deepEqual(open.commands, [['vscode.open', [file]]]);
  const reveal = fakeUi(REVEAL);
  await announceExport(reveal.ui, file, 'diagrams as Markdown');
  assert.deepEqual(reveal.commands, [['revealInExplorer', [file]]]);
});

test('the message reads as a sentence', T, () => {
  assert.equal(exportMessage('diagrams as Markdown', 'docs/a.md'), 'Exported the diagrams as Markdown to docs/a.md.');
});
