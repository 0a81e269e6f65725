// Closing a preview must never touch its disposed panel: VS Code throws "Webview is disposed"
// from every property of a disposed panel, and the manager used to read `panel.active` while it
// cleaned up after the close (two uncaught errors in the extension host per closed preview).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/index';
import { fakeUri, installFakeVscode, makeFakeVscode, type FakeUri } from './preview.fakeVscode';

const fake = makeFakeVscode();
installFakeVscode(fake);
const { PreviewManager } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fake vscode must be installed before this module loads
  require('../../src/extension/preview/previewManager') as typeof import('../../src/extension/preview/previewManager');

const SCENARIO = `title "dispose"
endpoint client 10.0.0.1:5000
endpoint server 10.0.0.2:80
0 server listen
0 client connect server
`;

function memento() {
  const data = new Map<string, unknown>();
  return {
    get: (k: string) => data.get(k),
    update: async (k: string, v: unknown) => void data.set(k, v),
    keys: () => [...data.keys()],
  };
}

function makeManager() {
  const analyses = {
    get: (doc: { getText(): string }) => analyze(doc.getText()),
    // The cache announces background analyses of large documents; these tests have none.
    onDidAnalyze: () => ({ dispose: () => {} }),
  };
  // The fakes stand in for the vscode types the manager takes.
  return new PreviewManager(fakeUri('/ext') as never, analyses as never, memento() as never);
}

const tick = () => new Promise((r) => setTimeout(r, 20));

for (const locked of [false, true]) {
  test(`closing a ${locked ? 'locked' : 'dynamic'} preview's tab touches nothing of the disposed panel`, async () => {
    const uri: FakeUri = fakeUri(`/ws/close-${locked}.tcpscn`);
    fake.documents.set(uri.toString(), SCENARIO);
    fake.errors.length = 0;
    const manager = makeManager();
    const preview = manager.open(uri as never, { toSide: true, locked });
    await tick();
    const panel = fake.panels.at(-1)!;
    assert.ok(
      panel.posted.some((m) => (m as { type: string }).type === 'update'),
      'the preview posted its first update',
    );
    assert.equal(fake.contexts.get('tcpscnPreviewFocus'), true);

    panel.closeTab();
    await tick();
    assert.deepEqual(fake.errors.map(String), [], 'no error was thrown while the preview closed');
    assert.deepEqual(panel.touchedAfterDispose, []);
    assert.equal(panel.disposeCalls, 1, 'the panel VS Code disposed is not disposed again');
    assert.equal(preview.isDisposed, true);
    assert.equal(manager.all().length, 0, 'the manager forgets the closed preview');
    assert.equal(manager.activePreview(), undefined);
    assert.equal(fake.contexts.get('tcpscnPreviewFocus'), false, 'the title buttons hide');
    assert.equal(manager.testState().previews.length, 0);

    // Everything a late event or command could still do to the closed preview is a no-op.
    preview.setLocked(!locked);
    preview.setResource(fakeUri('/ws/other.tcpscn') as never);
    preview.reveal(undefined, true);
    await preview.update();
    const svg = await preview.requestSvg();
    assert.equal(svg.svg, null);
    assert.match(svg.error, /closed/);
    assert.equal(preview.isActive, false);
    assert.equal(preview.isVisible, false);
    manager.onViewStateChanged(preview);
    manager.lock(preview);
    manager.unlock(preview);
    preview.dispose();
    await tick();
    assert.deepEqual(panel.touchedAfterDispose, []);
    assert.deepEqual(fake.errors.map(String), []);
    assert.equal(manager.all().length, 0);
    manager.dispose();
  });
}

test('closing a preview from the extension (dispose) disposes its panel once and leaves the others alone', async () => {
  fake.errors.length = 0;
  const a = fakeUri('/ws/a.tcpscn');
  const b = fakeUri('/ws/b.tcpscn');
  fake.documents.set(a.toString(), SCENARIO);
  fake.documents.set(b.toString(), SCENARIO);
  const manager = makeManager();
  const pa = manager.open(a as never, { toSide: true, locked: true });
  const pb = manager.open(b as never, { toSide: true, locked: true });
  await tick();
  const panelA = fake.panels.at(-2)!;
  pa.dispose();
  await tick();
  assert.equal(panelA.disposeCalls, 1);
  assert.equal(panelA.disposed, true);
  assert.deepEqual(panelA.touchedAfterDispose, []);
  assert.deepEqual(manager.all(), [pb]);
  assert.deepEqual(fake.errors.map(String), []);
  manager.dispose();
  assert.deepEqual(fake.errors.map(String), []);
});
