// The preview and "Run TCP scenario" inside a real extension host: commands exist, the
// preview opens as a `tcpscn.preview` webview, follows edits, keeps its state when the text
// breaks, locks and unlocks, and the run command reports its counts.

import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const COMMANDS = [
  'tcpscn.openPreview',
  'tcpscn.openPreviewToSide',
  'tcpscn.lockPreview',
  'tcpscn.unlockPreview',
  'tcpscn.run',
  'tcpscn.exportSvg',
  'tcpscn.exportMarkdown',
  'tcpscn.copyMermaid',
  'tcpscn._test.previewState',
];

interface PreviewInfo {
  uri: string;
  locked: boolean;
  active: boolean;
  visible: boolean;
  dynamic: boolean;
  readyMessages: number;
  lastPosted: { type: string; [k: string]: unknown } | undefined;
  lastUpdate: UpdateInfo | undefined;
  lastReceived: { type: string; [k: string]: unknown } | undefined;
  renders: { type: 'rendered'; variant: string; view: string; ok: boolean; arrows: number; error: string }[];
}
interface UpdateInfo {
  type: 'update';
  source: { uri: string; version: number; locked: boolean };
  runnable: boolean;
  problems: { line: number; message: string }[];
  variants: unknown[];
}
interface TestState {
  previews: PreviewInfo[];
  lockRecord: unknown;
  lastRunReport: string;
  lastRunShowedOutput: boolean;
  /** The bundles extension.js loaded at first use (src/extension/lazy.ts). */
  lazyBundlesLoaded: string[];
}

const state = async (): Promise<TestState> =>
  (await vscode.commands.executeCommand('tcpscn._test.previewState')) as TestState;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('tcpscn.preview'));
}

async function example(name: string): Promise<vscode.Uri> {
  const [uri] = await vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 1);
  assert.ok(uri, `the test workspace has no ${name}`);
  return uri;
}

async function previewOf(uri: vscode.Uri): Promise<PreviewInfo> {
  return waitFor(`a preview of ${uri.toString()}`, async () =>
    (await state()).previews.find((p) => p.uri === uri.toString()),
  );
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor(
    'the previews to close',
    async () => previewTabs().length === 0 && (await state()).previews.length === 0,
  );
}

const SCENARIO = `title "itest"
endpoint client 10.0.0.1:5000
endpoint server 10.0.0.2:80
0ms server listen
10ms client connect server
500ms client close
on server CLOSE_WAIT server close
expect no hazards
`;

