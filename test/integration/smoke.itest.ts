// Proves the harness itself: the packaged extension is installed in the VS Code under test,
// activates when a .tcpscn document opens, and registers its language.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tcpscn.tcpscn';

async function waitFor(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const tests: Record<string, () => Promise<void>> = {
  async 'the tcpscn extension is installed'() {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found among ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    assert.equal(ext.packageJSON.name, 'tcpscn');
  },

  async 'opening a .tcpscn file activates the extension with language tcpscn'() {
    const [uri] = await vscode.workspace.findFiles('**/*.tcpscn', '**/node_modules/**', 1);
    assert.ok(uri, 'the test workspace holds no .tcpscn file');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'tcpscn');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await waitFor('the extension to activate', () => ext.isActive);
  },

  async 'the language tcpscn is registered'() {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('tcpscn'), `languages: ${languages.join(', ')}`);
  },
};
