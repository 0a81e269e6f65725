// The language features inside a real extension host: activation, live diagnostics (no save),
// completion, hover, outline and CodeLens, through the same commands VS Code's UI uses.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tcpscn.tcpscn';

const GOOD = `title "Lost final ACK"
set msl = 1s
endpoint client 10.0.0.1:5000
endpoint server 10.0.0.2:80
0ms    server listen
10ms   client connect server
400ms  client close
on server CLOSE_WAIT server close
on client TIME_WAIT net drop client->server ACK
expect client CLOSED
`;

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function open(content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'tcpscn', content });
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  await waitFor('activation', () => (ext.isActive ? true : undefined));
  return doc;
}

function tcpscnDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'tcpscn');
}

function markdownOf(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export const tests: Record<string, () => Promise<void>> = {
  async 'a tcpscn document activates the extension and has language tcpscn'() {
    const doc = await open(GOOD);
    assert.equal(doc.languageId, 'tcpscn');
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  },

  async 'diagnostics of a broken document appear without saving, with the right range'() {
    const doc = await open(
      'endpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\n0ms server listen\n0ms client connect nobody\n',
    );
    assert.ok(doc.isUntitled);
    const [d] = await waitFor('a diagnostic', () => {
      const list = tcpscnDiagnostics(doc.uri);
      return list.length ? list : undefined;
    });
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.code, 'unknown-endpoint');
    assert.match(d.message, /nobody/);
    assert.deepEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [3, 19, 3, 25],
    );
  },

  async 'diagnostics follow typing: fixing the error clears them, a failed expectation shows on its line'() {
    const doc = await open(
      'endpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\n0ms server listen\n0ms client connect nobody\n',
    );
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('the first diagnostic', () => (tcpscnDiagnostics(doc.uri).length ? true : undefined));
    await editor.edit((e) => e.replace(new vscode.Range(3, 19, 3, 25), 'server'));
    await waitFor('diagnostics to clear', () => (tcpscnDiagnostics(doc.uri).length === 0 ? true : undefined));
    await editor.edit((e) => e.insert(new vscode.Position(4, 0), '1s expect client CLOSED\n'));
    const [d] = await waitFor('the failed expectation', () => {
      const list = tcpscnDiagnostics(doc.uri);
      return list.length ? list : undefined;
    });
    assert.equal(d.code, 'expectation-failed');
    assert.equal(d.range.start.line, 4);
    assert.match(d.message, /ESTABLISHED/);
  },

  async 'completion offers states after `on client`'() {
    const doc = await open(GOOD + 'on client ');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(10, 'on client '.length),
    );
    // Snippets (whose prefixes include words like `connect`) and words of the document come
    // from VS Code itself, not from our provider (which never uses these two kinds).
    const ours = list.items.filter(
      (i) => i.kind !== vscode.CompletionItemKind.Snippet && i.kind !== vscode.CompletionItemKind.Text,
    );
    const labels = ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const s of ['TIME_WAIT', 'CLOSE_WAIT', 'ESTABLISHED'])
      assert.ok(labels.includes(s), `${s} not in ${labels.join(' ')}`);
    assert.ok(!labels.includes('connect'), 'verbs offered where a state belongs');
    const tw = ours.find((i) => i.label === 'TIME_WAIT');
    assert.equal(tw?.kind, vscode.CompletionItemKind.EnumMember);
    // Completion, hover and quick fixes come from dist/assist.js, loaded at the first request
    // (src/extension/lazy.ts).
    const state = (await vscode.commands.executeCommand('tcpscn._test.previewState')) as {
      lazyBundlesLoaded: string[];
    };
    assert.ok(state.lazyBundlesLoaded.includes('assist.js'), `loaded: ${state.lazyBundlesLoaded.join(', ')}`);
  },

  async 'completion offers verbs after an endpoint and endpoints after connect'() {
    const doc = await open(GOOD + '1s client \n2s client connect ');
    const verbs = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(10, 10),
    );
    const v = verbs.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const w of ['listen', 'connect', 'send', 'close', 'abort']) assert.ok(v.includes(w), w);
    const peers = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(11, 18),
    );
    assert.ok(peers.items.some((i) => i.label === 'server'));
  },

  async 'hover explains a state with its RFC section'() {
    const doc = await open(GOOD);
    const line = doc.lineAt(8).text;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(8, line.indexOf('TIME_WAIT') + 2),
    );
    const text = markdownOf(hovers);
    assert.match(text, /TIME_WAIT/);
    assert.match(text, /RFC 9293 §3\.3\.2/);
  },

  async 'hover on an endpoint shows its address and port'() {
    const doc = await open(GOOD);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(5, 8),
    );
    assert.match(markdownOf(hovers), /10\.0\.0\.1:5000/);
  },

  async 'the outline lists title, endpoints and events grouped by when'() {
    const doc = await open(GOOD);
    const symbols = await waitFor('symbols', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        doc.uri,
      );
      return s && s.length ? s : undefined;
    });
    const names = symbols.map((s) => s.name);
    for (const n of ['Lost final ACK', 'client', 'server', 'at 0ms', 'on client TIME_WAIT', 'at the end of the run']) {
      assert.ok(names.includes(n), `${n} not in ${names.join(' | ')}`);
    }
    const client = symbols.find((s) => s.name === 'client');
    assert.equal(client?.range.start.line, 2);
    const trigger = symbols.find((s) => s.name === 'on client TIME_WAIT');
    assert.deepEqual(
      trigger?.children.map((c) => c.name),
      ['net drop client->server ACK'],
    );
  },

  async 'CodeLens on the first line runs the scenario and opens the preview'() {
    const doc = await open(GOOD);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
      10,
    );
    const ours = lenses.filter((l) => l.command?.command.startsWith('tcpscn.'));
    assert.deepEqual(
      ours.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
      [
        [0, '$(play) Run scenario', 'tcpscn.run'],
        [0, '$(open-preview) Open preview', 'tcpscn.openPreviewToSide'],
      ],
    );
    assert.equal(String(ours[0].command?.arguments?.[0]), String(doc.uri));
  },

  async 'quick fixes: a did-you-mean applied through VS Code leaves a file without that diagnostic; an expect is offered on a call line'() {
    const doc = await open(
      'set latency = 10ms\nendpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\n0ms server listen\n0ms client connect sever\n100ms client close\n',
    );
    const diagnostic = await waitFor('the unknown-endpoint diagnostic', () =>
      tcpscnDiagnostics(doc.uri).find((d) => d.code === 'unknown-endpoint'),
    );
    const actions = (await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    )) as vscode.CodeAction[];
    const fix = actions.find((a) => a.title === 'Change `sever` to `server`');
    assert.ok(fix?.edit, actions.map((a) => a.title).join('; '));
    assert.equal(fix.isPreferred, true);
    // vscode.executeCodeActionProvider hands back title, kind, edit and isPreferred, not the
    // diagnostics the provider tied the action to, so only those are checked here.
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(4).text, '0ms client connect server');
    await waitFor('the diagnostic to go', () =>
      tcpscnDiagnostics(doc.uri).some((d) => d.code === 'unknown-endpoint') ? undefined : true,
    );
    const onClose = (await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      doc.uri,
      new vscode.Range(5, 0, 5, 0),
    )) as vscode.CodeAction[];
    const add = onClose.find((a) => a.title.startsWith('Add an expect for what happened here'));
    assert.ok(add?.edit, onClose.map((a) => a.title).join('; '));
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    assert.equal(doc.lineAt(6).text, '100ms expect client FIN_WAIT_1');
  },
};