export const tests: Record<string, () => Promise<void>> = {
  async 'the preview commands are registered'() {
    // Activation: opening a .tcpscn document activates the extension.
    const doc = await vscode.workspace.openTextDocument(await example('handshake-and-close.tcpscn'));
    await vscode.window.showTextDocument(doc);
    const all = await waitFor('the commands', async () => {
      const c = await vscode.commands.getCommands(true);
      return COMMANDS.every((x) => c.includes(x)) && c;
    });
    for (const c of COMMANDS) assert.ok(all.includes(c), c);
  },

  async 'Open Preview to the Side opens a tcpscn.preview webview that draws the diagrams'() {
    await closeAll();
    const uri = await example('handshake-and-close.tcpscn');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('tcpscn.openPreviewToSide');
    await waitFor('a tcpscn.preview tab', () => previewTabs().length === 1);
    const tab = previewTabs()[0];
    assert.notEqual(tab.group.viewColumn, vscode.ViewColumn.One, 'the preview opens beside the editor');
    const p = await waitFor(
      'the webview to say ready and draw',
      async () => {
        const x = (await state()).previews.find((q) => q.uri === uri.toString());
        return x && x.readyMessages > 0 && x.renders.some((r) => r.view === 'sequence') && x;
      },
      45_000,
    );
    const seq = p.renders.find((r) => r.view === 'sequence');
    assert.ok(seq?.ok, `the sequence diagram rendered: ${seq?.error}`);
    assert.ok((seq?.arrows ?? 0) > 0, 'the diagram has arrows');
    assert.equal(p.dynamic, true);
    assert.equal(p.locked, false);
  },

  async 'closing the preview tab leaves no preview behind, and the next one opens and draws'() {
    // Closing used to read the disposed panel's state (Error: Webview is disposed, twice per
    // close); the unit test preview.dispose.test.ts checks that no call reaches the closed panel.
    await closeAll();
    const uri = await example('handshake-and-close.tcpscn');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    for (let round = 0; round < 2; round++) {
      await vscode.commands.executeCommand('tcpscn.openPreviewToSide');
      await waitFor('a tcpscn.preview tab', () => previewTabs().length === 1);
      await waitFor(
        'the preview to draw',
        async () => (await state()).previews.find((p) => p.uri === uri.toString() && p.renders.some((r) => r.ok)),
        45_000,
      );
      assert.ok(await vscode.window.tabGroups.close(previewTabs()[0]!), 'the preview tab closed');
      const after = await waitFor('the manager to forget the preview', async () => {
        const s = await state();
        return s.previews.length === 0 && s;
      });
      assert.deepEqual(after.previews, []);
      assert.ok(
        vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString()),
        'the editor stays open',
      );
      // A lock command with no preview left is a no-op, not an error.
      await vscode.commands.executeCommand('tcpscn.lockPreview');
      await vscode.commands.executeCommand('tcpscn.unlockPreview');
      assert.equal((await state()).previews.length, 0);
    }
  },

  async 'the preview follows edits, and keeps its diagrams while the text has errors'() {
    await closeAll();
    const doc = await vscode.workspace.openTextDocument({ language: 'tcpscn', content: SCENARIO });
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('tcpscn.openPreviewToSide', doc.uri);
    await previewOf(doc.uri);
    await waitFor('the first update', async () => (await lastUpdate(doc.uri))?.runnable === true);

    // An edit reaches the preview without a save (how fast is the benchmark's business:
    // bench/vscode.ts measures keystroke to updated diagram).
    await editor.edit((b) => b.insert(new vscode.Position(7, 0), '600ms expect client TIME_WAIT\n'));
    await waitFor(
      'an update of the new version',
      async () => (await lastUpdate(doc.uri))?.source.version === doc.version,
    );

    // Break the text: the update says so, sends the errors and no variants (the webview keeps the last good diagram).
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), 'endpoint\n'));
    const bad = await waitFor('an update with errors', async () => {
      const u = await lastUpdate(doc.uri);
      return u?.source.version === doc.version && u;
    });
    assert.equal(bad.runnable, false);
    assert.ok(bad.problems.length > 0);
    assert.deepEqual(bad.variants, []);
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  },

  async 'moving the cursor tells the preview which line to highlight'() {
    await closeAll();
    const uri = await example('handshake-and-close.tcpscn');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('tcpscn.openPreviewToSide');
    await previewOf(uri);
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => /client connect server/.test(l));
    assert.ok(line >= 0);
    editor.selection = new vscode.Selection(line, 3, line, 3);
    await waitFor('a cursor message', async () => {
      const p = (await state()).previews.find((q) => q.uri === uri.toString());
      return p?.lastPosted?.type === 'cursor' && p.lastPosted.line === line + 1;
    });
  },

  async 'lock and unlock toggle the preview'() {
    await closeAll();
    const uri = await example('handshake-and-close.tcpscn');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('tcpscn.openPreviewToSide');
    await previewOf(uri);
    await vscode.commands.executeCommand('tcpscn.lockPreview');
    let p = await previewOf(uri);
    assert.equal(p.locked, true);
    assert.equal(p.dynamic, false);
    const posted = p.lastPosted;
    assert.ok(posted?.type === 'locked' || posted?.type === 'update' || posted?.type === 'cursor');

    // A locked preview stays on its document when another .tcpscn editor becomes active.
    const other = await example('time-wait-lost-final-ack.tcpscn');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other), vscode.ViewColumn.One);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok((await state()).previews.some((q) => q.uri === uri.toString() && q.locked));

    await vscode.commands.executeCommand('tcpscn.unlockPreview');
    p = await waitFor('the preview to be dynamic again', async () => (await state()).previews.find((q) => q.dynamic));
    assert.equal(p.locked, false);
    // Unlocked, it follows the active editor again.
    assert.equal(p.uri, other.toString());
  },

  async 'locking records the locked preview at once, for a reload that comes before the webview state is saved'() {
    await closeAll();
    assert.deepEqual((await state()).lockRecord, [], 'no preview open, none recorded');
    const uri = await example('handshake-and-close.tcpscn');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('tcpscn.openPreviewToSide');
    await previewOf(uri);
    await vscode.commands.executeCommand('tcpscn.lockPreview');
    // No waiting: the record is written by the lock command itself.
    assert.deepEqual((await state()).lockRecord, [uri.toString()]);
    await vscode.commands.executeCommand('tcpscn.unlockPreview');
    assert.deepEqual((await state()).lockRecord, []);
    await vscode.commands.executeCommand('tcpscn.lockPreview');
    assert.deepEqual((await state()).lockRecord, [uri.toString()]);
    // Closing the locked preview drops it from the record: it will not come back.
    await closeAll();
    assert.deepEqual((await state()).lockRecord, []);
  },

  async 'Run TCP scenario writes to the output channel and resolves with the counts'() {
    await closeAll();
    const uri = await example('handshake-and-close.tcpscn');
    const result = (await vscode.commands.executeCommand('tcpscn.run', uri)) as {
      passed: number;
      failed: number;
      errors: number;
    };
    assert.ok(result, 'the command returns its result');
    assert.equal(result.errors, 0);
    assert.equal(result.failed, 0, 'the shared example passes');
    assert.ok(result.passed > 0);
    const s = await state();
    assert.match(s.lastRunReport, new RegExp(`${result.passed} passed, 0 failed`));
    assert.match(s.lastRunReport, /PASS/);
    assert.equal(s.lastRunShowedOutput, false, 'all passed: the Output panel is not pulled open');
    // It also opens the preview.
    await waitFor('the preview of the run', () => previewTabs().length === 1);
  },

  async 'an empty scenario offers the examples, and starting from one fills it'() {
    const doc = await vscode.workspace.openTextDocument({ language: 'tcpscn', content: '\n' });
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor("the empty file's CodeLens", async () => {
      const l = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) as vscode.CodeLens[];
      return l.length > 0 ? l : undefined;
    });
    assert.deepEqual(
      lenses.map((l) => l.command?.command),
      ['tcpscn.startFromExample'],
      'an empty file offers the examples, not a run',
    );
    await vscode.commands.executeCommand('tcpscn.startFromExample', doc.uri, 'lost-syn.tcpscn');
    assert.match(doc.getText(), /^# A lost SYN/, 'the example fills the empty file');
    const after = (await vscode.commands.executeCommand(
      'vscode.executeCodeLensProvider',
      doc.uri,
    )) as vscode.CodeLens[];
    assert.ok(
      after.some((l) => l.command?.command === 'tcpscn.run'),
      'with text in it, the file offers to run',
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  },

  async 'Run TCP scenario counts failures'() {
    const doc = await vscode.workspace.openTextDocument({
      language: 'tcpscn',
      content: SCENARIO + 'expect client ESTABLISHED\n',
    });
    await vscode.window.showTextDocument(doc);
    const result = (await vscode.commands.executeCommand('tcpscn.run')) as { passed: number; failed: number };
    assert.equal(result.failed, 1);
    assert.ok(result.passed >= 1);
    assert.equal((await state()).lastRunShowedOutput, true, 'a failure shows the Output panel');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  },

  async 'export commands exist and Markdown export writes the chosen file'() {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['tcpscn.exportSvg', 'tcpscn.exportMarkdown', 'tcpscn.copyMermaid']) assert.ok(all.includes(c), c);
    const uri = await example('handshake-and-close.tcpscn');
    const target = vscode.Uri.file(path.join(os.tmpdir(), `tcpscn-itest-${process.pid}-${Date.now()}.md`));
    const written = (await vscode.commands.executeCommand('tcpscn.exportMarkdown', uri, target)) as
      vscode.Uri | undefined;
    assert.equal(written?.toString(), target.toString());
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(text, /```mermaid\s+sequenceDiagram/);
    // The ladder is written beside the report and linked from it (GitHub shows linked SVG images).
    const ladder = vscode.Uri.file(target.fsPath.replace(/\.md$/, '.ladder.svg'));
    const svg = new TextDecoder().decode(await vscode.workspace.fs.readFile(ladder));
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="ladder ladder-light"/);
    assert.ok(text.includes(`](${path.basename(ladder.fsPath)})`), 'the report links the ladder');
    // The export ran from dist/export.js, loaded by its first command.
    assert.ok((await state()).lazyBundlesLoaded.includes('export.js'));
    await vscode.workspace.fs.delete(target);
    await vscode.workspace.fs.delete(ladder);
  },

  async 'Copy Mermaid Text puts the sequence diagram on the clipboard'() {
    const uri = await example('handshake-and-close.tcpscn');
    const text = (await vscode.commands.executeCommand('tcpscn.copyMermaid', uri)) as string;
    assert.match(text, /^sequenceDiagram/);
    assert.equal(await vscode.env.clipboard.readText(), text);
  },

  async 'SVG export returns what the webview drew'() {
    await closeAll();
    const uri = await example('handshake-and-close.tcpscn');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('tcpscn.openPreviewToSide');
    await waitFor(
      'a drawn diagram',
      async () => (await previewOf(uri)).renders.some((r) => r.ok && r.view === 'sequence'),
      45_000,
    );
    const target = vscode.Uri.file(path.join(os.tmpdir(), `tcpscn-itest-${process.pid}-${Date.now()}.svg`));
    const written = (await vscode.commands.executeCommand('tcpscn.exportSvg', uri, target)) as vscode.Uri | undefined;
    assert.equal(written?.toString(), target.toString());
    const svg = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(!svg.includes('tcpscn-hit'), 'the click targets are not exported');
    await vscode.workspace.fs.delete(target);
    await closeAll();
  },
};

/** The last `update` the preview of `uri` posted. */
async function lastUpdate(uri: vscode.Uri): Promise<UpdateInfo | undefined> {
  return (await state()).previews.find((q) => q.uri === uri.toString())?.lastUpdate;
}
