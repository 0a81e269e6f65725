// Every message between the preview and its webview says which document it is about, and the
// extension drops what is not about the document the panel shows. A dynamic preview switches
// documents while messages are on their way: the webview's late answers about the old document
// must not act on the new one.
import { after, before, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/index';
import type { ToExtension, ToWebview } from '../../src/protocol';
import { fakeUri, installFakeVscode, makeFakeVscode, type FakePanel } from './preview.fakeVscode';

const fake = makeFakeVscode();
installFakeVscode(fake);
const { PreviewManager } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fake vscode must be installed before this module loads
  require('../../src/extension/preview/previewManager') as typeof import('../../src/extension/preview/previewManager');
const { DRAW_TIMEOUT_MS } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded beside the manager, after the fake
  require('../../src/extension/preview/schedule') as typeof import('../../src/extension/preview/schedule');

const SCENARIO = `title "identity"
endpoint client 10.0.0.1:5000
endpoint server 10.0.0.2:80
0 server listen
0 client connect server
1s client close
`;

const A = fakeUri('/ws/a.tcpscn');
const B = fakeUri('/ws/b.tcpscn');
fake.documents.set(A.toString(), SCENARIO);
fake.documents.set(B.toString(), SCENARIO);

// The scheduler's timers (the pause after an edit, the draw timeout) run only when the test moves
// the clock, so a slow machine cannot let the draw timeout free an update the test holds.
// (@types/node 20.9 still types enable() with the array the runtime no longer takes.)
before(() => mock.timers.enable({ apis: ['setTimeout'] } as never));
after(() => mock.timers.reset());

/** Lets the preview's promises (opening a document, posting) settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function makeManager() {
  const analyses = {
    get: (doc: { getText(): string }) => analyze(doc.getText()),
    onDidAnalyze: () => ({ dispose: () => {} }),
  };
  const data = new Map<string, unknown>();
  const memento = { get: (k: string) => data.get(k), update: async (k: string, v: unknown) => void data.set(k, v) };
  return new PreviewManager(fakeUri('/ext') as never, analyses as never, memento as never);
}

const updatesOf = (panel: FakePanel, uri: string) =>
  panel.posted.filter((m): m is Extract<ToWebview, { type: 'update' }> => {
    const u = m as ToWebview;
    return u.type === 'update' && u.uri === uri;
  });

function fromWebview(panel: FakePanel, m: ToExtension): void {
  panel.onDidReceiveMessageEmitter.fire(m);
}

/** A dynamic preview of A whose first update the webview has drawn, then pointed at B. */
async function previewSwitchedFromAToB() {
  fake.errors.length = 0;
  const manager = makeManager();
  const preview = manager.open(A as never, { toSide: true, locked: false });
  await settle();
  const panel = fake.panels.at(-1)!;
  assert.equal(updatesOf(panel, A.toString()).length, 1, 'the update of A was posted');
  fromWebview(panel, { type: 'drawn', uri: A.toString(), version: 1 });
  preview.setResource(B as never);
  await settle();
  assert.equal(updatesOf(panel, B.toString()).length, 1, 'the update of B was posted');
  return { manager, preview, panel };
}

test("a late 'drawn' from the old document does not free the new document's update", async () => {
  const { manager, panel } = await previewSwitchedFromAToB();
  // B's update is in flight: an edit waits for the webview to draw it.
  fromWebview(panel, { type: 'drawn', uri: A.toString(), version: 1 }); // the webview, late, about A
  fake.editDocument(B);
  mock.timers.tick(DRAW_TIMEOUT_MS / 2);
  await settle();
  assert.equal(updatesOf(panel, B.toString()).length, 1, "A's answer did not let B's next update go");

  fromWebview(panel, { type: 'drawn', uri: B.toString(), version: 1 });
  mock.timers.tick(DRAW_TIMEOUT_MS / 2);
  await settle();
  assert.equal(updatesOf(panel, B.toString()).length, 2, "B's own answer lets the waiting edit go");
  assert.deepEqual(fake.errors, []);
  manager.dispose();
});

test("a click on the old document's diagram after the switch does not move the new document's editor", async () => {
  const { manager, preview, panel } = await previewSwitchedFromAToB();
  fake.shownEditors.length = 0;
  fromWebview(panel, { type: 'reveal', uri: A.toString(), line: 4, column: 0 });
  fromWebview(panel, { type: 'requestWindow', uri: A.toString(), variant: 'default', fromSegment: 1, toSegment: 2 });
  await settle();
  assert.deepEqual(fake.shownEditors, [], 'no editor was shown for a click about A');
  assert.equal(
    panel.posted.filter((m) => (m as ToWebview).type === 'window').length,
    0,
    'no window was drawn for a request about A',
  );

  // The same click about B, the document shown, goes to B's line.
  fromWebview(panel, { type: 'reveal', uri: B.toString(), line: 4, column: 0 });
  await settle();
  assert.deepEqual(fake.shownEditors, [{ uri: B.toString(), line: 4 }]);

  // A click about A that arrives just before the switch, whose document opens after it, is dropped too.
  fake.shownEditors.length = 0;
  preview.setResource(A as never);
  await settle();
  fromWebview(panel, { type: 'reveal', uri: A.toString(), line: 5, column: 0 });
  preview.setResource(B as never);
  await settle();
  assert.deepEqual(fake.shownEditors, [], 'the reveal of A, still opening when the panel moved to B, is dropped');
  assert.deepEqual(fake.errors, []);
  manager.dispose();
});

test("an exported SVG of the old document is not taken for the new one's", async () => {
  const { manager, preview, panel } = await previewSwitchedFromAToB();
  const answer = preview.requestSvg();
  const request = panel.posted.filter((m) => (m as ToWebview).type === 'exportSvg').at(-1) as { requestId: number };
  fromWebview(panel, {
    type: 'svg',
    uri: A.toString(),
    requestId: request.requestId,
    svg: '<svg/>',
    view: 'sequence',
    variant: 'default',
    error: '',
  });
  const got = await answer;
  assert.equal(got.svg, null);
  assert.match(got.error, /another document/);
  assert.equal(got.uri, B.toString());
  manager.dispose();
});

test('every message the preview posts about a document carries its URI', async () => {
  const { manager, panel } = await previewSwitchedFromAToB();
  for (const m of panel.posted as ToWebview[]) {
    if (m.type === 'locked' || m.type === 'exportSvg') continue;
    assert.ok(m.uri === A.toString() || m.uri === B.toString(), JSON.stringify(m).slice(0, 80));
  }
  manager.dispose();
});
